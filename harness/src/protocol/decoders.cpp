// Typed decoders for the information lines and URCs of the note (AN 2.1, 2.2, 4).
//
// Every decoder takes the same steps: check the prefix (and for +QIURC the quoted type), split
// the parameters with field_reader into a fixed array, then convert each field against its
// documented range. Conversions keep only the first error, so a decoder reads as a list of its
// fields. Where the note gives no range, integers are still held to 0..INT_MAX: a hostile
// module must not make a length wrap or go negative (parsers.md §4 case 40).
//
// Round trip (encoders.cpp writes the lines): a decoder keeps every distinction it accepts that
// its struct can hold (quoted or bare IP, +QIDNSGIP or +QIURC "dnsgip") and canonicalises the
// rest (spaces after commas, leading zeros, "-0"), so decode(encode(decode(L))) == decode(L).
#include "bcconform/protocol/decoders.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bcconform/protocol/fields.hpp"

namespace bcconform::protocol {
namespace {

constexpr std::int64_t int_max = std::numeric_limits<int>::max();

/// A documented integer parameter: its name in the note and its range.
struct int_rule {
  std::string_view name;
  std::int64_t min = 0;
  std::int64_t max = int_max;
};

// AN 2.1.1/2.1.3/2.2: <connectID> 0-5; ports 0-65535 (listeners report 0, E5); <socket_state>
// 0-5; <contextID> 1-3; <access_mode> 0-1. AN 2.1.11: every QICFG value is 0 or 1. AN 2.1.13:
// idle 1-36000 s, interval 10-20 s. 3GPP TS 27.007 §10.1.9: <state> 0-1. Error codes, lengths,
// counts, times and TTLs have no documented range: 0..INT_MAX.
constexpr int_rule connect_id{"<connectID>", 0, 5};
constexpr int_rule server_id{"<serverID>", 0, 5};
constexpr int_rule remote_port{"<remote_port>", 0, 65535};
constexpr int_rule local_port{"<local_port>", 0, 65535};
constexpr int_rule socket_state{"<socket_state>", 0, 5};
constexpr int_rule context_id{"<contextID>", 1, 3};
constexpr int_rule access_mode_rule{"<access_mode>", 0, 1};
constexpr int_rule err_code{"<err>"};
constexpr int_rule recv_length{"<current_recv_length>"};
constexpr int_rule read_length{"<actual_read_length>"};
constexpr int_rule remaining_length{"<remaining_length>"};
constexpr int_rule ip_count{"<ip_count>"};
constexpr int_rule dns_ttl{"<dns_ttl>"};
constexpr int_rule keepalive_on{"<keepalive_on>", 0, 1};
constexpr int_rule keepalive_idle{"<keepalive_idle_time>", 1, 36000};
constexpr int_rule keepalive_interval{"<keepalive_interval_time>", 10, 20};
constexpr int_rule keepalive_count{"<keepalive_count>"};
constexpr int_rule cgatt_state{"<state>", 0, 1};
constexpr int_rule cgpaddr_cid{"<cid>"};

// AN 2.1.3 <service_type>.
constexpr std::array<std::string_view, 5> service_types{"TCP", "UDP", "TCP LISTENER",
                                                        "TCP INCOMING", "UDP SERVICE"};

// AN 2.1.11: the three keys and their values; "dataformat" carries two.
struct qicfg_key {
  std::string_view key;
  int_rule first;
  int_rule second;
  bool two_values = false;
};
constexpr std::array<qicfg_key, 3> qicfg_keys{{
    {"dataformat", {"<send_data_format>", 0, 1}, {"<recv_data_format>", 0, 1}, true},
    {"viewmode", {"<view_mode>", 0, 1}, {}, false},
    {"showlength", {"<show_length_mode>", 0, 1}, {}, false},
}};

// The most fields any line here has: +QISTATE (AN 2.1.3).
constexpr std::size_t max_fields = 8;

std::string_view trim_spaces(std::string_view s) noexcept {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

/// Optional '-' then at least one digit and nothing else: an integer, whatever its size.
bool numeric(std::string_view s) noexcept {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// A field's text for an error detail: quoted, control bytes escaped, cut at 40 bytes, so a
/// hostile line cannot make the message long or write escape sequences to a terminal.
std::string shown(std::string_view s) {
  constexpr std::size_t limit = 40;
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    }
  }
  if (s.size() > limit) out += "...";
  out += '"';
  return out;
}

std::string where(std::size_t index, std::string_view name) {
  std::string out = "field " + std::to_string(index + 1);
  if (!name.empty()) out.append(" ").append(name);
  return out + ": ";
}

/// Converts one field to int within `rule`; the detail names the field and its position.
result<int> to_int(const field& f, std::size_t index, const int_rule& rule) {
  if (f.quoted) {
    return make_error(errc::syntax,
                      where(index, rule.name) + shown(f.raw) + " is quoted, expected an integer");
  }
  if (f.empty()) return make_error(errc::syntax, where(index, rule.name) + "empty");
  if (!numeric(f.text)) {
    return make_error(errc::syntax, where(index, rule.name) + shown(f.text) + " is not an integer");
  }
  const auto v = parse_integer(f.text);  // nullopt only past int64_t: out of range too
  if (!v || *v < rule.min || *v > rule.max) {
    return make_error(errc::out_of_range, where(index, rule.name) + shown(f.text) + " not in " +
                                              std::to_string(rule.min) + "-" +
                                              std::to_string(rule.max));
  }
  return static_cast<int>(*v);
}

/// The fields of one line, with conversions that remember the first error.
class line_fields {
 public:
  /// Splits `params`. An unquoted field opening with '(' or '<' is a test-form answer
  /// ("+QIRD: (0-5),(1-512)", "+QIKALIVE: <keepalive_on>[,..."): another kind of line.
  std::optional<error> read(std::string_view params) {
    field_reader reader(params);
    field f;
    for (;;) {
      const auto st = reader.next(f);
      if (st == field_reader::status::end) return std::nullopt;
      if (st == field_reader::status::malformed) {
        return make_error(errc::syntax,
                          where(count_, {}) + "unterminated quote or text after the closing quote");
      }
      if (!f.quoted && !f.raw.empty() && (f.raw.front() == '(' || f.raw.front() == '<')) {
        return make_error(errc::wrong_prefix,
                          where(count_, {}) + shown(f.raw) + " is a test-form answer, not a value");
      }
      if (count_ < max_fields) fields_[count_] = f;  // counted past the array, never stored
      ++count_;
    }
  }

