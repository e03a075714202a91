// The generator: deterministic per (seed, index), covering the table, at its boundaries, inside
// the deny-list.
#include "bcconform/fuzzdev/generator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/transcript.hpp"
#include "generator_detail.hpp"

namespace bcconform::fuzzdev {
namespace {

using protocol::form;
using protocol::param_type;

generator make(std::uint64_t seed, bool allow_persistent = false, std::uint32_t kinds = ~0u) {
  generator_options o;
  o.seed = seed;
  o.interleavings = kinds == ~0u;  // data-mode interleavings cut lines to 512 bytes of data
  o.filter = *command_filter::make({allow_persistent, {}, {}});
  o.kinds = kinds & ((1u << case_kind_count) - 1);
  return generator(o);
}

std::uint32_t only_kind(case_kind k) {
  return 1u << static_cast<unsigned>(k);
}

std::string upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return s;
}

// The line without its terminator (CR or CR LF).
std::string_view body(const fuzz_case& c) {
  std::string_view s = c.bytes;
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

TEST(Generator, SameSeedSameCases) {
  const generator a = make(42), b = make(42);
  for (std::uint64_t i = 0; i < 500; ++i) {
    const fuzz_case x = a.generate(i), y = b.generate(i);
    ASSERT_EQ(x.bytes, y.bytes) << i;
    EXPECT_EQ(x.payload, y.payload) << i;
    EXPECT_EQ(x.with, y.with) << i;
    EXPECT_EQ(x.kind, y.kind) << i;
    EXPECT_EQ(x.description, y.description) << i;
  }
}

TEST(Generator, CaseDependsOnlyOnSeedAndIndex) {
  const generator g = make(9);
  std::vector<std::string> forward;
  for (std::uint64_t i = 0; i < 200; ++i) forward.push_back(g.generate(i).bytes);
  for (std::uint64_t i = 200; i-- > 0;) EXPECT_EQ(g.generate(i).bytes, forward[i]) << i;
  EXPECT_EQ(make(9).generate(137).bytes, forward[137]);  // --start 137 --count 1
}

TEST(Generator, DifferentSeedsDiffer) {
  const generator a = make(1), b = make(2);
  int same = 0;
  for (std::uint64_t i = 0; i < 500; ++i) same += a.generate(i).bytes == b.generate(i).bytes;
  EXPECT_LT(same, 50);  // a few plain lines ("AT+QIGETERROR") may coincide
  std::set<std::string> distinct;
  for (std::uint64_t i = 0; i < 500; ++i) distinct.insert(a.generate(i).bytes);
  EXPECT_GT(distinct.size(), 300u);
}

TEST(Generator, CoversEveryFormOfEveryCommand) {
  const generator g = make(5, /*allow_persistent=*/true, only_kind(case_kind::valid));
  std::set<const protocol::form_spec*> seen;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const fuzz_case c = g.generate(i);
    ASSERT_NE(c.variant, nullptr) << c.description;
    // A valid case is what the table accepts, in the form it claims.
    auto parsed = protocol::parse_command_line(body(c));
    ASSERT_TRUE(parsed) << protocol::escape_bytes(c.bytes) << ": " << parsed.error().detail;
    ASSERT_TRUE(protocol::check_arguments(*parsed)) << protocol::escape_bytes(c.bytes);
    EXPECT_EQ(parsed->spec, c.command);
    EXPECT_EQ(parsed->kind, c.form) << c.bytes;
    seen.insert(c.variant);
  }
  for (const protocol::command_spec& cmd : protocol::commands()) {
    for (const protocol::form_spec& f : cmd.forms) {
      EXPECT_TRUE(seen.count(&f)) << "never generated: " << f.syntax;
    }
  }
}

TEST(Generator, MixedRunsReachEveryCommandAndKind) {
  const generator g = make(11, true);
  std::set<std::string_view> commands;
  std::set<case_kind> kinds;
  std::set<interleave> interleavings;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const fuzz_case c = g.generate(i);
    if (c.command != nullptr) commands.insert(c.command->name);
    kinds.insert(c.kind);
    interleavings.insert(c.with);
  }
  EXPECT_EQ(commands.size(), protocol::commands().size());
  EXPECT_EQ(kinds.size(), static_cast<std::size_t>(case_kind_count));
  EXPECT_EQ(interleavings.size(), 4u);
}

