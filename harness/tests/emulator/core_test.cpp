// The interpreter core: framing, echo, line assembly, dispatch, general commands, boot, reboot,
// power, deep sleep, output timing and injected faults. Each test cites the section of the note
// (AN), the ruling (E<n>) or the research note (emulator.md) it checks.
#include <gtest/gtest.h>

#include <string>

#include "core_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

net_event connected(int id) {
  net_event e;
  e.type = net_event::kind::connected;
  e.socket = id;
  e.local_port = 40000;
  return e;
}

// ---- boot ------------------------------------------------------------------------------------

// emulator.md §1.2: RDY after the boot time; nothing is read before it.
TEST(Boot, RdyAfterBootTimeAndNoAnswerBefore) {
  module m(test_profile(), {}, false);
  m.it.power_on(m.now);
  EXPECT_EQ(m.host.take(), "");
  ASSERT_TRUE(m.it.next_deadline().has_value());
  EXPECT_EQ(*m.it.next_deadline(), m.it.config().boot_time);
  EXPECT_EQ(m.at("AT"), "");  // neither echoed nor answered while booting
  EXPECT_EQ(m.wait(m.it.config().boot_time - 1ms), "");
  EXPECT_EQ(m.wait(1ms), framed("RDY"));
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
  EXPECT_FALSE(m.it.next_deadline().has_value());
}

// ---- framing and echo ------------------------------------------------------------------------

// emulator.md §1.2: echo on after reset; the command is echoed as typed, CR included, and the
// answer framed "\r\n<line>\r\n" (emulator.md §1.1).
TEST(Echo, OnByDefaultAsTyped) {
  module m;
  EXPECT_EQ(m.at("at"), "at\r" + ok);
  EXPECT_EQ(m.at("AT + CGMR"), "AT + CGMR\r" + framed("Revision: BC25PAR01A06") + ok);
}

// V.250 §6.2.4: ATE0 / ATE1; ATE alone is ATE0 (E57).
TEST(Echo, Ate0Ate1AndBareAte) {
  module m;
  EXPECT_EQ(m.at("ATE0"), "ATE0\r" + ok);
  EXPECT_EQ(m.at("AT"), ok);
  EXPECT_EQ(m.at("ATE1"), ok);
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
  EXPECT_EQ(m.at("ATE"), "ATE\r" + ok);
  EXPECT_EQ(m.at("AT"), ok);
  EXPECT_EQ(m.at("ATE2"), error);  // V.250 §6.2.4: 0 or 1
}

// V.250 §5.2.1, emulator.md §1.1: CR ends a command; the LF after it is ignored (not echoed,
// not a second line), in the same chunk or the next.
TEST(Lines, LfAfterCrIgnored) {
  module m;
  EXPECT_EQ(m.send("AT\r\n"), "AT\r" + ok);
  EXPECT_EQ(m.send("AT\r"), "AT\r" + ok);
  EXPECT_EQ(m.send("\n"), "");
  EXPECT_EQ(m.send("\nAT\r"), "AT\r" + ok);
}

// emulator.md §1.1: an empty line is ignored (its CR is echoed as typed).
TEST(Lines, EmptyLineIgnored) {
  module m;
  EXPECT_EQ(m.send("\r"), "\r");
  m.at("ATE0");
  EXPECT_EQ(m.send("\r\r\r"), "");
}

// emulator.md §1.1: unknown command → ERROR; text that is not an AT command → ERROR.
TEST(Lines, UnknownCommandIsError) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+FOO"), error);
  EXPECT_EQ(m.at("ATX"), error);
  EXPECT_EQ(m.at("hello"), error);
  EXPECT_EQ(m.at("ATE0&W"), error);  // E54: one command per line
}

// V.250 §5.1: spaces outside quotes are ignored; command names are case-insensitive.
TEST(Lines, SpacesAndCase) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at(" a t + c g m r "), framed("Revision: BC25PAR01A06") + ok);
}

// V.250 §6.2.3 (S5): backspace deletes the previous character.
TEST(Lines, BackspaceEdits) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+CGMRX\b"), framed("Revision: BC25PAR01A06") + ok);
}

// The answer does not depend on how the host's bytes are split (sans-I/O, any chunking).
TEST(Lines, AnyChunking) {
  const std::string input = "AT+CGMR\r\nATI\rAT+CGATT?\r";
  module whole;
  const std::string expected = whole.send(input);
  for (std::size_t size = 1; size <= input.size(); ++size) {
    module m;
    std::string got;
    for (std::size_t i = 0; i < input.size(); i += size) got += m.send(input.substr(i, size));
    EXPECT_EQ(got, expected) << "chunk size " << size;
  }
}

