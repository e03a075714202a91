// fuzz_roundtrip: command lines built from the command table with argument values chosen by
// the input, checked against the contract of command_line.hpp and commands.hpp: what
// encode_command() writes, parse_command_line() + check_arguments() read back to the same
// command, and the typed request's from() decodes to a value whose encode() gives the same
// line; what encode_command() refuses, check_arguments() refuses with the same error.
//
// Input layout (corpus/fuzz_roundtrip/ seeds select each command):
//   byte 0  index into commands()
//   byte 1  bits 0-3 which of its forms; bits 4-5 how many arguments: 0 every parameter,
//           1 one fewer, 2 one more, 3 a count from the next byte; bit 6 a key taken from the
//           input instead of the form's own; bit 7 typed mode (below)
//   then, per argument, one control byte (bits 0-2 how to make the value, below) and the
//   bytes that value needs; missing bytes read as 0, so every input is a command.
//     0 absent          1, 7 in range: an integer in [min, max], a string of an allowed
//     2 at a boundary (min - 1, min, max, max + 1; lengths likewise)     length, a choice
//     3 any 64-bit integer                       4 quoted bytes from the input
//     5 unquoted bytes from the input            6 the other kind (integer for a string)
// Typed mode: byte 0 picks one request struct of commands.hpp and its fields are drawn from
// the rest, in range or not (integers are any 32-bit value when the byte says so).
//
// Invariants (any violation prints the command and aborts):
//   - encode_command() refuses  =>  check_arguments() on the same parts refuses, same errc
//     (except a key holding a quote or CR, which encode_command() refuses first, E53);
//   - encode_command() accepts  =>  check_arguments() accepts, parse_command_line() reads the
//     line back, check_arguments() accepts that, and it names the same command, form, key and
//     arguments (trailing absent ones are not written);
//   - the typed request of that command (commands.hpp), when it has one for the form, takes
//     the parsed line with from() and encodes it to the very same line;
//   - typed mode: a request whose encode() accepts is read back by parse_command_line(),
//     check_arguments() and from() as an equal request (only fields its form carries are set).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/command_table.hpp"
#include "bcconform/protocol/commands.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace {

namespace proto = bcconform::protocol;
using proto::arg_value;
using send_variant_t = proto::send_variant;

// Bytes of the input, front to back; 0 once they run out.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return v;
  }
  std::string text(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n && at_ < size_; ++i) s += static_cast<char>(byte());
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// Reports escape bytes as transcripts do (transcript.hpp), so a line can be pasted back.
std::string printable(std::string_view s) {
  return bcconform::protocol::escape_bytes(s);
}

std::string show(const arg_value& a) {
  switch (a.type) {
    case arg_value::kind::absent:
      return "<absent>";
    case arg_value::kind::integer:
      return std::to_string(a.number);
    case arg_value::kind::quoted:
      return "\"" + printable(a.text) + "\"";
    case arg_value::kind::unquoted:
      return "unquoted(" + printable(a.text) + ")";
  }
  return "?";
}

struct fuzz_command {
  const proto::command_spec* spec = nullptr;
  proto::form kind = proto::form::exec;
  std::string key;
  std::vector<arg_value> args;
};

[[noreturn]] void violated(const char* what, const fuzz_command& c, const std::string& more) {
  std::fprintf(stderr, "fuzz_roundtrip: invariant violated: %s\n  command: AT%.*s %.*s", what,
               static_cast<int>(c.spec->name.size()), c.spec->name.data(),
               static_cast<int>(proto::to_string(c.kind).size()), proto::to_string(c.kind).data());
  if (!c.key.empty()) std::fprintf(stderr, " key \"%s\"", printable(c.key).c_str());
  std::fprintf(stderr, "\n  args:");
  for (const arg_value& a : c.args) std::fprintf(stderr, " %s", show(a).c_str());
  std::fprintf(stderr, "\n%s\n", more.c_str());
  std::abort();
}