// The parameter a boundary case set, read back from its bytes.
std::optional<std::int64_t> value_sent(const fuzz_case& c) {
  std::size_t index = 0;
  while (index < c.variant->params.size() && c.variant->params[index].name != c.param) ++index;
  if (index == c.variant->params.size()) return std::nullopt;
  const protocol::param_spec& p = c.variant->params[index];
  if (c.command->basic) {
    // ATE-1 does not parse as a basic command (V.250 §5.3.1): compare the text.
    const std::string want = "AT" + std::string(c.command->name) + std::to_string(c.value);
    return body(c) == want ? std::optional(c.value) : std::nullopt;
  }
  auto parsed = protocol::parse_command_line(body(c));
  if (!parsed || parsed->args.size() <= index) return std::nullopt;
  const protocol::arg_value& a = parsed->args[index];
  if (p.type == param_type::integer) return a.number;
  const auto n = static_cast<std::int64_t>(a.text.size());
  return p.type == param_type::quoted_hex ? n / 2 : n;
}

// The table refuses the line in the form it was built from. Breaking one form can make another
// (AT+QISEND=1 without <send_length> is the Ctrl+Z form; AT+QISTATE=1,3 with <query_type> out of
// the by-context form's range is the by-connection form): then the check picks that other form.
bool refused_as_built(const fuzz_case& c) {
  auto parsed = protocol::parse_command_line(body(c));
  if (!parsed || !protocol::check_arguments(*parsed)) return true;
  return parsed->variant != c.variant;
}

TEST(Generator, BoundaryValuesSitExactlyAtTheTableRanges) {
  const generator g = make(3, true, only_kind(case_kind::boundary));
  // (form, parameter) -> values sent
  std::map<std::pair<const protocol::form_spec*, std::string>, std::set<std::int64_t>> sent;
  for (std::uint64_t i = 0; i < 6000; ++i) {
    const fuzz_case c = g.generate(i);
    ASSERT_EQ(c.kind, case_kind::boundary) << c.description;
    const auto v = value_sent(c);
    ASSERT_TRUE(v.has_value()) << c.description << ": " << protocol::escape_bytes(c.bytes);
    EXPECT_EQ(*v, c.value) << c.description;
    sent[{c.variant, c.param}].insert(*v);
    // Outside the range, the table's checker refuses the line: that is what the oracle
    // "OK to a refused line" relies on.
    const protocol::param_spec* p = nullptr;
    for (const auto& q : c.variant->params) {
      if (q.name == c.param) p = &q;
    }
    if (c.value < p->min || c.value > p->max) {
      EXPECT_TRUE(refused_as_built(c)) << c.bytes;
    }
  }
  for (const protocol::command_spec& cmd : protocol::commands()) {
    for (const protocol::form_spec& f : cmd.forms) {
      if (f.kind != form::set) continue;
      for (const protocol::param_spec& p : f.params) {
        if (p.type == param_type::quoted_enum || p.type == param_type::raw_text) continue;
        const std::set<std::int64_t>& got = sent[{&f, std::string(p.name)}];
        std::vector<std::int64_t> want{p.min, p.max, p.max + 1};
        if (p.type == param_type::integer || p.min > 0) want.push_back(p.min - 1);
        for (const std::int64_t w : want) {
          EXPECT_TRUE(got.count(w)) << f.syntax << " <" << p.name << "> never " << w;
        }
      }
    }
  }
}

TEST(Generator, RuleBreakingKindsAreRefusedByTheTable) {
  for (const case_kind k : {case_kind::wrong_type, case_kind::missing_param, case_kind::extra_param,
                            case_kind::overlong_string, case_kind::quoting}) {
    const generator g = make(4, true, only_kind(k));
    for (std::uint64_t i = 0; i < 400; ++i) {
      const fuzz_case c = g.generate(i);
      ASSERT_EQ(c.kind, k);
      EXPECT_TRUE(refused_as_built(c)) << to_string(k) << ": " << protocol::escape_bytes(c.bytes)
                                       << " (" << c.description << ")";
    }
  }
}

TEST(Generator, OverlongLinesHaveTheirLengths) {
  generator_options o;
  o.seed = 8;
  o.line_limit = 300;
  o.kinds = only_kind(case_kind::overlong_line);
  const generator g(o);
  std::set<std::size_t> lengths;
  for (std::uint64_t i = 0; i < 200; ++i) {
    const fuzz_case c = g.generate(i);
    EXPECT_EQ(body(c).size(), static_cast<std::size_t>(c.value)) << c.description;
    lengths.insert(body(c).size());
  }
  EXPECT_EQ(lengths, (std::set<std::size_t>{299, 300, 301, 364}));
}