// ---- general commands ------------------------------------------------------------------------

// emulator.md §1.2: ATI = Quectel_Ltd / Quectel_<model> / Revision: <fw>, then OK.
TEST(General, Ati) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("ATI"), "\r\nQuectel_Ltd\r\nQuectel_BC25\r\nRevision: BC25PAR01A06\r\n" + ok);
}

// emulator.md §1.2: AT+CGMR → "Revision: <fw>"; the test form answers OK.
TEST(General, Cgmr) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+CGMR"), framed("Revision: BC25PAR01A06") + ok);
  EXPECT_EQ(m.at("AT+CGMR=?"), ok);
}

// AN 4.1.1: AT+CGATT? → +CGATT: 1 once attached (the emulated network always is).
TEST(General, CgattQueryAndSet) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+CGATT?"), framed("+CGATT: 1") + ok);
  EXPECT_EQ(m.at("AT+CGATT=0"), ok);
  EXPECT_EQ(m.at("AT+CGATT?"), framed("+CGATT: 0") + ok);
  EXPECT_EQ(m.at("AT+CGATT=1"), ok);
  EXPECT_EQ(m.at("AT+CGATT?"), framed("+CGATT: 1") + ok);
  EXPECT_EQ(m.at("AT+CGATT=2"), error);
}

// AN 4.1.1: +CGPADDR: 1,"100.127.243.105", quoted; the three forms drivers send (E57).
TEST(General, CgpaddrForms) {
  module m;
  m.at("ATE0");
  const std::string line = framed("+CGPADDR: 1,\"100.127.243.105\"") + ok;
  EXPECT_EQ(m.at("AT+CGPADDR?"), line);
  EXPECT_EQ(m.at("AT+CGPADDR=1"), line);
  EXPECT_EQ(m.at("AT+CGPADDR"), line);
  EXPECT_EQ(m.at("AT+CGPADDR=2"), framed("+CGPADDR: 2") + ok);  // no address on context 2
  EXPECT_EQ(m.at("AT+CGPADDR=4"), error);                       // cid 1-3 (E57)
  m.at("AT+CGATT=0");
  EXPECT_EQ(m.at("AT+CGPADDR?"), framed("+CGPADDR: 1") + ok);  // detached: no address
}

// 3GPP TS 27.007 §9.1: AT+CMEE query and set; default 0 (emulator.md §1.2).
TEST(General, Cmee) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+CMEE?"), framed("+CMEE: 0") + ok);
  EXPECT_EQ(m.at("AT+CMEE=1"), ok);
  EXPECT_EQ(m.at("AT+CMEE?"), framed("+CMEE: 1") + ok);
  EXPECT_EQ(m.at("AT+CMEE=3"), error);  // syntax errors stay a plain ERROR (V.250 §5.7.1)
}

// Test forms answer the command table's documented lines (E57).
struct test_form_case {
  const char* command;
  const char* answer;
};
class TestForms : public ::testing::TestWithParam<test_form_case> {};
TEST_P(TestForms, AnswerFromTable) {
  module m;
  m.at("ATE0");
  const std::string answer = GetParam().answer;
  EXPECT_EQ(m.at(GetParam().command), (answer.empty() ? "" : framed(answer)) + ok);
}
INSTANTIATE_TEST_SUITE_P(General, TestForms,
                         ::testing::Values(test_form_case{"AT+CGATT=?", "+CGATT: (0,1)"},
                                           test_form_case{"AT+CGPADDR=?", "+CGPADDR: (1-3)"},
                                           test_form_case{"AT+QSCLK=?", "+QSCLK: (0-2)"},
                                           test_form_case{"AT+CMEE=?", "+CMEE: (0-2)"},
                                           test_form_case{"AT+QRST=?", "+QRST: (1)"},
                                           test_form_case{"AT+CGMR=?", ""},
                                           test_form_case{"AT+QIGETERROR=?", ""}));

