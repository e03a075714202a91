// module_link: how decoded elements are sorted into responses and the asynchronous queue.
#include "module_link.hpp"

#include <gtest/gtest.h>

#include "fake_transport.hpp"

namespace bcconform::runner::detail {
namespace {

using runner_test::fake_transport;
using namespace std::chrono_literals;
using protocol::event_kind;

class ModuleLink : public ::testing::Test {
 protected:
  void settle(std::chrono::milliseconds d = 100ms) {
    link.wait([] { return false; }, link.now() + d, false);
  }
  std::vector<std::string> shown(const std::deque<module_line>& q) {
    std::vector<std::string> out;
    for (const auto& l : q) {
      auto all = render_all(l);
      out.insert(out.end(), all.begin(), all.end());
    }
    return out;
  }
  using lines = std::vector<std::string>;

  fake_transport fake;
  module_link link{fake, nullptr};
};

TEST_F(ModuleLink, ResponsesAndUrcsAreSortedApart) {
  fake.on_write("AT+QISTATE?\r",
                "AT+QISTATE?\r\r\n+QIURC: \"closed\",1\r\n+QISTATE: 0,\"TCP\",\"1.2.3.4\",1,2,2,1,0"
                "\r\n\r\nOK\r\n");
  ASSERT_TRUE(link.send_line("AT+QISTATE?", link.now() + 1s));
  settle();
  EXPECT_EQ(shown(link.responses()),
            (lines{"echo: AT+QISTATE?", "+QISTATE: 0,\"TCP\",\"1.2.3.4\",1,2,2,1,0", "OK"}));
  EXPECT_EQ(shown(link.async()), (lines{"+QIURC: \"closed\",1"}));
  ASSERT_NE(link.in_flight(), nullptr);
  EXPECT_TRUE(link.in_flight()->answered);
  const auto t = link.take_timings();
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].command, "AT+QISTATE");
}

// The table does not know AT+CSQ: its own prefix and unprefixed lines are still its answer.
TEST_F(ModuleLink, AnUnknownCommandsLinesAreItsInformationLines) {
  fake.on_write("AT+CSQ\r", "\r\n+CSQ: 20,99\r\nabc\r\n+CEREG: 1\r\n\r\nOK\r\n");
  ASSERT_TRUE(link.send_line("AT+CSQ", link.now() + 1s));
  settle();
  EXPECT_EQ(shown(link.responses()), (lines{"+CSQ: 20,99", "abc", "OK"}));
  EXPECT_EQ(shown(link.async()), (lines{"+CEREG: 1 [unknown_urc]"}));
}

TEST_F(ModuleLink, UnprefixedLinesWhileNoCommandWaitsAreNoise) {
  fake.deliver("\r\nabc\r\n", 1ms);
  settle();
  EXPECT_EQ(shown(link.async()), (lines{"noise: abc"}));
}

TEST_F(ModuleLink, AQirdPayloadIsAttachedToItsHeader) {
  fake.on_write("AT+QIRD=0,512\r", "\r\n+QIRD: 4\r\nOK\r\n\r\n\r\nOK\r\n");
  fake.set_chunk(1);
  ASSERT_TRUE(link.send_line("AT+QIRD=0,512", link.now() + 1s));
  settle();
  ASSERT_EQ(link.responses().size(), 2u);
  EXPECT_EQ(link.responses()[0].text, "+QIRD: 4");
  EXPECT_EQ(link.responses()[0].payload, "OK\r\n");
  EXPECT_EQ(link.responses()[1].text, "OK");
}

TEST_F(ModuleLink, DeferredResultsAfterAnOkAreAsynchronous) {
  fake.on_write("AT+QICLOSE=0\r", "\r\nOK\r\n\r\nCLOSE OK\r\n");
  ASSERT_TRUE(link.send_line("AT+QICLOSE=0", link.now() + 1s));
  settle();
  EXPECT_EQ(shown(link.responses()), (lines{"OK"}));
  EXPECT_EQ(shown(link.async()), (lines{"CLOSE OK"}));
  EXPECT_FALSE(link.async().front().stray);
  EXPECT_EQ(link.last_deferred_budget(), std::chrono::milliseconds(10000));
}

TEST_F(ModuleLink, ADeferredResultWithoutOkEndsADataModeResponse) {
  fake.on_write("AT+QISEND=0\r", "\r\n> ").on_write("\x1A", "\r\nSEND FAIL\r\n");
  ASSERT_TRUE(link.send_line("AT+QISEND=0", link.now() + 1s));
  settle();
  EXPECT_EQ(link.in_flight()->data_mode, protocol::data_mode::until_ctrl_z);
  ASSERT_TRUE(link.send_data("\x1A", link.now() + 1s));
  settle();
  EXPECT_EQ(shown(link.responses()), (lines{"> ", "SEND FAIL"}));
  EXPECT_TRUE(link.async().empty());
  EXPECT_TRUE(link.in_flight()->answered);
}

TEST_F(ModuleLink, ResponseLinesWhileNoCommandWaitsAreStray) {
  fake.deliver("\r\nOK\r\n", 1ms);
  settle();
  ASSERT_EQ(link.async().size(), 1u);
  EXPECT_TRUE(link.async().front().stray);
  EXPECT_TRUE(link.responses().empty());
}

TEST_F(ModuleLink, DescribeCommandFindsTheDataModeForm) {
  struct row {
    const char* line;
    const char* name;
    protocol::data_mode mode;
  };
  for (const auto& r :
       {row{"AT+QISEND=0", "AT+QISEND", protocol::data_mode::until_ctrl_z},
        row{"AT+QISEND=0,5", "AT+QISEND", protocol::data_mode::fixed_length},
        row{"AT+QISEND=9", "AT+QISEND", protocol::data_mode::until_ctrl_z},
        row{"AT+QISEND=0,5,\"hello\"", "AT+QISEND", protocol::data_mode::none},
        row{"AT+QISENDEX=1,2", "AT+QISENDEX", protocol::data_mode::fixed_length},
        row{"ate1", "ATE", protocol::data_mode::none}, row{"AT", "AT", protocol::data_mode::none},
        row{"hello", "hello", protocol::data_mode::none}}) {
    sent_command c;
    describe_command(r.line, c);
    EXPECT_EQ(c.name, r.name) << r.line;
    EXPECT_EQ(c.data_mode, r.mode) << r.line;
  }
}

TEST_F(ModuleLink, AReadFailureTakesTheLinkDown) {
  fake.deliver("\r\nRDY\r\n", 1ms);
  fake.fail_at(2ms, transport::errc::device_vanished, "ENXIO");
  EXPECT_EQ(link.wait([] { return false; }, link.now() + 1s, false),
            module_link::wait_status::link_down);
  ASSERT_TRUE(link.failure());
  EXPECT_EQ(link.failure()->detail, "ENXIO");
  EXPECT_EQ(shown(link.async()), (lines{"RDY"}));
  EXPECT_FALSE(link.send_line("AT", link.now() + 1s));
}

TEST_F(ModuleLink, TheInterruptFlagEndsAWaitWithinASlice) {
  std::atomic<bool> flag{false};
  module_link l{fake, &flag};
  fake.at(1000ms, [&flag] { flag = true; });
  EXPECT_EQ(l.wait([] { return false; }, l.now() + 60s, true),
            module_link::wait_status::interrupted);
  EXPECT_LE(fake.time().elapsed(), 1100ms);
  EXPECT_LE(fake.reads(), 12u);
}

}  // namespace
}  // namespace bcconform::runner::detail
