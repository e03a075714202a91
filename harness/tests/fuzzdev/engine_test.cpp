// The oracles against scripted modules on a fake clock: a module that behaves gives no finding;
// one that babbles, stops, dies, accepts what the table refuses, answers twice or late does.
#include "bcconform/fuzzdev/engine.hpp"

#include <gtest/gtest.h>

#include <set>

#include "bcconform/protocol/command_line.hpp"
#include "fuzzdev/scripted_module.hpp"

namespace bcconform::fuzzdev {
namespace {

using testing::reply;
using testing::scripted_module;
using testing::well_behaved;

engine_options options(std::uint64_t seed, std::uint64_t count) {
  engine_options o;
  o.generator.seed = seed;
  o.count = count;
  return o;
}

std::size_t count_of(const run_result& r, finding_kind k) {
  return r.stats.by_kind[static_cast<std::size_t>(k)];
}

std::string all_findings(const run_result& r) {
  std::string out;
  for (const finding& f : r.findings) out += format_finding(f) + "\n";
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

TEST(Engine, AWellBehavedModuleGivesNoFinding) {
  scripted_module m([](std::string_view line, int) { return reply{well_behaved(line)}; });
  const run_result r = run(m, options(3, 600));
  EXPECT_TRUE(r.findings.empty()) << all_findings(r);
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail;
  EXPECT_EQ(r.stats.cases, 600u);
  EXPECT_GT(r.stats.lines_sent, 1200u);  // every case and its probe
  // No peer: the interleavings ran as plain lines, and a note says why.
  EXPECT_GT(r.stats.interleavings_skipped, 0u);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_TRUE(contains(r.notes.front(), "--peer-address"));
}

TEST(Engine, EveryCaseIsFollowedByAPlainAT) {
  scripted_module m([](std::string_view line, int) { return reply{well_behaved(line)}; });
  const run_result r = run(m, options(5, 50));
  ASSERT_EQ(r.end, run_end::completed);
  std::size_t probes = 0;
  for (std::size_t at = m.written.find("\rAT\r"); at != std::string::npos;
       at = m.written.find("\rAT\r", at + 1)) {
    ++probes;
  }
  EXPECT_GE(probes, 50u);
}

TEST(Engine, GarbageFromTheModuleIsAFindingWithItsLine) {
  scripted_module m([](std::string_view line, int) {
    std::string answer = well_behaved(line);
    if (contains(line, "QISTATE") && !answer.empty()) answer = "\r\n\x01\x7fgarbage#\r\n" + answer;
    return reply{answer};
  });
  const run_result r = run(m, options(7, 400));
  EXPECT_EQ(r.end, run_end::completed);
  ASSERT_GT(count_of(r, finding_kind::noise), 0u) << all_findings(r);
  for (const finding& f : r.findings) {
    EXPECT_EQ(f.kind, finding_kind::noise) << format_finding(f);
    EXPECT_TRUE(contains(f.line, "QISTATE")) << format_finding(f);
    EXPECT_TRUE(contains(f.evidence, "garbage#")) << format_finding(f);
    EXPECT_EQ(f.seed, 7u);
  }
}

TEST(Engine, AModuleThatStopsAnsweringEndsTheRun) {
  scripted_module m([](std::string_view line, int n) {
    return reply{n > 40 ? std::string() : well_behaved(line)};
  });
  const run_result r = run(m, options(9, 300));
  EXPECT_EQ(r.end, run_end::target_dead);
  ASSERT_EQ(count_of(r, finding_kind::no_answer), 1u) << all_findings(r);
  const finding& f = r.findings.back();
  EXPECT_EQ(f.kind, finding_kind::no_answer);
  EXPECT_TRUE(contains(f.detail, "module stopped answering after")) << f.detail;
  EXPECT_TRUE(contains(f.detail, "did not recover")) << f.detail;
  EXPECT_EQ(f.index, r.stats.last_index);
  EXPECT_LT(r.stats.cases, 300u);
  // Recovery typed Esc and Ctrl+Z (AN 2.1.4) before giving up.
  EXPECT_TRUE(contains(m.written, "\x1b"));
  EXPECT_TRUE(contains(m.written, "\x1a"));
}

TEST(Engine, TheResetHookCanBringItBack) {
  bool dead = false;
  int resets = 0;
  scripted_module* module = nullptr;
  scripted_module m([&](std::string_view line, int n) {
    if (n == 40) dead = true;
    return reply{dead ? std::string() : well_behaved(line)};
  });
  module = &m;
  engine_options o = options(9, 100);
  o.reset_hook = [&] {
    ++resets;
    dead = false;
    module->push("\r\nRDY\r\n");
    return std::string();
  };
  const run_result r = run(m, o);
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail;
  EXPECT_EQ(resets, 1);
  ASSERT_EQ(count_of(r, finding_kind::no_answer), 1u) << all_findings(r);
  for (const finding& f : r.findings) {
    if (f.kind != finding_kind::no_answer) continue;
    EXPECT_TRUE(contains(f.detail, "recovered after the reset hook")) << f.detail;
  }
  EXPECT_EQ(r.stats.cases, 100u);
}

TEST(Engine, OkToWhatTheTableRefusesIsAFinding) {
  scripted_module m([](std::string_view, int) { return reply{"\r\nOK\r\n"}; });
  engine_options o = options(11, 300);
  o.generator.kinds = 1u << static_cast<unsigned>(case_kind::boundary);
  o.generator.interleavings = false;
  const run_result r = run(m, o);
  EXPECT_EQ(r.end, run_end::completed);
  std::set<std::uint64_t> flagged;
  for (const finding& f : r.findings) {
    EXPECT_EQ(f.kind, finding_kind::accepted_refused) << format_finding(f);
    flagged.insert(f.index);
  }
  // Every case outside its parameter's range was flagged; none inside it.
  const generator g(o.generator);
  int outside = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    const fuzz_case c = g.generate(i);
    std::string line = c.bytes;
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
    auto parsed = protocol::parse_command_line(line);
    const bool refused = !parsed || !protocol::check_arguments(*parsed);
    EXPECT_EQ(flagged.count(i) == 1, refused) << c.description;
    outside += refused;
  }
  EXPECT_GT(outside, 50);
}

TEST(Engine, AnExitedTargetIsAFindingAndEndsTheRun) {
  scripted_module m([](std::string_view line, int) { return reply{well_behaved(line)}; });
  m.exit_after = 25;
  const run_result r = run(m, options(13, 300));
  EXPECT_EQ(r.end, run_end::target_dead);
  ASSERT_EQ(r.findings.size(), 1u) << all_findings(r);
  EXPECT_EQ(r.findings[0].kind, finding_kind::target_died);
  EXPECT_TRUE(contains(r.findings[0].detail, "exited with status 1"));
}

TEST(Engine, TwoFinalsForOneLineIsAFinding) {
  scripted_module m([](std::string_view line, int) {
    std::string a = well_behaved(line);
    if (contains(line, "QIGETERROR") && !a.empty()) a += "\r\nOK\r\n";
    return reply{a};
  });
  const run_result r = run(m, options(15, 400));
  EXPECT_EQ(r.end, run_end::completed);
  ASSERT_GT(count_of(r, finding_kind::extra_final), 0u) << all_findings(r);
  for (const finding& f : r.findings) {
    EXPECT_EQ(f.kind, finding_kind::extra_final) << format_finding(f);
    EXPECT_TRUE(contains(f.line, "QIGETERROR")) << format_finding(f);
  }
}

class SlowAnswer : public ::testing::TestWithParam<std::pair<int, finding_kind>> {};

// AN 2.1: 300 ms for every command, plus the default 500 ms slack: 800 ms. An answer within
// twice that is late; later still, missing. (A module busy that long also misses the probe's
// deadline, so liveness findings may follow: answers come in order.)
TEST_P(SlowAnswer, IsLateOrMissing) {
  const auto [delay_ms, kind] = GetParam();
  scripted_module m([&](std::string_view line, int) {
    const bool slow = line.starts_with("AT+QIKALIVE=?");
    return reply{well_behaved(line), std::chrono::milliseconds(slow ? delay_ms : 1)};
  });
  engine_options o = options(17, 200);
  o.generator.filter = *command_filter::make({false, {"+QIKALIVE", "+QISTATE"}, {}});
  o.generator.kinds = 1u << static_cast<unsigned>(case_kind::valid);
  const run_result r = run(m, o);
  ASSERT_GT(count_of(r, kind), 0u) << all_findings(r);
  for (const finding& f : r.findings) {
    if (f.kind == kind) {
      EXPECT_TRUE(contains(f.line, "AT+QIKALIVE=?")) << format_finding(f);
    }
  }
  if (kind == finding_kind::late_final) {
    EXPECT_EQ(r.findings.size(), count_of(r, kind)) << all_findings(r);
  }
}

INSTANTIATE_TEST_SUITE_P(Deadlines, SlowAnswer,
                         ::testing::Values(std::pair{1200, finding_kind::late_final},
                                           std::pair{5000, finding_kind::missing_final}));

TEST(Engine, UndecodableUrcIsAFinding) {
  scripted_module m([](std::string_view line, int) {
    std::string a = well_behaved(line);
    if (contains(line, "QICLOSE") && !a.empty()) a = "\r\n+QIOPEN: x,y\r\n" + a;
    return reply{a};
  });
  engine_options o = options(19, 200);
  o.generator.filter = *command_filter::make({false, {"+QICLOSE"}, {}});
  const run_result r = run(m, o);
  ASSERT_GT(count_of(r, finding_kind::malformed_urc), 0u) << all_findings(r);
}

TEST(Engine, AModuleThatNeverAnswersIsNotReady) {
  scripted_module m([](std::string_view, int) { return reply{}; });
  engine_options o = options(1, 10);
  o.startup = std::chrono::milliseconds(3000);
  const run_result r = run(m, o);
  EXPECT_EQ(r.end, run_end::not_ready);
  EXPECT_EQ(r.stats.cases, 0u);
  EXPECT_TRUE(r.findings.empty());
}

}  // namespace
}  // namespace bcconform::fuzzdev
