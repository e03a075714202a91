// The byte pipe between the harness and a module: one small interface, five implementations
// (exec, serial, tcp, pty, replay), and a tap that records every byte. Transports are the only
// harness code that makes OS calls; everything above them sees bytes, deadlines and errors.
//
// Every call that waits takes an absolute deadline on the transport's clock and returns
// errc::timed_out when it passes; nothing blocks without one. Failures are values, never
// exceptions.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "bcconform/protocol/result.hpp"

namespace bcconform::transport {

/// Why a transport call failed. Usable as std::error_code.
enum class errc {
  ok = 0,
  timed_out,        ///< the deadline passed before any byte arrived / all bytes were written
  end_of_stream,    ///< the module side closed (EOF on a pipe, FIN on TCP, pty hang-up)
  device_vanished,  ///< the serial device disappeared (unplugged USB adapter: EIO, ENODEV, ENXIO)
  process_exited,   ///< exec: the child exited or was killed; the detail says how
  io_error,         ///< any other OS error; the detail carries the system message
  bad_uri,          ///< the target URI does not parse; the detail says where
  busy,             ///< serial: another process holds the port's exclusive lock
  not_found,        ///< no such device, file or program
  spawn_failed,     ///< exec: the program could not be started
  refused,          ///< tcp: nothing listens at the address
  replay_mismatch,  ///< replay: the host wrote bytes other than the recorded ones
  replay_exhausted, ///< replay: the recording has no more bytes for this read
  closed,           ///< the transport was closed locally
  replay_malformed, ///< replay: the transcript file does not parse; detail "FILE:LINE:COL: what"
};

const std::error_category& transport_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

using protocol::error;
template <class T>
using result = protocol::result<T>;

inline error make_error(errc e, std::string detail) {
  return {make_error_code(e), std::move(detail)};
}

/// Time as the harness sees it. The steady clock in production; tests inject a fake one that a
/// scripted transport advances, so no test sleeps.
using time_point = std::chrono::steady_clock::time_point;
using duration = std::chrono::steady_clock::duration;
using deadline = time_point;

class clock {
 public:
  virtual ~clock() = default;
  virtual time_point now() const = 0;
};

/// The process-wide steady clock.
const clock& steady() noexcept;

/// A byte stream to one module. One reader/writer thread at a time.
class transport {
 public:
  virtual ~transport() = default;

  /// Writes all of `bytes` before `until`. On timed_out some prefix may have been written.
  virtual result<void> write(std::string_view bytes, deadline until) = 0;

  /// Waits until at least one byte is available or `until` passes, then appends what is
  /// available (at most `max` bytes) to `out`. Returns the count appended (never 0 on success);
  /// timed_out if nothing arrived, end_of_stream / device_vanished / process_exited when the
  /// other side is gone (bytes received before that are returned first, by earlier calls).
  virtual result<std::size_t> read(std::string& out, std::size_t max, deadline until) = 0;

  /// "exec:/path/bcemu --stdio", "serial:/dev/ttyUSB0@115200,8N1,rtscts", ... for reports.
  virtual std::string describe() const = 0;

  /// Releases the OS resources: terminates an exec child (SIGTERM, SIGKILL after a grace
  /// period, reaped), unlocks and closes a serial port. Idempotent; the destructor calls it.
  virtual void close() = 0;

  /// The clock this transport's deadlines refer to.
  /// (Spelled in full: inside the class, `clock` names this member.)
  virtual const bcconform::transport::clock& clock() const { return steady(); }
};

}  // namespace bcconform::transport

template <>
struct std::is_error_code_enum<bcconform::transport::errc> : std::true_type {};
