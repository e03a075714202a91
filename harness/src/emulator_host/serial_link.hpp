// Internal: the module's serial line on the host: stdin/stdout, a pseudo-terminal, or one TCP
// client at a time. Bytes in any chunking; output queued without blocking the loop and bounded
// (a host that stops reading loses output, with a note, rather than growing memory).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "bcconform/protocol/result.hpp"

namespace bcconform::emulator_host::detail {

struct serial_handlers {
  std::function<void(std::string_view)> on_input;
  /// The input ended for good (stdio EOF or error); pty and TCP links never end.
  std::function<void()> on_end;
  /// Output drained below the low-water mark (input may resume).
  std::function<void()> on_drained;
  std::function<void(std::string_view)> on_note;
};

class serial_link {
 public:
  /// Output bytes queued beyond this are dropped (and noted).
  static constexpr std::size_t output_cap = 8u << 20;

  virtual ~serial_link() = default;
  virtual void start(serial_handlers h) = 0;
  /// Queues bytes for the host side.
  virtual void write(std::string_view bytes) = 0;
  /// Bytes queued and not yet written.
  virtual std::size_t pending() const = 0;
  /// Stops/starts reading input (back-pressure when the output backlog is large).
  virtual void hold_input(bool hold) = 0;
  /// Stops reading and writing for good (at exit, after the caller let pending() drain).
  virtual void shutdown() = 0;
};

std::unique_ptr<serial_link> make_stdio_link(boost::asio::io_context& io);

/// Opens a pseudo-terminal in raw mode; `slave_path` receives its /dev/pts path. With a
/// non-empty `link`, a symlink to it is made there (and removed when the link is destroyed).
protocol::result<std::unique_ptr<serial_link>> make_pty_link(boost::asio::io_context& io,
                                                             const std::string& link,
                                                             std::string& slave_path);

/// Listens on host:port; one client at a time, the next waits in the accept backlog.
/// `bound_port` receives the port (useful with port 0).
protocol::result<std::unique_ptr<serial_link>> make_tcp_link(boost::asio::io_context& io,
                                                             const std::string& host,
                                                             std::uint16_t port,
                                                             std::uint16_t& bound_port);

}  // namespace bcconform::emulator_host::detail