std::string digits_hex(reader& in, std::size_t bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < bytes; ++i) {
    const std::uint8_t b = in.byte();
    s += hex[b >> 4];
    s += hex[b & 0xf];
  }
  return s;
}

// A length in [min, max], kept short so inputs stay small.
std::size_t length_in(const proto::param_spec& p, reader& in) {
  const std::int64_t lo = std::max<std::int64_t>(p.min, 0);
  const std::int64_t hi = std::min<std::int64_t>(std::max(p.max, lo), lo + 64);
  return static_cast<std::size_t>(lo + in.byte() % (hi - lo + 1));
}

// Printable text without a quote or CR (E53), so the value is one the table accepts.
std::string safe_text(reader& in, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('#' + in.byte() % ('~' - '#'));
  return s;
}

arg_value in_range(const proto::param_spec& p, reader& in) {
  switch (p.type) {
    case proto::param_type::integer: {
      if (p.max <= p.min) return arg_value::integer(p.min);
      const auto span = static_cast<std::uint64_t>(p.max - p.min) + 1;
      return arg_value::integer(p.min + static_cast<std::int64_t>(in.u64() % span));
    }
    case proto::param_type::quoted_enum:
      if (p.choices.empty()) return arg_value::quoted({});
      return arg_value::quoted(std::string(p.choices[in.byte() % p.choices.size()]));
    case proto::param_type::quoted_hex:
      return arg_value::quoted(digits_hex(in, length_in(p, in)));
    case proto::param_type::raw_text:
      return arg_value::unquoted(safe_text(in, length_in(p, in)));
    case proto::param_type::quoted_string:
      break;
  }
  return arg_value::quoted(safe_text(in, length_in(p, in)));
}

arg_value boundary(const proto::param_spec& p, reader& in) {
  const int which = in.byte() % 4;
  const std::int64_t v = which == 0   ? p.min - 1
                         : which == 1 ? p.min
                         : which == 2 ? p.max
                                      : p.max + 1;
  if (p.type == proto::param_type::integer) return arg_value::integer(v);
  const auto n = static_cast<std::size_t>(std::clamp<std::int64_t>(v, 0, 1600));
  if (p.type == proto::param_type::quoted_hex) return arg_value::quoted(std::string(2 * n, 'a'));
  return arg_value::quoted(std::string(n, 'x'));
}

arg_value make_arg(const proto::param_spec* p, reader& in) {
  const std::uint8_t control = in.byte();
  const int how = control & 7;
  if (p == nullptr && how != 0) {  // past the documented parameters: any value
    return how % 2 == 0 ? arg_value::integer(static_cast<std::int64_t>(in.u64()))
                        : arg_value::quoted(in.text(in.byte() % 16));
  }
  switch (how) {
    case 0:
      return arg_value::absent();
    case 2:
      return boundary(*p, in);
    case 3:
      return arg_value::integer(static_cast<std::int64_t>(in.u64()));
    case 4:
      return arg_value::quoted(in.text(in.byte() % 32));
    case 5:
      return arg_value::unquoted(in.text(in.byte() % 32));
    case 6:
      if (p->type == proto::param_type::integer) return arg_value::quoted(in.text(in.byte() % 8));
      return arg_value::integer(static_cast<std::int64_t>(in.byte()));
    default:
      return in_range(*p, in);
  }
}

fuzz_command build(reader& in) {
  fuzz_command c;
  const auto table = proto::commands();
  c.spec = &table[in.byte() % table.size()];
  const std::uint8_t shape = in.byte();
  const auto& forms = c.spec->forms;
  const proto::form_spec* f = forms.empty() ? nullptr : &forms[(shape & 0x0f) % forms.size()];
  c.kind = f != nullptr ? f->kind : proto::form::exec;
  const std::size_t params = f != nullptr ? f->params.size() : 0;
  c.key = (shape & 0x40) != 0 ? in.text(in.byte() % 12) : std::string(f ? f->key : "");
  std::size_t count = params;
  switch ((shape >> 4) & 3) {
    case 1:
      count = params == 0 ? 0 : params - 1;
      break;
    case 2:
      count = params + 1;
      break;
    case 3:
      count = in.byte() % (params + 3);
      break;
    default:
      break;
  }
  for (std::size_t i = 0; i < count; ++i)
    c.args.push_back(make_arg(i < params ? &f->params[i] : nullptr, in));
  return c;
}

