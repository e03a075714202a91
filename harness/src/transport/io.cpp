#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "detail.hpp"

namespace bcconform::transport::detail {

bool run_until(asio::io_context& io, deadline until, const std::function<bool()>& done,
               const std::function<void()>& cancel) {
  io.restart();
  asio::steady_timer timer(io, until);
  bool expired = false;
  timer.async_wait([&](const error_code& ec) { expired = !ec; });
  while (!done() && !expired && io.run_one() > 0) {
  }
  const bool finished = done();
  timer.cancel();
  cancel();
  // The cancelled handlers refer to the caller's stack: they must run before it returns.
  io.restart();
  io.run();
  return finished;
}

void unique_fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

std::string os_message(const error_code& ec) {
  std::string text = ec.message();
  if (ec.category() == boost::system::system_category()) {
    if (const char* name = ::strerrorname_np(ec.value())) text += std::string(" (") + name + ")";
  }
  return text;
}

}  // namespace bcconform::transport::detail
