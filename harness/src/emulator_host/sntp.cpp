#include "bcconform/emulator_host/sntp.hpp"

namespace bcconform::emulator_host {
namespace {

// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (RFC 4330 §3).
constexpr std::int64_t ntp_unix_offset = 2208988800LL;
constexpr std::int64_t era_length = std::int64_t{1} << 32;

void put32(std::uint8_t* p, std::uint32_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

std::uint32_t get32(std::string_view b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

ntp_timestamp get_timestamp(std::string_view b, std::size_t at) {
  return {get32(b, at), get32(b, at + 4)};
}

// Field offsets, RFC 4330 §4.
constexpr std::size_t originate_at = 24;
constexpr std::size_t transmit_at = 40;

}  // namespace

std::array<std::uint8_t, sntp_packet_size> make_sntp_request(ntp_timestamp transmit) {
  std::array<std::uint8_t, sntp_packet_size> p{};
  p[0] = (0u << 6) | (4u << 3) | 3u;  // LI 0, VN 4, mode 3 (client)
  put32(p.data() + transmit_at, transmit.seconds);
  put32(p.data() + transmit_at + 4, transmit.fraction);
  return p;
}

std::string_view to_string(sntp_error e) noexcept {
  switch (e) {
    case sntp_error::short_packet:
      return "reply shorter than 48 bytes";
    case sntp_error::wrong_mode:
      return "reply is not in server mode";
    case sntp_error::wrong_version:
      return "reply has an unknown version";
    case sntp_error::kiss_of_death:
      return "kiss-o'-death (stratum 0)";
    case sntp_error::bad_stratum:
      return "stratum above 15";
    case sntp_error::not_our_request:
      return "originate timestamp does not match the request";
    case sntp_error::no_time:
      return "transmit timestamp is zero";
    case sntp_error::unsynchronised:
      return "server clock not synchronised (LI 3)";
  }
  return "unknown";
}

sntp_reply parse_sntp_reply(std::string_view b, ntp_timestamp sent) {
  sntp_reply r;
  if (b.size() < sntp_packet_size) {
    r.error = sntp_error::short_packet;
    return r;
  }
  const auto first = static_cast<unsigned char>(b[0]);
  const unsigned li = first >> 6, vn = (first >> 3) & 7u, mode = first & 7u;
  const auto stratum = static_cast<unsigned char>(b[1]);
  r.transmit = get_timestamp(b, transmit_at);
  if (mode != 4 && mode != 5) {
    r.error = sntp_error::wrong_mode;
  } else if (vn < 1 || vn > 4) {
    r.error = sntp_error::wrong_version;
  } else if (stratum == 0) {
    r.error = sntp_error::kiss_of_death;
  } else if (stratum > 15) {
    r.error = sntp_error::bad_stratum;
  } else if (li == 3) {
    r.error = sntp_error::unsynchronised;
  } else if (mode == 4 && get_timestamp(b, originate_at) != sent) {
    r.error = sntp_error::not_our_request;
  } else if (r.transmit == ntp_timestamp{}) {
    r.error = sntp_error::no_time;
  }
  r.unix_seconds = ntp_to_unix_seconds(r.transmit.seconds);
  return r;
}

std::int64_t ntp_to_unix_seconds(std::uint32_t ntp_seconds) noexcept {
  const bool era1 = (ntp_seconds & 0x80000000u) == 0;
  return static_cast<std::int64_t>(ntp_seconds) + (era1 ? era_length : 0) - ntp_unix_offset;
}

ntp_timestamp unix_to_ntp(std::int64_t unix_seconds, std::uint32_t fraction) noexcept {
  const std::int64_t ntp = unix_seconds + ntp_unix_offset;
  return {static_cast<std::uint32_t>(ntp % era_length), fraction};
}

}  // namespace bcconform::emulator_host
