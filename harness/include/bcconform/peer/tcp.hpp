// TCP peers: a listening server the module connects to, a client that connects to the module's
// listener, and the connection both hand out.
//
// A connection reads continuously on the host's thread from the moment it exists, so every byte
// the module sends is recorded even when no test step is waiting. Received bytes wait in a read
// queue until a read or expect call consumes them; the record (`received()`) keeps them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/peer/error.hpp"
#include "bcconform/peer/host.hpp"

namespace bcconform::peer {

namespace detail {
class stream_state;
class server_state;
}  // namespace detail

struct connect_options;

struct connection_options {
  /// Reading pauses (TCP back-pressure on the sender) while this many bytes wait unconsumed.
  std::size_t max_unread = std::size_t{1} << 20;
  /// The record stops growing at this size; record_truncated() then says so.
  std::size_t max_record = std::size_t{16} << 20;
  /// Write every received chunk straight back. Echoed bytes are recorded but not queued for
  /// reading; the next read waits until the chunk is written, so a sender that never reads
  /// meets TCP back-pressure rather than growing the peer's memory.
  bool echo = false;
};

/// What read_until_pattern took from the stream.
struct pattern_match {
  std::string consumed;             ///< the bytes consumed, from the queue head through the match
  std::vector<std::string> groups;  ///< [0] the whole match, then each group ("" if unmatched)
};

/// One TCP connection. Move-only; destroying an open connection closes it (FIN).
/// All calls are thread-safe with respect to the host's thread; use one connection from one
/// test thread at a time.
class tcp_connection {
 public:
  tcp_connection() = default;  ///< empty: every call fails with errc::not_open
  ~tcp_connection();
  tcp_connection(tcp_connection&&) noexcept;
  tcp_connection& operator=(tcp_connection&&) noexcept;

  endpoint local_endpoint() const;
  endpoint remote_endpoint() const;

  /// Queues `bytes` and waits until all of them are handed to the kernel. On timed_out the
  /// bytes stay queued and are still written, in order, before any later send.
  result<void> send(std::string_view bytes, deadline until);

  /// Consumes exactly `expected`. Fails with mismatch as soon as a received byte differs
  /// (nothing is consumed then), with end_of_stream / connection_reset if the stream ends first.
  result<void> expect_exact(std::string_view expected, deadline until);
  /// Consumes whatever is queued, at least one byte.
  result<std::string> read_some(deadline until);
  /// Consumes exactly `n` bytes (the "expect length" step).
  result<std::string> read_exactly(std::size_t n, deadline until);
  /// Waits until the queued bytes contain a match of `pattern` (RE2 syntax, Latin-1 so that
  /// every byte is one character; use (?s) for `.` to match newlines), then consumes through the
  /// end of the match. The pattern is tried on the bytes received so far, so end it with a
  /// terminator when a longer match could still arrive. RE2 matches in linear time.
  result<pattern_match> read_until_pattern(std::string_view pattern, deadline until);

  /// Succeeds once the remote end has closed its side (FIN), whatever is still unread.
  result<void> expect_eof(deadline until);
  /// Succeeds once the remote end has reset the connection (RST).
  result<void> expect_reset(deadline until);

  /// Graceful close (FIN). Bytes still queued by a send that timed out are discarded. (Linux
  /// sends RST instead if bytes sit unread in the kernel, which happens only while reading is
  /// paused at max_unread.) Bytes already received stay readable.
  void close();
  /// Half-close: FIN, but keep reading.
  void shutdown_send();
  /// Abortive close: SO_LINGER {on, 0} then close, so the other side sees RST (ECONNRESET).
  void reset();

  bool is_open() const;          ///< false once closed or reset locally
  std::string received() const;  ///< every byte received so far, consumed or not
  bool record_truncated() const;
  std::size_t unread_size() const;

 private:
  friend class tcp_server;
  friend result<tcp_connection> tcp_connect(host&, const endpoint&, deadline,
                                            const connect_options&);
  explicit tcp_connection(std::shared_ptr<detail::stream_state> state);
  void release() noexcept;
  std::shared_ptr<detail::stream_state> state_;
};

struct server_options {
  std::string bind_address = default_bind_address;
  std::uint16_t port = 0;  ///< 0: an ephemeral port, see tcp_server::port()
  /// Accepted connections waiting for accept(); beyond it the kernel backlog holds the rest.
  std::size_t max_pending = 16;
  connection_options connection;
};

/// A listening socket. Connections are accepted (and start recording) as soon as they arrive;
/// accept() hands them out in arrival order. Move-only; destroying it stops listening and
/// closes the connections nobody took.
class tcp_server {
 public:
  static result<tcp_server> listen(host& h, const server_options& options = {});
  tcp_server() = default;
  ~tcp_server();
  tcp_server(tcp_server&&) noexcept;
  tcp_server& operator=(tcp_server&&) noexcept;

  std::uint16_t port() const;
  endpoint local_endpoint() const;
  result<tcp_connection> accept(deadline until);
  std::size_t accepted_count() const;  ///< connections accepted so far, taken or not
  /// Stops listening. Connections already handed out stay open.
  void close();

 private:
  explicit tcp_server(std::shared_ptr<detail::server_state> state);
  void release() noexcept;
  std::shared_ptr<detail::server_state> state_;
};

struct connect_options {
  std::string bind_address;  ///< local address to bind first; empty: the system's choice
  connection_options connection;
};

/// The client role: connects to `to` (a numeric address, typically the module's listener).
/// connection_refused if nothing listens there, timed_out if the handshake does not finish.
result<tcp_connection> tcp_connect(host& h, const endpoint& to, deadline until,
                                   const connect_options& options = {});

}  // namespace bcconform::peer
