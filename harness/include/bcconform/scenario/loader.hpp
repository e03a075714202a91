// Scenario and lab files: YAML (yaml-cpp) into the validated model. The only harness code that
// sees YAML. Loading never throws; every refusal is a load_error naming `file:line:col` and
// what was expected there. Unknown keys, wrong types, unknown step kinds, undefined variables,
// duplicate ids and include cycles are errors, never ignored. Alias expansion, nesting depth,
// include depth and file size are bounded (load_limits), so hostile input cannot exhaust memory.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/lab.hpp"
#include "bcconform/scenario/model.hpp"

namespace bcconform::scenario {

struct load_limits {
  std::size_t max_file_bytes = std::size_t{1} << 20;
  std::size_t max_depth = 32;         ///< nesting of YAML collections
  std::size_t max_nodes = 200000;     ///< after alias expansion, includes and the file's
                                      ///< setup/teardown copied into each scenario
  std::size_t max_include_depth = 8;
};

struct load_options {
  load_limits limits;
  /// Variable names defined outside the files (command line --var, the lab file, the runner's
  /// built-ins such as module.address); references to them are not "undefined".
  std::set<std::string> defined;
  /// Reads the file at `path` into `text`, or sets `error` ("No such file or directory") and
  /// returns false. Empty: read from disk. Lets a test or a fuzz target serve include fragments
  /// from memory; it need not enforce max_file_bytes, the loader does.
  std::function<bool(const std::string& path, std::string& text, std::string& error)> read_file;
};

/// The built-in variable names every run defines (module.address, peer.address, model, ...).
const std::set<std::string>& builtin_variables();

/// Either a suite_file or every error found in it (at least one).
struct load_result {
  suite_file file;
  std::vector<load_error> errors;
  bool ok() const { return errors.empty(); }
};

/// Loads one scenario file from disk (includes are resolved relative to it).
load_result load_file(const std::string& path, const load_options& o = {});

/// Loads YAML text as if read from `name` (includes resolved relative to `name`'s directory).
load_result load_text(std::string_view text, const std::string& name, const load_options& o = {});

/// Expands PATHS (files, or directories searched recursively for *.yaml, sorted; files whose
/// name starts with `_` are fragments for include and are skipped) and loads each one. Errors
/// across files are collected; duplicate scenario ids across files are errors too.
struct load_set_result {
  std::vector<suite_file> files;
  std::vector<load_error> errors;
  bool ok() const { return errors.empty(); }
};
load_set_result load_paths(const std::vector<std::string>& paths, const load_options& o = {});

/// Every key the loader accepts, per YAML mapping kind ("scenario", "file", "send", "peer",
/// ...), so a test can keep specs/schema/scenario.schema.json and the loader in agreement.
const std::map<std::string, std::set<std::string>>& accepted_keys();

}  // namespace bcconform::scenario
