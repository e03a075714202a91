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
//
// replay: in detail. Writes are compared byte for byte with the concatenated `>` records (record
// boundaries do not matter); the first difference is errc::replay_mismatch ("at host byte N
// (FILE:LINE): expected "...", got "...""), and every later call repeats it. A run of `<`
// records becomes readable once every `>` byte recorded before it has been written. A read that
// finds nothing waits until its deadline and returns timed_out while recorded module bytes
// remain (the module was silent there), and returns errc::replay_exhausted at once when none
// remain (the recording is over: a step that expects silence may count that as silence, one that
// expects an answer fails with a clear cause). A file that does not parse is
// errc::replay_malformed, "FILE:LINE:COL: what". Notes and timestamps are ignored: no pacing.
//
// exec: the child's stdin and stdout are the line; its stderr goes to
// open_options::exec_stderr_path (appended) or is inherited. A read returns process_exited, the
// exit status or signal in the detail, once the child is gone and its output has been read.
// serial:/pty: a port held by another process is errc::busy; a device that disappears (a hang-up,
// EIO, ENXIO, ENODEV) is device_vanished for serial: and end_of_stream for pty: (the emulator
// on the other side went away).
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
