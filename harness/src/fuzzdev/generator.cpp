// The generator's entry point, its random source, and the valid lines every other kind starts
// from. The kinds that break the rules are in generator_invalid.cpp, mutations in mutations.cpp.
#include "bcconform/fuzzdev/generator.hpp"

#include <algorithm>
#include <array>

#include "generator_detail.hpp"

namespace bcconform::fuzzdev {
namespace detail {
namespace {

using protocol::arg_value;
using protocol::form;
using protocol::param_spec;
using protocol::param_type;

// Addresses and names for address parameters that keep a real module off the Internet:
// loopback, TEST-NET-1 (RFC 5737, never routed) and names under .invalid (RFC 6761, never
// resolve). bcemu refuses anything outside loopback anyway (bcemu --help, "Network").
constexpr std::array<std::string_view, 6> safe_hosts{
    {"127.0.0.1", "192.0.2.1", "fuzz.invalid", "localhost", "::1", "a.b.invalid"}};
constexpr std::array<std::string_view, 3> safe_dns{{"127.0.0.1", "192.0.2.53", "::1"}};

bool is_address(const param_spec& p) {
  for (std::string_view word : {"IP_address", "host", "server", "Dns"}) {
    if (p.name.find(word) != std::string_view::npos) return true;
  }
  return false;
}

// Printable filler: letters, digits and punctuation that mean nothing to a command line (no
// quote, comma or semicolon, which would end the string or the parameter).
constexpr std::string_view filler =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

}  // namespace

std::uint64_t draw::below(std::uint64_t n) {
  if (n == 0) return 0;
  // Rejection of the top partial bucket, then modulo: exact, and the same on every platform.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
  for (;;) {
    const std::uint64_t x = engine_();
    if (x < limit) return x % n;
  }
}

std::int64_t draw::between(std::int64_t lo, std::int64_t hi) {
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == ~std::uint64_t{0}) return static_cast<std::int64_t>(engine_());
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + below(span + 1));
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

std::string text_of_length(draw& d, const param_spec& p, std::size_t length) {
  if (is_address(p)) {
    for (const std::string_view host : safe_hosts) {
      if (host.size() == length && d.chance(1, 2)) return std::string(host);
    }
    // Longer names stay under .invalid (RFC 6761): labels of at most 63 bytes in front.
    constexpr std::string_view tld = ".invalid";
    if (length > tld.size() + 1) {
      std::string name(length - tld.size(), 'a');
      for (std::size_t i = 63; i + 1 < name.size(); i += 64) name[i] = '.';
      return name + std::string(tld);
    }
  }
  return filler_of_length(d, length);
}

std::string safe_address(draw& d, const param_spec& p) {
  const bool dns = p.name.find("Dns") != std::string_view::npos;
  return std::string(dns ? d.pick(std::span<const std::string_view>(safe_dns))
                         : d.pick(std::span<const std::string_view>(safe_hosts)));
}

std::string filler_of_length(draw& d, std::size_t length) {
  std::string s;
  s.reserve(length);
  for (std::size_t i = 0; i < length; ++i) s += filler[d.below(filler.size())];
  return s;
}

std::string hex_of_bytes(draw& d, std::size_t bytes) {
  constexpr std::string_view digits = "0123456789ABCDEFabcdef";
  std::string s;
  s.reserve(bytes * 2);
  for (std::size_t i = 0; i < bytes * 2; ++i) s += digits[d.below(digits.size())];
  return s;
}

arg_value valid_value(draw& d, const param_spec& p) {
  switch (p.type) {
    case param_type::integer: {
      // Edges are where firmware goes wrong: draw them often.
      if (d.chance(2, 5)) {
        const std::array<std::int64_t, 4> edges{p.min, p.max, std::min(p.min + 1, p.max),
                                                std::max(p.max - 1, p.min)};
        return arg_value::integer(d.pick(std::span<const std::int64_t>(edges)));
      }
      return arg_value::integer(d.between(p.min, p.max));
    }
    case param_type::quoted_enum:
      return arg_value::quoted(std::string(d.pick(p.choices)));
    case param_type::quoted_hex: {
      const std::int64_t most = d.chance(1, 8) ? p.max : std::min<std::int64_t>(p.max, 24);
      return arg_value::quoted(hex_of_bytes(d, static_cast<std::size_t>(d.between(p.min, most))));
    }
    case param_type::quoted_string: {
      if (is_address(p)) return arg_value::quoted(safe_address(d, p));
      const std::int64_t most = d.chance(1, 8) ? p.max : std::min<std::int64_t>(p.max, 32);
      const auto n = static_cast<std::size_t>(d.between(p.min, std::max(p.min, most)));
      return arg_value::quoted(text_of_length(d, p, n));
    }
    case param_type::raw_text:
      break;
  }
  return arg_value::unquoted("x");
}

void match_send_length(const protocol::form_spec& f, std::vector<arg_value>& args) {
  if (args.empty() || f.params.size() != args.size()) return;
  const param_spec& last = f.params.back();
  if (last.type != param_type::quoted_string && last.type != param_type::quoted_hex) return;
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (f.params[i].name != "send_length") continue;
    const std::size_t len = args.back().text.size();
    args[i] = arg_value::integer(
        static_cast<std::int64_t>(last.type == param_type::quoted_hex ? len / 2 : len));
  }
}

