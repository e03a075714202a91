// The internals of the matrix: `send` lines placed in the command table with `${...}` opaque,
// and what a line pattern can only match (URC prefixes, pinned error codes).
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/protocol/command_table.hpp"
#include "coverage_detail.hpp"

namespace bcconform::coverage::detail {
namespace {

using protocol::urc_id;

// ---- templates --------------------------------------------------------------------------------

TEST(SplitTemplate, ReferencesEscapesAndLoneDollars) {
  const auto p = split_template("a${x}b$$c${y.port}$d${}e${9}");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_FALSE(p[0].variable);
  EXPECT_EQ(p[0].text, "a");
  EXPECT_TRUE(p[1].variable);
  EXPECT_EQ(p[1].text, "x");
  EXPECT_EQ(p[2].text, "b$c");
  EXPECT_TRUE(p[3].variable);
  EXPECT_EQ(p[3].text, "y.port");
  EXPECT_EQ(p[4].text, "$d${}e${9}");  // not references: kept as written
  EXPECT_TRUE(split_template("").empty());
  EXPECT_EQ(split_template("${unterminated").at(0).text, "${unterminated");
}

// ---- send lines -------------------------------------------------------------------------------

struct send_case {
  const char* name;
  const char* line;
  const char* syntax;  ///< the form expected; "" when the line must not be placed
  const char* why;     ///< not placed: a fragment of the reason
};

void PrintTo(const send_case& c, std::ostream* os) {
  *os << c.line;
}

class PlaceSend : public ::testing::TestWithParam<send_case> {};

TEST_P(PlaceSend, Table) {
  const send_case& c = GetParam();
  const placement p = place_send(c.line);
  if (*c.syntax == '\0') {
    EXPECT_EQ(p.form, nullptr) << p.form->syntax;
    EXPECT_NE(p.why.find(c.why), std::string::npos) << p.why;
    return;
  }
  ASSERT_NE(p.form, nullptr) << p.why;
  EXPECT_EQ(p.form->syntax, c.syntax);
  EXPECT_EQ(p.kind, p.form->kind);
}

constexpr const char* qiopen_set =
    "AT+QIOPEN=<contextID>,<connectID>,<service_type>,<IP_address>/<domain_name>,<remote_port>"
    "[,<local_port>[,<access_mode>[,<protocol_type>]]]";

INSTANTIATE_TEST_SUITE_P(
    Coverage, PlaceSend,
    ::testing::Values(
        send_case{"test", "AT+QIOPEN=?", "AT+QIOPEN=?", ""},
        send_case{"lower_case", "at+qird=?", "AT+QIRD=?", ""},
        send_case{"open_with_vars", "AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,1",
                  qiopen_set, ""},
        send_case{"open_all_vars", "AT+QIOPEN=${ctx},${cid},${type},\"${host}\",${port}",
                  qiopen_set, ""},
        send_case{"open_refused_still_set", "AT+QIOPEN=9,0,\"TCP\",\"1.2.3.4\",80", qiopen_set, ""},
        send_case{"state_by_context", "AT+QISTATE=0,1", "AT+QISTATE=<query_type>,<contextID>", ""},
        send_case{"state_by_connection_var", "AT+QISTATE=1,${cid}",
                  "AT+QISTATE=<query_type>,<connectID>", ""},
        send_case{"send_fixed_length", "AT+QISEND=${cid},5", "AT+QISEND=<connectID>,<send_length>",
                  ""},
        send_case{"send_ctrl_z", "AT+QISEND=${cid}", "AT+QISEND=<connectID>", ""},
        send_case{"send_inline", "AT+QISEND=0,5,\"hello\"",
                  "AT+QISEND=<connectID>,<send_length>,<data>", ""},
        send_case{"send_inline_vars", "AT+QISEND=${cid},${n},\"${data}\"",
                  "AT+QISEND=<connectID>,<send_length>,<data>", ""},
        send_case{"send_inline_length_mismatch", "AT+QISEND=0,${n},\"hello\"",
                  "AT+QISEND=<connectID>,<send_length>,<data>", ""},
        send_case{"sendex_fixed", "AT+QISENDEX=0,${n}", "AT+QISENDEX=<connectID>,<send_length>",
                  ""},
        send_case{"keyed_set", "AT+QICFG=\"viewmode\",1", "AT+QICFG=\"viewmode\"[,<view_mode>]",
                  ""},
        send_case{"keyed_set_var_value", "AT+QICFG=\"showlength\",${v}",
                  "AT+QICFG=\"showlength\"[,<show_length_mode>]", ""},
        send_case{"dns_literal_dollar", "AT+QIDNSGIP=1,\"a$${x}.example\"",
                  "AT+QIDNSGIP=<contextID>,<hostname>", ""},
        send_case{"exec", "AT+QIGETERROR", "AT+QIGETERROR", ""},
        send_case{"bare_at", "AT", "AT", ""}, send_case{"basic_exec", "ATE", "ATE", ""},
        send_case{"basic_set", "ATE0", "ATE<value>", ""},
        send_case{"basic_set_var", "ATE${echo}", "ATE<value>", ""},
        send_case{"no_query_form", "AT+QIRD?", "", "has no query form"},
        send_case{"unknown_key", "AT+QICFG=\"bogus\",1", "", "with key \"bogus\""},
        send_case{"unknown_command", "AT+FOO=1", "", "unknown command AT+FOO"},
        send_case{"not_a_command", "hello", "", "not an AT command line"},
        send_case{"two_commands", "ATE0&W", "", "one command per line"},
        send_case{"unterminated_quote", "AT+QIDNSGIP=1,\"x", "", "unterminated quote"}),
    [](const auto& i) { return std::string(i.param.name); });

// ---- patterns ---------------------------------------------------------------------------------

TEST(Patterns, ExactTextIsQuotedAndReferencesMatchAnything) {
  EXPECT_EQ(exact_to_pattern("+QIRD: 4"), "\\+QIRD\\:\\ 4");
  EXPECT_EQ(exact_to_pattern("a${x}b"), "a(?s:.*)b");
  EXPECT_EQ(regex_to_pattern("\\+QIRD: ${n}$$"), "\\+QIRD: (?s:.*)$");
}

std::optional<match_bounds> bounds(const std::string& pattern) {
  std::string error;
  auto b = bounds_of(pattern, error);
  EXPECT_TRUE(b.has_value()) << pattern << ": " << error;
  return b;
}

TEST(Patterns, BoundsErrors) {
  std::string error;
  EXPECT_FALSE(bounds_of("\\+QIRD: (", error));
  EXPECT_NE(error.find("does not compile"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(bounds_of(".*RDY", error));
  EXPECT_NE(error.find("any beginning"), std::string::npos) << error;
}

struct code_case {
  const char* name;
  const char* pattern;  ///< an RE2 pattern (exact lines go through exact_to_pattern first)
  bool exact;
  const char* prefix;
  int code;  ///< 0: nothing pinned
};

void PrintTo(const code_case& c, std::ostream* os) {
  *os << c.pattern;
}

class PinnedCode : public ::testing::TestWithParam<code_case> {};

TEST_P(PinnedCode, Table) {
  const code_case& c = GetParam();
  const auto b = bounds(c.exact ? exact_to_pattern(c.pattern) : regex_to_pattern(c.pattern));
  ASSERT_TRUE(b);
  const auto code = pinned_code(*b, c.prefix);
  if (c.code == 0) {
    EXPECT_FALSE(code.has_value()) << *code;
  } else {
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, c.code);
  }
}

constexpr const char* qige = "+QIGETERROR: ";
constexpr const char* cme = "+CME ERROR: ";

INSTANTIATE_TEST_SUITE_P(
    Coverage, PinnedCode,
    ::testing::Values(
        code_case{"exact_line", "+QIGETERROR: 567,socket has been closed", true, qige, 567},
        code_case{"exact_code_only", "+QIGETERROR: 552", true, qige, 552},
        code_case{"regex_comma_any", "\\+QIGETERROR: 567,.*", false, qige, 567},
        code_case{"regex_group", "\\+QIGETERROR: (?P<code>567), .*", false, qige, 567},
        code_case{"regex_digit_class", "\\+QIGETERROR: 56\\d,.*", false, qige, 0},
        code_case{"regex_alternatives", "\\+QIGETERROR: (567|568),.*", false, qige, 0},
        code_case{"regex_more_digits_possible", "\\+QIGETERROR: 567.*", false, qige, 0},
        code_case{"regex_optional_digit", "\\+QIGETERROR: 567\\d?", false, qige, 0},
        code_case{"variable_code", "+QIGETERROR: ${code},x", true, qige, 0},
        code_case{"variable_after_code", "+QIGETERROR: 571,${text}", true, qige, 571},
        code_case{"cme_exact", "+CME ERROR: 552", true, cme, 552},
        code_case{"cme_not_qigeterror", "+CME ERROR: 552", true, qige, 0},
        code_case{"other_line", "OK", true, qige, 0},
        code_case{"no_digits", "+QIGETERROR: x", true, qige, 0}),
    [](const auto& i) { return std::string(i.param.name); });

struct urc_case {
  const char* name;
  const char* pattern;
  bool exact;
  std::vector<urc_id> urcs;
};

void PrintTo(const urc_case& c, std::ostream* os) {
  *os << c.pattern;
}

class UrcsMatched : public ::testing::TestWithParam<urc_case> {};

TEST_P(UrcsMatched, Table) {
  const urc_case& c = GetParam();
  const auto b = bounds(c.exact ? exact_to_pattern(c.pattern) : regex_to_pattern(c.pattern));
  ASSERT_TRUE(b);
  EXPECT_EQ(urcs_matched(*b, c.pattern), c.urcs);
}

INSTANTIATE_TEST_SUITE_P(
    Coverage, UrcsMatched,
    ::testing::Values(
        urc_case{"recv_regex", "\\+QIURC: \"recv\",(?P<cid>\\d),\\d+", false, {urc_id::recv}},
        urc_case{"recv_any_tail", "\\+QIURC: \"recv\",.*", false, {urc_id::recv}},
        urc_case{
            "buff_full_not_recv", "\\+QIURC: \"recv\",0,\"buff full\"", false, {urc_id::buff_full}},
        urc_case{"buff_full_exact", "+QIURC: \"recv\",1,\"buff full\"", true, {urc_id::buff_full}},
        urc_case{"closed_exact", "+QIURC: \"closed\",0", true, {urc_id::closed}},
        urc_case{"alternatives_pin_nothing", "\\+QIURC: \"(recv|closed)\",\\d", false, {}},
        urc_case{"variable_kind", "\\+QIURC: \"${kind}\",0", false, {}},
        urc_case{
            "incoming", "+QIURC: \"incoming\",1,0,\"10.0.0.2\",4000", true, {urc_id::incoming}},
        urc_case{"incoming_full", "+QIURC: \"incoming full\"", true, {urc_id::incoming_full}},
        urc_case{"qiopen", "\\+QIOPEN: (?P<cid>\\d),0", false, {urc_id::qiopen}},
        urc_case{"rdy", "RDY", true, {urc_id::rdy}},
        urc_case{"rdy_whole_line_only", "RDY2", true, {}},
        urc_case{"case_folded", "(?i)rdy", false, {}}, urc_case{"final_result", "OK", true, {}},
        urc_case{"qping", "\\+QPING: 0,\"127.0.0.1\",32,\\d+,255", false, {urc_id::qping}}),
    [](const auto& i) { return std::string(i.param.name); });

}  // namespace
}  // namespace bcconform::coverage::detail
