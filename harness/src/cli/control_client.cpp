#include "control_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace bcconform::cli {
namespace {

using steady = std::chrono::steady_clock;

class socket_fd {
 public:
  explicit socket_fd(int fd) : fd_(fd) {}
  ~socket_fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  socket_fd(const socket_fd&) = delete;
  socket_fd& operator=(const socket_fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

constexpr std::size_t max_reply = 4096;  // bcemu's replies are one short line

// Waits for `events` on `fd` until `until`; false on timeout or error (errno-like text set).
bool wait_for(int fd, short events, steady::time_point until, std::string& error) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - steady::now()).count();
    if (left <= 0) {
      error = "timed out";
      return false;
    }
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) {
      error = std::strerror(errno);
      return false;
    }
  }
}

bool connect_to(int fd, const std::string& path, steady::time_point until, std::string& error) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    error = "socket path too long";
    return false;
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) return true;
  if (errno != EINPROGRESS && errno != EAGAIN) {
    error = std::strerror(errno);
    return false;
  }
  if (!wait_for(fd, POLLOUT, until, error)) return false;
  int so_error = 0;
  socklen_t len = sizeof(so_error);
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
  if (so_error != 0) error = std::strerror(so_error);
  return so_error == 0;
}

bool send_all(int fd, std::string_view bytes, steady::time_point until, std::string& error) {
  while (!bytes.empty()) {
    if (!wait_for(fd, POLLOUT, until, error)) return false;
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      error = std::strerror(errno);
      return false;
    }
    if (n > 0) bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool read_line(int fd, steady::time_point until, std::string& reply, std::string& error) {
  reply.clear();
  char buffer[512];
  while (true) {
    if (!wait_for(fd, POLLIN, until, error)) return false;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n == 0) {
      error = "the control channel closed without a reply";
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      error = std::strerror(errno);
      return false;
    }
    reply.append(buffer, static_cast<std::size_t>(n));
    if (const auto nl = reply.find('\n'); nl != std::string::npos) {
      reply.resize(nl);
      if (!reply.empty() && reply.back() == '\r') reply.pop_back();
      return true;
    }
    if (reply.size() > max_reply) {
      error = "reply longer than " + std::to_string(max_reply) + " bytes";
      return false;
    }
  }
}

}  // namespace

bool control_exchange(const std::string& socket_path, const std::string& line,
                      std::chrono::milliseconds timeout, std::string& reply, std::string& error) {
  const auto until = steady::now() + timeout;
  const socket_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  bool ok = fd.get() >= 0;
  if (!ok) error = std::strerror(errno);
  ok = ok && connect_to(fd.get(), socket_path, until, error) &&
       send_all(fd.get(), line + "\n", until, error) && read_line(fd.get(), until, reply, error);
  if (!ok) error = "control channel " + socket_path + ": " + error;
  return ok;
}

}  // namespace bcconform::cli
