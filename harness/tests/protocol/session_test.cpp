// session_tracker: the context it derives from a conversation (session.hpp).
#include "bcconform/protocol/session.hpp"

#include <gtest/gtest.h>

#include <string>

#include "bcconform/protocol/event_log.hpp"

namespace bcconform::protocol {
namespace {

struct conversation {
  event_log_sink log;
  session_tracker tracker{log};
  stream_parser parser{tracker.context(), tracker};

  void host(std::string_view bytes) { tracker.on_host_bytes(bytes); }
  void module(std::string_view bytes) { parser.feed(bytes); }
};

TEST(SessionTracker, LfAfterTheCommandsCrIsNotData) {
  // V.250 §5.2.1: the LF of a CR LF line end belongs to the command line, also when the
  // command enters fixed-length data mode (AN 2.1.4); the 3 data bytes start after it.
  conversation c;
  c.host("AT+QISEND=0,3\r\n");
  c.module("AT+QISEND=0,3\r\r\n> ");
  c.host("\nab");
  EXPECT_EQ(c.tracker.context().pending_data_echo, "\nab");
  c.module("\nab\r\nOK\r\n");
  EXPECT_NE(c.log.log.find("echo \"\\nab\""), std::string::npos) << c.log.log;
}

TEST(SessionTracker, QisendexFixedLengthCountsHexDigits) {
  // E19: <send_length> counts bytes, the host types two hex digits per byte (AN 2.1.6).
  conversation c;
  c.host("AT+QISENDEX=0,2\r");
  c.module("AT+QISENDEX=0,2\r\r\n> ");
  c.host("3031");
  c.host("AT+QISTATE=1,0\r");  // after 4 digits the host is back in command mode
  EXPECT_EQ(c.tracker.last_command().name, "+QISTATE");
}

TEST(SessionTracker, AccessModeFollowsQiopenQiswtmdAndIncoming) {
  conversation c;
  c.host("ATE0\r");
  c.module("ATE0\r\r\nOK\r\n");
  EXPECT_FALSE(c.tracker.context().echo);
  c.host("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",8062,0,1\r");  // AN 2.1.1 <access_mode> 1
  c.module("\r\nOK\r\n");
  EXPECT_EQ(c.tracker.context().access[1], access_mode::direct_push);
  c.host("AT+QISWTMD=1,0\r");  // AN 2.1.7
  c.module("\r\nOK\r\n");
  EXPECT_EQ(c.tracker.context().access[1], access_mode::buffer);
  c.host("AT+QISWTMD=2,1\r");
  c.module("\r\nOK\r\n");
  EXPECT_EQ(c.tracker.context().access[2], access_mode::direct_push);
  c.module("\r\n+QIURC: \"incoming\",2,0,\"127.0.0.1\",36566\r\n");  // AN 2.2.5: buffer mode
  EXPECT_EQ(c.tracker.context().access[2], access_mode::buffer);
}

TEST(SessionTracker, QicfgSetAndQueryAnswersUpdateTheFraming) {
  conversation c;
  c.host("AT+QICFG=\"viewmode\",1\r");  // AN 4.1.3: the set may come without an echo (E30)
  c.module("AT+QICFG=\"viewmode\",1\r\r\nOK\r\n");
  EXPECT_EQ(c.tracker.context().viewmode, 1);
  c.host("AT+QICFG=\"showlength\"\r");  // E32: a key without values is a query
  c.module("AT+QICFG=\"showlength\"\r\r\n+QICFG: \"showlength\",1\r\n\r\nOK\r\n");
  EXPECT_TRUE(c.tracker.context().showlength);
  c.host("AT+QICFG=\"dataformat\",0,1\r");
  c.module("AT+QICFG=\"dataformat\",0,1\r\r\nERROR\r\n");  // refused: nothing changes
  EXPECT_EQ(c.tracker.context().recv_format, data_format::text);
}

TEST(SessionTracker, BackspaceEditsTheCommandButTheEchoIsAsTyped) {
  // V.250 §5.2.2: S5 (backspace) deletes the previous character; the echo shows the keys.
  conversation c;
  c.host("X\bAT+CGMR\r");
  EXPECT_EQ(c.tracker.last_command().name, "+CGMR");
  EXPECT_EQ(c.tracker.context().command.echo_text, "X\bAT+CGMR");
  c.module("X\bAT+CGMR\r\r\nRevision: BC25PAR01A06\r\n\r\nOK\r\n");
  EXPECT_NE(c.log.log.find("echo \"X\\x08AT+CGMR\""), std::string::npos) << c.log.log;
  EXPECT_NE(c.log.log.find("info CGMR \"Revision: BC25PAR01A06\""), std::string::npos) << c.log.log;
}

TEST(SessionTracker, LineFeedWhereTheEditedLineIsEmptyIsDropped) {
  // V.250 §5.2.1: an LF that starts a line is ignored, also after a backspace that deleted
  // nothing; the module neither echoes nor keeps it (bcemu's interpreter does the same).
  conversation c;
  c.host("\b\nATI\r");
  EXPECT_EQ(c.tracker.last_command().name, "I");
  EXPECT_EQ(c.tracker.context().command.echo_text, "\bATI");
  c.host("X\b\nAT+CGMR\r");
  EXPECT_EQ(c.tracker.last_command().name, "+CGMR");
  EXPECT_EQ(c.tracker.context().command.echo_text, "X\bAT+CGMR");
}

TEST(SessionTracker, CtrlZAndEscOutsideDataModeAreIgnored) {
  conversation c;  // emulator.md §1.1: ^Z/Esc in command mode mean nothing
  c.host(
      "\x1a\x1b"
      "AT+CGMR\r");
  EXPECT_EQ(c.tracker.last_command().name, "+CGMR");
  EXPECT_EQ(c.tracker.context().command.echo_text, "AT+CGMR");
}

TEST(SessionTracker, RdyForgetsWhatWasTypedBeforeTheReboot) {
  conversation c;
  c.host("AT+QISEND=0,5\r");
  c.module("\r\n> ");
  c.host("ab");  // data mode, interrupted by a reboot
  c.module("\r\nRDY\r\n");
  EXPECT_TRUE(c.tracker.context().pending_data_echo.empty());
  EXPECT_EQ(c.tracker.context().command.spec, nullptr);
  c.host("AT\r");  // a command again, not data
  EXPECT_EQ(c.tracker.last_command().name, "");
  EXPECT_NE(c.tracker.context().command.spec, nullptr);
}

}  // namespace
}  // namespace bcconform::protocol
