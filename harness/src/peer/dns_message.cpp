// RFC 1035 §4 message format. Every read is bounds-checked against the buffer; a name's
// compression pointers must point strictly backwards and are followed at most max_jumps times,
// so a hostile packet can neither read past its end nor loop.
#include <charconv>

#include "bcconform/peer/dns_message.hpp"

namespace bcconform::peer::dns {
namespace {

constexpr int max_jumps = 64;

error malformed(std::size_t at, std::string_view what) {
  return make_error(errc::malformed, std::string(what) + " at byte " + std::to_string(at));
}

/// Presentation form of one label (RFC 1035 §5.1 escapes).
void append_label(std::string& out, std::string_view label) {
  for (const char ch : label) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '.' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c > 0x20 && c < 0x7f) {
      out += ch;
    } else {
      char digits[4] = {'0', '0', '0', '\0'};
      digits[0] = static_cast<char>('0' + c / 100);
      digits[1] = static_cast<char>('0' + c / 10 % 10);
      digits[2] = static_cast<char>('0' + c % 10);
      out += '\\';
      out += digits;
    }
  }
}

class reader {
 public:
  explicit reader(std::string_view wire) : wire_(wire) {}
  std::size_t pos() const { return pos_; }

  result<std::uint16_t> u16(std::string_view what) {
    if (wire_.size() - pos_ < 2) return malformed(pos_, std::string(what) + " truncated");
    const auto v = static_cast<std::uint16_t>(byte(pos_) << 8 | byte(pos_ + 1));
    pos_ += 2;
    return v;
  }

  result<std::uint32_t> u32(std::string_view what) {
    if (wire_.size() - pos_ < 4) return malformed(pos_, std::string(what) + " truncated");
    const std::uint32_t v = std::uint32_t{byte(pos_)} << 24 | std::uint32_t{byte(pos_ + 1)} << 16 |
                            std::uint32_t{byte(pos_ + 2)} << 8 | byte(pos_ + 3);
    pos_ += 4;
    return v;
  }

  result<std::string> bytes(std::size_t n) {
    if (wire_.size() - pos_ < n) return malformed(pos_, "rdata truncated");
    std::string out(wire_.substr(pos_, n));
    pos_ += n;
    return out;
  }

  result<std::string> name();

 private:
  unsigned byte(std::size_t at) const { return static_cast<unsigned char>(wire_[at]); }

  std::string_view wire_;
  std::size_t pos_ = 0;
};

result<std::string> reader::name() {
  std::string out;
  std::size_t at = pos_;
  std::size_t wire_length = 1;  // the root byte
  bool jumped = false;
  for (int jumps = 0;;) {
    if (at >= wire_.size()) return malformed(at, "name truncated");
    const unsigned length = byte(at);
    if ((length & 0xC0) == 0xC0) {  // RFC 1035 §4.1.4 pointer
      if (at + 1 >= wire_.size()) return malformed(at, "name pointer truncated");
      const std::size_t target = (length & 0x3F) << 8 | byte(at + 1);
      if (target >= at) return malformed(at, "name pointer not pointing backwards");
      if (++jumps > max_jumps) return malformed(at, "too many name pointers");
      if (!jumped) pos_ = at + 2;
      jumped = true;
      at = target;
      continue;
    }
    if ((length & 0xC0) != 0) return malformed(at, "unknown label type");
    if (length == 0) break;
    wire_length += length + 1;
    if (wire_length > max_name_wire) return malformed(at, "name longer than 255 bytes");
    if (wire_.size() - at - 1 < length) return malformed(at, "label truncated");
    if (!out.empty()) out += '.';
    append_label(out, wire_.substr(at + 1, length));
    at += 1 + length;
  }
  if (!jumped) pos_ = at + 1;
  return out;
}

result<question> read_question(reader& r) {
  question q;
  auto name = r.name();
  if (!name) return name.error();
  q.name = std::move(*name);
  auto type = r.u16("question type");
  if (!type) return type.error();
  auto cls = r.u16("question class");
  if (!cls) return cls.error();
  q.type = *type;
  q.cls = *cls;
  return q;
}