// emulator.md §1.2: AT&W saves echo and CMEE; a reboot restores the saved settings, so ATE0
// without AT&W is lost at AT+QRST=1 and kept with it.
TEST(General, AtwSavesLiveSettings) {
  module m;
  m.at("ATE0");
  m.at("AT+CMEE=1");
  EXPECT_EQ(m.at("AT+QRST=1"), ok);
  m.wait(m.it.config().boot_time);
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);  // echo back on: ATE0 was not saved
  m.at("ATE0");
  m.at("AT+CMEE=1");
  EXPECT_EQ(m.at("AT&W"), ok);
  EXPECT_FALSE(m.it.nvm().echo);
  EXPECT_EQ(m.it.nvm().cmee, 1);
  m.at("AT+QRST=1");
  m.wait(m.it.config().boot_time);
  EXPECT_EQ(m.at("AT+CMEE?"), framed("+CMEE: 1") + ok);
  EXPECT_EQ(m.at("AT&W0"), ok);
  EXPECT_EQ(m.at("AT&W1"), error);  // E57: AT&W and AT&W0 only
}

// emulator.md §1.2: AT+QRST=1 → OK (profile), the host drops its connections, RDY after boot.
TEST(General, QrstRebootsWithOkFirst) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QRST=1"), ok);
  EXPECT_EQ(m.host.reboots, 1);
  EXPECT_EQ(m.at("AT"), "");  // booting
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.at("AT+QRST=0"), "AT+QRST=0\r" + error);  // 1 only
}

// emulator.md §1.2 (knob qrst_ok_before_reboot): without OK; bytes after the command in the
// same chunk are not read, the module is rebooting.
TEST(General, QrstWithoutOkKnob) {
  profile p = test_profile();
  p.qrst_ok_before_reboot = false;
  module m(p);
  EXPECT_EQ(m.send("AT+QRST=1\rAT\r"), "AT+QRST=1\r");
  EXPECT_EQ(m.wait(p.boot_time), framed("RDY"));
}

// ---- deep sleep (AN 4.4) ---------------------------------------------------------------------

// AN 4.4: with AT+QSCLK=1 and no activity, +QATSLEEP; commands are not answered while asleep;
// a PSM_EINT pulse gives +QATWAKEUP and the module answers again.
TEST(Sleep, QatsleepAndWake) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QSCLK=1"), ok);
  const auto idle = m.it.config().sleep_after;
  EXPECT_EQ(m.wait(idle - 1ms), "");
  EXPECT_FALSE(m.it.asleep());
  EXPECT_EQ(m.wait(1ms), framed("+QATSLEEP"));
  EXPECT_TRUE(m.it.asleep());
  EXPECT_EQ(m.at("AT"), "");
  EXPECT_EQ(m.control(control::wake), framed("+QATWAKEUP"));
  EXPECT_FALSE(m.it.asleep());
  EXPECT_EQ(m.at("AT+QSCLK=0"), ok);
  EXPECT_EQ(m.wait(idle * 10), "");
  EXPECT_FALSE(m.it.asleep());
}

// AN 4.4: "no activity": host bytes restart the idle time.
TEST(Sleep, ActivityKeepsAwake) {
  module m;
  m.at("ATE0");
  m.at("AT+QSCLK=1");
  const auto idle = m.it.config().sleep_after;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(m.wait(idle / 2), "");
    EXPECT_EQ(m.at("AT"), ok);
  }
  EXPECT_FALSE(m.it.asleep());
  EXPECT_EQ(m.wait(idle), framed("+QATSLEEP"));
}

// E44 (knob wakeup_urcs): without the URCs the module still sleeps and wakes.
TEST(Sleep, WithoutWakeupUrcs) {
  profile p = test_profile();
  p.wakeup_urcs = false;
  module m(p);
  m.at("ATE0");
  m.at("AT+QSCLK=1");
  EXPECT_EQ(m.wait(p.sleep_after), "");
  EXPECT_TRUE(m.it.asleep());
  EXPECT_EQ(m.control(control::wake), "");
  EXPECT_EQ(m.at("AT"), ok);
}

// AN 4.4 / emulator.md §1.2: AT+QSCLK query; the setting is saved (the table's nvm flag), so
// the module sleeps again after a reboot.
TEST(Sleep, QsclkQueryAndSaved) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QSCLK?"), framed("+QSCLK: 0") + ok);
  m.at("AT+QSCLK=1");
  EXPECT_EQ(m.at("AT+QSCLK?"), framed("+QSCLK: 1") + ok);
  EXPECT_EQ(m.it.nvm().qsclk, 1);
  EXPECT_EQ(m.at("AT+QSCLK=3"), error);
  m.control(control::reset);
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.wait(m.it.config().sleep_after), framed("+QATSLEEP"));
}

