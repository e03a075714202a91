// The transcript format (transcript.hpp): escaping, record parsing and formatting, round trips
// over every byte value, and error messages that name the column.
#include "bcconform/protocol/transcript.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace bcconform::protocol {
namespace {

using namespace std::string_literals;

std::string all_bytes() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

// ---------------------------------------------------------------------------------------------
// escape_bytes / unescape_bytes

struct escape_case {
  const char* name;
  std::string bytes;
  std::string text;
};

class escape_test : public testing::TestWithParam<escape_case> {};

TEST_P(escape_test, escapes_and_unescapes) {
  const auto& c = GetParam();
  EXPECT_EQ(escape_bytes(c.bytes), c.text);
  auto back = unescape_bytes(c.text);
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(*back, c.bytes);
}

// Byte strings taken from the note's own traffic (AN 4.1.3, AN 2.1.4) plus the edge bytes.
INSTANTIATE_TEST_SUITE_P(
    cases, escape_test,
    testing::Values(escape_case{"empty", "", ""},
                    escape_case{"command_line", "AT+QIRD=0,512\r", "AT+QIRD=0,512\\r"},
                    escape_case{"qird_response", "\r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n",
                                "\\r\\n+QIRD: 4\\r\\ntest\\r\\n\\r\\nOK\\r\\n"},
                    escape_case{"quotes_stay", "AT+QICFG=\"viewmode\",1\r",
                                "AT+QICFG=\"viewmode\",1\\r"},
                    escape_case{"backslash", "a\\b", "a\\\\b"}, escape_case{"tab", "\t", "\\t"},
                    escape_case{"ctrl_z_and_esc", "abc\x1a\x1b", "abc\\x1A\\x1B"},
                    escape_case{"nul_and_ff", "\x00\xff"s, "\\x00\\xFF"},
                    escape_case{"del_and_high", "\x7f\x80", "\\x7F\\x80"},
                    escape_case{"prompt_trailing_space", "\r\n> ", "\\r\\n>\\x20"},
                    escape_case{"only_space", " ", "\\x20"},
                    escape_case{"two_trailing_spaces", "a  ", "a \\x20"},
                    escape_case{"inner_space", "SEND OK", "SEND OK"},
                    escape_case{"leading_space", " x", " x"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(escape, every_byte_value_round_trips_alone_and_as_last_byte) {
  for (int i = 0; i < 256; ++i) {
    const std::string one(1, static_cast<char>(i));
    for (const std::string& bytes : {one, "x" + one, one + "x", one + one}) {
      const std::string text = escape_bytes(bytes);
      for (const char c : text) {
        EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << "byte " << i << " escaped to a raw " << int(c);
      }
      EXPECT_NE(text.back(), ' ') << "byte " << i;
      auto back = unescape_bytes(text);
      ASSERT_TRUE(back.has_value()) << "byte " << i << ": " << back.error().detail;
      EXPECT_EQ(*back, bytes) << "byte " << i;
    }
  }
}

TEST(escape, all_256_bytes_in_one_string_round_trip) {
  const std::string bytes = all_bytes();
  auto back = unescape_bytes(escape_bytes(bytes));
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(*back, bytes);
}

TEST(escape, hex_digits_are_read_in_either_case) {
  auto lower = unescape_bytes("\\x1a\\xff");
  ASSERT_TRUE(lower.has_value());
  EXPECT_EQ(*lower, "\x1a\xff");
  auto upper = unescape_bytes("\\x1A\\xFF");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(*upper, "\x1a\xff");
}

struct malformed_case {
  const char* name;
  std::string text;
  std::string detail;
};

class unescape_error_test : public testing::TestWithParam<malformed_case> {};

TEST_P(unescape_error_test, names_the_column) {
  const auto& c = GetParam();
  auto r = unescape_bytes(c.text);
  ASSERT_FALSE(r.has_value()) << "accepted: " << c.text;
  EXPECT_EQ(r.error().code, make_error_code(errc::syntax));
  EXPECT_EQ(r.error().detail, c.detail);
}

INSTANTIATE_TEST_SUITE_P(
    cases, unescape_error_test,
    testing::Values(
        malformed_case{"unknown_escape", "ab\\q", "column 3: unknown escape \\q"},
        malformed_case{"x_without_digits", "\\x", "column 1: \\x needs two hex digits"},
        malformed_case{"x_one_digit_at_end", "OK\\x1", "column 3: \\x needs two hex digits"},
        malformed_case{"x_non_hex", "\\xg0", "column 1: \\x needs two hex digits"},
        malformed_case{"x_second_non_hex", "ab\\x0z", "column 3: \\x needs two hex digits"},
        malformed_case{"lone_backslash", "abc\\", "column 4: a lone \\ at the end of the record"},
        malformed_case{"raw_tab", "a\tb", "column 2: raw byte 0x09 must be escaped"},
        malformed_case{"raw_cr", "OK\r", "column 3: raw byte 0x0D must be escaped"},
        malformed_case{"raw_high_byte", "\xc3\xa9", "column 1: raw byte 0xC3 must be escaped"},
        malformed_case{"raw_nul", "ab\x00"s, "column 3: raw byte 0x00 must be escaped"},
        malformed_case{"raw_trailing_space", "> ",
                       "column 2: a trailing space must be written \\x20"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

// ---------------------------------------------------------------------------------------------
// Records

struct record_case {
  const char* name;
  std::string line;
  transcript_record record;
};

class parse_record_test : public testing::TestWithParam<record_case> {};

TEST_P(parse_record_test, parses) {
  const auto& c = GetParam();
  auto r = parse_transcript_line(c.line);
  ASSERT_TRUE(r.has_value()) << r.error().detail;
  EXPECT_EQ(r->dir, c.record.dir);
  EXPECT_EQ(r->bytes, c.record.bytes);
  ASSERT_EQ(r->seconds.has_value(), c.record.seconds.has_value());
  if (c.record.seconds) {
    EXPECT_DOUBLE_EQ(*r->seconds, *c.record.seconds);
  }
}

// The lines of the example in transcript.hpp, and the variants the grammar allows.
INSTANTIATE_TEST_SUITE_P(
    cases, parse_record_test,
    testing::Values(
        record_case{"header",
                    "# bcconform-transcript 1",
                    {std::nullopt, direction::note, "bcconform-transcript 1"}},
        record_case{"timed_host",
                    "0.000000 > AT+QIRD=0,512\\r",
                    {0.0, direction::to_module, "AT+QIRD=0,512\r"}},
        record_case{"timed_module",
                    "0.012734 < \\r\\n+QIRD: 4\\r\\ntest\\r\\n\\r\\nOK\\r\\n",
                    {0.012734, direction::from_module, "\r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n"}},
        record_case{"dash_note",
                    "- # peer closed the connection",
                    {std::nullopt, direction::note, "peer closed the connection"}},
        record_case{"untimed_host", "> ATE0\\r", {std::nullopt, direction::to_module, "ATE0\r"}},
        record_case{"dash_module", "- < OK", {std::nullopt, direction::from_module, "OK"}},
        record_case{"timed_note", "12.5 # pause", {12.5, direction::note, "pause"}},
        record_case{"integer_time", "3 < x", {3.0, direction::from_module, "x"}},
        record_case{"blank_line", "", {std::nullopt, direction::note, ""}},
        record_case{"bare_hash", "#", {std::nullopt, direction::note, ""}},
        record_case{"hash_without_space", "#note", {std::nullopt, direction::note, "note"}},
        record_case{"empty_module_record", "0.100000 <", {0.1, direction::from_module, ""}},
        record_case{"leading_space_in_bytes", "<  x", {std::nullopt, direction::from_module, " x"}},
        record_case{"prompt", "< \\r\\n>\\x20", {std::nullopt, direction::from_module, "\r\n> "}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

class parse_error_test : public testing::TestWithParam<malformed_case> {};

TEST_P(parse_error_test, names_the_column) {
  const auto& c = GetParam();
  auto r = parse_transcript_line(c.text);
  ASSERT_FALSE(r.has_value()) << "accepted: " << c.text;
  EXPECT_EQ(r.error().code, make_error_code(errc::syntax));
  EXPECT_EQ(r.error().detail, c.detail);
}

INSTANTIATE_TEST_SUITE_P(
    cases, parse_error_test,
    testing::Values(
        malformed_case{"no_direction", "x AT", "column 1: expected a direction '>', '<' or '#'"},
        malformed_case{"time_alone", "0.5", "column 1: a time needs a direction after it"},
        malformed_case{"bad_direction_after_time", "0.5 x",
                       "column 5: expected a direction '>', '<' or '#'"},
        malformed_case{"missing_space", ">AT", "column 2: expected a space after the direction"},
        malformed_case{"letter_in_time", "1a > x", "column 2: a time is digits and one '.'"},
        malformed_case{"negative_time", "-1.0 > x", "column 1: a time is digits and one '.'"},
        malformed_case{"two_dots", "1.2.3 > x", "column 1: unreadable time \"1.2.3\""},
        malformed_case{"escape_column_counts_prefix", "0.5 < ab\\x4",
                       "column 9: \\x needs two hex digits"},
        malformed_case{"escape_in_note", "# a\\qb", "column 4: unknown escape \\q"},
        malformed_case{"raw_trailing_space_after_time", "1.000000 > AT ",
                       "column 14: a trailing space must be written \\x20"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

struct format_case {
  const char* name;
  transcript_record record;
  std::string line;
};

class format_record_test : public testing::TestWithParam<format_case> {};

TEST_P(format_record_test, formats_and_parses_back) {
  const auto& c = GetParam();
  EXPECT_EQ(format_transcript_record(c.record), c.line);
  auto back = parse_transcript_line(c.line);
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(*back, c.record);
}

INSTANTIATE_TEST_SUITE_P(
    cases, format_record_test,
    testing::Values(
        format_case{"timed_host",
                    {0.0, direction::to_module, "AT+QIRD=0,512\r"},
                    "0.000000 > AT+QIRD=0,512\\r"},
        format_case{"timed_module",
                    {0.012734, direction::from_module, "\r\n+QIRD: 4\r\ntest\r\n"},
                    "0.012734 < \\r\\n+QIRD: 4\\r\\ntest\\r\\n"},
        format_case{"six_decimals", {1.5, direction::from_module, "OK"}, "1.500000 < OK"},
        format_case{"untimed_host", {std::nullopt, direction::to_module, "ATE0\r"}, "> ATE0\\r"},
        format_case{"untimed_note",
                    {std::nullopt, direction::note, "bcconform-transcript 1"},
                    std::string(transcript_header)},
        format_case{"timed_note", {2.25, direction::note, "peer closed"}, "2.250000 # peer closed"},
        format_case{"empty_bytes", {0.5, direction::from_module, ""}, "0.500000 <"},
        format_case{
            "trailing_space", {std::nullopt, direction::from_module, "\r\n> "}, "< \\r\\n>\\x20"},
        format_case{"quotes",
                    {std::nullopt, direction::to_module, "AT+QIDNSGIP=1,\"localhost\"\r"},
                    "> AT+QIDNSGIP=1,\"localhost\"\\r"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(record, round_trips_every_byte_value_in_every_direction) {
  const std::string bytes = all_bytes();
  for (const direction d : {direction::to_module, direction::from_module, direction::note}) {
    for (const auto& seconds : {std::optional<double>{}, std::optional<double>{0.25}}) {
      for (int i = 0; i < 256; ++i) {
        // Each byte alone, as the last byte (trailing space), and the whole byte range.
        for (const std::string& b : {std::string(1, static_cast<char>(i)),
                                     "AT" + std::string(1, static_cast<char>(i)), bytes}) {
          const transcript_record r{seconds, d, b};
          const std::string line = format_transcript_record(r);
          EXPECT_EQ(line.find('\n'), std::string::npos);
          auto back = parse_transcript_line(line);
          ASSERT_TRUE(back.has_value()) << line << ": " << back.error().detail;
          EXPECT_EQ(*back, r) << line;
        }
      }
    }
  }
}

TEST(record, time_survives_to_six_decimals) {
  for (const double s : {0.0, 0.000001, 0.012734, 1.0, 59.999999, 86400.123456}) {
    const transcript_record r{s, direction::from_module, "OK"};
    auto back = parse_transcript_line(format_transcript_record(r));
    ASSERT_TRUE(back.has_value());
    ASSERT_TRUE(back->seconds.has_value());
    EXPECT_NEAR(*back->seconds, s, 0.5e-6) << format_transcript_record(r);
  }
}

TEST(record, the_header_line_is_a_note) {
  auto r = parse_transcript_line(transcript_header);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->dir, direction::note);
  EXPECT_FALSE(r->seconds.has_value());
  EXPECT_EQ(r->bytes, "bcconform-transcript 1");
}

}  // namespace
}  // namespace bcconform::protocol
