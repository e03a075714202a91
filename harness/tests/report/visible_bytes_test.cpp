// visible_bytes(): every byte alone, then UTF-8 sequences good and bad. The output must be
// printable ASCII or well-formed UTF-8 inside XML 1.0's character set, and must lose nothing.
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/report/junit.hpp"

namespace bcconform::report {
namespace {

// What a lone byte must look like, written out independently of the implementation.
std::string expected_for_byte(int b) {
  switch (b) {
    case 0x00:
      return "<NUL>";
    case 0x09:
      return "<TAB>";
    case 0x0a:
      return "<LF>";
    case 0x0d:
      return "<CR>";
    case 0x1b:
      return "<ESC>";
    default:
      break;
  }
  if (b >= 0x20 && b <= 0x7e) return std::string(1, static_cast<char>(b));
  static const char* hex = "0123456789ABCDEF";
  return std::string("<") + hex[b >> 4] + hex[b & 15] + ">";
}

class lone_byte : public ::testing::TestWithParam<int> {};

TEST_P(lone_byte, IsItselfOrAVisibleToken) {
  const int b = GetParam();
  EXPECT_EQ(visible_bytes(std::string(1, static_cast<char>(b))), expected_for_byte(b));
}

INSTANTIATE_TEST_SUITE_P(EveryByte, lone_byte, ::testing::Range(0, 256),
                         [](const ::testing::TestParamInfo<int>& i) {
                           static const char* hex = "0123456789ABCDEF";
                           return std::string("x") + hex[i.param >> 4] + hex[i.param & 15];
                         });

TEST(visible_bytes, SpotChecksOfTheByteTable) {
  EXPECT_EQ(visible_bytes("\x1a"), "<1A>");
  EXPECT_EQ(visible_bytes("\x7f"), "<7F>");
  EXPECT_EQ(visible_bytes("\x01"), "<01>");
  EXPECT_EQ(visible_bytes("\xff"), "<FF>");
  EXPECT_EQ(visible_bytes(std::string("\0", 1)), "<NUL>");
  EXPECT_EQ(visible_bytes("\r\nOK\r\n"), "<CR><LF>OK<CR><LF>");
}

struct utf8_case {
  const char* name;
  std::string input;
  std::string expected;
};

std::ostream& operator<<(std::ostream& os, const utf8_case& c) {
  return os << c.name;
}

class utf8 : public ::testing::TestWithParam<utf8_case> {};

TEST_P(utf8, Shown) {
  EXPECT_EQ(visible_bytes(GetParam().input), GetParam().expected);
}

const utf8_case utf8_cases[] = {
    {"empty", "", ""},
    {"xml_metacharacters_left_to_the_writer", "]]><&\"'", "]]><&\"'"},
    {"two_byte_e_acute", "caf\xC3\xA9", "caf\xC3\xA9"},
    {"nbsp_first_after_c1", "\xC2\xA0", "\xC2\xA0"},
    {"three_byte_euro", "\xE2\x82\xAC", "\xE2\x82\xAC"},
    {"four_byte_emoji", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
    {"last_before_surrogates_d7ff", "\xED\x9F\xBF", "\xED\x9F\xBF"},
    {"first_after_surrogates_e000", "\xEE\x80\x80", "\xEE\x80\x80"},
    {"replacement_char_fffd", "\xEF\xBF\xBD", "\xEF\xBF\xBD"},
    {"max_code_point_10ffff", "\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"},
    {"chinese_text", "\xE6\x96\x87\xE6\xA1\xA3", "\xE6\x96\x87\xE6\xA1\xA3"},
    {"c1_first_0080", "\xC2\x80", "<C2><80>"},
    {"c1_last_009f", "\xC2\x9F", "<C2><9F>"},
    {"noncharacter_fffe", "\xEF\xBF\xBE", "<EF><BF><BE>"},
    {"noncharacter_ffff", "\xEF\xBF\xBF", "<EF><BF><BF>"},
    {"overlong_slash_2", "\xC0\xAF", "<C0><AF>"},
    {"overlong_nul_modified_utf8", "\xC0\x80", "<C0><80>"},
    {"overlong_c1_lead", "\xC1\xBF", "<C1><BF>"},
    {"overlong_slash_3", "\xE0\x80\xAF", "<E0><80><AF>"},
    {"overlong_slash_4", "\xF0\x80\x80\xAF", "<F0><80><80><AF>"},
    {"surrogate_high_d800", "\xED\xA0\x80", "<ED><A0><80>"},
    {"surrogate_low_dfff", "\xED\xBF\xBF", "<ED><BF><BF>"},
    {"surrogate_pair_cesu8", "\xED\xA0\xBD\xED\xB8\x80", "<ED><A0><BD><ED><B8><80>"},
    {"above_10ffff", "\xF4\x90\x80\x80", "<F4><90><80><80>"},
    {"lead_f5", "\xF5\x80\x80\x80", "<F5><80><80><80>"},
    {"lone_continuation", "\x80", "<80>"},
    {"truncated_at_end", "\xE2\x82", "<E2><82>"},
    {"truncated_then_ascii",
     "\xE2\x82"
     "A",
     "<E2><82>A"},
    {"truncated_four_byte", "\xF0\x9F\x98", "<F0><9F><98>"},
    {"stray_lead_then_valid", "\xC3\xC3\xA9", "<C3>\xC3\xA9"},
    {"continuation_is_control", "\xC3\x0A", "<C3><LF>"},
    {"latin1_text", "caf\xE9!", "caf<E9>!"},
    {"mixed_line", "+QIRD: 3\r\n\x1a\x1b[0m\xFF\r\n", "+QIRD: 3<CR><LF><1A><ESC>[0m<FF><CR><LF>"},
};

INSTANTIATE_TEST_SUITE_P(Sequences, utf8, ::testing::ValuesIn(utf8_cases),
                         [](const ::testing::TestParamInfo<utf8_case>& i) {
                           return std::string(i.param.name);
                         });

// Reads a visible_bytes() output back, for inputs without '<': tokens become their bytes.
std::string decode_tokens(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '<') {
      out += text[i++];
      continue;
    }
    const std::size_t end = text.find('>', i);
    const std::string token = text.substr(i + 1, end - i - 1);
    if (token == "NUL")
      out += '\0';
    else if (token == "TAB")
      out += '\t';
    else if (token == "LF")
      out += '\n';
    else if (token == "CR")
      out += '\r';
    else if (token == "ESC")
      out += '\x1b';
    else
      out += static_cast<char>(std::stoi(token, nullptr, 16));
    i = end + 1;
  }
  return out;
}

// True when `s` holds only XML 1.0 characters other than controls: printable ASCII and
// well-formed UTF-8 of U+00A0 and above, without U+FFFE/U+FFFF.
bool only_visible_characters(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b <= 0x7e) {
      ++i;
      continue;
    }
    if (b < 0xc2) return false;  // control, DEL, continuation or overlong lead
    const std::size_t n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    if (i + n > s.size()) return false;
    std::uint32_t cp = b & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
    for (std::size_t k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
    if (cp < 0xa0 || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
        cp > 0x10ffff)
      return false;
    i += n;
  }
  return true;
}