  /// How many fields the line has; only the first max_fields are kept, and every decoder
  /// checks the count against its own maximum (<= max_fields) before reading any.
  std::size_t size() const noexcept { return count_; }
  const field& operator[](std::size_t i) const noexcept { return fields_[i]; }

  void fail(errc e, std::string detail) {
    if (!error_) error_ = make_error(e, std::move(detail));
  }

  int integer(std::size_t i, const int_rule& rule) {
    if (error_) return 0;
    auto v = to_int(fields_[i], i, rule);
    if (!v) {
      error_ = v.error();
      return 0;
    }
    return *v;
  }

  /// A quoted string field ("<IP_address>"); bare text is refused.
  /// May be empty ("" for an unset address).
  std::string quoted(std::size_t i, std::string_view name) {
    if (error_) return {};
    const field& f = fields_[i];
    if (!f.quoted) {
      fail(errc::syntax, where(i, name) + shown(f.raw) + " must be quoted");
      return {};
    }
    return std::string(f.text);
  }

  /// A string field the module may print quoted or bare (E22, E29); never empty.
  std::string text(std::size_t i, std::string_view name, bool& was_quoted) {
    if (error_) return {};
    const field& f = fields_[i];
    if (f.text.empty()) {
      fail(errc::syntax, where(i, name) + "empty");
      return {};
    }
    was_quoted = f.quoted;
    return std::string(f.text);
  }

  template <class T>
  result<T> finish(T value) {
    if (error_) return *std::move(error_);
    return value;
  }

