// AT+QISEND (AN 2.1.4) and AT+QISENDEX (AN 2.1.6) in their three forms, data mode, SEND OK /
// SEND FAIL and every refusal: the examples of AN 4.1.2 and 4.2.2 end to end.
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using send_test = socket_fixture;

constexpr char ctrl_z = 0x1A;

class connected_send_test : public socket_fixture {
 protected:
  void SetUp() override {
    socket_fixture::SetUp();
    open(0, "TCP", "220.18.39.22", 8062);
  }
  /// The bytes of the one send request made since the last call.
  std::string sent_bytes() { return request_of(kind::send).bytes; }
};

// AN 4.1.2: OK, then SEND OK when the host has taken the data; a send before SEND OK → ERROR.
TEST_F(connected_send_test, an_4_1_2_send_in_buffer_mode) {
  EXPECT_EQ(at("AT+QISEND=0,10,\"1234567890\""), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), "1234567890");
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(at("AT+QISENDEX=0,5,\"3031323334\""), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), "01234");
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(at("AT+QISEND=0,10,\"1234567890\""), lines({"OK"}));
  EXPECT_EQ(at("AT+QISEND=0,10,\"1234567890\""), lines({"ERROR"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(sent_bytes(), "1234567890");  // only the first
}

// AN 4.1.2, E15: the refused send's code is 568 "Operation busy".
TEST_F(connected_send_test, send_before_send_ok_is_568) {
  at("AT+QISEND=0,1,\"a\"");
  EXPECT_EQ(at("AT+QISENDEX=0,1,\"62\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 568, operation busy", "OK"}));
  EXPECT_EQ(at("AT+QISEND=0"), lines({"ERROR"}));  // no prompt either
}

TEST_F(connected_send_test, send_failed_is_send_fail) {
  at("AT+QISEND=0,3,\"abc\"");
  EXPECT_EQ(event(simple(ev::send_failed, 0)), lines({"SEND FAIL"}));
  EXPECT_EQ(at("AT+QISEND=0,3,\"abc\""), lines({"OK"}));  // the socket takes the next send
}

// AN 2.1.4 "发送缓存已满": OK, then SEND FAIL without sending.
TEST_F(send_test, full_send_buffer_is_ok_then_send_fail) {
  profile p = test_profile();
  p.send_buffer_limit = 8;
  start(p);
  open(0, "TCP", "127.0.0.1", 80);
  EXPECT_EQ(at("AT+QISEND=0,9,\"123456789\""), lines({"OK", "SEND FAIL"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(at("AT+QISEND=0,8,\"12345678\""), lines({"OK"}));
  EXPECT_EQ(request_of(kind::send).bytes, "12345678");
}

// AN 2.1.4 data mode, Ctrl+Z form: prompt, data, Ctrl+Z sends; OK then SEND OK.
TEST_F(connected_send_test, ctrl_z_form) {
  EXPECT_EQ(at("AT+QISEND=0"), "\r\n> ");
  EXPECT_EQ(type("hello\r\nworld"), "");
  EXPECT_EQ(type(std::string(1, ctrl_z)), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), "hello\r\nworld");
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(at("AT"), lines({"OK"}));  // back in command mode
}

// AN 2.1.4 note 4: empty data → SEND FAIL at once, nothing sent.
TEST_F(connected_send_test, empty_ctrl_z_is_send_fail_at_once) {
  at("AT+QISEND=0");
  EXPECT_EQ(type(std::string(1, ctrl_z)), lines({"SEND FAIL"}));
  EXPECT_TRUE(requests().empty());
  at("AT+QISENDEX=0");
  EXPECT_EQ(type(std::string(1, ctrl_z)), lines({"SEND FAIL"}));
  EXPECT_EQ(at("AT"), lines({"OK"}));
}

// E13: Esc cancels: ERROR + 571 by default, OK with nothing sent per profile.
TEST_F(connected_send_test, esc_cancels) {
  at("AT+QISEND=0");
  EXPECT_EQ(type("abc\x1b"), lines({"ERROR"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 571, cancel send", "OK"}));
}

TEST_F(send_test, esc_cancel_as_ok_per_profile) {
  profile p = test_profile();
  p.esc_cancel_is_error = false;
  start(p);
  open(0, "TCP", "127.0.0.1", 80);
  at("AT+QISEND=0");
  EXPECT_EQ(type("abc\x1b"), lines({"OK"}));
  EXPECT_TRUE(requests().empty());
}

// AN 2.1.4 fixed length: exactly <len> bytes, binary-safe: CR, LF, NUL, Ctrl+Z, Esc are data.
TEST_F(connected_send_test, fixed_length_is_binary_safe) {
  const std::string payload("a\r\nb\0c\x1a\x1b\rz", 10);
  EXPECT_EQ(at("AT+QISEND=0,10"), "\r\n> ");
  EXPECT_EQ(type(payload.substr(0, 9)), "");
  EXPECT_EQ(type(payload.substr(9)), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), payload);
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
}

// AN 2.1.4 <send_length> ≤ 512 (E12): exactly 512 bytes in each form.
TEST_F(connected_send_test, exactly_512_bytes_in_every_form) {
  const std::string big(512, 'x');
  EXPECT_EQ(at("AT+QISEND=0,512,\"" + big + "\""), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), big);
  event(simple(ev::sent, 0));
  at("AT+QISEND=0,512");
  EXPECT_EQ(type(big), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), big);
  event(simple(ev::sent, 0));
  at("AT+QISEND=0");
  EXPECT_EQ(type(big + "\x1a"), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), big);
  event(simple(ev::sent, 0));
  std::string hex;
  for (int i = 0; i < 512; ++i) hex += "7A";
  at("AT+QISENDEX=0,512");
  EXPECT_EQ(type(hex), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), std::string(512, 'z'));
}

// E12, E61: 513 bytes are refused in every form with 552; data mode stays until Ctrl+Z.
TEST_F(connected_send_test, more_than_512_bytes_is_552) {
  const std::string big(513, 'x');
  EXPECT_EQ(at("AT+QISEND=0,513,\"" + big + "\""), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QISEND=0,513"), lines({"ERROR"}));
  at("AT+QISEND=0");
  EXPECT_EQ(type(big + std::string(100000, 'y')), "");  // still data, nothing kept past 512
  EXPECT_EQ(type("\x1a"), lines({"ERROR"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
}

// AN 2.1.6, E19: QISENDEX counts bytes; the fixed-length data mode takes 2 x <len> hex digits.
TEST_F(connected_send_test, qisendex_fixed_length_takes_two_hex_digits_a_byte) {
  EXPECT_EQ(at("AT+QISENDEX=0,3"), "\r\n> ");
  EXPECT_EQ(type("00ff"), "");
  EXPECT_EQ(type("0D"), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), std::string("\x00\xff\x0d", 3));
}

TEST_F(connected_send_test, qisendex_ctrl_z_form) {
  at("AT+QISENDEX=0");
  EXPECT_EQ(type("48656c6c6f\x1a"), lines({"OK"}));
  EXPECT_EQ(sent_bytes(), "Hello");
}

// E61: hex data that is not hex is 552 at its end, nothing sent.
TEST_F(connected_send_test, bad_hex_in_data_mode_is_552) {
  at("AT+QISENDEX=0,2");
  EXPECT_EQ(type("zz00"), lines({"ERROR"}));
  at("AT+QISENDEX=0");
  EXPECT_EQ(type("123\x1a"), lines({"ERROR"}));  // odd count
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
}

// E19: inline QISENDEX whose length disagrees with the hex string, or bad hex → 552.
TEST_F(connected_send_test, qisendex_inline_mismatch_or_bad_hex_is_552) {
  EXPECT_EQ(at("AT+QISENDEX=0,10,\"3031323334\""), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QISENDEX=0,1,\"3G\""), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QISEND=0,3,\"ab\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
  EXPECT_TRUE(requests().empty());
}

// AN 2.1.4 note 3: not on a listener → ERROR (572); the check comes before the prompt.
TEST_F(send_test, send_on_listener_is_572) {
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  EXPECT_EQ(at("AT+QISEND=0,1,\"a\""), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QISEND=0"), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QISENDEX=0,1"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 572, operation not allowed", "OK"}));
}

// AN 2.1.4 "若连接未建立,异常断开": ERROR (567) when not open, still connecting, or closed.
TEST_F(send_test, send_without_a_connection_is_567) {
  EXPECT_EQ(at("AT+QISEND=1,1,\"a\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 567, socket has been closed", "OK"}));
  at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",80");
  EXPECT_EQ(at("AT+QISEND=1"), lines({"ERROR"}));  // connecting
  event(connected(1));
  event(simple(ev::peer_closed, 1));
  EXPECT_EQ(at("AT+QISEND=1,1"), lines({"ERROR"}));  // remote closed
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 567, socket has been closed", "OK"}));
}

// E61: a peer that closes while the host types the data: ERROR (567) when the data is complete;
// E79: the "closed" URC waits for that result.
TEST_F(connected_send_test, peer_close_during_data_mode) {
  at("AT+QISEND=0,4");
  type("ab");
  EXPECT_EQ(event(simple(ev::peer_closed, 0)), "");
  EXPECT_EQ(type("cd"), lines({"ERROR", "+QIURC: \"closed\",0"}));
  EXPECT_TRUE(requests().empty());
}

// E79: URCs due while the host types data-mode input (another socket's data and close, an
// injected line) are held and follow the send's result in order, in every way data mode ends.
TEST_F(connected_send_test, urcs_held_during_data_mode) {
  open(1, "TCP", "220.18.39.22", 8063);
  at("AT+QISEND=0,4");
  type("ab");
  EXPECT_EQ(event(received(1, "ping")), "");
  EXPECT_EQ(event(simple(ev::peer_closed, 1)), "");
  EXPECT_EQ(type("cd"), lines({"OK", "+QIURC: \"recv\",1", "+QIURC: \"closed\",1"}));
  EXPECT_EQ(sent_bytes(), "abcd");
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  // Ctrl+Z form, empty input: the lone SEND FAIL first.
  at("AT+QISEND=0");
  EXPECT_EQ(event(received(0, "x")), "");
  EXPECT_EQ(type(std::string(1, ctrl_z)), lines({"SEND FAIL", "+QIURC: \"recv\",0"}));
  // Esc: the cancel's ERROR first; afterwards URCs are written at once again.
  at("AT+QISEND=0");
  type("zz");
  EXPECT_EQ(event(received(0, "y")), "");  // buffered, "recv" still pending: no URC
  emu_->inject_urc(now(), "+QIURC: \"recv\",3");
  EXPECT_EQ(type("\x1b"), lines({"ERROR", "+QIURC: \"recv\",3"}));
  emu_->inject_urc(now(), "+QIURC: \"recv\",4");
  EXPECT_EQ(take(), lines({"+QIURC: \"recv\",4"}));
}

// A peer close while a send is in flight: its SEND FAIL, then the "closed" URC.
TEST_F(connected_send_test, peer_close_with_send_in_flight) {
  at("AT+QISEND=0,1,\"a\"");
  requests();
  EXPECT_EQ(event(simple(ev::peer_reset, 0)), lines({"SEND FAIL", "+QIURC: \"closed\",0"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), "");  // a late answer changes nothing
}

// UDP: each send is one datagram request.
TEST_F(send_test, udp_send_is_one_datagram) {
  open(2, "UDP", "127.0.0.1", 9000);
  at("AT+QISEND=2,3");
  EXPECT_EQ(type("a\rb"), lines({"OK"}));
  const net_request r = request_of(kind::send);
  EXPECT_EQ(r.socket, 2);
  EXPECT_EQ(r.bytes, "a\rb");
}

// AN 4.2.2 with echo on: the command echo, the data-mode echo (emulator.md §1.2), OK, SEND OK;
// the parser follows the prompt and the echoed data.
TEST_F(send_test, an_4_2_2_with_echo) {
  start(test_profile(), true);
  open(0, "TCP", "220.18.39.22", 8062, 1);
  EXPECT_EQ(at("AT+QISEND=0,10,\"1234567890\""), "AT+QISEND=0,10,\"1234567890\"\r" + lines({"OK"}));
  event(simple(ev::sent, 0));
  EXPECT_EQ(at("AT+QISEND=0,5"), "AT+QISEND=0,5\r\r\n> ");
  EXPECT_EQ(type("12\r\n5"), "12\r\n5" + lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  at("AT+QISEND=0");
  EXPECT_EQ(type(std::string("xy") + ctrl_z), "xy" + lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  bool prompt = false, data_echo = false;
  for (const auto& e : events()) {
    prompt |= e.kind == protocol::event_kind::prompt;
    data_echo |= e.kind == protocol::event_kind::echo && e.bytes == "12\r\n5";
  }
  EXPECT_TRUE(prompt);
  EXPECT_TRUE(data_echo);
}

}  // namespace
}  // namespace bcconform::emulator::testing
