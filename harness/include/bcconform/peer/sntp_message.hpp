// The NTP/SNTP packet (RFC 4330 §4) and timestamp conversions, for the SNTP responder and for
// tests that decode its answers. Sans-I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bcconform/peer/error.hpp"

namespace bcconform::peer::sntp {

inline constexpr std::size_t packet_size = 48;  ///< RFC 4330 §4, without key identifier/digest
/// Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01).
inline constexpr std::uint32_t unix_epoch_offset = 2208988800u;

/// RFC 4330 §4 Mode field.
inline constexpr std::uint8_t mode_symmetric_active = 1;
inline constexpr std::uint8_t mode_client = 3;
inline constexpr std::uint8_t mode_server = 4;

/// 64-bit NTP timestamp: seconds since 1900 (modulo 2^32) and a binary fraction.
struct timestamp {
  std::uint32_t seconds = 0;
  std::uint32_t fraction = 0;
  friend bool operator==(const timestamp&, const timestamp&) = default;
};

/// Wraps into the 32-bit seconds field; times from 2036-02-07 on land in era 1 (RFC 4330 §3).
timestamp to_ntp(std::chrono::system_clock::time_point t);
/// RFC 4330 §3: a seconds value with its top bit set is in 1968–2036, otherwise 2036–2104.
std::chrono::system_clock::time_point from_ntp(timestamp ts);

struct packet {
  std::uint8_t leap = 0;  ///< LI, 2 bits
  std::uint8_t version = 4;
  std::uint8_t mode = mode_client;
  std::uint8_t stratum = 0;
  std::int8_t poll = 0;
  std::int8_t precision = 0;
  std::uint32_t root_delay = 0;       ///< 16.16 fixed point seconds
  std::uint32_t root_dispersion = 0;  ///< 16.16 fixed point seconds
  std::uint32_t reference_id = 0;
  timestamp reference;
  timestamp originate;
  timestamp receive;
  timestamp transmit;
  friend bool operator==(const packet&, const packet&) = default;
};

/// malformed if shorter than 48 bytes; extension fields and an authenticator are ignored.
result<packet> decode(std::string_view wire);
/// Always 48 bytes.
std::string encode(const packet& p);

/// A reference identifier from up to four ASCII characters ("LOCL", "RATE"), NUL-padded.
std::uint32_t reference_id(std::string_view ascii);

}  // namespace bcconform::peer::sntp
