// TCP/IP configuration commands and the AT+QIGETERROR code: AT+QICFG (AN 2.1.11),
// AT+QIGETERROR (AN 2.1.12, AN 3, AN 4.8), AT+QIKALIVE (AN 2.1.13), AT+QIDNSCFG (AN 2.1.14).
#include <gtest/gtest.h>

#include <string>

#include "core_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

/// A booted module with echo off, so that answers are compared alone.
class quiet : public module {
 public:
  explicit quiet(profile p = test_profile()) : module(std::move(p)) { at("ATE0"); }
};

std::string last_error(module& m) {
  return m.at("AT+QIGETERROR");
}

std::string qigeterror(int code, const char* description) {
  return framed("+QIGETERROR: " + std::to_string(code) + ", " + description) + ok;
}

// ---- AT+QICFG --------------------------------------------------------------------------------

// AN 2.1.11: the test form lists the three keys.
TEST(Qicfg, TestForm) {
  quiet m;
  EXPECT_EQ(m.at("AT+QICFG=?"),
            "\r\n+QICFG: \"dataformat\",(0,1),(0,1)\r\n+QICFG: \"viewmode\",(0,1)\r\n"
            "+QICFG: \"showlength\",(0,1)\r\n" +
                ok);
}

// AN 2.1.11 and AN 4.2.1 example: a set answers the value (E30), a key alone queries (E32).
struct qicfg_case {
  const char* set;
  const char* echoed;
  const char* query;
};
class QicfgKeys : public ::testing::TestWithParam<qicfg_case> {};
TEST_P(QicfgKeys, SetEchoesAndQueryReads) {
  quiet m;
  EXPECT_EQ(m.at(GetParam().set), framed(GetParam().echoed) + ok);
  EXPECT_EQ(m.at(GetParam().query), framed(GetParam().echoed) + ok);
}
INSTANTIATE_TEST_SUITE_P(
    Keys, QicfgKeys,
    ::testing::Values(qicfg_case{"AT+QICFG=\"viewmode\",1", "+QICFG: \"viewmode\",1",
                                 "AT+QICFG=\"viewmode\""},
                      qicfg_case{"AT+QICFG=\"showlength\",1", "+QICFG: \"showlength\",1",
                                 "AT+QICFG=\"showlength\""},
                      qicfg_case{"AT+QICFG=\"dataformat\",0,1", "+QICFG: \"dataformat\",0,1",
                                 "AT+QICFG=\"dataformat\""}));

// E33 / AN 2.1.11: every value defaults to 0.
TEST(Qicfg, FactoryValues) {
  quiet m;
  EXPECT_EQ(m.at("AT+QICFG=\"dataformat\""), framed("+QICFG: \"dataformat\",0,0") + ok);
  EXPECT_EQ(m.at("AT+QICFG=\"viewmode\""), framed("+QICFG: \"viewmode\",0") + ok);
  EXPECT_EQ(m.at("AT+QICFG=\"showlength\""), framed("+QICFG: \"showlength\",0") + ok);
}

// E30 knob qicfg_set_echoes_value off: a set answers OK alone (AN 4.2.1's first example).
TEST(Qicfg, SetWithoutEcho) {
  profile p = test_profile();
  p.qicfg_set_echoes_value = false;
  quiet m(p);
  EXPECT_EQ(m.at("AT+QICFG=\"viewmode\",1"), ok);
  EXPECT_EQ(m.at("AT+QICFG=\"viewmode\""), framed("+QICFG: \"viewmode\",1") + ok);
}

// AN 2.1.11 "参数设置将保存至 NVM" (E34): saved at once and kept across a reboot.
TEST(Qicfg, SavedToNvm) {
  quiet m;
  m.at("AT+QICFG=\"viewmode\",1");
  m.at("AT+QICFG=\"showlength\",1");
  m.at("AT+QICFG=\"dataformat\",0,1");
  EXPECT_EQ(m.it.nvm().viewmode, 1);
  EXPECT_EQ(m.it.nvm().showlength, 1);
  EXPECT_EQ(m.it.nvm().recv_format, 1);
  m.control(control::reset);
  m.wait(m.it.config().boot_time);
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QICFG=\"viewmode\""), framed("+QICFG: \"viewmode\",1") + ok);
  EXPECT_EQ(m.at("AT+QICFG=\"dataformat\""), framed("+QICFG: \"dataformat\",0,1") + ok);
}

// AN 2.1.11 note 1: <send_data_format> can only be text → ERROR, 555 (E58); nothing changes.
TEST(Qicfg, HexSendFormatRefused) {
  quiet m;
  EXPECT_EQ(m.at("AT+QICFG=\"dataformat\",1,0"), error);
  EXPECT_EQ(last_error(m), qigeterror(555, "operation not supported"));
  EXPECT_EQ(m.at("AT+QICFG=\"dataformat\""), framed("+QICFG: \"dataformat\",0,0") + ok);
}

