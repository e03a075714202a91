// A DNS server for the AT+QIDNSGIP cases (AN 2.1.10): answers A queries over UDP from a map of
// names to IPv4 addresses with a configured TTL, NXDOMAIN for names it does not know.
//
// The decision is a pure function, dns_reply(), so it is tested without sockets; the responder
// runs it on the host's thread for every datagram. Hostile input never crashes it: a packet too
// short to carry a header or marked as a response is ignored, any other malformed query gets
// FORMERR (RFC 1035 §4.1.1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/peer/dns_message.hpp"
#include "bcconform/peer/error.hpp"
#include "bcconform/peer/host.hpp"

namespace bcconform::peer {

namespace detail {
class udp_responder_core;
struct dns_state;
}  // namespace detail

/// What the responder does with a well-formed query; the others let tests provoke the
/// module's DNS error paths (AN chapter 3: 565 "DNS parse failed", 569 "Operation timeout").
enum class dns_behaviour {
  answer,          ///< A records from the zone, NXDOMAIN for unknown names
  drop,            ///< no reply at all
  server_failure,  ///< RCODE 2
  refused,         ///< RCODE 5
};

/// Names (compared case-insensitively, final dot optional) to IPv4 addresses.
class dns_zone {
 public:
  using address = std::array<std::uint8_t, 4>;

  /// Replaces the addresses of `name`. An empty list makes the name exist without A records
  /// (NOERROR, no answers). bad_address for a non-IPv4 entry; too_large if the reply would
  /// not fit in 512 bytes; malformed/too_large for a name that cannot be encoded.
  result<void> set(std::string_view name, const std::vector<std::string>& ipv4_addresses);
  void erase(std::string_view name);
  /// nullptr if the name is unknown.
  const std::vector<address>* find(std::string_view name) const;

  std::uint32_t ttl = 300;  ///< seconds, copied into every answer (AT+QIDNSGIP's <dns_ttl>)

 private:
  std::map<std::string, std::vector<address>> names_;
};

struct dns_outcome {
  std::optional<std::string> reply;       ///< the datagram to send back; none: stay silent
  std::optional<dns::question> question;  ///< the question, if the query was well-formed
};

/// The responder's decision for one received datagram.
dns_outcome dns_reply(std::string_view request, const dns_zone& zone, dns_behaviour behaviour);

struct dns_options {
  std::string bind_address = default_bind_address;
  std::uint16_t port = 0;  ///< 0: an ephemeral port, see dns_responder::port()
  std::uint32_t ttl = 300;
};

/// Move-only; destroying it closes the socket. All calls are thread-safe.
class dns_responder {
 public:
  static result<dns_responder> start(host& h, const dns_options& options = {});
  dns_responder() = default;
  ~dns_responder();
  dns_responder(dns_responder&&) noexcept;
  dns_responder& operator=(dns_responder&&) noexcept;

  std::uint16_t port() const;
  endpoint local_endpoint() const;

  result<void> set_record(std::string_view name, const std::vector<std::string>& ipv4_addresses);
  void remove_record(std::string_view name);
  void set_ttl(std::uint32_t seconds);
  void set_behaviour(dns_behaviour b);

  std::vector<dns::question> questions() const;  ///< every well-formed question, in order
  std::size_t datagrams() const;                 ///< datagrams received
  std::size_t replies() const;                   ///< replies sent
  std::size_t ignored() const;                   ///< datagrams left unanswered
  /// Waits until `count` datagrams in all have been handled (answered or not): the way to
  /// know that the module's query arrived.
  result<void> wait_for_datagrams(std::size_t count, deadline until) const;
  void close();

 private:
  dns_responder(std::shared_ptr<detail::udp_responder_core> core,
                std::shared_ptr<detail::dns_state> state);
  std::shared_ptr<detail::udp_responder_core> core_;  // the socket and the counts
  std::shared_ptr<detail::dns_state> state_;          // what the reply function reads and records
};

}  // namespace bcconform::peer