// The typed request of commands.hpp for this command: from() on the parsed line must give a
// value that encodes to the same line. unsupported_form means no request for that form.
template <class T>
void check_typed(const fuzz_command& c, const proto::parsed_command& parsed,
                 const std::string& line) {
  const proto::result<T> typed = T::from(parsed);
  if (!typed) {
    if (typed.error().code == proto::errc::unsupported_form) return;
    violated("from() refuses a line check_arguments() accepts", c,
             "  line: " + printable(line) + "\n  from(): " + typed.error().detail);
  }
  const proto::result<std::string> again = typed->encode();
  if (!again) {
    violated("encode() refuses the value from() gave", c,
             "  line: " + printable(line) + "\n  encode(): " + again.error().detail);
  }
  if (*again != line) {
    violated("from() + encode() gives another line", c,
             "  line:    " + printable(line) + "\n  encoded: " + printable(*again));
  }
}

void check_request(const fuzz_command& c, const proto::parsed_command& p, const std::string& l) {
  namespace pr = proto;
  const std::string_view n = c.spec->name;
  if (n == "+QIOPEN") return check_typed<pr::qiopen_request>(c, p, l);
  if (n == "+QICLOSE") return check_typed<pr::qiclose_request>(c, p, l);
  if (n == "+QISTATE") return check_typed<pr::qistate_request>(c, p, l);
  if (n == "+QISEND") return check_typed<pr::qisend_request>(c, p, l);
  if (n == "+QISENDEX") return check_typed<pr::qisendex_request>(c, p, l);
  if (n == "+QIRD") return check_typed<pr::qird_request>(c, p, l);
  if (n == "+QISWTMD") return check_typed<pr::qiswtmd_request>(c, p, l);
  if (n == "+QPING") return check_typed<pr::qping_request>(c, p, l);
  if (n == "+QNTP") return check_typed<pr::qntp_request>(c, p, l);
  if (n == "+QIDNSGIP") return check_typed<pr::qidnsgip_request>(c, p, l);
  if (n == "+QICFG") return check_typed<pr::qicfg_request>(c, p, l);
  if (n == "+QIGETERROR") return check_typed<pr::qigeterror_request>(c, p, l);
  if (n == "+QIKALIVE") return check_typed<pr::qikalive_request>(c, p, l);
  if (n == "+QIDNSCFG") return check_typed<pr::qidnscfg_request>(c, p, l);
}

std::vector<arg_value> trimmed(std::vector<arg_value> args) {
  while (!args.empty() && args.back().type == arg_value::kind::absent) args.pop_back();
  return args;
}

void check_accepted(const fuzz_command& c, const std::string& line) {
  auto parsed = proto::parse_command_line(line);
  if (!parsed) {
    violated("parse_command_line() refuses an encoded line", c,
             "  line: " + printable(line) + "\n  error: " + parsed.error().detail);
  }
  if (auto r = proto::check_arguments(*parsed); !r) {
    violated("check_arguments() refuses an encoded line", c,
             "  line: " + printable(line) + "\n  error: " + r.error().detail);
  }
  if (parsed->spec != c.spec || parsed->kind != c.kind || parsed->key != c.key)
    violated("the encoded line names another command, form or key", c, "  line: " + line);
  if (trimmed(parsed->args) != trimmed(c.args)) {
    std::string got;
    for (const arg_value& a : parsed->args) got += " " + show(a);
    violated("the encoded line reads back other arguments", c,
             "  line: " + printable(line) + "\n  read:" + got);
  }
  check_request(c, *parsed, line);
}

