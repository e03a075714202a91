// The shared state behind a tcp_connection: the socket (touched on the host's thread only), the
// read queue, the record and the write queue (guarded by a mutex, waited on with a condition
// variable by the caller's thread). Internal.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "bcconform/peer/tcp.hpp"
#include "host_core.hpp"

namespace bcconform::peer::detail {

class stream_state : public std::enable_shared_from_this<stream_state> {
 public:
  using tcp = asio::ip::tcp;

  /// Host thread only (the socket is moved in from an accept or connect handler).
  stream_state(host_core& core, tcp::socket socket, const connection_options& options);
  /// Host thread: starts the continuous read.
  void start();

  host_core& core() noexcept { return core_; }
  const endpoint& local() const noexcept { return local_; }
  const endpoint& remote() const noexcept { return remote_; }

  // Caller's thread.
  result<void> send(std::string_view bytes, deadline until);
  result<void> expect_exact(std::string_view expected, deadline until);
  result<std::string> read_some(deadline until);
  result<std::string> read_exactly(std::size_t n, deadline until);
  result<pattern_match> read_until_pattern(std::string_view pattern, deadline until);
  result<void> expect_end(errc wanted, deadline until);
  /// Any thread (runs on the host's thread).
  void close(bool abortive);
  void shutdown_send();

  bool is_open() const;
  std::string received() const;
  bool record_truncated() const;
  std::size_t unread_size() const;

 private:
  // Host thread.
  void read_next();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void write_next();
  void on_write(const boost::system::error_code& ec);
  void close_now(bool abortive);

  // Caller's thread, with m_ held.
  template <class Ready>
  std::optional<error> await(std::unique_lock<std::mutex>& lock, deadline until, Ready ready,
                             const std::string& what);
  void consume(std::size_t n);
  void append_record(std::string_view bytes);

  host_core& core_;
  tcp::socket socket_;
  const connection_options options_;
  endpoint local_;
  endpoint remote_;
  std::array<char, 16384> buffer_{};  // host thread: the read in flight
  std::string writing_;               // host thread: the write in flight

  mutable std::mutex m_;
  std::condition_variable cv_;
  std::string unread_;
  std::string record_;
  bool record_truncated_ = false;
  std::optional<error> end_;  // why reading stopped
  bool read_paused_ = false;
  bool echo_pending_ = false;  // echo mode: reading waits until the last chunk is written back
  bool closed_ = false;        // closed locally
  std::deque<std::string> out_queue_;
  std::uint64_t queued_ = 0;
  std::uint64_t written_ = 0;
  bool write_busy_ = false;
  std::optional<error> write_error_;
};

}  // namespace bcconform::peer::detail