// AN 4.8: bad arguments of a TCP/IP command → ERROR and 552.
class QicfgBad : public ::testing::TestWithParam<const char*> {};
TEST_P(QicfgBad, InvalidParameters) {
  quiet m;
  EXPECT_EQ(m.at(GetParam()), error);
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
}
INSTANTIATE_TEST_SUITE_P(Args, QicfgBad,
                         ::testing::Values("AT+QICFG=\"viewmode\",2",
                                           "AT+QICFG=\"dataformat\",0",  // both or neither
                                           "AT+QICFG=\"foo\",1",         // unknown key
                                           "AT+QICFG=\"VIEWMODE\",1",    // E56: keys exact
                                           "AT+QICFG=viewmode,1", "AT+QICFG?", "AT+QICFG",
                                           "AT+QICFG=\"viewmode\",1,1"));

// ---- AT+QIGETERROR ---------------------------------------------------------------------------

// AN 4.8, verbatim: a QIOPEN missing its <connectID> → ERROR; AT+QIGETERROR →
// "+QIGETERROR: 552, invalid parameters".
TEST(Qigeterror, An48Example) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIOPEN=1,\"UDP\",\"220.18.39.22\",8063,0,1"), error);
  EXPECT_EQ(m.at("AT+QIGETERROR"), framed("+QIGETERROR: 552, invalid parameters") + ok);
}

// E55: reading the code does not reset it; AN 3: only TCP/IP commands change it, and a
// successful one sets 0 "Operation successful".
TEST(Qigeterror, OnlyTcpipCommandsChangeIt) {
  quiet m;
  EXPECT_EQ(last_error(m), qigeterror(0, "operation successful"));
  m.at("AT+QICFG=\"viewmode\",9");
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
  EXPECT_EQ(m.at("AT+FOO"), error);
  EXPECT_EQ(m.at("ATE7"), error);
  EXPECT_EQ(m.at("AT+CGMR"), framed("Revision: BC25PAR01A06") + ok);
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
  m.at("AT+QICFG=\"viewmode\"");
  EXPECT_EQ(last_error(m), qigeterror(0, "operation successful"));
}

// AN 4.8: a TCP/IP command line that does not even parse (an unterminated quote) is refused
// the same way.
TEST(Qigeterror, UnparsableTcpipLine) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIOPEN=1,0,\"TCP"), error);
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
}

// emulator.md §1.2: TCP/IP commands answer plain ERROR whatever AT+CMEE says.
TEST(Qigeterror, CmeeDoesNotApplyToTcpip) {
  quiet m;
  m.at("AT+CMEE=2");
  EXPECT_EQ(m.at("AT+QICFG=\"viewmode\",5"), error);
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"x\""), error);
}

// E42 knobs: the table's own case, another separator.
TEST(Qigeterror, ProfileCaseAndSeparator) {
  profile p = test_profile();
  p.qigeterror_lower_case = false;
  p.qigeterror_separator = ",";
  quiet m(p);
  m.at("AT+QICFG=\"viewmode\",9");
  EXPECT_EQ(last_error(m), framed("+QIGETERROR: 552,Invalid parameters") + ok);
}

// A reboot forgets the code.
TEST(Qigeterror, ResetByReboot) {
  quiet m;
  m.at("AT+QICFG=\"viewmode\",9");
  m.control(control::reset);
  m.wait(m.it.config().boot_time);
  m.at("ATE0");
  EXPECT_EQ(last_error(m), qigeterror(0, "operation successful"));
}

// ---- AT+QIKALIVE -----------------------------------------------------------------------------

// AN 2.1.13: defaults 60 / 10 / 9 (note 2, E36), off.
TEST(Qikalive, QueryDefaults) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIKALIVE?"), framed("+QIKALIVE: 0,60,10,9") + ok);
}

// AN 2.1.13: omitted values take their defaults; given ones are kept.
TEST(Qikalive, SetAndQuery) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIKALIVE=1,120,15,5"), ok);
  EXPECT_EQ(m.at("AT+QIKALIVE?"), framed("+QIKALIVE: 1,120,15,5") + ok);
  EXPECT_EQ(m.at("AT+QIKALIVE=1,30"), ok);
  EXPECT_EQ(m.at("AT+QIKALIVE?"), framed("+QIKALIVE: 1,30,10,9") + ok);
  EXPECT_EQ(m.at("AT+QIKALIVE=0"), ok);
  EXPECT_EQ(m.at("AT+QIKALIVE?"), framed("+QIKALIVE: 0,60,10,9") + ok);
}

// AN 2.1.13 ranges, E35 (no <keepalive_data>): ERROR, 552.
class QikaliveBad : public ::testing::TestWithParam<const char*> {};
TEST_P(QikaliveBad, InvalidParameters) {
  quiet m;
  EXPECT_EQ(m.at(GetParam()), error);
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
}
INSTANTIATE_TEST_SUITE_P(Args, QikaliveBad,
                         ::testing::Values("AT+QIKALIVE=2", "AT+QIKALIVE=1,0",
                                           "AT+QIKALIVE=1,36001", "AT+QIKALIVE=1,60,9",
                                           "AT+QIKALIVE=1,60,21", "AT+QIKALIVE=1,60,10,0",
                                           "AT+QIKALIVE=1,60,10,9,\"00\"", "AT+QIKALIVE"));

