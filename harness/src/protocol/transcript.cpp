#include "bcconform/protocol/transcript.hpp"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace bcconform::protocol {
namespace {

constexpr char hex_digits[] = "0123456789ABCDEF";

bool is_printable(unsigned char c) noexcept {
  return c >= 0x20 && c <= 0x7e;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

error column_error(std::size_t column, std::string what) {
  return make_error(errc::syntax, "column " + std::to_string(column) + ": " + what);
}

std::string byte_name(unsigned char c) {
  std::string s = "0x";
  s += hex_digits[c >> 4];
  s += hex_digits[c & 0xf];
  return s;
}

// Decodes one escape sequence starting at text[i] == '\\'; `base` is the column of text[0].
// On success appends the byte to `out` and returns the length of the sequence.
result<std::size_t> decode_escape(std::string_view text, std::size_t i, std::size_t base,
                                  std::string& out) {
  if (i + 1 >= text.size()) return column_error(base + i, "a lone \\ at the end of the record");
  switch (text[i + 1]) {
    case '\\':
      out += '\\';
      return std::size_t{2};
    case 'r':
      out += '\r';
      return std::size_t{2};
    case 'n':
      out += '\n';
      return std::size_t{2};
    case 't':
      out += '\t';
      return std::size_t{2};
    case 'x':
      break;
    default:
      return column_error(base + i, std::string("unknown escape \\") + text[i + 1]);
  }
  const int hi = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
  const int lo = i + 3 < text.size() ? hex_value(text[i + 3]) : -1;
  if (hi < 0 || lo < 0) return column_error(base + i, "\\x needs two hex digits");
  out += static_cast<char>(hi * 16 + lo);
  return std::size_t{4};
}

// unescape_bytes() with columns counted from `base` (1-based column of text[0] in its line).
result<std::string> unescape_at(std::string_view text, std::size_t base) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      auto n = decode_escape(text, i, base, out);
      if (!n) return n.error();
      i += *n;
      continue;
    }
    if (!is_printable(c))
      return column_error(base + i, "raw byte " + byte_name(c) + " must be escaped");
    // escape_bytes() writes a final space as \x20 so that trailing-space trimming by editors
    // cannot change a record silently; a raw one here means the record was not written by it.
    if (c == ' ' && i + 1 == text.size())
      return column_error(base + i, "a trailing space must be written \\x20");
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

// Parses the optional `<seconds>` or `-` field. Returns the number of characters consumed
// including the following space, 0 when the record starts directly with its direction.
result<std::size_t> parse_seconds(std::string_view line, std::optional<double>& seconds) {
  const char first = line.front();
  if (first != '-' && (first < '0' || first > '9')) return std::size_t{0};
  const std::size_t end = line.find(' ');
  const std::string_view field = line.substr(0, end);
  if (end == std::string_view::npos) return column_error(1, "a time needs a direction after it");
  if (field == "-") return std::size_t{2};
  for (std::size_t i = 0; i < field.size(); ++i) {
    const char c = field[i];
    if ((c < '0' || c > '9') && c != '.')
      return column_error(1 + i, "a time is digits and one '.'");
  }
  double value = 0;
  const auto [ptr, ec] =
      std::from_chars(field.data(), field.data() + field.size(), value, std::chars_format::fixed);
  if (ec != std::errc() || ptr != field.data() + field.size() || !std::isfinite(value)) {
    return column_error(1, "unreadable time \"" + std::string(field) + "\"");
  }
  seconds = value;
  return end + 1;
}

result<direction> parse_direction(char c, std::size_t column) {
  switch (c) {
    case '>':
      return direction::to_module;
    case '<':
      return direction::from_module;
    case '#':
      return direction::note;
    default:
      return column_error(column, "expected a direction '>', '<' or '#'");
  }
}

char direction_char(direction d) noexcept {
  switch (d) {
    case direction::to_module:
      return '>';
    case direction::from_module:
      return '<';
    case direction::note:
      break;
  }
  return '#';
}

}  // namespace

std::string escape_bytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const bool last = i + 1 == bytes.size();
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (is_printable(c) && !(c == ' ' && last)) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex_digits[c >> 4];
      out += hex_digits[c & 0xf];
    }
  }
  return out;
}

result<std::string> unescape_bytes(std::string_view text) {
  return unescape_at(text, 1);
}

result<transcript_record> parse_transcript_line(std::string_view line) {
  transcript_record r;
  if (line.empty()) return r;  // a blank line is an empty note
  auto skip = parse_seconds(line, r.seconds);
  if (!skip) return skip.error();
  std::size_t pos = *skip;
  if (pos >= line.size()) return column_error(pos + 1, "expected a direction '>', '<' or '#'");
  auto dir = parse_direction(line[pos], pos + 1);
  if (!dir) return dir.error();
  r.dir = *dir;
  ++pos;
  // Any line starting with `#` is a note (specs/formats/transcript.md), so `#text` needs no
  // space; the data directions do, to keep `<bytes>` unambiguous.
  if (pos < line.size() && line[pos] == ' ') {
    ++pos;
  } else if (pos < line.size() && r.dir != direction::note) {
    return column_error(pos + 1, "expected a space after the direction");
  }
  auto bytes = unescape_at(line.substr(pos), pos + 1);
  if (!bytes) return bytes.error();
  r.bytes = std::move(*bytes);
  return r;
}

std::string format_transcript_record(const transcript_record& r) {
  std::string out;
  if (r.seconds) {
    char buf[400];  // fixed notation of the largest double
    const auto [ptr, ec] =
        std::to_chars(buf, buf + sizeof buf, *r.seconds, std::chars_format::fixed, 6);
    if (ec == std::errc()) {
      out.assign(buf, ptr);
      out += ' ';
    }
  }
  out += direction_char(r.dir);
  if (!r.bytes.empty()) {
    out += ' ';
    out += escape_bytes(r.bytes);
  }
  return out;
}

}  // namespace bcconform::protocol