std::vector<arg_value> valid_args(draw& d, const protocol::form_spec& f, int min_depth) {
  int deepest = 0;
  for (const param_spec& p : f.params) deepest = std::max<int>(deepest, p.depth);
  const auto depth = static_cast<int>(d.between(std::min(min_depth, deepest), deepest));
  std::vector<arg_value> args;
  for (const param_spec& p : f.params) {
    if (p.depth > depth) break;
    args.push_back(valid_value(d, p));
  }
  match_send_length(f, args);
  return args;
}

fields write_args(const std::vector<arg_value>& args) {
  fields out;
  out.reserve(args.size());
  for (const arg_value& a : args) out.push_back(protocol::format_arg(a));
  return out;
}

std::string valid_line(draw& d, const protocol::command_spec& c, const protocol::form_spec& f) {
  // Semantic rules (E5: remote port 0 only for listeners, ...) refuse some draws: draw again.
  for (int attempt = 0; attempt < 12; ++attempt) {
    const std::vector<arg_value> args =
        f.kind == form::set ? valid_args(d, f) : std::vector<arg_value>{};
    auto line = protocol::encode_command(c, f.kind, args, f.key);
    if (line) return *line;
  }
  return {};
}

std::vector<std::pair<const protocol::command_spec*, const protocol::form_spec*>> set_forms(
    const command_filter& filter) {
  std::vector<std::pair<const protocol::command_spec*, const protocol::form_spec*>> out;
  for (const protocol::command_spec* c : filter.allowed()) {
    for (const protocol::form_spec& f : c->forms) {
      if (f.kind == form::set && !f.params.empty()) out.emplace_back(c, &f);
    }
  }
  return out;
}

protocol::data_mode data_mode_of(std::string_view line) {
  auto parsed = protocol::parse_command_line(line);
  if (!parsed || !protocol::check_arguments(*parsed) || parsed->variant == nullptr) {
    return protocol::data_mode::none;
  }
  return parsed->variant->data;
}

bool make_valid(draw& d, const command_filter& filter, fuzz_case& out) {
  const protocol::command_spec& c = *d.pick(filter.allowed());
  const protocol::form_spec& f = d.pick(c.forms);
  std::string line = valid_line(d, c, f);
  if (line.empty()) return false;
  out.bytes = std::move(line);
  out.command = &c;
  out.variant = &f;
  out.form = f.kind;
  out.key = std::string(f.key);
  out.description =
      "valid " + std::string(protocol::to_string(f.kind)) + " " + std::string(f.syntax);
  return true;
}

}  // namespace detail