net_event connected(int id) {
  net_event e;
  e.type = net_event::kind::connected;
  e.socket = id;
  e.local_port = 40000;
  return e;
}

std::vector<net_request> keepalive_requests(const fake_host& h) {
  std::vector<net_request> out;
  for (const auto& r : h.requests) {
    if (r.type == net_request::kind::set_keepalive) out.push_back(r);
  }
  return out;
}

// AN 2.1.13 "立即生效": the setting reaches every open TCP socket at once, not UDP ones.
TEST(Qikalive, AppliedToOpenTcpSockets) {
  quiet m;
  m.at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0");
  m.net(connected(0));
  m.at("AT+QIOPEN=1,1,\"UDP\",\"127.0.0.1\",8063,0,0");
  m.net(connected(1));
  m.host.requests.clear();
  EXPECT_EQ(m.at("AT+QIKALIVE=1,100,12,4"), ok);
  const auto reqs = keepalive_requests(m.host);
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].socket, 0);
  EXPECT_EQ(reqs[0].keepalive, (keepalive_settings{true, 100, 12, 4}));
  m.host.requests.clear();
  EXPECT_EQ(m.at("AT+QIKALIVE=0"), ok);
  ASSERT_EQ(keepalive_requests(m.host).size(), 1u);
  EXPECT_FALSE(keepalive_requests(m.host)[0].keepalive.on);
}

// ---- AT+QIDNSCFG -----------------------------------------------------------------------------

// AN 2.1.14: set and query, quoted like the parameters.
TEST(Qidnscfg, SetAndQuery) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"\",\"\"") + ok);  // none configured
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"127.0.0.53\",\"127.0.0.54\""), ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"127.0.0.53\",\"127.0.0.54\"") + ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"::1\""), ok);  // secondary omitted: cleared
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"::1\",\"\"") + ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG=?"), framed("+QIDNSCFG: <primaryDns>[,<secondaryDns>]") + ok);
}

// E59: a server may carry a port, for a local DNS responder.
TEST(Qidnscfg, ServerWithPort) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"127.0.0.1:5353\",\"[::1]:5354\""), ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"127.0.0.1:5353\",\"[::1]:5354\"") + ok);
}

// AN 2.1.14: an IP address; anything else → ERROR, 552.
class QidnscfgBad : public ::testing::TestWithParam<const char*> {};
TEST_P(QidnscfgBad, InvalidParameters) {
  quiet m;
  EXPECT_EQ(m.at(GetParam()), error);
  EXPECT_EQ(last_error(m), qigeterror(552, "invalid parameters"));
}
INSTANTIATE_TEST_SUITE_P(Args, QidnscfgBad,
                         ::testing::Values("AT+QIDNSCFG=\"dns.example\"", "AT+QIDNSCFG=\"1.2.3\"",
                                           "AT+QIDNSCFG=\"1.2.3.256\"", "AT+QIDNSCFG=\"1.2.3.4:0\"",
                                           "AT+QIDNSCFG=\"1.2.3.4:65536\"",
                                           "AT+QIDNSCFG=\"1.2.3.4\",\"x\"", "AT+QIDNSCFG=127.0.0.1",
                                           "AT+QIDNSCFG=\"\",\"127.0.0.1\"", "AT+QIDNSCFG"));

// E59: "" returns to the never-set state, so a test can restore the servers it found.
TEST(Qidnscfg, EmptyReturnsToTheNetworksServers) {
  quiet m;
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"127.0.0.1\",\"127.0.0.2\""), ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"127.0.0.1\",\"\""), ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"127.0.0.1\",\"\"") + ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"\""), ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"\",\"\"") + ok);
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"\",\"\""), ok);
}

// AN 2.1.14 note: only after registration — while detached, ERROR, 561 (E59).
TEST(Qidnscfg, RefusedWhileDetached) {
  quiet m;
  m.at("AT+CGATT=0");
  EXPECT_EQ(m.at("AT+QIDNSCFG=\"127.0.0.1\""), error);
  EXPECT_EQ(last_error(m), qigeterror(561, "open pdp context failed"));
}

// AN 2.1.14 has no NVM clause (unlike AN 2.1.11): not saved by itself; AT&W saves it (E59).
TEST(Qidnscfg, SavedOnlyByAtw) {
  quiet m;
  m.at("AT+QIDNSCFG=\"127.0.0.53\"");
  EXPECT_EQ(m.it.nvm().dns_primary, "");
  m.control(control::reset);
  m.wait(m.it.config().boot_time);
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"\",\"\"") + ok);
  m.at("AT+QIDNSCFG=\"127.0.0.53\"");
  m.at("AT&W");
  EXPECT_EQ(m.it.nvm().dns_primary, "127.0.0.53");
  m.control(control::reset);
  m.wait(m.it.config().boot_time);
  EXPECT_EQ(m.at("AT+QIDNSCFG?"), framed("+QIDNSCFG: \"127.0.0.53\",\"\"") + ok);  // ATE0 saved too
}

}  // namespace
}  // namespace bcconform::emulator::testing
