#include "bcconform/protocol/utf8.hpp"

namespace bcconform::protocol {
namespace {

// The range the first continuation byte must fall in, and how many continuation bytes follow
// a lead byte (Unicode 15 table 3-7). Zero continuation bytes marks a byte that cannot start a
// multi-byte sequence (0x80-0xC1, 0xF5-0xFF).
struct utf8_lead {
  std::size_t continuation = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xbf;
};

utf8_lead classify_lead(unsigned char b) noexcept {
  if (b >= 0xc2 && b <= 0xdf) return {1, 0x80, 0xbf};
  if (b == 0xe0) return {2, 0xa0, 0xbf};  // no overlong 3-byte forms
  if (b == 0xed) return {2, 0x80, 0x9f};  // no UTF-16 surrogates
  if (b >= 0xe1 && b <= 0xef) return {2, 0x80, 0xbf};
  if (b == 0xf0) return {3, 0x90, 0xbf};  // no overlong 4-byte forms
  if (b >= 0xf1 && b <= 0xf3) return {3, 0x80, 0xbf};
  if (b == 0xf4) return {3, 0x80, 0x8f};  // nothing above U+10FFFF
  return {};
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(bytes[i]);
  if (b < 0x80) return 1;
  const utf8_lead lead = classify_lead(b);
  if (lead.continuation == 0 || bytes.size() - i <= lead.continuation) return 0;
  const auto first = static_cast<unsigned char>(bytes[i + 1]);
  if (first < lead.lo || first > lead.hi) return 0;
  for (std::size_t k = 2; k <= lead.continuation; ++k) {
    const auto c = static_cast<unsigned char>(bytes[i + k]);
    if (c < 0x80 || c > 0xbf) return 0;
  }
  return lead.continuation + 1;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = utf8_sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace bcconform::protocol
