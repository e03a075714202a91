// SNTP (RFC 4330) client messages, as bcemu's AT+QNTP sends and checks them (AN 2.1.9). Pure
// functions: the network side lives in net_backend.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bcconform::emulator_host {

/// An NTP timestamp: seconds since 1900-01-01 and a binary fraction (RFC 4330 §3).
struct ntp_timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  friend bool operator==(const ntp_timestamp&, const ntp_timestamp&) = default;
};

inline constexpr std::size_t sntp_packet_size = 48;

/// A client request (RFC 4330 §5): LI 0, VN 4, mode 3, and `transmit` in the Transmit
/// Timestamp field, which the server copies to Originate so the reply can be matched.
std::array<std::uint8_t, sntp_packet_size> make_sntp_request(ntp_timestamp transmit);

enum class sntp_error : std::uint8_t {
  short_packet,     ///< fewer than 48 bytes
  wrong_mode,       ///< not a server (4) or broadcast (5) reply
  wrong_version,    ///< VN outside 1-4
  kiss_of_death,    ///< stratum 0 (RFC 4330 §8): the server refuses to answer
  bad_stratum,      ///< stratum above 15
  not_our_request,  ///< Originate differs from our Transmit (RFC 4330 §5)
  no_time,          ///< Transmit Timestamp zero
  unsynchronised,   ///< LI 3: the server's clock is not synchronised
};

std::string_view to_string(sntp_error e) noexcept;

struct sntp_reply {
  std::optional<sntp_error> error;
  ntp_timestamp transmit;         ///< server's Transmit Timestamp
  std::int64_t unix_seconds = 0;  ///< transmit converted to the Unix epoch (RFC 4330 §3 eras)
};

/// Checks a reply against the request whose transmit timestamp was `sent`.
sntp_reply parse_sntp_reply(std::string_view bytes, ntp_timestamp sent);

/// RFC 4330 §3: an NTP seconds value with the top bit clear lies in 2036-2104 (era 1).
std::int64_t ntp_to_unix_seconds(std::uint32_t ntp_seconds) noexcept;
ntp_timestamp unix_to_ntp(std::int64_t unix_seconds, std::uint32_t fraction = 0) noexcept;

}  // namespace bcconform::emulator_host
