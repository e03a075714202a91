// `${name}` expansion as the runner does it, with the grammar the loader checks.
#include <gtest/gtest.h>

#include "bcconform/scenario/template.hpp"

namespace bcconform::scenario {
namespace {

const std::map<std::string, std::string> vars = {
    {"cid", "0"}, {"srv.address", "127.0.0.1"}, {"srv.port", "7000"}, {"price", "$5"}};

struct expand_case {
  std::string name;
  std::string text;
  expand_mode mode;
  std::string expected;
};

std::ostream& operator<<(std::ostream& os, const expand_case& c) {
  return os << c.name;
}

class expansion : public ::testing::TestWithParam<expand_case> {};

TEST_P(expansion, gives_the_expected_text) {
  std::string out, error;
  ASSERT_TRUE(expand({GetParam().text}, vars, GetParam().mode, out, error)) << error;
  EXPECT_EQ(out, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    scenario, expansion,
    ::testing::Values(expand_case{"plain", "AT+QICLOSE=0", expand_mode::text, "AT+QICLOSE=0"},
                      expand_case{"one", "AT+QICLOSE=${cid}", expand_mode::text, "AT+QICLOSE=0"},
                      expand_case{"dotted", "\"${srv.address}\",${srv.port}", expand_mode::text,
                                  "\"127.0.0.1\",7000"},
                      expand_case{"dollar_dollar", "$$${cid}$$", expand_mode::text, "$0$"},
                      expand_case{"lone_dollar", "a$b$", expand_mode::text, "a$b$"},
                      expand_case{"value_not_reexpanded", "${price}", expand_mode::text, "$5"},
                      expand_case{"regex_quotes_value", "${srv.address}:\\d+", expand_mode::regex,
                                  "127\\.0\\.0\\.1:\\d+"},
                      expand_case{"regex_dollar_dollar", "a$$", expand_mode::regex, "a\\$"},
                      expand_case{"regex_anchor_kept", "OK$", expand_mode::regex, "OK$"}),
    [](const ::testing::TestParamInfo<expand_case>& p) { return p.param.name; });

TEST(expansion, undefined_and_malformed) {
  std::string out, error;
  EXPECT_FALSE(expand({"${nope}"}, vars, expand_mode::text, out, error));
  EXPECT_EQ(error, "undefined variable 'nope'");
  EXPECT_FALSE(expand({"${cid"}, vars, expand_mode::text, out, error));
  EXPECT_EQ(error.substr(0, 30), "unterminated variable referenc");
  EXPECT_FALSE(expand({"${1x}"}, vars, expand_mode::text, out, error));
  EXPECT_EQ(error.substr(0, 21), "bad variable name '1x");
}

TEST(expansion, references_in_order) {
  EXPECT_EQ(references({"${a} $${b} ${c.d} ${a}"}), (std::vector<std::string>{"a", "c.d", "a"}));
  EXPECT_TRUE(references({"${"}).empty());
}

}  // namespace
}  // namespace bcconform::scenario
