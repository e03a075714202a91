// Readiness after a reset and the module identity check, against a scripted link on a fake
// clock: `AT` every interval until OK, a bounded wait, nothing past the OK consumed, late
// answers drained, identity patterns matched against ATI and AT+CGMR.
#include <gtest/gtest.h>

#include "bcconform/runner/run.hpp"
#include "fake_transport.hpp"

namespace bcconform::runner_test {
namespace {

using namespace std::chrono_literals;
namespace sc = bcconform::scenario;

constexpr auto timeout = 20000ms;
constexpr auto interval = 500ms;

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

TEST(run_readiness, first_ok_is_enough) {
  fake_transport link;
  link.on_write("AT\r", "AT\r\r\nOK\r\n", 3ms);
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval), "");
  EXPECT_EQ(link.written(), "AT\r");
  EXPECT_EQ(link.time().elapsed(), 3ms);
}

TEST(run_readiness, repeats_at_every_interval_until_the_module_boots) {
  fake_transport link;
  link.on_write("AT\r", "");  // lost while booting
  link.deliver("\r\nRDY\r\n", 700ms);
  link.on_write("AT\r", "");
  link.on_write("AT\r", "\r\nOK\r\n", 10ms);
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval), "");
  EXPECT_EQ(count_of(link.written(), "AT\r"), 3u);
  // Three intervals' worth of AT, the OK, then one quiet interval of draining.
  EXPECT_EQ(link.time().elapsed(), 1000ms + 10ms + interval);
}

TEST(run_readiness, a_boot_marker_comes_before_the_first_at) {
  fake_transport link;
  link.deliver("\r\nRDY\r\n", 40ms);
  link.on_write("AT\r", "\r\nOK\r\n", 2ms);
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval, nullptr, "RDY"), "");
  EXPECT_EQ(link.written(), "AT\r");
  EXPECT_EQ(link.time().elapsed(), 42ms);
}

TEST(run_readiness, a_missing_boot_marker_is_reported) {
  fake_transport link;
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval, nullptr, "RDY"),
            "module not ready: no RDY from the freshly started module");
  EXPECT_EQ(link.written(), "");
  EXPECT_EQ(link.time().elapsed(), timeout);
}

TEST(run_readiness, drains_when_several_at_went_out_without_a_boot) {
  fake_transport link;
  link.on_write("AT\r", "");
  link.on_write("AT\r", "\r\nOK\r\n", 10ms);
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval), "");
  // One interval, the OK, then one quiet interval of draining.
  EXPECT_EQ(link.time().elapsed(), interval + 10ms + interval);
}

TEST(run_readiness, gives_up_at_the_deadline_naming_what_it_saw) {
  fake_transport link;
  link.deliver("\r\n+CEREG: 0\r\n", 100ms);
  const std::string why = runner::wait_until_ready(link, timeout, interval);
  EXPECT_EQ(why, "module not ready: no OK to AT within 20 s (last seen: '+CEREG: 0')");
  EXPECT_EQ(link.time().elapsed(), timeout);
  EXPECT_EQ(count_of(link.written(), "AT\r"), 40u);
}

TEST(run_readiness, leaves_what_follows_the_ok_for_the_engine) {
  fake_transport link;
  link.on_write("AT\r", "\r\nOK\r\n+QATWAKEUP\r\n", 1ms);
  ASSERT_EQ(runner::wait_until_ready(link, timeout, interval), "");
  std::string rest;
  ASSERT_TRUE(link.read(rest, 100, link.time().now() + 10ms));
  EXPECT_EQ(rest, "+QATWAKEUP\r\n");
}

TEST(run_readiness, drains_late_answers_to_earlier_at) {
  fake_transport link;
  link.on_write("AT\r", "\r\nOK\r\n", 600ms);  // late: arrives after the second AT
  link.on_write("AT\r", "\r\nOK\r\n", 150ms);
  ASSERT_EQ(runner::wait_until_ready(link, timeout, interval), "");
  std::string rest;
  auto r = link.read(rest, 100, link.time().now() + 1000ms);
  EXPECT_FALSE(r) << "stale bytes left for the engine: " << rest;
}

