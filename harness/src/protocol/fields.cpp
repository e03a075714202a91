#include "bcconform/protocol/fields.hpp"

#include <limits>

namespace bcconform::protocol {
namespace {

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Accumulates decimal digits while the value stays <= `limit`; nullopt on any non-digit or
// when the value would pass `limit`. The bound is checked before each step, so the text may
// have any length (leading zeros included) and nothing ever wraps.
std::optional<std::uint64_t> parse_digits(std::string_view text, std::uint64_t limit) noexcept {
  if (text.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (d > limit || v > (limit - d) / 10) return std::nullopt;  // v*10+d <= limit, no wrap
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

field_reader::status field_reader::next(field& out) noexcept {
  if (done_) return status::end;
  std::string_view s = rest_;
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;  // one optional space after a comma (AN 4.7)
  if (i < s.size() && s[i] == '"') {
    const std::size_t close = s.find('"', i + 1);
    if (close == std::string_view::npos) {
      done_ = true;
      return status::malformed;
    }
    std::size_t j = close + 1;
    while (j < s.size() && s[j] == ' ') ++j;
    if (j < s.size() && s[j] != ',') {
      done_ = true;
      return status::malformed;
    }
    out.raw = s.substr(i, close + 1 - i);
    out.text = s.substr(i + 1, close - i - 1);
    out.quoted = true;
    if (j == s.size()) {
      done_ = true;
      rest_ = {};
    } else {
      rest_ = s.substr(j + 1);
    }
    return status::field;
  }
  const std::size_t comma = s.find(',', i);
  const std::string_view raw =
      trim_spaces(s.substr(i, comma == std::string_view::npos ? comma : comma - i));
  out.raw = raw;
  out.text = raw;
  out.quoted = false;
  if (comma == std::string_view::npos) {
    done_ = true;
    rest_ = {};
  } else {
    rest_ = s.substr(comma + 1);
  }
  return status::field;
}

std::optional<std::int64_t> parse_integer(std::string_view text) noexcept {
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  // The negative range is one larger: -9223372036854775808 fits in int64_t.
  const auto v = parse_digits(text, negative ? max + 1 : max);
  if (!v) return std::nullopt;
  if (!negative) return static_cast<std::int64_t>(*v);
  if (*v == max + 1) return std::numeric_limits<std::int64_t>::min();
  return -static_cast<std::int64_t>(*v);
}

std::optional<std::uint32_t> parse_count(std::string_view text, std::uint32_t max) noexcept {
  const auto v = parse_digits(text, max);
  if (!v) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

std::optional<prefixed_line> split_prefix(std::string_view line) noexcept {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view params = line.substr(colon + 1);
  if (!params.empty() && params.front() == ' ') params.remove_prefix(1);
  return prefixed_line{line.substr(0, colon), params};
}

}  // namespace bcconform::protocol
