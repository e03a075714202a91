// The DNS wire format (RFC 1035 §4), enough for the DNS responder and for tests that hand-build
// queries and decode answers. Sans-I/O and bounded: decode() checks every length against the
// buffer, follows compression pointers only backwards and at most a fixed number of times, and
// returns errc::malformed instead of reading past the end or looping.
//
// Names are in presentation form without the final dot ("www.example.com"; the root is ""), and
// label bytes that would be ambiguous are escaped as RFC 1035 §5.1 does: "\." "\\" and "\DDD".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/peer/error.hpp"

namespace bcconform::peer::dns {

inline constexpr std::uint16_t type_a = 1;
inline constexpr std::uint16_t type_cname = 5;
inline constexpr std::uint16_t type_aaaa = 28;
inline constexpr std::uint16_t type_any = 255;
inline constexpr std::uint16_t class_in = 1;
inline constexpr std::size_t header_size = 12;
inline constexpr std::size_t max_udp_message = 512;  ///< RFC 1035 §4.2.1
inline constexpr std::size_t max_name_wire = 255;    ///< RFC 1035 §2.3.4, with the root byte
inline constexpr std::size_t max_label = 63;         ///< RFC 1035 §2.3.4

/// RFC 1035 §4.1.1 RCODE values.
enum class rcode : std::uint8_t {
  no_error = 0,
  format_error = 1,
  server_failure = 2,
  name_error = 3,  ///< NXDOMAIN
  not_implemented = 4,
  refused = 5,
};

struct question {
  std::string name;
  std::uint16_t type = type_a;
  std::uint16_t cls = class_in;
  friend bool operator==(const question&, const question&) = default;
};

struct record {
  std::string name;
  std::uint16_t type = type_a;
  std::uint16_t cls = class_in;
  std::uint32_t ttl = 0;
  std::string rdata;  ///< raw bytes; for an A record the 4 address bytes
  friend bool operator==(const record&, const record&) = default;
};

/// A whole message. Header flags as in RFC 1035 §4.1.1; the section counts are the sizes of
/// the vectors.
struct message {
  std::uint16_t id = 0;
  bool response = false;  ///< QR
  std::uint8_t opcode = 0;
  bool authoritative = false;        ///< AA
  bool truncated = false;            ///< TC
  bool recursion_desired = false;    ///< RD
  bool recursion_available = false;  ///< RA
  std::uint8_t rcode = 0;            ///< 4 bits; see enum rcode
  std::vector<question> questions;
  std::vector<record> answers;
  std::vector<record> authority;
  std::vector<record> additional;
  friend bool operator==(const message&, const message&) = default;
};

/// Parses a whole message. Bytes after the last record are ignored.
result<message> decode(std::string_view wire);
/// Encodes with uncompressed names. too_large if a count, name or rdata exceeds its field.
result<std::string> encode(const message& m);

/// A query for one name, recursion desired (what a stub resolver such as the module sends).
result<std::string> encode_query(std::uint16_t id, std::string_view name,
                                 std::uint16_t type = type_a);

/// Presentation name → wire name (length-prefixed labels, root byte). malformed for an empty
/// label or a bad escape, too_large beyond 63 bytes a label or 255 bytes the name.
result<std::string> encode_name(std::string_view name);

/// "192.0.2.1" → its 4 bytes, and back. bad_address for anything but a dotted quad.
result<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text);
std::string format_ipv4(std::string_view four_bytes);

/// Lower-cases ASCII letters (RFC 4343: DNS names compare case-insensitively) and drops one
/// final dot, so configured names and queried names compare equal.
std::string canonical_name(std::string_view name);

}  // namespace bcconform::peer::dns
