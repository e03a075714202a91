// The verdict rules of verdicts.hpp, without a link.
#include "verdicts.hpp"

#include <gtest/gtest.h>

namespace bcconform::runner::detail {
namespace {

failure_info at(std::string step) {
  return {std::move(step), "expect", "why", "", ""};
}

struct rule {
  phase where;
  bool module_fault;
  verdict before;  // pass, or what an earlier problem made it
  verdict after;
};

class Rules : public ::testing::TestWithParam<rule> {};

std::string rule_name(const ::testing::TestParamInfo<rule>& p) {
  const char* const phases[] = {"setup", "steps", "teardown"};
  return std::string(phases[static_cast<int>(p.param.where)]) +
         (p.param.module_fault ? "_fail" : "_error") + "_after_" +
         std::string(to_string(p.param.before));
}

TEST_P(Rules, ProblemsCountByPhase) {
  const rule& r = GetParam();
  verdict_book book({});
  if (r.before == verdict::fail) book.problem(phase::steps, true, at("first"));
  if (r.before == verdict::inconc) book.problem(phase::setup, true, at("first"));
  book.problem(r.where, r.module_fault, at("second"));
  case_result out;
  book.finish(out);
  EXPECT_EQ(out.result, r.after);
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->step, r.before == verdict::pass ? "second" : "first");
}

INSTANTIATE_TEST_SUITE_P(
    Table, Rules,
    ::testing::Values(rule{phase::setup, true, verdict::pass, verdict::inconc},
                      rule{phase::setup, false, verdict::pass, verdict::error},
                      rule{phase::steps, true, verdict::pass, verdict::fail},
                      rule{phase::steps, false, verdict::pass, verdict::error},
                      rule{phase::teardown, true, verdict::pass, verdict::inconc},
                      rule{phase::teardown, false, verdict::pass, verdict::error},
                      rule{phase::teardown, false, verdict::fail, verdict::fail},
                      rule{phase::teardown, true, verdict::inconc, verdict::inconc},
                      rule{phase::steps, false, verdict::inconc, verdict::error}),
    rule_name);

TEST(VerdictBook, APhasePrefixMarksSetupAndTeardownReasons) {
  verdict_book book({});
  book.problem(phase::setup, true, at("s"));
  case_result out;
  book.finish(out);
  ASSERT_TRUE(out.failure);
  EXPECT_EQ(out.failure->message, "setup: why");
}

TEST(VerdictBook, InterruptedUnlessFailedOrErrored) {
  for (const auto& [first, expected] :
       std::vector<std::pair<verdict, verdict>>{{verdict::pass, verdict::interrupted},
                                                {verdict::inconc, verdict::interrupted},
                                                {verdict::fail, verdict::fail},
                                                {verdict::error, verdict::error}}) {
    verdict_book book({});
    if (first != verdict::pass) book.decide(first, at("x"));
    book.interrupt("interrupted during step t.yaml:3 (wait)");
    case_result out;
    book.finish(out);
    EXPECT_EQ(out.result, expected) << to_string(first);
    EXPECT_EQ(out.reason,
              expected == verdict::interrupted ? "interrupted during step t.yaml:3 (wait)" : "");
  }
}

TEST(VerdictBook, EveryProblemIsNotedEvenWhenNotRecorded) {
  std::vector<std::string> notes;
  verdict_book book([&notes](const std::string& n) { notes.push_back(n); });
  book.problem(phase::steps, true, at("t.yaml:2"));
  book.problem(phase::teardown, true, at("t.yaml:9"));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1], "teardown problem at t.yaml:9 (expect): why");
}

}  // namespace
}  // namespace bcconform::runner::detail