namespace {

using detail::draw;

constexpr std::array<std::string_view, case_kind_count> kind_names{
    {"valid", "boundary", "wrong_type", "missing_param", "extra_param", "empty_field",
     "overlong_string", "overlong_line", "quoting", "mutation"}};

// Relative weights of the kinds: mutations and valid lines lead, as in grammar-based fuzzers
// (valid lines reach the deep states, mutations the parser's edges).
constexpr std::array<std::uint64_t, case_kind_count> kind_weights{
    {20, 15, 8, 6, 6, 6, 4, 3, 8, 24}};

case_kind pick_kind(draw& d, std::uint32_t mask) {
  std::uint64_t total = 0;
  for (int k = 0; k < case_kind_count; ++k) {
    if (mask & (1u << k)) total += kind_weights[static_cast<std::size_t>(k)];
  }
  if (total == 0) return case_kind::valid;
  std::uint64_t r = d.below(total);
  for (int k = 0; k < case_kind_count; ++k) {
    if (!(mask & (1u << k))) continue;
    const std::uint64_t w = kind_weights[static_cast<std::size_t>(k)];
    if (r < w) return static_cast<case_kind>(k);
    r -= w;
  }
  return case_kind::valid;
}

bool make_kind(draw& d, const generator_options& o, case_kind k, fuzz_case& out) {
  const command_filter& f = o.filter;
  switch (k) {
    case case_kind::valid:
      return detail::make_valid(d, f, out);
    case case_kind::boundary:
      return detail::make_boundary(d, f, out);
    case case_kind::wrong_type:
      return detail::make_wrong_type(d, f, out);
    case case_kind::missing_param:
      return detail::make_missing(d, f, out);
    case case_kind::extra_param:
      return detail::make_extra(d, f, out);
    case case_kind::empty_field:
      return detail::make_empty_field(d, f, out);
    case case_kind::overlong_string:
      return detail::make_overlong_string(d, f, out);
    case case_kind::overlong_line:
      return detail::make_overlong_line(d, f, o.line_limit, out);
    case case_kind::quoting:
      return detail::make_quoting(d, f, out);
    case case_kind::mutation:
      return detail::make_mutation(d, f, out);
  }
  return false;
}

// AT+QISENDEX counts <send_length> in bytes but is typed as hex digits (E19): the form whose
// data parameter is quoted_hex says so in the table.
bool typed_as_hex(const protocol::command_spec& c) {
  for (const protocol::form_spec& f : c.forms) {
    if (f.kind == protocol::form::set && !f.params.empty() &&
        f.params.back().type == protocol::param_type::quoted_hex) {
      return true;
    }
  }
  return false;
}

// What to type if the module prompts (AN 2.1.4): lengths at the edges of E12's 512 bytes, and
// sometimes Esc, which cancels (E13).
void add_payload(draw& d, std::string_view last_line, fuzz_case& out) {
  auto parsed = protocol::parse_command_line(last_line);
  if (!parsed || !protocol::check_arguments(*parsed) || parsed->variant == nullptr) return;
  const protocol::data_mode mode = parsed->variant->data;
  if (mode == protocol::data_mode::none) return;
  const bool hex = typed_as_hex(*parsed->spec);
  if (mode == protocol::data_mode::fixed_length) {
    const auto n = static_cast<std::size_t>(parsed->args.at(1).number);
    out.payload = hex ? detail::hex_of_bytes(d, n) : detail::filler_of_length(d, n);
    out.data_end = 0;
    return;
  }
  const std::array<std::size_t, 6> lengths{0, 1, 5, 64, 512, 513};
  const std::size_t n = d.pick(std::span<const std::size_t>(lengths));
  if (hex) {
    out.payload = detail::hex_of_bytes(d, n);
    if (d.chance(1, 8) && !out.payload.empty()) out.payload.pop_back();  // odd digit count
  } else {
    out.payload = detail::filler_of_length(d, n);
  }
  out.data_end = d.chance(1, 5) ? '\x1b' : '\x1a';
}

// Only the last line of a case may enter data mode: after a prompt the module takes what
// follows as data, and how much of the case that swallows depends on the module's state (an
// open socket), which the engine cannot know when it counts the answers it expects.
bool data_mode_only_last(std::string_view bytes) {
  std::size_t start = 0;
  for (std::size_t cr = bytes.find('\r'); cr != std::string_view::npos;
       cr = bytes.find('\r', start)) {
    const bool last = bytes.find_first_not_of("\r\n", cr) == std::string_view::npos;
    if (!last &&
        detail::data_mode_of(bytes.substr(start, cr - start)) != protocol::data_mode::none) {
      return false;
    }
    start = cr + 1;
  }
  return true;
}

std::string last_line(std::string_view bytes) {
  std::string_view s = bytes;
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  const auto cr = s.find_last_of('\r');
  s = cr == std::string_view::npos ? s : s.substr(cr + 1);
  while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
  return std::string(s);
}

// Data typed after a prompt: the module must not read it as commands (AN 2.1.4), so the
// interleaving keeps it within E12's 512 bytes and without the bytes that end data mode.
void to_data(fuzz_case& c) {
  if (c.bytes.size() > 512) {
    c.bytes.resize(511);
    c.bytes += '\r';  // still a line: without a peer the engine sends it as one
    c.description += " (cut to 512 bytes of data)";
  }
  for (char& ch : c.bytes) {
    if (ch == '\x1a' || ch == '\x1b') ch = '.';
  }
  c.payload.clear();
}

}  // namespace

std::string_view to_string(case_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kind_names.size() ? kind_names[i] : "?";
}

std::string_view to_string(interleave i) noexcept {
  switch (i) {
    case interleave::none:
      return "none";
    case interleave::data_mode:
      return "data_mode";
    case interleave::pending_open:
      return "pending_open";
    case interleave::flood:
      return "flood";
  }
  return "?";
}

std::uint64_t case_seed(std::uint64_t seed, std::uint64_t index) noexcept {
  // SplitMix64 (Steele, Lea, Flood 2014) over the seed, then over the index.
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return mix(mix(seed) ^ index);
}

generator::generator(generator_options o) : options_(std::move(o)) {}

fuzz_case generator::generate(std::uint64_t index) const {
  draw d(case_seed(options_.seed, index));
  for (int attempt = 0; attempt < 32; ++attempt) {
    fuzz_case c;
    c.index = index;
    c.kind = pick_kind(d, options_.kinds);
    if (!make_kind(d, options_, c.kind, c)) continue;
    const bool crlf = d.chance(1, 10);  // hosts that end lines with CR LF (emulator.md §1.1)
    c.bytes += crlf ? "\r\n" : "\r";
    if (!data_mode_only_last(c.bytes)) continue;
    add_payload(d, last_line(c.bytes), c);
    if (options_.interleavings && d.chance(9, 100)) {
      c.with = static_cast<interleave>(1 + d.below(3));
      c.socket = static_cast<int>(d.below(protocol::protocol_limits::connect_id_max + 1));
      if (c.with == interleave::data_mode) to_data(c);
    }
    if (!options_.filter.denied_in(c.bytes + c.payload).empty()) continue;
    return c;
  }
  // Every draw was refused: plain AT (V.250 §5.2.1), which no filter denies.
  fuzz_case c;
  c.index = index;
  c.bytes = "AT\r";
  c.command = protocol::find_command("");
  c.description = "valid exec AT (fallback)";
  return c;
}

}  // namespace bcconform::fuzzdev