// ---- Typed mode --------------------------------------------------------------------------

// Mostly small values near the documented ranges, sometimes any 32-bit value.
int any_int(reader& in) {
  const std::uint8_t b = in.byte();
  if (b >= 0xf0) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | in.byte();
    return static_cast<int>(v);
  }
  static constexpr int scale[] = {1, 8, 600, 70000};
  return static_cast<int>(in.byte()) * scale[b & 3] / 255 - ((b & 4) != 0 ? 1 : 0);
}

std::optional<int> maybe_int(reader& in) {
  return in.byte() % 3 == 0 ? std::nullopt : std::optional<int>(any_int(in));
}

// Text as a request carries it: usually printable, sometimes any bytes.
std::string any_text(reader& in) {
  const std::uint8_t b = in.byte();
  return (b & 0x80) != 0 ? in.text(b & 0x1f) : safe_text(in, b & 0x3f);
}

std::string hex_text(reader& in) {
  const std::uint8_t b = in.byte();
  std::string s = digits_hex(in, b & 0x1f);
  if ((b & 0x20) != 0) s += 'g';                    // not a hex digit
  if ((b & 0x40) != 0 && !s.empty()) s.pop_back();  // odd length
  return s;
}

send_variant_t pick_variant(reader& in) {
  return static_cast<send_variant_t>(in.byte() % 3);
}

template <class T>
void check_request_roundtrip(const char* type, const T& request) {
  const proto::result<std::string> line = request.encode();
  if (!line) return;
  const auto fail = [&](const char* what, const std::string& more) {
    std::fprintf(stderr, "fuzz_roundtrip: invariant violated: %s\n  request: %s\n  line: %s\n%s\n",
                 what, type, printable(*line).c_str(), more.c_str());
    std::abort();
  };
  auto parsed = proto::parse_command_line(*line);
  if (!parsed) fail("parse_command_line() refuses an encoded request", parsed.error().detail);
  if (auto r = proto::check_arguments(*parsed); !r)
    fail("check_arguments() refuses an encoded request", r.error().detail);
  const proto::result<T> back = T::from(*parsed);
  if (!back) fail("from() refuses an encoded request", back.error().detail);
  if (!(*back == request)) {
    const auto again = back->encode();
    fail("from() gives another request", "  its line: " + (again ? printable(*again) : "refused"));
  }
}

void typed_send(reader& in, bool hex) {
  const send_variant_t v = pick_variant(in);
  const int id = any_int(in);
  const int length = v == send_variant_t::until_ctrl_z ? 0 : any_int(in);
  const bool derived = v == send_variant_t::inline_data && (in.byte() & 1) != 0;
  if (hex) {
    proto::qisendex_request r{v, id, length, {}};
    if (v == send_variant_t::inline_data) r.hex = hex_text(in);
    if (derived) r = proto::qisendex_request::with_hex(id, r.hex);
    return check_request_roundtrip("qisendex_request", r);
  }
  proto::qisend_request r{v, id, length, {}};
  if (v == send_variant_t::inline_data) r.data = any_text(in);
  if (derived) r = proto::qisend_request::with_data(id, r.data);
  check_request_roundtrip("qisend_request", r);
}

