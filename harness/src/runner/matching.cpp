#include "matching.hpp"

#include <re2/re2.h>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::runner::detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode_hex(std::string_view digits, bool allow_spaces) {
  std::string out;
  out.reserve(digits.size() / 2);
  int high = -1;
  for (const char c : digits) {
    if (allow_spaces && (c == ' ' || c == '\t' || c == '\n' || c == '\r') && high < 0) continue;
    const int v = hex_value(c);
    if (v < 0) return std::nullopt;
    if (high < 0) {
      high = v;
    } else {
      out += static_cast<char>(high * 16 + v);
      high = -1;
    }
  }
  if (high >= 0) return std::nullopt;
  return out;
}

std::string quoted(std::string_view bytes) {
  return "\"" + protocol::escape_bytes(bytes) + "\"";
}

}  // namespace

std::string show_pattern(std::string_view p) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (const char c : p) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += digits[u >> 4];
      out += digits[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

protocol::result<pattern> pattern::compile(std::string_view text, encoding e) {
  RE2::Options options;
  options.set_encoding(e == encoding::latin1 ? RE2::Options::EncodingLatin1
                                             : RE2::Options::EncodingUTF8);
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(re2::StringPiece(text.data(), text.size()), options);
  if (!re->ok()) {
    return harness_error("bad pattern /" + show_pattern(text) + "/: " + re->error());
  }
  pattern p;
  p.re_ = std::move(re);
  p.text_ = std::string(text);
  return p;
}

bool pattern::full_match(std::string_view subject, captures* out) const {
  return match(subject, true, out);
}

bool pattern::partial_match(std::string_view subject, captures* out) const {
  return match(subject, false, out);
}

bool pattern::match(std::string_view subject, bool anchored, captures* out) const {
  const auto n = static_cast<std::size_t>(re_->NumberOfCapturingGroups()) + 1;
  std::vector<re2::StringPiece> groups(n);
  const bool ok =
      re_->Match(re2::StringPiece(subject.data(), subject.size()), 0, subject.size(),
                 anchored ? RE2::ANCHOR_BOTH : RE2::UNANCHORED, groups.data(), static_cast<int>(n));
  if (!ok || out == nullptr) return ok;
  for (const auto& [name, index] : re_->NamedCapturingGroups()) {
    const auto& g = groups[static_cast<std::size_t>(index)];
    (*out)[name] = g.data() != nullptr ? std::string(g.data(), g.size()) : std::string();
  }
  return true;
}

// Hex takes no variables (scenario.md "Values").
protocol::result<std::string> expand_bytes(const scenario::bytes_spec& b, const variables& vars) {
  if (b.encoding == scenario::bytes_spec::kind::text) return vars.expand(b.value);
  auto bytes = decode_hex(b.value.text, true);
  if (!bytes) return harness_error("not an even number of hex digits: " + quoted(b.value.text));
  return *bytes;
}

payload_expectation payload_of(const scenario::line_matcher& m) {
  return {m.payload, m.length, m.payload_re};
}

payload_expectation payload_of(const scenario::payload_step& s) {
  return {s.bytes, s.length, s.pattern};
}

std::string describe(const payload_expectation& p) {
  std::string out;
  const auto add = [&out](const std::string& part) { out += out.empty() ? part : ", " + part; };
  if (p.bytes) {
    add(p.bytes->encoding == scenario::bytes_spec::kind::hex ? "hex " + quoted(p.bytes->value.text)
                                                             : quoted(p.bytes->value.text));
  }
  if (p.length) add("length " + std::to_string(*p.length));
  if (p.pattern) add("/" + show_pattern(p.pattern->text) + "/");
  return "payload " + (out.empty() ? std::string("(any)") : out);
}

std::string describe(const scenario::line_matcher& m) {
  using kind = scenario::line_matcher::kind;
  switch (m.match) {
    case kind::exact:
      return protocol::escape_bytes(m.text.text);
    case kind::regex:
      return "/" + show_pattern(m.text.text) + "/";
    case kind::any_final:
      return "{final: any}";
    case kind::payload:
      return describe(payload_of(m));
  }
  return "?";
}

match_outcome match_payload(const payload_expectation& p, std::string_view actual,
                            const variables& vars) {
  match_outcome out;
  if (p.bytes) {
    auto want = expand_bytes(*p.bytes, vars);
    if (!want) return match_outcome::error(want.error().detail);
    if (*want != actual) {
      return match_outcome::mismatch("payload " + quoted(actual) + " is not " + quoted(*want));
    }
  }
  if (p.length && *p.length != actual.size()) {
    return match_outcome::mismatch("payload of " + std::to_string(actual.size()) +
                                   " bytes, expected " + std::to_string(*p.length));
  }
  if (p.pattern) {
    auto m = match_pattern(*p.pattern, actual, vars, encoding::latin1);
    if (!m.ok()) return m;
    out.groups = std::move(m.groups);
  }
  return out;
}

match_outcome match_pattern(const scenario::templated& p, std::string_view subject,
                            const variables& vars, encoding e) {
  auto text = vars.expand_pattern(p);
  if (!text) return match_outcome::error(text.error().detail);
  auto re = pattern::compile(*text, e);
  if (!re) return match_outcome::error(re.error().detail);
  match_outcome out;
  if (!re->full_match(subject, &out.groups)) {
    return match_outcome::mismatch(quoted(subject) + " does not match /" + show_pattern(*text) +
                                   "/");
  }
  return out;
}

std::string payload_data(std::string_view wire, bool hex) {
  if (!hex) return std::string(wire);
  auto decoded = decode_hex(wire, false);
  return decoded ? *decoded : std::string(wire);
}

}  // namespace bcconform::runner::detail
