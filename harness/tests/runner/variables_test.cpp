// ${name} substitution and variable precedence.
#include "variables.hpp"

#include <gtest/gtest.h>

namespace bcconform::runner::detail {
namespace {

TEST(Variables, RunVarsOverrideScenarioVarsAndSetOverridesBoth) {
  variables v({{"a", "scenario"}, {"b", "scenario"}}, {{"b", "run"}, {"c", "run"}});
  EXPECT_EQ(*v.find("a"), "scenario");
  EXPECT_EQ(*v.find("b"), "run");
  v.set("b", "captured");
  v.set("c", "captured");
  EXPECT_EQ(*v.find("b"), "captured");
  EXPECT_EQ(*v.find("c"), "captured");
  EXPECT_EQ(v.find("d"), nullptr);
}

struct expansion {
  const char* text;
  const char* out;  // nullptr: an error
};

class Expand : public ::testing::TestWithParam<expansion> {};

TEST_P(Expand, Literal) {
  const variables v({{"id", "3"}, {"srv.port", "5000"}, {"dollar", "$x"}}, {});
  const auto r = v.expand(scenario::templated{GetParam().text});
  if (GetParam().out == nullptr) {
    EXPECT_FALSE(r) << *r;
  } else {
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(*r, GetParam().out);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Expand,
                         ::testing::Values(expansion{"AT+QICLOSE=${id}", "AT+QICLOSE=3"},
                                           expansion{"${srv.port}${id}", "50003"},
                                           expansion{"", ""}, expansion{"no refs", "no refs"},
                                           expansion{"$$", "$"}, expansion{"$${id}", "${id}"},
                                           expansion{"a$b$", "a$b$"}, expansion{"${dollar}", "$x"},
                                           expansion{"${nope}", nullptr},
                                           expansion{"${id", nullptr}, expansion{"x${}", nullptr}));

TEST(Variables, PatternValuesAreQuoted) {
  const variables v({{"ip", "127.0.0.1"}, {"star", "a*"}}, {});
  const auto r = v.expand_pattern(scenario::templated{R"(\+X: ${ip},${star}$$)"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, R"(\+X: 127\.0\.0\.1,a\*\$)");
}

}  // namespace
}  // namespace bcconform::runner::detail
