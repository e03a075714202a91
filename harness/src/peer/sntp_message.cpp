// RFC 4330 §3 (timestamps, eras) and §4 (packet layout).
#include "bcconform/peer/sntp_message.hpp"

namespace bcconform::peer::sntp {
namespace {

constexpr std::uint64_t nanos_per_second = 1'000'000'000;

std::uint32_t get32(std::string_view wire, std::size_t at) {
  return std::uint32_t{static_cast<unsigned char>(wire[at])} << 24 |
         std::uint32_t{static_cast<unsigned char>(wire[at + 1])} << 16 |
         std::uint32_t{static_cast<unsigned char>(wire[at + 2])} << 8 |
         std::uint32_t{static_cast<unsigned char>(wire[at + 3])};
}

timestamp get_timestamp(std::string_view wire, std::size_t at) {
  return {get32(wire, at), get32(wire, at + 4)};
}

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>(v >> shift & 0xFF);
}

void put_timestamp(std::string& out, timestamp t) {
  put32(out, t.seconds);
  put32(out, t.fraction);
}

}  // namespace

timestamp to_ntp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto since_epoch = duration_cast<nanoseconds>(t.time_since_epoch());
  const auto whole = floor<seconds>(since_epoch);
  const auto nanos = static_cast<std::uint64_t>((since_epoch - whole).count());  // [0, 1e9)
  const auto ntp_seconds = static_cast<std::uint64_t>(whole.count() + unix_epoch_offset);
  return {static_cast<std::uint32_t>(ntp_seconds),  // modulo 2^32: the era wraps (§3)
          static_cast<std::uint32_t>((nanos << 32) / nanos_per_second)};
}

std::chrono::system_clock::time_point from_ntp(timestamp ts) {
  using namespace std::chrono;
  // RFC 4330 §3: top bit set → era 0 (from 1900); clear → era 1 (from 2036-02-07 06:28:16).
  std::int64_t seconds_1900 = ts.seconds;
  if ((ts.seconds & 0x80000000u) == 0) seconds_1900 += std::int64_t{1} << 32;
  const std::int64_t unix_seconds = seconds_1900 - unix_epoch_offset;
  const auto nanos =
      (std::uint64_t{ts.fraction} * nanos_per_second + (std::uint64_t{1} << 31)) >> 32;
  const auto since_epoch = seconds(unix_seconds) + nanoseconds(nanos);
  return system_clock::time_point(duration_cast<system_clock::duration>(since_epoch));
}

result<packet> decode(std::string_view wire) {
  if (wire.size() < packet_size) {
    return make_error(errc::malformed, "SNTP packet of " + std::to_string(wire.size()) +
                                           " bytes, at least 48 expected");
  }
  packet p;
  const auto first = static_cast<unsigned char>(wire[0]);
  p.leap = static_cast<std::uint8_t>(first >> 6);
  p.version = static_cast<std::uint8_t>(first >> 3 & 0x7);
  p.mode = static_cast<std::uint8_t>(first & 0x7);
  p.stratum = static_cast<std::uint8_t>(wire[1]);
  p.poll = static_cast<std::int8_t>(wire[2]);
  p.precision = static_cast<std::int8_t>(wire[3]);
  p.root_delay = get32(wire, 4);
  p.root_dispersion = get32(wire, 8);
  p.reference_id = get32(wire, 12);
  p.reference = get_timestamp(wire, 16);
  p.originate = get_timestamp(wire, 24);
  p.receive = get_timestamp(wire, 32);
  p.transmit = get_timestamp(wire, 40);
  return p;
}

std::string encode(const packet& p) {
  std::string out;
  out.reserve(packet_size);
  out += static_cast<char>((p.leap & 0x3) << 6 | (p.version & 0x7) << 3 | (p.mode & 0x7));
  out += static_cast<char>(p.stratum);
  out += static_cast<char>(p.poll);
  out += static_cast<char>(p.precision);
  put32(out, p.root_delay);
  put32(out, p.root_dispersion);
  put32(out, p.reference_id);
  put_timestamp(out, p.reference);
  put_timestamp(out, p.originate);
  put_timestamp(out, p.receive);
  put_timestamp(out, p.transmit);
  return out;
}

std::uint32_t reference_id(std::string_view ascii) {
  std::uint32_t id = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto c = i < ascii.size() ? static_cast<unsigned char>(ascii[i]) : 0u;
    id = id << 8 | c;
  }
  return id;
}

}  // namespace bcconform::peer::sntp
