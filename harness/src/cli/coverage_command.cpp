#include "coverage_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <CLI/CLI.hpp>

#include "bcconform/coverage/coverage.hpp"
#include "bcconform/report/junit.hpp"
#include "exit_codes.hpp"
#include "run_setup.hpp"

namespace bcconform::cli {
namespace {

constexpr const char* default_errata = "specs/ERRATA.md";

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "bcconform: %s\n", message.c_str());
  return code;
}

int write_reports(const coverage::matrix& m, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(exit_io, "cannot create " + dir + ": " + ec.message());
  const std::filesystem::path base(dir);
  for (const auto& [name, text] : {std::pair{"coverage.md", coverage::to_markdown(m)},
                                   std::pair{"coverage.json", coverage::to_json(m)}}) {
    auto r = report::write_atomically((base / name).string(), text);
    if (!r) return fail(exit_io, r.error().detail);
  }
  return exit_ok;
}

}  // namespace

bool read_errata(const std::string& given, std::string& text, std::string& error) {
  std::error_code ec;
  const std::string path = given.empty() ? default_errata : given;
  if (given.empty() && !std::filesystem::is_regular_file(path, ec)) return true;
  return read_text_file(path, text, error);
}

CLI::App& add_coverage_command(CLI::App& app, coverage_options& opts) {
  CLI::App* cmd = app.add_subcommand(
      "coverage",
      "Show which scenarios exercise each command form, URC, error code, chapter 4 "
      "example and errata ruling");
  cmd->add_option("paths", opts.paths, "Scenario files or directories (default: specs)");
  cmd->add_option("--out-dir", opts.out_dir, "Where coverage.md and coverage.json go")
      ->capture_default_str();
  cmd->add_option("--errata", opts.errata,
                  "The errata file (default: specs/ERRATA.md when it exists)");
  cmd->add_option("--lab", opts.lab, "Lab file whose vars scenarios may use");
  cmd->add_option("--var", opts.vars, "NAME=VALUE, a variable scenarios may use (repeatable)");
  cmd->footer(
      "Exit status: 0 the matrix was written; 3 a file could not be read or written; 4 a "
      "scenario or lab file does not load (each error printed as file:line:col: message).");
  return *cmd;
}

int run_coverage(const coverage_options& opts) {
  auto cli_vars = parse_vars(opts.vars);
  if (!cli_vars) return fail(exit_usage, cli_vars.error().detail);
  bool lab_ok = true;
  const auto lab = load_lab_file(opts.lab, lab_ok);
  const auto vars = merge_vars({}, lab ? &*lab : nullptr, *cli_vars);
  const auto files = load_scenarios(opts.paths, defined_names(vars));
  if (!files || !lab_ok) return exit_usage;

  coverage::coverage_options o;
  std::string error;
  if (!read_errata(opts.errata, o.errata_markdown, error)) return fail(exit_io, error);
  const coverage::matrix m = coverage::compute_coverage(*files, o);
  // The files first: a reader that closes standard output early (`| head`) still gets them.
  if (const int status = write_reports(m, opts.out_dir); status != exit_ok) return status;
  const std::string text = coverage::to_text(m);
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
    return fail(exit_io, std::string("cannot write standard output: ") + std::strerror(errno));
  return exit_ok;
}

}  // namespace bcconform::cli
