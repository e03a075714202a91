// Internal: one ICMP echo per call (AT+QPING sends its <ping_num> requests one by one, so the
// interpreter asks for them one at a time).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>

#include "bcconform/emulator_host/net_backend.hpp"

namespace bcconform::emulator_host::detail {

struct ping_outcome {
  int error = 0;  ///< 0, or AN 3 table 2: 1 timeout, 3 socket error
  std::chrono::milliseconds rtt{0};
  int ttl = 0;
  int bytes = 0;
  bool simulated = false;
};

class pinger {
 public:
  pinger(boost::asio::io_context& io, ping_method method) : io_(io), method_(method) {}
  ~pinger();
  pinger(const pinger&) = delete;
  pinger& operator=(const pinger&) = delete;

  /// `done` is called once from the io_context unless cancel_all() comes first.
  void ping(const boost::asio::ip::address_v4& target, int size,
            std::chrono::milliseconds real_timeout, std::function<void(const ping_outcome&)> done);
  void cancel_all();

  struct probe;

 private:
  boost::asio::io_context& io_;
  ping_method method_;
  std::uint16_t sequence_ = 0;
  std::vector<std::shared_ptr<probe>> active_;
};

/// The Internet checksum (RFC 1071) of an ICMP message.
std::uint16_t icmp_checksum(const unsigned char* data, std::size_t size);

}  // namespace bcconform::emulator_host::detail