TEST(Generator, MutationsInsertTheBytesThatMatterOnASerialLine) {
  const generator g = make(6, false, only_kind(case_kind::mutation));
  std::set<char> inserted;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const fuzz_case c = g.generate(i);
    for (const char b : std::string_view(body(c))) {
      if (b == '\r' || b == '\n' || b == '\0' || b == '\x1a' || b == '\x1b') inserted.insert(b);
    }
  }
  EXPECT_EQ(inserted, (std::set<char>{'\r', '\n', '\0', '\x1a', '\x1b'}));
}

TEST(Generator, OnlyTheLastLineOfACaseEntersDataMode) {
  const generator g = make(12, true);
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const fuzz_case c = g.generate(i);
    if (c.with == interleave::data_mode) continue;
    std::string_view s = body(c);
    for (auto cr = s.find('\r'); cr != std::string_view::npos; cr = s.find('\r')) {
      EXPECT_EQ(detail::data_mode_of(s.substr(0, cr)), protocol::data_mode::none)
          << protocol::escape_bytes(c.bytes);
      s.remove_prefix(cr + 1);
    }
  }
}

TEST(Generator, PayloadsFitTheDataModeForm) {
  const generator g = make(13, true, only_kind(case_kind::valid));
  int fixed = 0;
  for (std::uint64_t i = 0; i < 4000; ++i) {
    const fuzz_case c = g.generate(i);
    if (c.variant == nullptr || c.variant->data != protocol::data_mode::fixed_length) continue;
    auto parsed = protocol::parse_command_line(body(c));
    ASSERT_TRUE(parsed);
    const auto length = static_cast<std::size_t>(parsed->args.at(1).number);
    const bool hex = c.command->name == "+QISENDEX";  // E19: two digits per byte
    EXPECT_EQ(c.payload.size(), hex ? 2 * length : length) << c.bytes;
    EXPECT_EQ(c.data_end, 0);
    ++fixed;
  }
  EXPECT_GT(fixed, 10);
}

TEST(Generator, DataModeInterleavingsStayData) {
  const generator g = make(14);
  int seen = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const fuzz_case c = g.generate(i);
    if (c.with != interleave::data_mode) continue;
    ++seen;
    EXPECT_LE(c.bytes.size(), 512u);  // E12
    EXPECT_EQ(c.bytes.find_first_of("\x1a\x1b"), std::string::npos);
    EXPECT_GE(c.socket, 0);
    EXPECT_LE(c.socket, 5);
  }
  EXPECT_GT(seen, 20);
}

// ---- the deny-list -------------------------------------------------------------------------

TEST(Generator, DefaultDenyListKeepsPersistentCommandsOut) {
  const generator g = make(21);
  for (std::uint64_t i = 0; i < 6000; ++i) {
    const fuzz_case c = g.generate(i);
    const std::string all = upper(c.bytes + c.payload);
    for (const char* name : {"&W", "+QICFG", "+QSCLK", "+QRST"}) {
      EXPECT_EQ(all.find(name), std::string::npos) << name << " in " << protocol::escape_bytes(all);
    }
    if (c.command != nullptr) {
      EXPECT_FALSE(c.command->nvm) << c.description;
    }
  }
}

TEST(Generator, AllowPersistentLetsThemIn) {
  const generator g = make(21, true);
  std::set<std::string_view> seen;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    const fuzz_case c = g.generate(i);
    if (c.command != nullptr) seen.insert(c.command->name);
  }
  for (const char* name : {"&W", "+QICFG", "+QSCLK", "+QRST"})
    EXPECT_TRUE(seen.count(name)) << name;
}

TEST(Generator, OnlyAndDenyNarrowTheCommands) {
  generator_options o;
  o.seed = 22;
  o.filter = *command_filter::make({false, {"at+qird", "QISTATE"}, {"+QISTATE"}});
  const generator g(o);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    const fuzz_case c = g.generate(i);
    ASSERT_NE(c.command, nullptr);
    EXPECT_EQ(c.command->name, "+QIRD") << c.description;
    EXPECT_EQ(upper(c.bytes).find("+QISTATE"), std::string::npos);
  }
}

}  // namespace
}  // namespace bcconform::fuzzdev
