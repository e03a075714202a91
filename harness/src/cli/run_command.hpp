// `bcconform run`: load scenario files, select cases, run them against a module or the bundled
// emulator, and write JUnit XML and JSON results that are valid at every instant.
// `bcconform lint`: load scenario (and lab) files without running anything.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bcconform::cli {

struct run_options {
  std::vector<std::string> paths;  ///< scenario files or directories (default: specs)
  std::string lab;                 ///< --lab FILE
  std::string target;              ///< --target URI (over the lab's)
  std::string model;               ///< --model (over the lab's; default BC25)
  std::vector<std::string> vars;   ///< --var K=V
  std::vector<std::string> filters, tags;
  std::string shard;         ///< --shard I/N
  std::string rerun_failed;  ///< a previous results.json
  int repeat = 1;
  std::string report_dir = "reports";
  std::string junit;  ///< default <report_dir>/junit.xml
  std::string json;   ///< default <report_dir>/results.json
  std::string baseline;
  std::string errata;   ///< for the sign-off report (default specs/ERRATA.md if it exists)
  std::string waivers;  ///< accepted deviations for the sign-off report
  bool inconc_is_failure = false, no_inconc_is_failure = false;
  bool list = false;
  bool quiet = false;
  double time_scale = 0.01;               ///< the default emulator's --time-scale
  std::string control;                    ///< the control socket of an emulator started elsewhere
  std::vector<std::string> capabilities;  ///< --capability: replaces the target's
  double ready_timeout = 20;              ///< seconds
  double hook_timeout = 120;              ///< seconds
};

struct lint_options {
  std::vector<std::string> paths;
  std::string lab;
  std::vector<std::string> vars;
};

CLI::App& add_run_command(CLI::App& app, run_options& opts);
CLI::App& add_lint_command(CLI::App& app, lint_options& opts);

/// Run and lint; each returns an exit_code (exit_codes.hpp). Progress goes to standard output,
/// diagnostics to standard error.
int run_run(const run_options& opts);
int run_lint(const lint_options& opts);

}  // namespace bcconform::cli
