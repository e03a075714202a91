// Minimal loopback DNS (RFC 1035, A records) and SNTP (RFC 4330) responders for the backend
// tests, served from the test's own io_context.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/ip/udp.hpp>

#include "bcconform/emulator_host/sntp.hpp"

namespace bcconform::emulator_host::testing {

namespace asio = boost::asio;
using udp = asio::ip::udp;

/// Answers A queries from `records`; NXDOMAIN for other names; silent when `mute`.
class dns_responder {
 public:
  explicit dns_responder(asio::io_context& io)
      : sock_(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    receive();
  }
  std::uint16_t port() const { return sock_.local_endpoint().port(); }
  std::map<std::string, std::vector<std::array<unsigned char, 4>>> records;
  std::uint32_t ttl = 300;
  bool mute = false;
  int queries = 0;

 private:
  void receive() {
    sock_.async_receive_from(asio::buffer(buf_), from_, [this](auto ec, std::size_t n) {
      if (ec) return;
      ++queries;
      if (!mute) answer(n);
      receive();
    });
  }

  void answer(std::size_t n) {
    if (n < 17) return;
    std::string name;
    std::size_t at = 12;
    while (at < n && buf_[at] != 0) {
      const std::size_t len = buf_[at];
      if (!name.empty()) name += '.';
      name.append(reinterpret_cast<const char*>(&buf_[at + 1]), len);
      at += len + 1;
    }
    const std::size_t question_end = at + 5;  // zero label, QTYPE, QCLASS
    if (question_end > n) return;
    const auto it = records.find(name);
    std::vector<unsigned char> out(buf_.begin(), buf_.begin() + static_cast<long>(question_end));
    out[2] = 0x81;                               // QR, RD
    out[3] = it == records.end() ? 0x83 : 0x80;  // RA, RCODE 3 (NXDOMAIN) or 0
    out[4] = 0, out[5] = 1;                      // QDCOUNT
    const std::size_t answers = it == records.end() ? 0 : it->second.size();
    out[6] = 0, out[7] = static_cast<unsigned char>(answers);
    out[8] = out[9] = out[10] = out[11] = 0;
    for (std::size_t i = 0; i < answers; ++i) {
      const unsigned char rr[] = {0xC0,
                                  0x0C,
                                  0,
                                  1,
                                  0,
                                  1,
                                  static_cast<unsigned char>(ttl >> 24),
                                  static_cast<unsigned char>(ttl >> 16),
                                  static_cast<unsigned char>(ttl >> 8),
                                  static_cast<unsigned char>(ttl),
                                  0,
                                  4};
      out.insert(out.end(), std::begin(rr), std::end(rr));
      out.insert(out.end(), it->second[i].begin(), it->second[i].end());
    }
    sock_.send_to(asio::buffer(out), from_);
  }

  udp::socket sock_;
  udp::endpoint from_;
  std::array<unsigned char, 512> buf_{};
};

/// Answers SNTP requests with `unix_seconds` as the server's transmit time.
class sntp_responder {
 public:
  explicit sntp_responder(asio::io_context& io)
      : sock_(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    receive();
  }
  std::uint16_t port() const { return sock_.local_endpoint().port(); }
  std::int64_t unix_seconds = 1524222500;  // 2018-04-20 11:08:20 UTC (AN 4.7's date)
  unsigned char stratum = 1;
  bool mute = false;
  bool send_stale_first = false;  ///< reply once with a wrong originate before the real one

 private:
  void receive() {
    sock_.async_receive_from(asio::buffer(buf_), from_, [this](auto ec, std::size_t n) {
      if (ec) return;
      if (!mute && n >= sntp_packet_size) reply();
      receive();
    });
  }

  void reply() {
    std::array<unsigned char, sntp_packet_size> out{};
    out[0] = (0u << 6) | (4u << 3) | 4u;  // LI 0, VN 4, mode 4 (server)
    out[1] = stratum;
    std::copy(buf_.begin() + 40, buf_.begin() + 48, out.begin() + 24);  // originate
    const auto t = unix_to_ntp(unix_seconds);
    for (int i = 0; i < 4; ++i) {
      out[40 + i] = static_cast<unsigned char>(t.seconds >> (24 - 8 * i));
      out[32 + i] = out[40 + i];  // receive timestamp
    }
    if (send_stale_first) {
      auto stale = out;
      stale[31] ^= 0xFF;
      sock_.send_to(asio::buffer(stale), from_);
    }
    sock_.send_to(asio::buffer(out), from_);
  }

  udp::socket sock_;
  udp::endpoint from_;
  std::array<unsigned char, 512> buf_{};
};

}  // namespace bcconform::emulator_host::testing