// Deterministic pseudo-random inputs: nothing dropped (decoding the tokens gives the input
// back) and nothing unsafe left.
TEST(visible_bytes, RandomInputsLoseNothingAndLeaveNothingUnsafe) {
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245u + 12345u;
    return static_cast<unsigned char>(state >> 16);
  };
  for (int round = 0; round < 2000; ++round) {
    std::string input;
    const int len = next() % 40;
    for (int i = 0; i < len; ++i) {
      unsigned char b = next();
      // Bias towards UTF-8 lead and continuation bytes so well-formed sequences occur.
      if (b % 3 == 0) b = static_cast<unsigned char>(0x80 | (b & 0x3f));
      input += b == '<' ? 'x' : static_cast<char>(b);
    }
    const std::string shown = visible_bytes(input);
    ASSERT_TRUE(only_visible_characters(shown)) << shown;
    ASSERT_EQ(decode_tokens(shown), input) << shown;
  }
}

TEST(visible_bytes, EveryByteValueInOneStringRoundTrips) {
  std::string all;
  for (int b = 0; b < 256; ++b)
    if (b != '<') all += static_cast<char>(b);
  const std::string shown = visible_bytes(all);
  EXPECT_TRUE(only_visible_characters(shown));
  EXPECT_EQ(decode_tokens(shown), all);
}

}  // namespace
}  // namespace bcconform::report
