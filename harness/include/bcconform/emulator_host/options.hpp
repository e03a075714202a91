// bcemu's command line (CLI11): every flag, its checks, and the --help text with the exit codes
// and the control channel's commands.
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

#include "bcconform/emulator_host/host.hpp"

namespace bcconform::emulator_host {

struct parsed_command_line {
  std::optional<host_options> options;  ///< absent: exit with `exit_code` (help, version, error)
  int exit_code = exit_ok;
};

/// Parses argv. --help and --version print to `out` and give exit_ok; errors print to `err`
/// and give exit_usage.
parsed_command_line parse_command_line(int argc, const char* const* argv, std::string_view version,
                                       std::ostream& out, std::ostream& err);

}  // namespace bcconform::emulator_host
