// The io_context and its thread behind peer::host, and small helpers shared by the peer
// sources. Internal: only harness/src/peer includes it.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <utility>

#include "bcconform/peer/error.hpp"

namespace bcconform::peer::detail {

namespace asio = boost::asio;

class host_core {
 public:
  host_core();
  ~host_core();
  host_core(const host_core&) = delete;
  host_core& operator=(const host_core&) = delete;

  asio::io_context& io() noexcept { return io_; }

  /// Runs `f` on the host's thread and returns its result. The thread never blocks, so this
  /// returns promptly; called from the host's thread itself, it runs `f` inline.
  template <class F>
  std::invoke_result_t<F&> call(F&& f) {
    if (std::this_thread::get_id() == thread_id_) return f();
    std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(f));
    auto done = task.get_future();
    asio::post(io_, [&task] { task(); });
    return done.get();
  }

  /// Public peer objects alive on this host; checked when the host goes away.
  std::atomic<long> live_objects{0};

 private:
  void run() noexcept;

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
  std::thread::id thread_id_;
};

/// Bytes as a C-style escaped string for diagnostics, cut to `max` bytes ("...(+N)").
std::string printable(std::string_view bytes, std::size_t max = 96);

/// Maps an Asio error to a peer error, naming the operation in the detail.
error from_asio(const boost::system::error_code& ec, std::string_view what);

/// Parses a numeric address; bad_address (never a lookup) otherwise.
result<asio::ip::address> parse_address(std::string_view text);

template <class Endpoint>
endpoint to_endpoint(const Endpoint& ep) {
  return {ep.address().to_string(), ep.port()};
}

}  // namespace bcconform::peer::detail
