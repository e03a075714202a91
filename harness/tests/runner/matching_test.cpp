// RE2 matching (Latin-1, whole line, named captures) and payload expectations.
#include "matching.hpp"

#include <gtest/gtest.h>

namespace bcconform::runner::detail {
namespace {

const variables none({}, {});

TEST(Pattern, MatchesWholeSubjectsOnlyAndCapturesNamedGroups) {
  auto p = pattern::compile(R"(\+QIOPEN: (?P<id>\d),(?P<err>\d+)(?P<opt>,x)?)");
  ASSERT_TRUE(p);
  captures c;
  EXPECT_TRUE(p->full_match("+QIOPEN: 1,566", &c));
  EXPECT_EQ(c["id"], "1");
  EXPECT_EQ(c["err"], "566");
  EXPECT_EQ(c["opt"], "");
  EXPECT_FALSE(p->full_match("+QIOPEN: 1,566 "));
  EXPECT_FALSE(p->full_match("x+QIOPEN: 1,566"));
  EXPECT_TRUE(p->partial_match("x+QIOPEN: 1,566 "));
}

TEST(Pattern, InLatin1EveryByteIsOneCharacter) {
  auto p = pattern::compile("a.b", encoding::latin1);
  ASSERT_TRUE(p);
  EXPECT_TRUE(
      p->full_match("a\xff"
                    "b"));
  EXPECT_TRUE(p->full_match(std::string("a\0b", 3)));
  EXPECT_FALSE(p->full_match("a\nb"));  // (?s) needed
  auto s = pattern::compile("(?s)a.b", encoding::latin1);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->full_match("a\nb"));
}

// Line patterns are UTF-8 (scenario.md "Patterns"): a character may be several bytes.
TEST(Pattern, LinePatternsAreUtf8) {
  auto p = pattern::compile("a.b");
  ASSERT_TRUE(p);
  EXPECT_TRUE(
      p->full_match("a\xc3\xa9"
                    "b"));
  EXPECT_FALSE(
      p->full_match("a\xc3\xa9\xc3\xa9"
                    "b"));
  auto l = pattern::compile("a.b", encoding::latin1);
  ASSERT_TRUE(l);
  EXPECT_FALSE(
      l->full_match("a\xc3\xa9"
                    "b"));
}

TEST(Pattern, ABadPatternIsAnErrorWithRe2sMessage) {
  auto p = pattern::compile("(abc");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().detail.find("missing )"), std::string::npos) << p.error().detail;
}

TEST(ExpandBytes, TextAndHex) {
  const variables v({{"n", "0a"}}, {});
  auto text = expand_bytes({scenario::bytes_spec::kind::text, {"x${n}"}}, v);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "x0a");
  auto hex = expand_bytes({scenario::bytes_spec::kind::hex, {"00 FF\t0a"}}, v);
  ASSERT_TRUE(hex);
  EXPECT_EQ(*hex, std::string("\0\xff\n", 3));
  EXPECT_FALSE(expand_bytes({scenario::bytes_spec::kind::hex, {"${n}"}}, v));  // no variables
  EXPECT_FALSE(expand_bytes({scenario::bytes_spec::kind::hex, {"0"}}, v));
  EXPECT_FALSE(expand_bytes({scenario::bytes_spec::kind::hex, {"zz"}}, v));
  EXPECT_FALSE(expand_bytes({scenario::bytes_spec::kind::hex, {"0 0"}}, v));
}

TEST(Payload, ExactLengthPatternAndCombinations) {
  const std::string data("a\r\n\0b", 5);
  payload_expectation p;
  p.bytes = scenario::bytes_spec{scenario::bytes_spec::kind::hex, {"610d0a0062"}};
  EXPECT_TRUE(match_payload(p, data, none).ok());
  p.length = 5;
  EXPECT_TRUE(match_payload(p, data, none).ok());
  p.length = 4;
  auto wrong_length = match_payload(p, data, none);
  EXPECT_EQ(wrong_length.result, match_outcome::status::mismatch);
  EXPECT_EQ(wrong_length.detail, "payload of 5 bytes, expected 4");
  payload_expectation re;
  re.pattern = scenario::templated{R"((?s)a\r\n\x00(?P<last>.))"};
  auto m = match_payload(re, data, none);
  ASSERT_TRUE(m.ok()) << m.detail;
  EXPECT_EQ(m.groups["last"], "b");
  payload_expectation bad;
  bad.bytes = scenario::bytes_spec{scenario::bytes_spec::kind::text, {"a\r\n"}};
  auto b = match_payload(bad, data, none);
  EXPECT_EQ(b.result, match_outcome::status::mismatch);
  EXPECT_EQ(b.detail, R"(payload "a\r\n\x00b" is not "a\r\n")");
}

TEST(Payload, HexReceiveFormatIsDecoded) {
  EXPECT_EQ(payload_data("3031", true), "01");
  EXPECT_EQ(payload_data("3031", false), "3031");
  EXPECT_EQ(payload_data("30x", true), "30x");  // not hex: the wire bytes, as evidence
}

TEST(Describe, MatchersReadAsWritten) {
  scenario::line_matcher m;
  m.text.text = "OK";
  EXPECT_EQ(describe(m), "OK");
  m.match = scenario::line_matcher::kind::regex;
  m.text.text = R"(\+QIRD: \d+)";
  EXPECT_EQ(describe(m), R"(/\+QIRD: \d+/)");
  m.match = scenario::line_matcher::kind::any_final;
  EXPECT_EQ(describe(m), "{final: any}");
  m.match = scenario::line_matcher::kind::payload;
  m.length = 4;
  EXPECT_EQ(describe(m), "payload length 4");
}

TEST(MatchPattern, UndefinedVariablesAreErrorsNotMismatches) {
  auto r = match_pattern(scenario::templated{"${x}"}, "OK", none);
  EXPECT_EQ(r.result, match_outcome::status::error);
}

}  // namespace
}  // namespace bcconform::runner::detail
