// Plain BSD-socket ends for the peer tests: the code under test is Asio; the other side of each
// test is deliberately not, so both sides cannot share a mistake.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace bcconform::peer::testing {

/// An owned file descriptor.
class fd {
 public:
  explicit fd(int v = -1) : v_(v) {}
  ~fd() {
    if (v_ >= 0) ::close(v_);
  }
  fd(fd&& o) noexcept : v_(o.v_) { o.v_ = -1; }
  fd& operator=(fd&& o) noexcept {
    std::swap(v_, o.v_);
    return *this;
  }
  int get() const { return v_; }
  int release() { return std::exchange(v_, -1); }

 private:
  int v_;
};

inline sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

inline std::uint16_t local_port(int s) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

/// A blocking TCP client connected to 127.0.0.1:port (-1 inside on failure).
inline fd tcp_connect_to(std::uint16_t port) {
  fd s(::socket(AF_INET, SOCK_STREAM, 0));
  const auto a = loopback(port);
  if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return fd();
  return s;
}

/// A TCP socket bound to 127.0.0.1:0 and listening with `backlog`.
inline fd tcp_listener(int backlog = 8) {
  fd s(::socket(AF_INET, SOCK_STREAM, 0));
  const auto a = loopback(0);
  ::bind(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
  ::listen(s.get(), backlog);
  return s;
}

/// A UDP socket bound to 127.0.0.1:0.
inline fd udp_socket() {
  fd s(::socket(AF_INET, SOCK_DGRAM, 0));
  const auto a = loopback(0);
  ::bind(s.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a);
  return s;
}

inline bool readable(int s, std::chrono::milliseconds within) {
  pollfd p{s, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(within.count())) == 1;
}

inline bool send_all(int s, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(s, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

/// Reads until `n` bytes came, the stream ended, or nothing arrived for `quiet`.
inline std::string recv_up_to(int s, std::size_t n,
                              std::chrono::milliseconds quiet = std::chrono::seconds(5)) {
  std::string out;
  char buffer[4096];
  while (out.size() < n && readable(s, quiet)) {
    const auto got = ::recv(s, buffer, std::min(sizeof buffer, n - out.size()), 0);
    if (got <= 0) break;
    out.append(buffer, static_cast<std::size_t>(got));
  }
  return out;
}

inline bool send_datagram(int s, std::string_view bytes, std::uint16_t port) {
  const auto a = loopback(port);
  return ::sendto(s, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&a),
                  sizeof a) == static_cast<ssize_t>(bytes.size());
}

/// One datagram, or nullopt-like empty + false when none came within `within`.
inline bool recv_datagram(int s, std::string& out,
                          std::chrono::milliseconds within = std::chrono::seconds(5)) {
  if (!readable(s, within)) return false;
  char buffer[65536];
  const auto got = ::recv(s, buffer, sizeof buffer, 0);
  if (got < 0) return false;
  out.assign(buffer, static_cast<std::size_t>(got));
  return true;
}

}  // namespace bcconform::peer::testing