void typed_misc(std::uint8_t which, reader& in) {
  namespace pr = proto;
  switch (which) {
    case 0: {
      static constexpr const char* types[] = {"TCP", "UDP", "TCP LISTENER", "UDP SERVICE", "tcp"};
      pr::qiopen_request r;
      r.context_id = any_int(in);
      r.connect_id = any_int(in);
      r.service_type = types[in.byte() % 5];
      r.host = any_text(in);
      r.remote_port = any_int(in);
      r.local_port = maybe_int(in);
      r.access_mode = maybe_int(in);
      r.protocol_type = maybe_int(in);
      return check_request_roundtrip("qiopen_request", r);
    }
    case 1:
      return check_request_roundtrip("qiclose_request", pr::qiclose_request{any_int(in)});
    case 2: {
      const auto by = static_cast<pr::qistate_request::scope>(in.byte() % 3);
      const int id = by == pr::qistate_request::scope::all ? 0 : any_int(in);
      return check_request_roundtrip("qistate_request", pr::qistate_request{by, id});
    }
    case 3:
      return typed_send(in, false);
    case 4:
      return typed_send(in, true);
    case 5:
      return check_request_roundtrip("qird_request", pr::qird_request{any_int(in), any_int(in)});
    case 6:
      return check_request_roundtrip("qiswtmd_request",
                                     pr::qiswtmd_request{any_int(in), any_int(in)});
    default:
      break;
  }
  const int context = any_int(in);
  const std::string host = any_text(in);
  switch (which) {
    case 7:
      return check_request_roundtrip(
          "qping_request",
          pr::qping_request{context, host, maybe_int(in), maybe_int(in), maybe_int(in)});
    case 8:
      return check_request_roundtrip("qntp_request",
                                     pr::qntp_request{context, host, maybe_int(in), maybe_int(in)});
    default:
      return check_request_roundtrip("qidnsgip_request", pr::qidnsgip_request{context, host});
  }
}

void typed_settings(std::uint8_t which, reader& in) {
  namespace pr = proto;
  switch (which) {
    case 10: {
      static constexpr const char* keys[] = {"dataformat", "viewmode", "showlength", "other"};
      pr::qicfg_request r;
      r.key = keys[in.byte() % 4];
      const std::size_t n = in.byte() % 4;
      for (std::size_t i = 0; i < n; ++i) r.values.push_back(any_int(in));
      return check_request_roundtrip("qicfg_request", r);
    }
    case 11:
      return check_request_roundtrip("qigeterror_request", pr::qigeterror_request{});
    case 12:
      return check_request_roundtrip(
          "qikalive_request",
          pr::qikalive_request{any_int(in), maybe_int(in), maybe_int(in), maybe_int(in)});
    default: {
      pr::qidnscfg_request r;
      r.primary = any_text(in);
      if (in.byte() % 2 != 0) r.secondary = any_text(in);
      return check_request_roundtrip("qidnscfg_request", r);
    }
  }
}

void typed_mode(reader& in) {
  const std::uint8_t which = in.byte() % 14;  // byte 0
  in.byte();                                  // byte 1: the mode bit
  if (which < 10) return typed_misc(which, in);
  typed_settings(which, in);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (proto::commands().empty()) return 0;
  if (size >= 2 && (data[1] & 0x80) != 0) {
    reader typed(data, size);
    typed_mode(typed);
    return 0;
  }
  reader in(data, size);
  const fuzz_command c = build(in);
  const auto encoded = proto::encode_command(*c.spec, c.kind, c.args, c.key);
  proto::parsed_command direct;
  direct.spec = c.spec;
  direct.kind = c.kind;
  direct.name = std::string(c.spec->name);
  direct.key = c.key;
  direct.args = c.args;
  const proto::result<void> checked = proto::check_arguments(direct);
  if (!encoded) {
    if (c.key.find_first_of("\"\r") != std::string::npos) return 0;  // E53, refused first
    if (checked) {
      violated("encode_command() refuses what check_arguments() accepts", c,
               "  encode: " + encoded.error().detail);
    }
    if (checked.error().code != encoded.error().code) {
      violated("encode_command() and check_arguments() refuse with different errors", c,
               "  encode: " + encoded.error().detail + "\n  check:  " + checked.error().detail);
    }
    return 0;
  }
  if (!checked) {
    violated("check_arguments() refuses what encode_command() accepts", c,
             "  line: " + printable(*encoded) + "\n  check: " + checked.error().detail);
  }
  check_accepted(c, *encoded);
  return 0;
}
