// The engine against the real bcemu (BCEMU_PATH) over stdio, with a loopback peer: the
// interleavings set their states up and find nothing wrong with a module that behaves.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "bcconform/fuzzdev/engine.hpp"
#include "bcconform/transport/open.hpp"

namespace bcconform::fuzzdev {
namespace {

std::unique_ptr<transport::transport> open_bcemu(std::vector<std::string> extra = {}) {
  transport::target_uri uri;
  uri.kind = transport::scheme::exec;
  uri.argv = {BCEMU_PATH, "--stdio", "--time-scale", "0.01", "--quiet"};
  uri.argv.insert(uri.argv.end(), extra.begin(), extra.end());
  auto t = transport::open(uri);
  if (!t) ADD_FAILURE() << t.error().detail;
  return t ? std::move(*t) : nullptr;
}

std::string all_findings(const run_result& r) {
  std::string out;
  for (const finding& f : r.findings) out += format_finding(f) + "\n";
  return out;
}

TEST(FuzzDeviceBcemu, InterleavingsReachThePeer) {
  auto link = open_bcemu();
  ASSERT_NE(link, nullptr);
  engine_options o;
  o.generator.seed = 4;
  o.count = 400;
  o.peer_address = "127.0.0.1";
  const auto t0 = std::chrono::steady_clock::now();
  const run_result r = run(*link, o);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%llu cases, %llu lines, %llu interleavings (%llu skipped) in %.2f s: %.0f exec/s\n",
              static_cast<unsigned long long>(r.stats.cases),
              static_cast<unsigned long long>(r.stats.lines_sent),
              static_cast<unsigned long long>(r.stats.interleavings),
              static_cast<unsigned long long>(r.stats.interleavings_skipped), wall,
              r.stats.cases_per_second());
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail;
  EXPECT_EQ(r.stats.cases, 400u);
  EXPECT_GT(r.stats.interleavings, 20u);
  EXPECT_LT(r.stats.interleavings_skipped * 4, r.stats.interleavings);
  EXPECT_TRUE(r.findings.empty()) << all_findings(r);
  EXPECT_TRUE(r.notes.empty());
  EXPECT_LT(wall, 60.0);
}

// bcemu --reboot-after: the module restarts by itself; the RDY nobody asked for is a finding,
// and the run goes on once the module answers again.
TEST(FuzzDeviceBcemu, ASpontaneousRebootIsAFinding) {
  auto link = open_bcemu({"--reboot-after", "25"});
  ASSERT_NE(link, nullptr);
  engine_options o;
  o.generator.seed = 4;
  o.count = 40;
  o.peer_address = "127.0.0.1";
  const run_result r = run(*link, o);
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail;
  EXPECT_GE(r.stats.by_kind[static_cast<std::size_t>(finding_kind::reboot)], 1u) << all_findings(r);
}

// Two regressions the fuzzer found in bcemu. Many AT+QPING in a row: each ping request keeps a
// deadline timer after its answer, and bcemu once counted those towards its overrun bound
// (harness/src/emulator/interpreter.cpp, now max_output_backlog) and dropped every command line
// silently, which the liveness oracle reported.
TEST(FuzzDeviceBcemu, ManyPingsInARowLeaveTheModuleAnswering) {
  auto link = open_bcemu();
  ASSERT_NE(link, nullptr);
  engine_options o;
  o.generator.seed = 1;
  o.generator.filter = *command_filter::make({false, {"+QPING"}, {}});
  o.generator.kinds = 1u << static_cast<unsigned>(case_kind::valid);
  o.generator.interleavings = false;
  o.count = 1000;
  o.recovery_wait = std::chrono::milliseconds(3000);
  const run_result r = run(*link, o);
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail << "\n" << all_findings(r);
  EXPECT_TRUE(r.findings.empty()) << all_findings(r);
}

// A backspace that deletes nothing, then an LF (case 4124 of seed 5 is "\b\nATi\r"): bcemu drops
// the LF as the start of a line and runs ATI; protocol::session_tracker once kept the LF, expected
// no command, and took the echo and ATI's lines for noise. Both now drop it (V.250 §5.2.1).
TEST(FuzzDeviceBcemu, BackspaceThenLineFeedIsOneCommand) {
  auto link = open_bcemu();
  ASSERT_NE(link, nullptr);
  engine_options o;
  o.generator.seed = 5;
  o.start = 4124;
  o.count = 1;
  o.peer_address = "127.0.0.1";
  const run_result r = run(*link, o);
  EXPECT_EQ(r.end, run_end::completed) << r.end_detail;
  EXPECT_TRUE(r.findings.empty()) << all_findings(r);
}

}  // namespace
}  // namespace bcconform::fuzzdev
