// `bcconform lint PATHS...`: every scenario file loaded and validated as `run` would, nothing
// run. Every error is printed as `file:line:col: message`; exit 4 on any, 0 otherwise.
#include <CLI/CLI.hpp>

#include "exit_codes.hpp"
#include "run_command.hpp"
#include "run_setup.hpp"

namespace bcconform::cli {

CLI::App& add_lint_command(CLI::App& app, lint_options& opts) {
  CLI::App* lint =
      app.add_subcommand("lint", "Load and validate scenario files without running them");
  lint->add_option("paths", opts.paths, "Scenario files or directories (default: specs)");
  lint->add_option("--lab", opts.lab, "Lab file whose vars scenarios may use (also checked)")
      ->type_name("FILE");
  lint->add_option("--var", opts.vars, "NAME=VALUE, a variable scenarios may use (repeatable)")
      ->allow_extra_args(false)
      ->type_name("NAME=VALUE");
  lint->footer(
      "Exit status: 0 every file loads; 4 any error (each printed as file:line:col: message).");
  return *lint;
}

int run_lint(const lint_options& opts) {
  auto cli_vars = parse_vars(opts.vars);
  if (!cli_vars) {
    std::fprintf(stderr, "bcconform: %s\n", cli_vars.error().detail.c_str());
    return exit_usage;
  }
  bool lab_ok = true;
  const auto lab = load_lab_file(opts.lab, lab_ok);
  const auto vars = merge_vars({}, lab ? &*lab : nullptr, *cli_vars);
  const auto files = load_scenarios(opts.paths, defined_names(vars));
  if (!files || !lab_ok) return exit_usage;
  std::size_t scenarios = 0;
  for (const auto& f : *files) scenarios += f.scenarios.size();
  std::printf("%zu file%s, %zu scenario%s: no errors\n", files->size(),
              files->size() == 1 ? "" : "s", scenarios, scenarios == 1 ? "" : "s");
  return exit_ok;
}

}  // namespace bcconform::cli