 private:
  std::array<field, max_fields> fields_{};
  std::size_t count_ = 0;
  std::optional<error> error_;
};

result<std::string_view> params_of(std::string_view line, std::string_view prefix) {
  const auto split = split_prefix(line);
  if (!split || split->prefix != prefix) {
    return make_error(errc::wrong_prefix, "not a " + std::string(prefix) + ": line");
  }
  return split->params;
}

std::optional<error> count_error(std::size_t n, std::size_t min_n, std::size_t max_n) {
  if (n >= min_n && n <= max_n) return std::nullopt;
  std::string want = std::to_string(min_n);
  if (max_n != min_n) want += "-" + std::to_string(max_n);
  return make_error(errc::syntax, "expected " + want + (max_n == 1 ? " field" : " fields") +
                                      ", got " + std::to_string(n));
}

/// Prefix check, field split and field count in [min_n, max_n].
std::optional<error> open_line(std::string_view line, std::string_view prefix, std::size_t min_n,
                               std::size_t max_n, line_fields& out) {
  const auto params = params_of(line, prefix);
  if (!params) return params.error();
  if (auto e = out.read(*params)) return e;
  return count_error(out.size(), min_n, max_n);
}

/// The same for `+QIURC: "<type>",...` (AN 2.2), counting the type as field 1. The whole quoted
/// type is compared, so "incoming" never matches "incoming full" (parsers.md §4 case 39).
std::optional<error> open_urc(std::string_view line, std::string_view type, std::size_t min_n,
                              std::size_t max_n, line_fields& out) {
  const auto params = params_of(line, "+QIURC");
  if (!params) return params.error();
  field first;
  field_reader reader(*params);
  if (reader.next(first) != field_reader::status::field) {
    return make_error(errc::syntax, where(0, "<type>") + "unterminated quote");
  }
  if (first.text != type) {
    return make_error(errc::wrong_prefix,
                      "+QIURC type " + shown(first.text) + " is not " + shown(type));
  }
  if (!first.quoted) return make_error(errc::syntax, where(0, "<type>") + "must be quoted");
  if (auto e = out.read(*params)) return e;
  return count_error(out.size(), min_n, max_n);
}

/// AN 2.1.12 <errcode_description> is free text to the end of the line (E42: wording and case
/// vary between builds, AN 4.8 prints it bare after a space). Quotes around all of it are
/// dropped; a bare description loses its outer spaces.
bool wholly_quoted(std::string_view s) noexcept {
  return s.size() >= 2 && s.front() == '"' && s.back() == '"' &&
         s.substr(1, s.size() - 2).find('"') == std::string_view::npos;
}

std::string_view description_of(std::string_view rest) noexcept {
  rest = trim_spaces(rest);
  if (wholly_quoted(rest)) rest = rest.substr(1, rest.size() - 2);
  return rest;
}

}  // namespace

result<qiopen_result> decode_qiopen(std::string_view line) {
  line_fields f;
  if (auto e = open_line(line, "+QIOPEN", 2, 2, f)) return *std::move(e);
  qiopen_result v;
  v.connect_id = f.integer(0, connect_id);
  v.err = f.integer(1, err_code);
  return f.finish(std::move(v));
}

result<closed_urc> decode_closed(std::string_view line) {
  line_fields f;
  if (auto e = open_urc(line, "closed", 2, 2, f)) return *std::move(e);
  closed_urc v;
  v.connect_id = f.integer(1, connect_id);
  return f.finish(std::move(v));
}

result<recv_urc> decode_recv(std::string_view line) {
  // Header only (AN 2.2.2): a viewmode-1 inline payload must be cut off by the caller, so a
  // fourth field is an error rather than silently ignored.
  line_fields f;
  if (auto e = open_urc(line, "recv", 2, 3, f)) return *std::move(e);
  recv_urc v;
  v.connect_id = f.integer(1, connect_id);
  if (f.size() == 3 && f[2].quoted) {
    // AN 2.2.3: the only quoted third field is "buff full".
    if (f[2].text == "buff full") {
      v.buff_full = true;
    } else {
      f.fail(errc::syntax, where(2, recv_length.name) + shown(f[2].raw) +
                               " is neither a length nor \"buff full\"");
    }
  } else if (f.size() == 3) {
    v.length = f.integer(2, recv_length);
  }
  return f.finish(std::move(v));
}

result<incoming_full_urc> decode_incoming_full(std::string_view line) {
  line_fields f;
  if (auto e = open_urc(line, "incoming full", 1, 1, f)) return *std::move(e);
  return f.finish(incoming_full_urc{});
}

result<incoming_urc> decode_incoming(std::string_view line) {
  line_fields f;
  if (auto e = open_urc(line, "incoming", 5, 5, f)) return *std::move(e);
  incoming_urc v;
  v.connect_id = f.integer(1, connect_id);
  v.server_id = f.integer(2, server_id);
  v.remote_ip = f.text(3, "<remoteIP>", v.ip_quoted);
  v.remote_port = f.integer(4, remote_port);
  return f.finish(std::move(v));
}

result<dnsgip_urc> decode_dnsgip(std::string_view line) {
  // AN 2.1.10: header "<err>[,<ip_count>,<dns_ttl>]" or one address per line; the same shapes
  // after +QIDNSGIP: are accepted too (other builds print them under the command's prefix).
  line_fields f;
  dnsgip_urc v;
  const auto split = split_prefix(line);
  v.qidnsgip_prefix = split && split->prefix == "+QIDNSGIP";
  const std::size_t first = v.qidnsgip_prefix ? 0 : 1;
  auto e =
      v.qidnsgip_prefix ? open_line(line, "+QIDNSGIP", 1, 3, f) : open_urc(line, "dnsgip", 2, 4, f);
  if (e) return *std::move(e);
  const std::size_t n = f.size() - first;
  if (n == 2) {
    return make_error(errc::syntax,
                      "expected <err>, <err>,<ip_count>,<dns_ttl> or an address, "
                      "got 2 fields");
  }
  if (n == 1 && (f[first].quoted || !numeric(f[first].text))) {
    // E29: the address is quoted on XinYi and BG96 builds; a bare one is kept bare.
    v.is_address = true;
    v.address = f.text(first, "<hostIPaddr>", v.address_quoted);
  } else {
    v.err = f.integer(first, err_code);
    if (n == 3) {
      v.ip_count = f.integer(first + 1, ip_count);
      v.ttl = f.integer(first + 2, dns_ttl);
    }
  }
  return f.finish(std::move(v));
}

result<qping_urc> decode_qping(std::string_view line) {
  // AN 2.1.8: the shape follows from the field count; codes per AN 3 table 2.
  line_fields f;
  if (auto e = open_line(line, "+QPING", 1, 7, f)) return *std::move(e);
  qping_urc v;
  switch (f.size()) {
    case 1:
      v.kind = qping_urc::shape::code_only;
      v.code = f.integer(0, {"<result>"});
      break;
    case 5:
      v.kind = qping_urc::shape::reply;
      v.code = f.integer(0, {"<result>"});
      v.ip = f.text(1, "<ip_address>", v.ip_quoted);  // E22: bare in the note, quoted on BC26
      v.bytes = f.integer(2, {"<bytes>"});
      v.time_ms = f.integer(3, {"<time>"});
      v.ttl = f.integer(4, {"<ttl>"});
      break;
    case 7:
      v.kind = qping_urc::shape::summary;
      v.code = f.integer(0, {"<finresult>"});
      v.sent = f.integer(1, {"<sent>"});
      v.rcvd = f.integer(2, {"<rcvd>"});
      v.lost = f.integer(3, {"<lost>"});
      v.min = f.integer(4, {"<min>"});
      v.max = f.integer(5, {"<max>"});
      v.avg = f.integer(6, {"<avg>"});
      break;
    default:
      return make_error(errc::syntax, "expected 1, 5 or 7 fields, got " + std::to_string(f.size()));
  }
  return f.finish(std::move(v));
}

result<qntp_urc> decode_qntp(std::string_view line) {
  // AN 2.1.9; AN 4.7 prints a space after the comma, XinYi does not (E28): both read.
  line_fields f;
  if (auto e = open_line(line, "+QNTP", 1, 2, f)) return *std::move(e);
  qntp_urc v;
  v.err = f.integer(0, err_code);
  if (f.size() == 2) v.time = f.quoted(1, "<time>");
  return f.finish(std::move(v));
}

result<qistate_row> decode_qistate(std::string_view line) {
  line_fields f;
  if (auto e = open_line(line, "+QISTATE", 8, 8, f)) return *std::move(e);
  qistate_row v;
  v.connect_id = f.integer(0, connect_id);
  v.service_type = f.quoted(1, "<service_type>");
  v.ip = f.quoted(2, "<IP_address>");
  v.remote_port = f.integer(3, remote_port);
  v.local_port = f.integer(4, local_port);
  v.socket_state = f.integer(5, socket_state);
  v.context_id = f.integer(6, context_id);
  v.access_mode = f.integer(7, access_mode_rule);
  bool known = false;
  for (std::string_view t : service_types) known = known || t == v.service_type;
  if (!known) {
    f.fail(errc::out_of_range, where(1, "<service_type>") + shown(v.service_type) +
                                   " is not a service type of AN 2.1.3");
  }
  return f.finish(std::move(v));
}

result<qird_header> decode_qird(std::string_view line) {
  // AN 2.1.5, header only: a viewmode-1 inline payload is the caller's to cut off.
  line_fields f;
  if (auto e = open_line(line, "+QIRD", 1, 2, f)) return *std::move(e);
  qird_header v;
  v.read_length = f.integer(0, read_length);
  if (f.size() == 2) v.remaining = f.integer(1, remaining_length);
  return f.finish(std::move(v));
}

result<qigeterror_info> decode_qigeterror(std::string_view line) {
  const auto params = params_of(line, "+QIGETERROR");
  if (!params) return params.error();
  const std::size_t comma = params->find(',');
  if (comma == std::string_view::npos) {
    return make_error(errc::syntax, where(1, "<errcode_description>") + "missing");
  }
  const std::string_view code_text = trim_spaces(params->substr(0, comma));
  const auto code = to_int(field{code_text, code_text, false}, 0, err_code);
  if (!code) return code.error();
  const std::string_view description = description_of(params->substr(comma + 1));
  if (description.empty()) {
    return make_error(errc::syntax, where(1, "<errcode_description>") + "empty");
  }
  return qigeterror_info{*code, std::string(description)};
}

result<qicfg_info> decode_qicfg(std::string_view line) {
  line_fields f;
  if (auto e = open_line(line, "+QICFG", 2, 3, f)) return *std::move(e);
  qicfg_info v;
  v.key = f.quoted(0, "<key>");
  const qicfg_key* key = nullptr;
  for (const qicfg_key& k : qicfg_keys) key = k.key == v.key ? &k : key;
  if (key == nullptr) {
    // E31: the note's own "viewemode" line is refused here on purpose.
    f.fail(errc::out_of_range, where(0, "<key>") + shown(v.key) +
                                   " is not dataformat, viewmode or showlength (AN 2.1.11)");
  } else if (f.size() != (key->two_values ? 3U : 2U)) {
    f.fail(errc::syntax, "\"" + std::string(key->key) + "\" takes " +
                             (key->two_values ? "2 values" : "1 value") + ", got " +
                             std::to_string(f.size() - 1));
  } else {
    v.value1 = f.integer(1, key->first);
    if (key->two_values) v.value2 = f.integer(2, key->second);
  }
  return f.finish(std::move(v));
}

result<qikalive_info> decode_qikalive(std::string_view line) {
  line_fields f;
  if (auto e = open_line(line, "+QIKALIVE", 4, 4, f)) return *std::move(e);
  qikalive_info v;
  v.on = f.integer(0, keepalive_on);
  v.idle = f.integer(1, keepalive_idle);
  v.interval = f.integer(2, keepalive_interval);
  v.count = f.integer(3, keepalive_count);
  return f.finish(std::move(v));
}

result<qidnscfg_info> decode_qidnscfg(std::string_view line) {
  // AN 2.1.14 query form: both addresses, quoted; an unset one may be "".
  line_fields f;
  if (auto e = open_line(line, "+QIDNSCFG", 2, 2, f)) return *std::move(e);
  qidnscfg_info v;
  v.primary = f.quoted(0, "<primaryDns>");
  v.secondary = f.quoted(1, "<secondaryDns>");
  return f.finish(std::move(v));
}

result<cgatt_info> decode_cgatt(std::string_view line) {
  line_fields f;
  if (auto e = open_line(line, "+CGATT", 1, 1, f)) return *std::move(e);
  cgatt_info v;
  v.state = f.integer(0, cgatt_state);
  return f.finish(std::move(v));
}

result<cgpaddr_info> decode_cgpaddr(std::string_view line) {
  // 3GPP TS 27.007 §10.1.14: "+CGPADDR: <cid>[,<PDP_addr>]"; no address while none is assigned.
  // A second (IPv6) address has no place in the struct and is refused.
  line_fields f;
  if (auto e = open_line(line, "+CGPADDR", 1, 2, f)) return *std::move(e);
  cgpaddr_info v;
  v.cid = f.integer(0, cgpaddr_cid);
  if (f.size() == 2) v.address = f.quoted(1, "<PDP_addr>");
  return f.finish(std::move(v));
}

result<cme_error> decode_cme_error(std::string_view line) {
  // 3GPP TS 27.007 §9.2: numeric with AT+CMEE=1, verbose text with AT+CMEE=2. Anything made of
  // digits is a code (and must fit), so a text value never looks numeric.
  const auto params = params_of(line, "+CME ERROR");
  if (!params) return params.error();
  const std::string_view text = trim_spaces(*params);
  if (text.empty()) return make_error(errc::syntax, where(0, "<err>") + "empty");
  cme_error v;
  if (numeric(text)) {
    const auto code = to_int(field{text, text, false}, 0, err_code);
    if (!code) return code.error();
    v.code = *code;
  } else {
    v.text = std::string(text);
  }
  return v;
}

namespace {

using line_decoder = result<decoded_line> (*)(std::string_view);

template <class T, result<T> (*Decode)(std::string_view)>
result<decoded_line> decode_as(std::string_view line) {
  auto r = Decode(line);
  if (!r) return r.error();
  return decoded_line{std::move(r).value()};
}

struct route {
  std::string_view key;
  line_decoder decode;
};

constexpr std::array<route, 13> by_prefix{{
    {"+QIOPEN", &decode_as<qiopen_result, decode_qiopen>},
    {"+QIDNSGIP", &decode_as<dnsgip_urc, decode_dnsgip>},
    {"+QPING", &decode_as<qping_urc, decode_qping>},
    {"+QNTP", &decode_as<qntp_urc, decode_qntp>},
    {"+QISTATE", &decode_as<qistate_row, decode_qistate>},
    {"+QIRD", &decode_as<qird_header, decode_qird>},
    {"+QIGETERROR", &decode_as<qigeterror_info, decode_qigeterror>},
    {"+QICFG", &decode_as<qicfg_info, decode_qicfg>},
    {"+QIKALIVE", &decode_as<qikalive_info, decode_qikalive>},
    {"+QIDNSCFG", &decode_as<qidnscfg_info, decode_qidnscfg>},
    {"+CGATT", &decode_as<cgatt_info, decode_cgatt>},
    {"+CGPADDR", &decode_as<cgpaddr_info, decode_cgpaddr>},
    {"+CME ERROR", &decode_as<cme_error, decode_cme_error>},
}};

// AN 2.2: the quoted type after "+QIURC: " selects the decoder.
constexpr std::array<route, 5> by_urc_type{{
    {"recv", &decode_as<recv_urc, decode_recv>},
    {"closed", &decode_as<closed_urc, decode_closed>},
    {"incoming", &decode_as<incoming_urc, decode_incoming>},
    {"incoming full", &decode_as<incoming_full_urc, decode_incoming_full>},
    {"dnsgip", &decode_as<dnsgip_urc, decode_dnsgip>},
}};

result<decoded_line> decode_urc(std::string_view line, std::string_view params) {
  field type;
  field_reader reader(params);
  if (reader.next(type) != field_reader::status::field) {
    return make_error(errc::syntax, where(0, "<type>") + "unterminated quote");
  }
  for (const route& r : by_urc_type) {
    if (r.key == type.text) return r.decode(line);
  }
  return make_error(errc::wrong_prefix, "no typed decoder for +QIURC type " + shown(type.text));
}

}  // namespace

result<decoded_line> decode_line(std::string_view line) {
  const auto split = split_prefix(line);
  if (!split) return make_error(errc::wrong_prefix, "no typed decoder: the line has no prefix");
  if (split->prefix == "+QIURC") return decode_urc(line, split->params);
  for (const route& r : by_prefix) {
    if (r.key == split->prefix) return r.decode(line);
  }
  return make_error(errc::wrong_prefix, "no typed decoder for " + shown(split->prefix));
}

}  // namespace bcconform::protocol