result<record> read_record(reader& r) {
  record rr;
  auto name = r.name();
  if (!name) return name.error();
  rr.name = std::move(*name);
  auto type = r.u16("record type");
  auto cls = type ? r.u16("record class") : type;
  if (!cls) return cls.error();
  auto ttl = r.u32("record TTL");
  if (!ttl) return ttl.error();
  auto length = r.u16("rdlength");
  if (!length) return length.error();
  auto rdata = r.bytes(*length);
  if (!rdata) return rdata.error();
  rr.type = *type;
  rr.cls = *cls;
  rr.ttl = *ttl;
  rr.rdata = std::move(*rdata);
  return rr;
}

result<void> read_records(reader& r, std::uint16_t count, std::vector<record>& out) {
  // No reserve(count): the count is hostile input; the buffer bounds the loop instead.
  for (std::uint16_t i = 0; i < count; ++i) {
    auto rr = read_record(r);
    if (!rr) return rr.error();
    out.push_back(std::move(*rr));
  }
  return {};
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 8 & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xFFFF);
}

std::uint16_t flags_of(const message& m) {
  unsigned f = (m.response ? 0x8000u : 0u) | (m.opcode & 0xFu) << 11 |
               (m.authoritative ? 0x400u : 0u) | (m.truncated ? 0x200u : 0u) |
               (m.recursion_desired ? 0x100u : 0u) | (m.recursion_available ? 0x80u : 0u) |
               (m.rcode & 0xFu);
  return static_cast<std::uint16_t>(f);
}

result<void> put_record(std::string& out, const record& rr, const std::string& first_question) {
  if (rr.rdata.size() > 0xFFFF) return make_error(errc::too_large, "rdata over 65535 bytes");
  if (!first_question.empty() && rr.name == first_question) {
    put16(out, 0xC000 | header_size);  // RFC 1035 §4.1.4: point at the question's name
  } else {
    auto name = encode_name(rr.name);
    if (!name) return name.error();
    out += *name;
  }
  put16(out, rr.type);
  put16(out, rr.cls);
  put32(out, rr.ttl);
  put16(out, static_cast<std::uint32_t>(rr.rdata.size()));
  out += rr.rdata;
  return {};
}

/// Parses "\DDD" or "\X" at text[i] (a backslash); advances i past it.
result<char> read_escape(std::string_view text, std::size_t& i) {
  if (i + 1 >= text.size()) return make_error(errc::malformed, "name ends in a backslash");
  const char next = text[i + 1];
  if (next < '0' || next > '9') {
    i += 2;
    return next;
  }
  unsigned value = 0;
  if (i + 3 >= text.size() ||
      std::from_chars(text.data() + i + 1, text.data() + i + 4, value).ptr != text.data() + i + 4 ||
      value > 255) {
    return make_error(errc::malformed, "bad \\DDD escape in name");
  }
  i += 4;
  return static_cast<char>(value);
}

}  // namespace

result<message> decode(std::string_view wire) {
  reader r(wire);
  message m;
  auto id = r.u16("header");
  auto flags = id ? r.u16("header") : id;
  if (!flags) return flags.error();
  std::uint16_t counts[4] = {};
  for (auto& count : counts) {
    auto c = r.u16("header");
    if (!c) return c.error();
    count = *c;
  }
  m.id = *id;
  m.response = (*flags & 0x8000) != 0;
  m.opcode = static_cast<std::uint8_t>(*flags >> 11 & 0xF);
  m.authoritative = (*flags & 0x400) != 0;
  m.truncated = (*flags & 0x200) != 0;
  m.recursion_desired = (*flags & 0x100) != 0;
  m.recursion_available = (*flags & 0x80) != 0;
  m.rcode = static_cast<std::uint8_t>(*flags & 0xF);
  for (std::uint16_t i = 0; i < counts[0]; ++i) {
    auto q = read_question(r);
    if (!q) return q.error();
    m.questions.push_back(std::move(*q));
  }
  for (auto [count, section] :
       {std::pair{counts[1], &m.answers}, std::pair{counts[2], &m.authority},
        std::pair{counts[3], &m.additional}}) {
    if (auto ok = read_records(r, count, *section); !ok) return ok.error();
  }
  return m;
}

