// `bcconform fuzz-device`: generated AT command lines sent to a module or the emulator, with
// liveness and well-formedness oracles (bcconform/fuzzdev/engine.hpp). Findings are printed as
// they are found, each with the arguments that send its case again; a summary follows, and
// optionally a JSON report and a transcript of the whole conversation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace bcconform::cli {

struct fuzz_device_options {
  std::string target;                  ///< "" = bcemu beside this executable
  std::optional<std::uint64_t> seed;   ///< absent: drawn at random and printed
  std::uint64_t start = 0;             ///< index of the first case
  std::optional<std::uint64_t> count;  ///< absent: 1000, or unbounded with --duration
  std::optional<double> duration;      ///< seconds
  std::string report;                  ///< JSON findings file
  std::string transcript;              ///< transcript of the whole conversation
  bool allow_persistent = false;
  std::vector<std::string> only;
  std::vector<std::string> deny;
  std::string peer_address;  ///< "" = 127.0.0.1 for a module on this host, none otherwise
  std::string reset_hook;    ///< shell command line for the last recovery step
  std::size_t line_limit = 4096;
  unsigned slack_ms = 500;
  std::optional<double> time_scale;  ///< absent: 0.01 for the default target, 1 otherwise
  bool quiet = false;                ///< findings and the summary only
};

/// Adds the `fuzz-device` subcommand to `app`, storing its options in `opts` (which must
/// outlive parsing). Returns the subcommand so the caller can tell whether it was given.
CLI::App& add_fuzz_device_command(CLI::App& app, fuzz_device_options& opts);

/// Runs the fuzzer; returns the exit status: 0 no findings, 1 findings, 3 the target died or
/// the transport failed (or a file could not be written), 4 usage.
int run_fuzz_device(const fuzz_device_options& opts);

}  // namespace bcconform::cli
