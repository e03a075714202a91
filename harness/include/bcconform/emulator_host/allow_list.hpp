// Where the emulator may send traffic. bcemu executes the module's connects, datagrams, pings,
// NTP queries and DNS queries on the host's real network; by default only loopback is
// reachable so that no test and no fuzzing campaign ever touches another machine by accident.
// `--allow CIDR` widens the list explicitly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

#include "bcconform/protocol/result.hpp"

namespace bcconform::emulator_host {

/// One network: an address and a prefix length (IPv4 or IPv6).
struct cidr {
  boost::asio::ip::address network;
  unsigned prefix = 0;
  friend bool operator==(const cidr&, const cidr&) = default;
};

/// Parses "a.b.c.d/n", "x::y/n", or a bare address (a host route: /32 or /128).
/// IPv4-mapped IPv6 addresses are not normalised here; permits() normalises the tested address.
protocol::result<cidr> parse_cidr(std::string_view text);

class allow_list {
 public:
  /// Loopback only: 127.0.0.0/8 and ::1.
  static allow_list loopback_only();

  void add(const cidr& c) { ranges_.push_back(c); }
  /// True when `a` lies in one of the ranges. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is
  /// tested as the IPv4 address it carries.
  bool permits(const boost::asio::ip::address& a) const;
  /// The ranges as text, for messages ("127.0.0.0/8, ::1/128").
  std::string describe() const;

 private:
  std::vector<cidr> ranges_;
};

}  // namespace bcconform::emulator_host
