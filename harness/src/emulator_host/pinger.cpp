#include "pinger.hpp"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace bcconform::emulator_host {

std::string_view to_string(ping_method m) noexcept {
  switch (m) {
    case ping_method::icmp_datagram:
      return "ICMP datagram socket";
    case ping_method::icmp_raw:
      return "raw ICMP socket";
    case ping_method::simulated:
      return "simulated";
  }
  return "simulated";
}

ping_method probe_ping_method() {
  // Linux grants SOCK_DGRAM/IPPROTO_ICMP to the groups in /proc/sys/net/ipv4/ping_group_range;
  // trying the socket answers that question exactly (and covers other kernels' rules too).
  for (auto [type, method] : {std::pair{SOCK_DGRAM, ping_method::icmp_datagram},
                              std::pair{SOCK_RAW, ping_method::icmp_raw}}) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (fd >= 0) {
      ::close(fd);
      return method;
    }
  }
  return ping_method::simulated;
}

}  // namespace bcconform::emulator_host

namespace bcconform::emulator_host::detail {
namespace {

namespace asio = boost::asio;
using clock = std::chrono::steady_clock;

constexpr unsigned char icmp_echo_request = 8;
constexpr unsigned char icmp_echo_reply = 0;
constexpr int simulated_ttl = 64;

std::uint16_t get16(const unsigned char* p) {
  return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}

}  // namespace

std::uint16_t icmp_checksum(const unsigned char* data, std::size_t size) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i + 1 < size; i += 2) sum += get16(data + i);
  if (size % 2 != 0) sum += static_cast<std::uint32_t>(data[size - 1]) << 8;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

struct pinger::probe : std::enable_shared_from_this<probe> {
  probe(asio::io_context& io, std::function<void(const ping_outcome&)> cb)
      : fd(io), deadline(io), done(std::move(cb)) {}

  asio::posix::stream_descriptor fd;
  asio::steady_timer deadline;
  std::function<void(const ping_outcome&)> done;
  bool raw = false;
  std::uint16_t id = 0, seq = 0;
  asio::ip::address_v4 target;
  int size = 0;
  clock::time_point sent_at;

  void finish(const ping_outcome& o) {
    if (!done) return;
    auto cb = std::move(done);
    done = nullptr;
    deadline.cancel();
    boost::system::error_code ignored;
    fd.close(ignored);
    cb(o);
  }

  void abandon() {
    done = nullptr;
    deadline.cancel();
    boost::system::error_code ignored;
    fd.close(ignored);
  }

  bool send() {
    std::vector<unsigned char> msg(8 + static_cast<std::size_t>(size));
    msg[0] = icmp_echo_request;
    msg[4] = static_cast<unsigned char>(id >> 8);
    msg[5] = static_cast<unsigned char>(id);
    msg[6] = static_cast<unsigned char>(seq >> 8);
    msg[7] = static_cast<unsigned char>(seq);
    for (std::size_t i = 8; i < msg.size(); ++i) msg[i] = static_cast<unsigned char>(i);
    const auto sum = icmp_checksum(msg.data(), msg.size());
    msg[2] = static_cast<unsigned char>(sum >> 8);
    msg[3] = static_cast<unsigned char>(sum);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    const auto bytes = target.to_bytes();
    std::memcpy(&to.sin_addr, bytes.data(), 4);
    sent_at = clock::now();
    return ::sendto(fd.native_handle(), msg.data(), msg.size(), 0,
                    reinterpret_cast<const sockaddr*>(&to), sizeof to) >= 0;
  }

  void wait() {
    fd.async_wait(asio::posix::stream_descriptor::wait_read,
                  [self = shared_from_this()](const boost::system::error_code& ec) {
                    if (ec || !self->done) return;
                    self->drain();
                    if (self->done) self->wait();
                  });
  }

  // Reads every queued message; a matching echo reply finishes the probe.
  void drain() {
    unsigned char buf[1600];
    char control[64];
    for (;;) {
      iovec iov{buf, sizeof buf};
      msghdr m{};
      m.msg_iov = &iov;
      m.msg_iovlen = 1;
      m.msg_control = control;
      m.msg_controllen = sizeof control;
      const auto n = ::recvmsg(fd.native_handle(), &m, MSG_DONTWAIT);
      if (n < 0) return;
      if (auto o = match(buf, static_cast<std::size_t>(n), m)) {
        finish(*o);
        return;
      }
    }
  }

  std::optional<ping_outcome> match(const unsigned char* p, std::size_t n, msghdr& m) const {
    int ttl = 0;
    if (raw) {
      // A raw socket sees the IP header and every ICMP message the host receives.
      if (n < 20) return std::nullopt;
      const std::size_t ihl = static_cast<std::size_t>(p[0] & 0x0F) * 4;
      if (n < ihl + 8 || std::memcmp(p + 12, target.to_bytes().data(), 4) != 0) {
        return std::nullopt;
      }
      ttl = p[8];
      p += ihl;
      n -= ihl;
      if (get16(p + 4) != id) return std::nullopt;
    } else {
      // The kernel already filtered by our socket's identifier; the TTL comes as IP_TTL.
      for (auto* c = CMSG_FIRSTHDR(&m); c != nullptr; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
          std::memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
        }
      }
    }
    if (n < 8 || p[0] != icmp_echo_reply || get16(p + 6) != seq) return std::nullopt;
    ping_outcome o;
    o.rtt = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - sent_at);
    o.ttl = ttl;
    o.bytes = size;
    return o;
  }
};

pinger::~pinger() {
  cancel_all();
}

void pinger::cancel_all() {
  for (auto& p : active_) p->abandon();
  active_.clear();
}

void pinger::ping(const asio::ip::address_v4& target, int size,
                  std::chrono::milliseconds real_timeout,
                  std::function<void(const ping_outcome&)> done) {
  std::erase_if(active_, [](const auto& p) { return !p->done; });
  auto p = std::make_shared<probe>(io_, std::move(done));
  active_.push_back(p);
  p->target = target;
  p->size = size;
  p->seq = ++sequence_;
  p->id = static_cast<std::uint16_t>(::getpid() ^ (sequence_ << 8));
  if (method_ == ping_method::simulated) {
    // No ICMP socket on this host: a labelled stand-in reply (the caller logs it).
    asio::post(io_, [p] {
      p->finish({0, std::chrono::milliseconds(1), simulated_ttl, p->size, true});
    });
    return;
  }
  p->raw = method_ == ping_method::icmp_raw;
  const int fd = ::socket(AF_INET, (p->raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_CLOEXEC | SOCK_NONBLOCK,
                          IPPROTO_ICMP);
  if (fd < 0) {
    asio::post(io_, [p] { p->finish({net_error::ping_tcpip_error}); });
    return;
  }
  p->fd.assign(fd);
  const int on = 1;
  if (!p->raw) ::setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on, sizeof on);
  if (!p->send()) {
    asio::post(io_, [p] { p->finish({net_error::ping_tcpip_error}); });
    return;
  }
  p->deadline.expires_after(real_timeout);
  p->deadline.async_wait([w = std::weak_ptr(p)](const boost::system::error_code& ec) {
    if (auto self = w.lock(); self && !ec) self->finish({net_error::ping_timeout});
  });
  p->wait();
}

}  // namespace bcconform::emulator_host::detail
