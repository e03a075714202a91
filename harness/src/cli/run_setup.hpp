// What `run` and `lint` share: --var parsing, the lab file, the variable names scenario files
// may use, and printing load errors as `file:line:col: message`.
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bcconform/protocol/result.hpp"
#include "bcconform/scenario/lab.hpp"
#include "bcconform/scenario/loader.hpp"

namespace bcconform::cli {

/// `K=V` strings into a map (later ones win). Error names the offending argument.
protocol::result<std::map<std::string, std::string>> parse_vars(
    const std::vector<std::string>& assignments);

/// Prints each error on its own line of `out`; returns how many.
/// Reads a whole file; false with `error` ("cannot read PATH: reason") if it cannot be read.
bool read_text_file(const std::string& path, std::string& text, std::string& error);

std::size_t print_load_errors(std::FILE* out, const std::vector<scenario::load_error>& errors);

/// Loads the lab file when `path` is not empty; prints its errors and returns nullopt on any.
/// `ok` is false when it failed.
std::optional<scenario::lab> load_lab_file(const std::string& path, bool& ok);

/// Variables of a run, lowest precedence first: built-ins, lab vars, --var.
std::map<std::string, std::string> merge_vars(const std::map<std::string, std::string>& builtins,
                                              const scenario::lab* lab,
                                              const std::map<std::string, std::string>& cli);

/// Names defined outside scenario files: the loader's built-ins plus every key of `vars`.
std::set<std::string> defined_names(const std::map<std::string, std::string>& vars);

/// Loads `paths` (default "specs") with `defined`; prints every error on standard error.
/// nullopt when anything failed to load.
std::optional<std::vector<scenario::suite_file>> load_scenarios(std::vector<std::string> paths,
                                                                std::set<std::string> defined);

}  // namespace bcconform::cli
