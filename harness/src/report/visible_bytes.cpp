// visible_bytes(): the one place that decides how untrusted bytes look in a report.
//
// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]; a single other character makes the whole file unreadable to Jenkins and
// GitLab. Module output is evidence, so nothing is dropped: each byte that cannot (or should
// not) appear as itself is written as a short visible token.
#include <string>
#include <string_view>

#include "bcconform/protocol/utf8.hpp"
#include "bcconform/report/junit.hpp"

namespace bcconform::report {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

// Well-formed UTF-8 that is still kept out of reports: the C1 controls U+0080-U+009F (C2 80 to
// C2 9F; legal in XML 1.0 but terminal controls, and "discouraged" by XML 1.0 §2.2) and
// U+FFFE/U+FFFF (EF BF BE/BF; not XML characters at all).
bool hidden_code_point(std::string_view seq) noexcept {
  const auto b0 = static_cast<unsigned char>(seq[0]);
  const auto b1 = static_cast<unsigned char>(seq[1]);
  if (seq.size() == 2) return b0 == 0xc2 && b1 <= 0x9f;
  if (seq.size() == 3) {
    const auto b2 = static_cast<unsigned char>(seq[2]);
    return b0 == 0xef && b1 == 0xbf && (b2 == 0xbe || b2 == 0xbf);
  }
  return false;
}

void append_token(std::string& out, unsigned char b) {
  switch (b) {
    case 0x00:
      out += "<NUL>";
      return;
    case 0x09:
      out += "<TAB>";
      return;
    case 0x0a:
      out += "<LF>";
      return;
    case 0x0d:
      out += "<CR>";
      return;
    case 0x1b:
      out += "<ESC>";
      return;
    default:
      out += '<';
      out += hex_digits[b >> 4];
      out += hex_digits[b & 0xf];
      out += '>';
  }
}

}  // namespace

std::string visible_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    if (b >= 0x20 && b <= 0x7e) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    const std::size_t n = b >= 0x80 ? protocol::utf8_sequence_length(bytes, i) : 0;
    const std::string_view seq = bytes.substr(i, n);
    if (n == 0 || hidden_code_point(seq)) {
      // One byte at a time: an ill-formed sequence resynchronises at the next byte, so a
      // valid character right after a stray lead byte still shows as itself.
      const std::size_t k = n == 0 ? 1 : n;
      for (std::size_t j = 0; j < k; ++j)
        append_token(out, static_cast<unsigned char>(bytes[i + j]));
      i += k;
      continue;
    }
    out += seq;
    i += n;
  }
  return out;
}

}  // namespace bcconform::report
