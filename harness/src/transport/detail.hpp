// Internals shared by the transports: the per-scheme factories and the one way every transport
// waits, an io_context run until an operation completes or its deadline passes.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "bcconform/transport/open.hpp"

namespace bcconform::transport::detail {

namespace asio = boost::asio;
using boost::system::error_code;

result<std::unique_ptr<transport>> open_exec(const target_uri& t, const open_options& o);
/// serial: and pty: (the same code; pty: leaves the line settings alone).
result<std::unique_ptr<transport>> open_serial(const target_uri& t, const open_options& o);
result<std::unique_ptr<transport>> open_tcp(const target_uri& t, const open_options& o);
result<std::unique_ptr<transport>> open_replay(const target_uri& t, const open_options& o);

/// How one asynchronous operation ended.
struct io_outcome {
  error_code ec;
  std::size_t bytes = 0;
  bool timed_out = false;  ///< the deadline passed first; `bytes` may still be > 0 for a write
};

/// Runs `io` until `done()` holds or `until` passes, then calls `cancel()` (always: it must not
/// throw) and runs the cancelled handlers to completion, so nothing started here outlives the
/// call. Returns false when the deadline came first; an operation may still have completed in
/// that last run, which the caller checks.
bool run_until(asio::io_context& io, deadline until, const std::function<bool()>& done,
               const std::function<void()>& cancel);

/// Cancels a stream's pending operations without throwing.
template <class Stream>
void cancel_quietly(Stream& s) {
  if constexpr (requires(error_code ec) { s.cancel(ec); }) {
    error_code ignored;
    s.cancel(ignored);
  } else {
    s.cancel();  // boost::process::async_pipe: checks is_open() itself
  }
}

/// The most a single read() asks the OS for.
inline constexpr std::size_t read_chunk = 64u << 10;

/// One async_read_some with a deadline; appends what arrived to `out`. Bytes that arrived win
/// over a deadline that passed at the same moment.
template <class Stream>
io_outcome read_some(asio::io_context& io, Stream& s, std::string& out, std::size_t max,
                     deadline until) {
  const std::size_t want = std::clamp<std::size_t>(max, 1, read_chunk);
  const std::size_t old = out.size();
  out.resize(old + want);
  io_outcome r;
  bool done = false;
  s.async_read_some(asio::buffer(out.data() + old, want), [&](const error_code& ec, std::size_t n) {
    r.ec = ec;
    r.bytes = n;
    done = true;
  });
  r.timed_out = !run_until(
      io, until, [&] { return done; }, [&] { cancel_quietly(s); });
  out.resize(old + r.bytes);
  if (r.bytes > 0) {
    r.timed_out = false;
    r.ec = {};
  }
  return r;
}

/// async_write of all of `bytes` with a deadline; `bytes` counts what was written.
template <class Stream>
io_outcome write_all(asio::io_context& io, Stream& s, std::string_view bytes, deadline until) {
  io_outcome r;
  bool done = false;
  asio::async_write(s, asio::buffer(bytes.data(), bytes.size()),
                    [&](const error_code& ec, std::size_t n) {
                      r.ec = ec;
                      r.bytes = n;
                      done = true;
                    });
  r.timed_out = !run_until(
      io, until, [&] { return done; }, [&] { cancel_quietly(s); });
  if (r.bytes == bytes.size()) {
    r.timed_out = false;
    r.ec = {};
  }
  return r;
}

/// A file descriptor closed on destruction.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  ~unique_fd() { reset(); }
  unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
  unique_fd& operator=(unique_fd&& o) noexcept {
    if (this != &o) reset(o.release());
    return *this;
  }
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// "Input/output error (EIO)": the system message with the errno name people search for.
std::string os_message(const error_code& ec);

}  // namespace bcconform::transport::detail
