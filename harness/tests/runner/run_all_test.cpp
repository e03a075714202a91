// A whole run with a substitute engine and scripted links: reports published before the first
// case and after each, a transcript side file per case named by index, readiness on every fresh
// module, the identity read once (and a mismatch refusing the run), interrupts, dead links, and
// the verdict counts against a baseline.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "bcconform/runner/run.hpp"
#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using namespace std::chrono_literals;
using runner::verdict;

std::string temp_dir() {
  std::string pattern = ::testing::TempDir() + "run_all_XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp";
  std::filesystem::create_directories(pattern + "/transcripts");
  return pattern;
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// A module that answers readiness and identity; the substitute engine sends one more line.
std::unique_ptr<fake_transport> ready_module(bool identity) {
  auto link = std::make_unique<fake_transport>();
  link->on_write("AT\r", "\r\nOK\r\n", 2ms);
  if (identity) {
    link->on_write("ATI\r", "\r\nQuectel_Ltd\r\nQuectel_BC25\r\nRevision: R1\r\n\r\nOK\r\n");
    link->on_write("AT+CGMR\r", "\r\nRevision: R1\r\n\r\nOK\r\n");
  }
  link->on_write("AT+CASE\r", "\r\nOK\r\n", 1ms);
  return link;
}

struct run_all : ::testing::Test {
  std::string dir = temp_dir();
  std::vector<sc::suite_file> files;
  std::vector<runner::run_results> published;
  std::vector<bool> fresh_calls;  // previous_error of each call
  std::unique_ptr<transport::tap> tap;
  std::atomic<bool> interrupt{false};
  std::map<std::string, verdict> outcome;  // what the substitute engine answers per id
  runner::run_options options;
  runner::run_callbacks cb;

  run_all() {
    sc::suite_file f{"specs/x.yaml", "", {}};
    for (const char* id : {"one", "two", "three"}) f.scenarios.push_back(builder(id).build());
    files.push_back(f);
    options.report_dir = dir;
    options.interrupt = &interrupt;
    options.suite_root = "specs";
    cb.fresh_module = [this](bool previous_error) -> protocol::result<transport::tap*> {
      fresh_calls.push_back(previous_error);
      tap = std::make_unique<transport::tap>(ready_module(fresh_calls.size() == 1));
      return tap.get();
    };
    cb.publish = [this](const runner::run_results& r) { published.push_back(r); };
    cb.engine = [this](const sc::scenario& s, const runner::case_context& ctx) {
      runner::case_result r;
      r.id = s.id;
      std::string reply;
      ctx.link->write("AT+CASE\r", ctx.link->clock().now() + 100ms);
      ctx.link->read(reply, 100, ctx.link->clock().now() + 100ms);
      ctx.note("engine ran " + s.id);
      r.result = outcome.count(s.id) ? outcome[s.id] : verdict::pass;
      if (r.result == verdict::error)
        r.failure = runner::failure_info{"x", "transport", "gone", {}, {}};
      if (s.id == "two" && interrupted_in_two) interrupt = true;
      return r;
    };
  }
  ~run_all() override { std::filesystem::remove_all(dir); }

  runner::run_report run(int repeat = 1) {
    runner::plan_options po;
    po.repeat = repeat;
    return runner::run_all(runner::make_plan(files, po), {}, options, cb);
  }
  bool interrupted_in_two = false;
};

TEST_F(run_all, publishes_not_run_first_then_after_every_case) {
  const auto rep = run();
  EXPECT_EQ(rep.outcome, runner::run_outcome::completed);
  ASSERT_EQ(published.size(), 4u);
  for (const auto& c : published[0].cases) EXPECT_EQ(c.result, verdict::not_run);
  EXPECT_EQ(published[1].cases[0].result, verdict::pass);
  EXPECT_EQ(published[1].cases[1].result, verdict::not_run);
  for (const auto& c : rep.results.cases) EXPECT_EQ(c.result, verdict::pass);
  EXPECT_EQ(rep.results.cases[2].suite, "x");
  EXPECT_EQ(rep.results.cases[2].file, "specs/x.yaml");
}

TEST_F(run_all, each_case_has_a_transcript_named_by_its_index) {
  const auto rep = run();
  for (int i = 0; i < 3; ++i) {
    const auto& c = rep.results.cases[static_cast<std::size_t>(i)];
    EXPECT_EQ(c.transcript_file, "transcripts/000" + std::to_string(i) + ".bctr");
    const std::string text = slurp(dir + "/" + c.transcript_file);
    EXPECT_NE(text.find("> AT+CASE\\r"), std::string::npos) << text;
    EXPECT_NE(text.find("engine ran " + c.id), std::string::npos) << text;
    // Readiness and identity happen before the case's transcript starts.
    EXPECT_EQ(text.find("ATI"), std::string::npos) << text;
    ASSERT_FALSE(c.transcript_tail.empty());
  }
}

TEST_F(run_all, repeats_name_each_attempt) {
  const auto rep = run(2);
  ASSERT_EQ(rep.results.cases.size(), 6u);
  EXPECT_EQ(rep.results.cases[1].attempt, 2);
  EXPECT_EQ(rep.results.cases[1].transcript_file, "transcripts/0000-2.bctr");
  EXPECT_TRUE(std::filesystem::exists(dir + "/transcripts/0002-2.bctr"));
}

TEST_F(run_all, identity_is_read_once_into_run_info) {
  options.expected_identity.model = "Quectel_BC25";
  const auto rep = run();
  EXPECT_EQ(rep.results.info.firmware, "R1");
  EXPECT_EQ(rep.results.info.module_identity, "Quectel_Ltd; Quectel_BC25; Revision: R1");
  EXPECT_EQ(fresh_calls.size(), 3u);
}

TEST_F(run_all, identity_mismatch_refuses_the_run) {
  options.expected_identity.model = "Quectel_BC32";
  const auto rep = run();
  EXPECT_EQ(rep.outcome, runner::run_outcome::refused);
  EXPECT_NE(rep.message.find("model 'Quectel_BC25' does not match 'Quectel_BC32'"),
            std::string::npos)
      << rep.message;
  EXPECT_EQ(rep.results.cases[0].result, verdict::error);
  EXPECT_EQ(rep.results.cases[1].result, verdict::not_run);
  EXPECT_EQ(fresh_calls.size(), 1u);
}

TEST_F(run_all, interrupt_marks_the_rest_interrupted) {
  interrupted_in_two = true;
  const auto rep = run();
  EXPECT_EQ(rep.outcome, runner::run_outcome::interrupted);
  EXPECT_TRUE(rep.results.interrupted);
  EXPECT_EQ(rep.results.cases[0].result, verdict::pass);
  EXPECT_EQ(rep.results.cases[1].result, verdict::pass);  // the engine's verdict is kept
  EXPECT_EQ(rep.results.cases[2].result, verdict::interrupted);
  EXPECT_EQ(published.back().cases[2].result, verdict::interrupted);
  EXPECT_EQ(fresh_calls.size(), 2u);
}

TEST_F(run_all, an_error_asks_for_a_fresh_link) {
  outcome["one"] = verdict::error;
  run();
  EXPECT_EQ(fresh_calls, (std::vector<bool>{false, true, false}));
}

TEST_F(run_all, a_target_that_cannot_open_gives_error_and_the_run_goes_on) {
  cb.fresh_module = [](bool) -> protocol::result<transport::tap*> {
    return transport::make_error(transport::errc::not_found, "program \"bcemu\" not found");
  };
  const auto rep = run();
  ASSERT_EQ(rep.results.cases.size(), 3u);
  for (const auto& c : rep.results.cases) {
    EXPECT_EQ(c.result, verdict::error);
    ASSERT_TRUE(c.failure);
    EXPECT_EQ(c.failure->kind, "transport");
    EXPECT_EQ(c.failure->message, "cannot open the target: program \"bcemu\" not found");
  }
}

TEST_F(run_all, a_module_that_never_answers_gives_error) {
  options.ready_timeout = 2000ms;
  cb.fresh_module = [this](bool) -> protocol::result<transport::tap*> {
    tap = std::make_unique<transport::tap>(std::make_unique<fake_transport>());
    return tap.get();
  };
  const auto rep = run();
  ASSERT_TRUE(rep.results.cases[0].failure);
  EXPECT_EQ(rep.results.cases[0].failure->kind, "readiness");
  EXPECT_EQ(rep.results.cases[0].failure->message, "module not ready: no OK to AT within 2 s");
}

runner::run_results results_of(std::vector<std::pair<std::string, verdict>> cases) {
  runner::run_results r;
  for (auto& [id, v] : cases) {
    runner::case_result c;
    c.id = id;
    c.result = v;
    r.cases.push_back(c);
  }
  return r;
}

TEST(run_summary, counts_failures_and_errors) {
  const auto r = results_of({{"a", verdict::pass},
                             {"b", verdict::fail},
                             {"c", verdict::inconc},
                             {"d", verdict::error},
                             {"e", verdict::not_applicable},
                             {"f", verdict::filtered}});
  auto s = runner::summarize(r, false);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.errored, 1);
  EXPECT_EQ(s.ran, 4);
  EXPECT_EQ(s.counts[verdict::filtered], 1);
  s = runner::summarize(r, true);
  EXPECT_EQ(s.failed, 2);
}

TEST(run_summary, baseline_counts_only_changes) {
  const auto r = results_of({{"known-bug", verdict::fail},
                             {"fixed", verdict::pass},
                             {"new-bug", verdict::fail},
                             {"worse", verdict::error},
                             {"fine", verdict::pass}});
  runner::baseline b;
  b.expected = {{"known-bug", verdict::fail}, {"fixed", verdict::fail}, {"worse", verdict::fail}};
  const auto s = runner::summarize(r, false, &b);
  EXPECT_EQ(s.failed, 1);
  EXPECT_EQ(s.errored, 1);
  EXPECT_EQ(s.newly_failing,
            (std::vector<std::string>{"new-bug: pass -> fail", "worse: fail -> error"}));
  EXPECT_EQ(s.newly_passing, (std::vector<std::string>{"fixed: fail -> pass"}));
  EXPECT_EQ(s.still_failing, (std::vector<std::string>{"known-bug: fail -> fail"}));
}

}  // namespace
}  // namespace bcconform::runner_test
