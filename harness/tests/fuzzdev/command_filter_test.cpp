#include "bcconform/fuzzdev/command_filter.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::fuzzdev {
namespace {

TEST(CommandFilter, NormalisesNames) {
  EXPECT_EQ(normalise_name("at+qird"), "+QIRD");
  EXPECT_EQ(normalise_name("+QIRD"), "+QIRD");
  EXPECT_EQ(normalise_name("qird"), "+QIRD");
  EXPECT_EQ(normalise_name("AT&W"), "&W");
  EXPECT_EQ(normalise_name("&w"), "&W");
  EXPECT_EQ(normalise_name("ATE"), "E");
  EXPECT_EQ(normalise_name("i"), "I");
  EXPECT_EQ(normalise_name("AT"), "");
  EXPECT_EQ(normalise_name("cfun"), "+CFUN");
}

TEST(CommandFilter, DefaultDeniesWhatOutlivesTheRun) {
  const command_filter f;
  for (const char* name : {"&W", "+QICFG", "+QSCLK", "+QRST", "+IPR", "+CFUN", "+QBAND"}) {
    EXPECT_TRUE(std::binary_search(f.denied().begin(), f.denied().end(), std::string(name)))
        << name;
  }
  for (const protocol::command_spec& c : protocol::commands()) {
    EXPECT_EQ(f.allows(c), !c.nvm && c.name != "+QRST") << c.name;
  }
}

TEST(CommandFilter, AllowPersistentLiftsTheDefault) {
  const auto f = command_filter::make({true, {}, {}});
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->denied().empty());
  EXPECT_EQ(f->allowed().size(), protocol::commands().size());
}

struct scan_case {
  std::string bytes;
  std::vector<std::string> deny;
  const char* want;
};

class DeniedIn : public testing::TestWithParam<scan_case> {};

TEST_P(DeniedIn, FindsWhatTheModuleWouldRead) {
  const scan_case& p = GetParam();
  const auto f = command_filter::make({false, {}, p.deny});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->denied_in(p.bytes), p.want) << protocol::escape_bytes(p.bytes);
}

INSTANTIATE_TEST_SUITE_P(
    Scan, DeniedIn,
    testing::Values(scan_case{"AT&W\r", {}, "&W"}, scan_case{"at&w0\r", {}, "&W"},
                    scan_case{"ATE0&W\r", {}, "&W"},
                    scan_case{"AT+QIX\bCFG=\"viewmode\",1\r", {}, "+QICFG"},    // backspace edits
                    scan_case{std::string("AT+QIC\0FG?\r", 11), {}, "+QICFG"},  // NUL dropped
                    scan_case{"AT + q r s t = 1\r", {}, "+QRST"},               // spaces ignored
                    scan_case{"AT+CFUN=1,1\r", {}, "+CFUN"}, scan_case{"AT+QIRD=0,5\r", {}, ""},
                    scan_case{"AT+QISENDEX=?\r", {"+QISEND"}, ""},  // a longer name is another
                    scan_case{"AT+QISEND=?\r", {"+QISEND"}, "+QISEND"},
                    scan_case{"ATE0\r", {"E"}, "E"}, scan_case{"ATI\r", {"E"}, ""},
                    scan_case{"AT+QISTATE?\rAT&W\r", {}, "&W"}));

TEST(CommandFilter, RefusesWhatCannotBeHonoured) {
  EXPECT_FALSE(command_filter::make({false, {"+NOSUCH"}, {}}));
  EXPECT_FALSE(command_filter::make({false, {}, {"AT"}}));
  // Only persistent commands, deny-list on: nothing left.
  EXPECT_FALSE(command_filter::make({false, {"AT&W"}, {}}));
  EXPECT_TRUE(command_filter::make({true, {"AT&W"}, {}}));
}

}  // namespace
}  // namespace bcconform::fuzzdev
