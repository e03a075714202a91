// `bcconform coverage [PATHS...]`: the spec-coverage matrix of a scenario suite against the
// command table and specs/ERRATA.md (bcconform/coverage/coverage.hpp). Prints the table, writes
// coverage.md and coverage.json to the output directory. Nothing is run.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bcconform::cli {

struct coverage_options {
  std::vector<std::string> paths;  ///< scenario files or directories (default: specs)
  std::string out_dir = "reports";
  /// specs/ERRATA.md or another copy; empty: specs/ERRATA.md when it exists, else none.
  std::string errata;
  std::string lab;                ///< --lab FILE: its vars may be used by the scenarios
  std::vector<std::string> vars;  ///< --var K=V
};

/// Adds the `coverage` subcommand to `app`, storing its options in `opts` (which must outlive
/// parsing). Returns the subcommand so the caller can tell whether it was given.
CLI::App& add_coverage_command(CLI::App& app, coverage_options& opts);

/// Computes and writes the matrix; returns an exit_code: exit_ok, exit_usage when a scenario or
/// lab file does not load (each error printed as file:line:col: message), exit_io when the
/// errata file cannot be read or a report cannot be written.
int run_coverage(const coverage_options& opts);

/// The errata text for reports: the file `given`, or specs/ERRATA.md when `given` is empty and
/// that file exists (else `text` stays empty). False, with `error` set, if a file that should
/// be read cannot be.
bool read_errata(const std::string& given, std::string& text, std::string& error);

}  // namespace bcconform::cli
