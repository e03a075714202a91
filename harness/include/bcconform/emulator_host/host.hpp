// bcemu as a library: the interpreter (bcconform/emulator/interpreter.hpp) on real host I/O.
// The executable tools/bcemu/main.cpp only parses argv into host_options and calls run().
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "bcconform/emulator_host/allow_list.hpp"

namespace bcconform::emulator_host {

/// bcemu's process exit codes (documented in --help; scripts rely on them).
enum exit_code : int {
  exit_ok = 0,        ///< end of input, SIGTERM/SIGINT, or --help/--version
  exit_internal = 1,  ///< a bug or resource exhaustion
  exit_io = 3,        ///< a file, pty or socket could not be opened or written
  exit_usage = 4,     ///< bad command line, profile file or state file
};

enum class serial_mode : std::uint8_t { stdio, pty, tcp };

struct host_options {
  serial_mode mode = serial_mode::stdio;
  std::string pty_link;                   ///< --link: symlink to the pty (pty mode)
  std::string listen_host = "127.0.0.1";  ///< --listen HOST:PORT (tcp mode)
  std::uint16_t listen_port = 0;

  std::string model = "BC25";  ///< --model: tools/bcemu/profiles/<model>.json
  std::string profile_path;    ///< --profile: overrides --model
  std::string state_path;      ///< --state: NVM JSON
  std::string control_path;    ///< --control: Unix socket
  std::string log_path;        ///< --log: transcript

  double time_scale = 1.0;  ///< real time = module time × time_scale
  std::uint64_t seed = 0;
  std::chrono::microseconds byte_delay{0};
  double drop_rate = 0.0;
  double corrupt_rate = 0.0;
  int reboot_after = 0;
  int stall_after = 0;

  allow_list allowed = allow_list::loopback_only();
  std::string module_listen_address = "127.0.0.1";  ///< where AT+QIOPEN "TCP LISTENER" binds
  bool simulate_ping = false;
  bool quiet = false;  ///< no notes on stderr
};

/// Finds the profile file for `o` (profile_path, or <model>.json in the profiles directory
/// next to `executable`, or in the directory configured at build time). Empty when none.
std::string find_profile(const host_options& o, const std::string& executable);

/// Runs the emulator until its input ends or SIGTERM/SIGINT; returns an exit_code. Messages
/// for people go to `err` (stderr in bcemu); in pty mode the pty path goes to `out`.
int run(const host_options& o, const std::string& executable, std::ostream& out, std::ostream& err);

}  // namespace bcconform::emulator_host
