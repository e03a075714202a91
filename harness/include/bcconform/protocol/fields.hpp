// Splitting the parameter list of an AT line into fields without allocating.
//
// AT parameter lists are comma-separated; a field may be quoted ("a,b" is one field), may be
// empty (`1,,3` has an empty second field) and a single space after a comma is tolerated (the
// note prints `+QNTP: 0, "18/04/20,11:08:20+32"` and `+QIGETERROR: 552, invalid parameters`,
// AN 4.7/4.8). Splitting on commas without regard to quotes is a classic AT-stack bug
// (STYLE.md anti-pattern 3); this reader is the one place that does it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bcconform::protocol {

struct field {
  std::string_view raw;   ///< the field as it appears, quotes included, outer space trimmed
  std::string_view text;  ///< quoted: the bytes between the quotes; otherwise == raw
  bool quoted = false;
  bool empty() const noexcept { return raw.empty(); }
};

/// Walks the fields of a parameter list ("0,\"TCP\",,5"). Views point into the input.
/// A field that opens a quote must close it and be followed by a comma or the end; otherwise
/// next() reports malformed and stops.
class field_reader {
 public:
  explicit field_reader(std::string_view params) noexcept : rest_(params), done_(false) {}

  enum class status : std::uint8_t { field, end, malformed };

  /// Reads the next field into `out`.
  status next(field& out) noexcept;

  /// What is left after the last field read (for inline payloads: "+QIRD: 10,2,<data>").
  std::string_view rest() const noexcept { return rest_; }

 private:
  std::string_view rest_;
  bool done_;
};

/// Parses a whole field as a decimal integer (optional leading '-'); nullopt if it is
/// empty, quoted, has any other character, or does not fit in int64_t. Never overflows.
std::optional<std::int64_t> parse_integer(std::string_view text) noexcept;

/// Parses a non-negative decimal without sign, bounded by `max`; nullopt otherwise.
std::optional<std::uint32_t> parse_count(std::string_view text, std::uint32_t max) noexcept;

/// Splits "+QIRD: 10,2" into prefix "+QIRD" and parameters "10,2" at the first ':'.
/// The single space after the colon is dropped. nullopt if there is no ':'.
struct prefixed_line {
  std::string_view prefix;
  std::string_view params;
};
std::optional<prefixed_line> split_prefix(std::string_view line) noexcept;

}  // namespace bcconform::protocol
