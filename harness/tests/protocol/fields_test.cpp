// field_reader, parse_integer, parse_count and split_prefix. Inputs live in exact-size heap
// buffers so that ASan reports any read past the end of a field list.
#include "bcconform/protocol/fields.hpp"

#include <gtest/gtest.h>

#include "support/exact_buffer.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bcconform::protocol {
namespace {

using test_support::exact_buffer;

struct expected_field {
  std::string raw;
  std::string text;
  bool quoted;
};

struct reader_case {
  const char* name;
  const char* params;
  std::vector<expected_field> fields;  // read before the final status
  bool malformed;                      // final status: malformed rather than end
};

std::ostream& operator<<(std::ostream& os, const reader_case& c) {
  return os << c.name;
}

class field_reader_test : public testing::TestWithParam<reader_case> {};

TEST_P(field_reader_test, reads_fields_then_stops) {
  const reader_case& c = GetParam();
  const exact_buffer buf(c.params);
  field_reader reader(buf.view());
  for (std::size_t i = 0; i < c.fields.size(); ++i) {
    field f;
    ASSERT_EQ(reader.next(f), field_reader::status::field) << "field " << i + 1;
    EXPECT_EQ(f.raw, c.fields[i].raw) << "field " << i + 1;
    EXPECT_EQ(f.text, c.fields[i].text) << "field " << i + 1;
    EXPECT_EQ(f.quoted, c.fields[i].quoted) << "field " << i + 1;
  }
  field f;
  const auto want = c.malformed ? field_reader::status::malformed : field_reader::status::end;
  EXPECT_EQ(reader.next(f), want);
  // Once stopped, the reader stays stopped.
  EXPECT_EQ(reader.next(f), field_reader::status::end);
}

const reader_case reader_cases[] = {
    {"qistate_row",
     R"(0,"TCP","220.18.39.22",8062,0,2,1,0)",
     {{"0", "0", false},
      {R"("TCP")", "TCP", true},
      {R"("220.18.39.22")", "220.18.39.22", true},
      {"8062", "8062", false},
      {"0", "0", false},
      {"2", "2", false},
      {"1", "1", false},
      {"0", "0", false}},
     false},
    {"empty_params", "", {{"", "", false}}, false},
    {"lone_comma", ",", {{"", "", false}, {"", "", false}}, false},
    {"empty_middle_field", "1,,3", {{"1", "1", false}, {"", "", false}, {"3", "3", false}}, false},
    {"trailing_comma", "1,", {{"1", "1", false}, {"", "", false}}, false},
    {"trailing_comma_after_quote", R"("a",)", {{R"("a")", "a", true}, {"", "", false}}, false},
    {"comma_inside_quotes",
     R"(0,"18/04/20,11:08:20+32")",
     {{"0", "0", false}, {R"("18/04/20,11:08:20+32")", "18/04/20,11:08:20+32", true}},
     false},
    // AN 4.7 and AN 4.8 print a space after the comma.
    {"space_before_quoted",
     R"(0, "18/04/20,11:08:20+32")",
     {{"0", "0", false}, {R"("18/04/20,11:08:20+32")", "18/04/20,11:08:20+32", true}},
     false},
    {"space_before_bare",
     "552, invalid parameters",
     {{"552", "552", false}, {"invalid parameters", "invalid parameters", false}},
     false},
    {"spaces_around_bare", "  7  ,8", {{"7", "7", false}, {"8", "8", false}}, false},
    {"space_after_closing_quote", R"("a" ,1)", {{R"("a")", "a", true}, {"1", "1", false}}, false},
    {"space_after_closing_quote_at_end", R"("a"  )", {{R"("a")", "a", true}}, false},
    {"empty_quoted", R"("",1)", {{R"("")", "", true}, {"1", "1", false}}, false},
    {"quote_inside_bare_field",
     R"(ab"c,d)",
     {{R"(ab"c)", R"(ab"c)", false}, {"d", "d", false}},
     false},
    {"unterminated_quote", R"(0,"abc)", {{"0", "0", false}}, true},
    {"unterminated_lone_quote", R"(")", {}, true},
    {"text_after_closing_quote", R"("recv"x,0)", {}, true},
    {"second_quote_run", R"(1,"a""b")", {{"1", "1", false}}, true},
    {"quote_then_text_at_end", R"("a"b)", {}, true},
};