result<std::string> encode(const message& m) {
  constexpr std::size_t max_count = 0xFFFF;
  if (m.questions.size() > max_count || m.answers.size() > max_count ||
      m.authority.size() > max_count || m.additional.size() > max_count) {
    return make_error(errc::too_large, "more than 65535 entries in a section");
  }
  std::string out;
  put16(out, m.id);
  put16(out, flags_of(m));
  for (const auto size :
       {m.questions.size(), m.answers.size(), m.authority.size(), m.additional.size()}) {
    put16(out, static_cast<std::uint32_t>(size));
  }
  for (const auto& q : m.questions) {
    auto name = encode_name(q.name);
    if (!name) return name.error();
    out += *name;
    put16(out, q.type);
    put16(out, q.cls);
  }
  const std::string first = m.questions.empty() ? std::string() : m.questions.front().name;
  for (const auto* section : {&m.answers, &m.authority, &m.additional}) {
    for (const auto& rr : *section) {
      if (auto ok = put_record(out, rr, first); !ok) return ok.error();
    }
  }
  return out;
}

result<std::string> encode_query(std::uint16_t id, std::string_view name, std::uint16_t type) {
  message m;
  m.id = id;
  m.recursion_desired = true;
  m.questions.push_back({std::string(name), type, class_in});
  return encode(m);
}

result<std::string> encode_name(std::string_view name) {
  if (name == "" || name == ".") return std::string(1, '\0');
  std::string out;
  std::string label;
  auto finish_label = [&]() -> result<void> {
    if (label.empty())
      return make_error(errc::malformed, "empty label in \"" + std::string(name) + "\"");
    if (label.size() > max_label) return make_error(errc::too_large, "label over 63 bytes");
    out += static_cast<char>(label.size());
    out += label;
    label.clear();
    return {};
  };
  for (std::size_t i = 0; i < name.size();) {
    if (name[i] == '.') {
      if (auto ok = finish_label(); !ok) return ok.error();
      ++i;
      if (i == name.size()) break;  // a final dot names the root explicitly
    } else if (name[i] == '\\') {
      auto c = read_escape(name, i);
      if (!c) return c.error();
      label += *c;
    } else {
      label += name[i++];
    }
  }
  if (!label.empty()) {
    if (auto ok = finish_label(); !ok) return ok.error();
  }
  out += '\0';
  if (out.size() > max_name_wire) return make_error(errc::too_large, "name over 255 bytes");
  return out;
}

result<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view text) {
  std::array<std::uint8_t, 4> out{};
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i > 0) {
      if (p == end || *p != '.') break;
      ++p;
    }
    unsigned value = 0;
    const auto [next, ec] = std::from_chars(p, end, value);
    if (ec != std::errc() || next == p || next - p > 3 || value > 255) break;
    out[i] = static_cast<std::uint8_t>(value);
    p = next;
    if (i == 3 && p == end) return out;
  }
  return make_error(errc::bad_address,
                    "\"" + std::string(text) + "\" is not a dotted IPv4 address");
}

std::string format_ipv4(std::string_view four_bytes) {
  std::string out;
  for (std::size_t i = 0; i < four_bytes.size(); ++i) {
    if (i > 0) out += '.';
    out += std::to_string(static_cast<unsigned char>(four_bytes[i]));
  }
  return out;
}

std::string canonical_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  // Drop one final dot unless it is escaped ("a\." ends in a label byte, not a separator).
  std::size_t backslashes = 0;
  for (std::size_t i = out.size(); i >= 2 && out[i - 2] == '\\'; --i) ++backslashes;
  if (!out.empty() && out.back() == '.' && backslashes % 2 == 0) out.pop_back();
  return out;
}

}  // namespace bcconform::peer::dns
