// bcconform: the command-line front end. Each subcommand lives in its own *_command.cpp; this
// file only wires them to CLI11 and maps failures to the exit codes of exit_codes.hpp.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "coverage_command.hpp"
#include "decode_command.hpp"
#include "exit_codes.hpp"
#include "fuzz_device_command.hpp"
#include "run_command.hpp"

int main(int argc, char** argv) {
  using namespace bcconform::cli;
  CLI::App app{
      "bcconform: conformance harness and protocol fuzzer for the Quectel BC25/BC32 TCP/IP AT "
      "command set",
      "bcconform"};
  app.set_version_flag("--version", "bcconform " BCCONFORM_VERSION);
  app.require_subcommand(1);

  decode_options decode;
  const CLI::App& decode_command = add_decode_command(app, decode);
  run_options run;
  const CLI::App& run_command = add_run_command(app, run);
  lint_options lint;
  const CLI::App& lint_command = add_lint_command(app, lint);
  coverage_options coverage;
  const CLI::App& coverage_command = add_coverage_command(app, coverage);
  fuzz_device_options fuzz_device;
  const CLI::App& fuzz_device_command = add_fuzz_device_command(app, fuzz_device);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end parsing too; they are successes.
    return app.exit(e) == 0 ? exit_ok : exit_usage;
  }
  try {
    if (decode_command.parsed()) return run_decode(decode);
    if (run_command.parsed()) return run_run(run);
    if (lint_command.parsed()) return run_lint(lint);
    if (coverage_command.parsed()) return run_coverage(coverage);
    if (fuzz_device_command.parsed()) return run_fuzz_device(fuzz_device);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bcconform: internal error: %s\n", e.what());
    return decode_command.parsed() ? exit_internal : exit_harness;
  }
  return exit_usage;
}