// A wake while awake only counts as activity.
TEST(Sleep, WakeWhileAwakeIsQuiet) {
  module m;
  EXPECT_EQ(m.control(control::wake), "");
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
}

// AN 4.4, AN 2.1.1 note 3: across deep sleep the UDP socket survives with its state, the TCP
// one is gone (the host is told to close it).
TEST(Sleep, UdpSurvivesTcpDoesNot) {
  module m;
  m.at("ATE0");
  m.at("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\",8084,0,0");
  m.net(connected(0));
  m.at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",8062,0,0");
  m.net(connected(1));
  m.at("AT+QSCLK=1");
  m.host.requests.clear();
  EXPECT_EQ(m.wait(m.it.config().sleep_after), framed("+QATSLEEP"));
  ASSERT_EQ(m.host.requests.size(), 1u);
  EXPECT_EQ(m.host.requests[0].type, net_request::kind::close);
  EXPECT_EQ(m.host.requests[0].socket, 1);
  EXPECT_EQ(m.control(control::wake), framed("+QATWAKEUP"));
  m.at("AT+QSCLK=0");
  EXPECT_EQ(m.at("AT+QISTATE?"), framed("+QISTATE: 0,\"UDP\",\"127.0.0.1\",8084,0,2,1,0") + ok);
}

// ---- power and reset -------------------------------------------------------------------------

// Control channel: power off → no output, no input; power on → boot, RDY.
TEST(Power, OffAndOn) {
  module m;
  EXPECT_EQ(m.control(control::power_off), "");
  EXPECT_FALSE(m.it.powered());
  EXPECT_EQ(m.host.reboots, 1);
  EXPECT_EQ(m.at("AT"), "");
  m.it.inject_urc(m.now, "+X");
  EXPECT_EQ(m.host.take(), "");
  EXPECT_EQ(m.wait(10s), "");
  EXPECT_EQ(m.control(control::power_on), "");
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
}

// Control channel: the reset pin reboots like AT+QRST=1 (live settings back to the saved ones).
TEST(Power, ResetRestoresSavedSettings) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.control(control::reset), "");
  EXPECT_EQ(m.host.reboots, 1);
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
}

// The NVM given to the constructor is what the module boots with (the --state file).
TEST(Power, BootsWithGivenNvm) {
  profile p = test_profile();
  nvm_state n = factory_nvm(p);
  n.echo = false;
  module m(p, n);
  EXPECT_EQ(m.at("AT"), ok);
}

// ---- output timing ---------------------------------------------------------------------------

// Knob response_delay: the final result comes after it; later output keeps its order.
TEST(Timing, ResponseDelay) {
  profile p = test_profile();
  p.response_delay = 100ms;
  module m(p);
  m.at("ATE0");
  m.wait(100ms);
  EXPECT_EQ(m.at("AT+CGMR"), framed("Revision: BC25PAR01A06"));
  ASSERT_TRUE(m.it.next_deadline().has_value());
  EXPECT_EQ(*m.it.next_deadline(), m.now + 100ms);
  EXPECT_EQ(m.wait(99ms), "");
  EXPECT_EQ(m.wait(1ms), ok);
}

// emulator.md §1.1 (knob urc_delay): a URC right behind a final result waits urc_delay.
TEST(Timing, UrcDelayAfterResult) {
  profile p = test_profile();
  p.urc_delay = 50ms;
  module m(p);
  m.at("ATE0");
  EXPECT_EQ(m.at("AT"), ok);
  m.it.inject_urc(m.now, "+QIURC: \"closed\",1");
  EXPECT_EQ(m.host.take(), "");
  EXPECT_EQ(m.wait(49ms), "");
  EXPECT_EQ(m.wait(1ms), framed("+QIURC: \"closed\",1"));
  m.wait(1s);
  m.it.inject_urc(m.now, "+QIURC: \"closed\",2");  // long after the result: at once
  EXPECT_EQ(m.host.take(), framed("+QIURC: \"closed\",2"));
}

// One instant's output reaches the host in one write (echo and answer together).
TEST(Timing, OneWritePerCall) {
  module m;
  const int before = m.host.writes;
  m.at("AT+CGMR");
  EXPECT_EQ(m.host.writes - before, 1);
}

// ---- control: inject and drop_link -----------------------------------------------------------

// Control "inject <text>": a forged URC line.
TEST(Control, InjectUrc) {
  module m;
  m.it.inject_urc(m.now, "+QIURC: \"recv\",3");
  EXPECT_EQ(m.host.take(), framed("+QIURC: \"recv\",3"));
}