INSTANTIATE_TEST_SUITE_P(cases, field_reader_test, testing::ValuesIn(reader_cases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(field_reader, rest_is_what_follows_the_last_field) {
  const exact_buffer buf("10,2,0123456789");
  field_reader reader(buf.view());
  field f;
  ASSERT_EQ(reader.next(f), field_reader::status::field);
  ASSERT_EQ(reader.next(f), field_reader::status::field);
  EXPECT_EQ(reader.rest(), "0123456789");
}

struct integer_case {
  const char* text;
  std::optional<std::int64_t> want;
};

class parse_integer_test : public testing::TestWithParam<integer_case> {};

TEST_P(parse_integer_test, parses_or_refuses) {
  const integer_case& c = GetParam();
  const exact_buffer buf(c.text);
  EXPECT_EQ(parse_integer(buf.view()), c.want) << '"' << c.text << '"';
}

constexpr auto i64_max = std::numeric_limits<std::int64_t>::max();
constexpr auto i64_min = std::numeric_limits<std::int64_t>::min();

const integer_case integer_cases[] = {
    {"0", 0},
    {"-0", 0},
    {"7", 7},
    {"007", 7},
    {"-12", -12},
    {"8062", 8062},
    {"2147483648", 2147483648LL},
    {"4294967301", 4294967301LL},
    {"99999999999", 99999999999LL},
    {"999999999999999999", 999999999999999999LL},    // 18 digits
    {"1000000000000000000", 1000000000000000000LL},  // 19 digits
    {"9223372036854775807", i64_max},                // 2^63 - 1
    {"9223372036854775808", std::nullopt},           // 2^63
    {"9999999999999999999", std::nullopt},           // 19 digits, > 2^63
    {"18446744073709551615", std::nullopt},          // 2^64 - 1, 20 digits
    {"18446744073709551616", std::nullopt},          // 2^64: must not wrap to 0
    {"18446744073709551623", std::nullopt},          // 2^64 + 7: must not wrap to 7
    {"99999999999999999999", std::nullopt},          // 20 digits
    {"-9223372036854775807", -i64_max},
    {"-9223372036854775808", i64_min},  // -2^63 fits
    {"-9223372036854775809", std::nullopt},
    {"00000000000000000000000000042", 42},  // leading zeros only
    {"-00000000000000000000000000042", -42},
    {"", std::nullopt},
    {"-", std::nullopt},
    {"--1", std::nullopt},
    {"+1", std::nullopt},
    {" 1", std::nullopt},
    {"1 ", std::nullopt},
    {"1a", std::nullopt},
    {"0x10", std::nullopt},
    {"1.5", std::nullopt},
    {"\"1\"", std::nullopt},
    {"(0-5)", std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(cases, parse_integer_test, testing::ValuesIn(integer_cases));

struct count_case {
  const char* text;
  std::uint32_t max;
  std::optional<std::uint32_t> want;
};

class parse_count_test : public testing::TestWithParam<count_case> {};

TEST_P(parse_count_test, parses_or_refuses) {
  const count_case& c = GetParam();
  const exact_buffer buf(c.text);
  EXPECT_EQ(parse_count(buf.view(), c.max), c.want) << '"' << c.text << "\" max " << c.max;
}

constexpr auto u32_max = std::numeric_limits<std::uint32_t>::max();

const count_case count_cases[] = {
    {"0", 512, 0},
    {"512", 512, 512},
    {"513", 512, std::nullopt},
    {"0512", 512, 512},
    {"4294967295", u32_max, u32_max},
    {"4294967296", u32_max, std::nullopt},
    {"4294967301", u32_max, std::nullopt},  // parsers.md §4 case 40: must not wrap to 5
    {"18446744073709551621", u32_max, std::nullopt},
    {"000000000000000000001", 5, 1},
    {"-0", 512, std::nullopt},
    {"-1", 512, std::nullopt},
    {"", 512, std::nullopt},
    {"1,2", 512, std::nullopt},
};

INSTANTIATE_TEST_SUITE_P(cases, parse_count_test, testing::ValuesIn(count_cases));

struct prefix_case {
  const char* line;
  bool found;
  const char* prefix;
  const char* params;
};

class split_prefix_test : public testing::TestWithParam<prefix_case> {};

TEST_P(split_prefix_test, splits_at_the_first_colon) {
  const prefix_case& c = GetParam();
  const exact_buffer buf(c.line);
  const auto split = split_prefix(buf.view());
  ASSERT_EQ(split.has_value(), c.found) << c.line;
  if (!split) return;
  EXPECT_EQ(split->prefix, c.prefix);
  EXPECT_EQ(split->params, c.params);
}

const prefix_case prefix_cases[] = {
    {"+QIRD: 10,2", true, "+QIRD", "10,2"},
    {"+QIRD:10,2", true, "+QIRD", "10,2"},
    {"+QIRD:  10", true, "+QIRD", " 10"},  // only one space is dropped
    {"+QIRD:", true, "+QIRD", ""},
    {"+QIRD: ", true, "+QIRD", ""},
    {"+CME ERROR: 50", true, "+CME ERROR", "50"},
    {R"(+QNTP: 0,"18/04/20,11:08:20+32")", true, "+QNTP", R"(0,"18/04/20,11:08:20+32")"},
    {":", true, "", ""},
    {"OK", false, "", ""},
    {"", false, "", ""},
};

INSTANTIATE_TEST_SUITE_P(cases, split_prefix_test, testing::ValuesIn(prefix_cases));

}  // namespace
}  // namespace bcconform::protocol