TEST(run_readiness, a_dead_link_is_reported_at_once) {
  fake_transport link;
  link.fail_at(0ms, transport::errc::process_exited, "the child exited with status 1");
  const std::string why = runner::wait_until_ready(link, timeout, interval);
  EXPECT_EQ(why, "module not ready: the child exited with status 1");
  EXPECT_LT(link.time().elapsed(), interval);
}

TEST(run_readiness, stops_when_interrupted) {
  fake_transport link;
  std::atomic<bool> stop{true};
  EXPECT_EQ(runner::wait_until_ready(link, timeout, interval, &stop),
            "interrupted while waiting for the module");
}

TEST(run_query, collects_information_lines_without_echo_or_final) {
  fake_transport link;
  link.on_write("ATI\r",
                "ATI\r\r\nQuectel_Ltd\r\nQuectel_BC25\r\nRevision: BC25PAR01A06\r\n\r\nOK\r\n");
  auto r = runner::query(link, "ATI", 1000ms);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->lines,
            (std::vector<std::string>{"Quectel_Ltd", "Quectel_BC25", "Revision: BC25PAR01A06"}));
}

TEST(run_query, times_out) {
  fake_transport link;
  link.on_write("ATI\r", "\r\nQuectel_Ltd\r\n");
  auto r = runner::query(link, "ATI", 1000ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, transport::make_error_code(transport::errc::timed_out));
}

void script_identity(fake_transport& link) {
  link.on_write("ATI\r", "\r\nQuectel_Ltd\r\nQuectel_BC25\r\nRevision: BC25PAR01A06\r\n\r\nOK\r\n");
  link.on_write("AT+CGMR\r", "\r\n+CEREG: 1\r\nRevision: BC25PAR01A06\r\n\r\nOK\r\n");
}

TEST(run_identity, fills_run_info_and_accepts_matching_patterns) {
  fake_transport link;
  script_identity(link);
  runner::run_info info;
  sc::module_identity expected{"Quectel.*", "Quectel_BC2[5]", "BC25PAR01A0\\d"};
  EXPECT_EQ(runner::read_identity(link, expected, 1000ms, info), "");
  EXPECT_EQ(info.module_identity, "Quectel_Ltd; Quectel_BC25; Revision: BC25PAR01A06");
  EXPECT_EQ(info.firmware, "BC25PAR01A06");
}

struct mismatch_case {
  const char* name;
  sc::module_identity expected;
  const char* message;
};

class run_identity_mismatch : public ::testing::TestWithParam<mismatch_case> {};

TEST_P(run_identity_mismatch, names_field_text_and_pattern) {
  fake_transport link;
  script_identity(link);
  runner::run_info info;
  EXPECT_EQ(runner::read_identity(link, GetParam().expected, 1000ms, info), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    cases, run_identity_mismatch,
    ::testing::Values(
        mismatch_case{"manufacturer",
                      {"Acme", "", ""},
                      "module identity mismatch: manufacturer 'Quectel_Ltd' does not match 'Acme'"},
        mismatch_case{"model",
                      {"", "Quectel_BC32", ""},
                      "module identity mismatch: model 'Quectel_BC25' does not match "
                      "'Quectel_BC32'"},
        mismatch_case{"revision",
                      {"", "", "BC25PAR02.*"},
                      "module identity mismatch: revision 'BC25PAR01A06' does not match "
                      "'BC25PAR02.*'"},
        mismatch_case{
            "bad_pattern", {"", "", "("}, "identity.revision: bad pattern: missing ): ("}),
    [](const ::testing::TestParamInfo<mismatch_case>& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace bcconform::runner_test
