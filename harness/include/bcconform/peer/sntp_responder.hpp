// An SNTP server for the AT+QNTP cases: answers NTPv4 client requests (RFC 4330 §5) with a
// configured time, so a test knows exactly which time the module will report.
//
// The decision is a pure function, sntp_reply(); the responder runs it on the host's thread for
// every datagram. Anything that is not a client request of versions 1–4 at least 48 bytes long
// is ignored and counted.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bcconform/peer/error.hpp"
#include "bcconform/peer/host.hpp"

namespace bcconform::peer {

namespace detail {
class udp_responder_core;
struct sntp_state;
}  // namespace detail

enum class sntp_behaviour {
  answer,         ///< a server reply carrying the configured time
  drop,           ///< no reply (the module's NTP timeout path)
  kiss_of_death,  ///< stratum 0, reference id "RATE" (RFC 4330 §8): the client must not use it
};

/// 2024-01-01 00:00:00 UTC: the responder's default time, chosen so that a test that forgets
/// to set one still gets a fixed, recognisable answer.
inline constexpr std::chrono::seconds default_sntp_time{1704067200};

struct sntp_settings {
  std::chrono::system_clock::time_point time{default_sntp_time};
  std::uint8_t stratum = 1;
  sntp_behaviour behaviour = sntp_behaviour::answer;
};

/// The reply to one datagram, or nothing.
std::optional<std::string> sntp_reply(std::string_view request, const sntp_settings& settings);

struct sntp_options {
  std::string bind_address = default_bind_address;
  std::uint16_t port = 0;  ///< 0: an ephemeral port, see sntp_responder::port()
  sntp_settings settings;
};

/// Move-only; destroying it closes the socket. All calls are thread-safe.
class sntp_responder {
 public:
  static result<sntp_responder> start(host& h, const sntp_options& options = {});
  sntp_responder() = default;
  ~sntp_responder();
  sntp_responder(sntp_responder&&) noexcept;
  sntp_responder& operator=(sntp_responder&&) noexcept;

  std::uint16_t port() const;
  endpoint local_endpoint() const;

  /// The time every later reply carries (receive and transmit timestamps).
  void set_time(std::chrono::system_clock::time_point t);
  void set_behaviour(sntp_behaviour b);

  std::size_t requests() const;  ///< well-formed client requests received
  std::size_t replies() const;   ///< replies sent
  std::size_t ignored() const;   ///< datagrams that were not client requests
  /// Waits until `count` client requests in all have been handled (answered or not).
  result<void> wait_for_requests(std::size_t count, deadline until) const;
  void close();

 private:
  sntp_responder(std::shared_ptr<detail::udp_responder_core> core,
                 std::shared_ptr<detail::sntp_state> state);
  std::shared_ptr<detail::udp_responder_core> core_;  // the socket and the counts
  std::shared_ptr<detail::sntp_state> state_;         // what the reply function reads
};

}  // namespace bcconform::peer
