// Target URIs and the factory that opens them.
//
//   exec:PROGRAM [ARG...]          start PROGRAM (Boost.Process) and talk over its stdin/stdout;
//                                  words split on spaces, "double quotes" group, \ escapes
//   serial:PATH[?OPTIONS]          a serial device through Boost.Asio serial_port, raw termios,
//                                  exclusive (flock LOCK_EX|LOCK_NB and TIOCEXCL)
//        OPTIONS: baud=115200 & data=8 & parity=none|even|odd & stop=1|2 & flow=none|rtscts
//   pty:PATH                       a pseudo-terminal (bcemu --pty, socat): serial without line
//                                  settings that a pty ignores
//   tcp:HOST:PORT                  ser2net-style remote serial or bcemu --listen; HOST numeric
//                                  (IPv4 or [IPv6]); names are refused, so a run never resolves
//   replay:FILE                    a recorded transcript (specs/formats/transcript.md) played
//                                  back: host writes must match the recorded `>` bytes, then the
//                                  `<` bytes that followed them are delivered
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/transport/transport.hpp"

namespace bcconform::transport {

enum class scheme { exec, serial, pty, tcp, replay };

struct serial_settings {
  unsigned baud = 115200;  ///< BC25 default (emulator.md §1)
  unsigned data_bits = 8;
  enum class parity { none, even, odd } parity_bits = parity::none;
  unsigned stop_bits = 1;
  bool rtscts = false;
  friend bool operator==(const serial_settings&, const serial_settings&) = default;
};

struct target_uri {
  scheme kind = scheme::exec;
  std::vector<std::string> argv;  ///< exec: program and arguments
  std::string path;               ///< serial, pty, replay
  serial_settings serial;         ///< serial
  std::string host;               ///< tcp: numeric address without brackets
  std::uint16_t port = 0;         ///< tcp
  std::string text;               ///< as given
};

/// Parses a target URI; errc::bad_uri with the offending part otherwise.
result<target_uri> parse_target(std::string_view uri);

struct open_options {
  /// How long opening may take (connect, spawn, lock).
  duration open_timeout = std::chrono::seconds(10);
  /// exec: how long close() waits after SIGTERM before SIGKILL.
  duration kill_grace = std::chrono::seconds(2);
  /// exec: where the child's stderr goes (a file path); empty: inherited.
  std::string exec_stderr_path;
};

result<std::unique_ptr<transport>> open(const target_uri& target, const open_options& o = {});
}  // namespace bcconform::transport