// AN 2.2.1: the network dropping the link closes a connected TCP socket with "closed".
TEST(Control, DropLinkClosesSockets) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0"), ok);
  EXPECT_EQ(m.net(connected(0)), framed("+QIOPEN: 0,0"));
  EXPECT_EQ(m.control(control::drop_link), framed("+QIURC: \"closed\",0"));
  EXPECT_EQ(m.control(control::drop_link), "");  // nothing left to drop
}

// AT+CGATT=0 takes the PDP context and its sockets (AN 2.2.1 "因为网络异常而断开").
TEST(Control, DetachClosesSockets) {
  module m;
  m.at("ATE0");
  m.at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0");
  m.net(connected(0));
  EXPECT_EQ(m.at("AT+CGATT=0"), framed("+QIURC: \"closed\",0") + ok);
}

// A reboot forgets sockets without URCs; the host is told to drop its connections.
TEST(Control, RebootDropsSocketsSilently) {
  module m;
  m.at("ATE0");
  m.at("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\",8062,0,0");
  m.net(connected(0));
  m.control(control::reset);
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+QISTATE?"), ok);  // AN 2.1.3: no socket listed
}

// ---- data mode echo -------------------------------------------------------------------------

/// A module with TCP socket 0 connected.
class with_socket : public module {
 public:
  explicit with_socket(profile p = test_profile()) : module(std::move(p)) {
    send("ATE0\r");
    at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0");
    net(connected(0));
  }
};

// emulator.md §1.2: with echo on, data-mode bytes are echoed; the Ctrl+Z that sends is not
// (AN 2.1.4).
TEST(DataMode, EchoOfData) {
  with_socket m;
  m.at("ATE1");
  EXPECT_EQ(m.send("AT+QISEND=0\r"), "AT+QISEND=0\r\r\n> ");
  EXPECT_EQ(m.send("hel\nlo\x1a"), "hel\nlo" + ok);
}

// Knob data_mode_echo off: commands are echoed, data is not.
TEST(DataMode, NoDataEchoKnob) {
  profile p = test_profile();
  p.data_mode_echo = false;
  with_socket m(p);
  m.at("ATE1");
  EXPECT_EQ(m.send("AT+QISEND=0,5\r"), "AT+QISEND=0,5\r\r\n> ");
  EXPECT_EQ(m.send("hello"), ok);
}

// Echo off: nothing of the data comes back.
TEST(DataMode, NoEchoWhenEchoOff) {
  with_socket m;
  EXPECT_EQ(m.send("AT+QISEND=0,5\r"), "\r\n> ");
  EXPECT_EQ(m.send("hello"), ok);
}

// V.250 §5.2.1: hosts that end every command with CR LF (RT-Thread's AT client, TinyGSM) also
// do so before data: the LF right after the command's CR is not the first data byte.
TEST(DataMode, LfAfterCommandCrIsNotData) {
  with_socket m;
  EXPECT_EQ(m.send("AT+QISEND=0,2\r\n"), "\r\n> ");
  EXPECT_EQ(m.send("\n\n"), ok);  // two data bytes: the LF rule applies once
  const auto& sent = m.host.requests.back();
  EXPECT_EQ(sent.type, net_request::kind::send);
  EXPECT_EQ(sent.bytes, "\n\n");
}

// ---- faults ----------------------------------------------------------------------------------

// fault_options.stall_after_commands: the first N commands are answered, then none.
TEST(Faults, StallAfterCommands) {
  module m(test_profile(), fault_options{0, 0, 2});
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
  EXPECT_EQ(m.at("AT"), "AT\r");  // echoed as typed, never answered
  EXPECT_EQ(m.wait(10s), "");
  m.control(control::reset);  // a reset clears the stall
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
}

// fault_options.reboot_after_commands: the Nth command is answered, then the module reboots.
TEST(Faults, RebootAfterCommands) {
  module m(test_profile(), fault_options{0, 2, 0});
  m.at("ATE0");
  EXPECT_EQ(m.at("AT"), ok);
  EXPECT_EQ(m.host.reboots, 1);
  EXPECT_EQ(m.wait(m.it.config().boot_time), framed("RDY"));
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);  // saved echo is on; counting starts again
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
  EXPECT_EQ(m.host.reboots, 2);
}

}  // namespace
}  // namespace bcconform::emulator::testing
