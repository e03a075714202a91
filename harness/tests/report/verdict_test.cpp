// runner::to_string(verdict) and runner::worsen(): the verdict order reports rely on.
// (The functions live in harness/src/runner/results.cpp.)
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/runner/results.hpp"

namespace bcconform::runner {
namespace {

// Least to most severe, as documented in results.hpp.
const std::vector<verdict> order{verdict::not_run,        verdict::filtered, verdict::pass,
                                 verdict::not_applicable, verdict::inconc,   verdict::interrupted,
                                 verdict::fail,           verdict::error};

TEST(verdict, Names) {
  EXPECT_EQ(to_string(verdict::not_run), "not_run");
  EXPECT_EQ(to_string(verdict::pass), "pass");
  EXPECT_EQ(to_string(verdict::inconc), "inconc");
  EXPECT_EQ(to_string(verdict::fail), "fail");
  EXPECT_EQ(to_string(verdict::error), "error");
  EXPECT_EQ(to_string(verdict::not_applicable), "not_applicable");
  EXPECT_EQ(to_string(verdict::filtered), "filtered");
  EXPECT_EQ(to_string(verdict::interrupted), "interrupted");
}

struct worsen_case {
  verdict current, next, expected;
};

class worsen_table : public ::testing::TestWithParam<worsen_case> {};

TEST_P(worsen_table, Gives) {
  const worsen_case& c = GetParam();
  EXPECT_EQ(worsen(c.current, c.next), c.expected)
      << to_string(c.current) << " then " << to_string(c.next);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, worsen_table,
    ::testing::Values(
        // TTCN-3 order (ETSI ES 201 873-1 §24): pass < inconc < fail < error, either way round.
        worsen_case{verdict::pass, verdict::inconc, verdict::inconc},
        worsen_case{verdict::inconc, verdict::pass, verdict::inconc},
        worsen_case{verdict::inconc, verdict::fail, verdict::fail},
        worsen_case{verdict::fail, verdict::pass, verdict::fail},
        worsen_case{verdict::fail, verdict::error, verdict::error},
        worsen_case{verdict::error, verdict::fail, verdict::error},
        // not_run is replaced by anything and replaces nothing.
        worsen_case{verdict::not_run, verdict::pass, verdict::pass},
        worsen_case{verdict::not_run, verdict::filtered, verdict::filtered},
        worsen_case{verdict::pass, verdict::not_run, verdict::pass},
        // fail and error keep precedence over interrupted; interrupted beats pass and inconc.
        worsen_case{verdict::fail, verdict::interrupted, verdict::fail},
        worsen_case{verdict::error, verdict::interrupted, verdict::error},
        worsen_case{verdict::pass, verdict::interrupted, verdict::interrupted},
        worsen_case{verdict::inconc, verdict::interrupted, verdict::interrupted},
        worsen_case{verdict::interrupted, verdict::fail, verdict::fail},
        // not_applicable: above pass, below the verdicts that carry evidence.
        worsen_case{verdict::pass, verdict::not_applicable, verdict::not_applicable},
        worsen_case{verdict::not_applicable, verdict::fail, verdict::fail},
        worsen_case{verdict::filtered, verdict::pass, verdict::pass}));

TEST(worsen, IsTheMaximumOfTheDocumentedOrder) {
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t j = 0; j < order.size(); ++j)
      EXPECT_EQ(worsen(order[i], order[j]), order[std::max(i, j)])
          << to_string(order[i]) << " then " << to_string(order[j]);
}

}  // namespace
}  // namespace bcconform::runner
