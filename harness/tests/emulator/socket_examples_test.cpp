// AN 4.1 and AN 4.2 as whole conversations with echo on (the factory default), checked byte for
// byte and read back by the protocol's parser and session tracker (socket_fixture's TearDown):
// what a host driver written from the note sees.
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

class example_test : public socket_fixture {
 protected:
  void SetUp() override { start(test_profile(), true); }
  /// A command line with echo: the echo, then the answer.
  void expect(std::string_view line, const std::string& answer) {
    EXPECT_EQ(at(line), std::string(line) + "\r" + answer) << line;
  }
};

// AN 4.1.1 - 4.1.4: TCP client in buffer mode.
TEST_F(example_test, an_4_1_tcp_client_in_buffer_mode) {
  expect("AT+CGATT?", lines({"+CGATT: 1", "OK"}));
  expect("AT+CGPADDR?", lines({"+CGPADDR: 1,\"100.127.243.105\"", "OK"}));
  expect("AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0", lines({"OK"}));
  EXPECT_EQ(request_of(kind::tcp_connect).remote, (endpoint{"220.18.39.22", 8062}));
  EXPECT_EQ(event(connected(0)), lines({"+QIOPEN: 0,0"}));
  expect("AT+QISTATE=1,0", lines({"+QISTATE: 0,\"TCP\",\"220.18.39.22\",8062,0,2,1,0", "OK"}));
  // 4.1.2
  expect("AT+QISEND=0,10,\"1234567890\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  expect("AT+QISENDEX=0,5,\"3031323334\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  expect("AT+QISEND=0,10,\"1234567890\"", lines({"OK"}));
  expect("AT+QISEND=0,10,\"1234567890\"", lines({"ERROR"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  // 4.1.3
  EXPECT_EQ(event(received(0, "1234567890")), lines({"+QIURC: \"recv\",0"}));
  expect("AT+QIRD=0,512", block({"+QIRD: 10", "1234567890"}) + lines({"OK"}));
  expect("AT+QIRD=0,512", lines({"+QIRD: 0", "OK"}));
  expect("AT+QICFG=\"showlength\",1", lines({"+QICFG: \"showlength\",1", "OK"}));
  EXPECT_EQ(event(received(0, "1234567890ab")), lines({"+QIURC: \"recv\",0,12"}));
  expect("AT+QIRD=0,10", block({"+QIRD: 10,2", "1234567890"}) + lines({"OK"}));
  expect("AT+QIRD=0,10", block({"+QIRD: 2,0", "ab"}) + lines({"OK"}));
  expect("AT+QICFG=\"viewmode\",1", lines({"+QICFG: \"viewmode\",1", "OK"}));
  expect("AT+QISEND=0,12,\"012345678901\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(event(received(0, "012345678901")), lines({"+QIURC: \"recv\",0,12"}));
  expect("AT+QIRD=0,10", lines({"+QIRD: 10,2,0123456789", "OK"}));
  // 4.1.4
  expect("AT+QICLOSE=0", lines({"OK", "CLOSE OK"}));
  EXPECT_EQ(request_of(kind::close).socket, 0);
}

// AN 4.2.1 - 4.2.4: TCP client in direct push mode (showlength on, as the example prints the
// length).
TEST_F(example_test, an_4_2_tcp_client_in_direct_push_mode) {
  expect("AT+QICFG=\"showlength\",1", lines({"+QICFG: \"showlength\",1", "OK"}));
  expect("AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,1", lines({"OK"}));
  EXPECT_EQ(event(connected(0)), lines({"+QIOPEN: 0,0"}));
  expect("AT+QISTATE=1,0", lines({"+QISTATE: 0,\"TCP\",\"220.18.39.22\",8062,0,2,1,1", "OK"}));
  expect("AT+QISEND=0,10,\"1234567890\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  expect("AT+QISENDEX=0,5,\"3031323334\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(event(received(0, "12345")), block({"+QIURC: \"recv\",0,5", "12345"}));
  expect("AT+QICFG=\"viewmode\",1", lines({"+QICFG: \"viewmode\",1", "OK"}));
  expect("AT+QISEND=0,12,\"012345678901\"", lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(event(received(0, "012345678901")), lines({"+QIURC: \"recv\",0,12,012345678901"}));
  expect("AT+QICLOSE=0", lines({"OK", "CLOSE OK"}));
  int data = 0;
  for (const auto& e : events()) {
    if (e.kind == protocol::event_kind::data) {
      EXPECT_EQ(e.connect_id, 0);
      ++data;
    }
  }
  EXPECT_EQ(data, 2);
}

// AN 4.8 with echo.
TEST_F(example_test, an_4_8_last_error) {
  expect("AT+QIOPEN=1,\"UDP\",\"220.18.39.22\",8063,0,1", lines({"ERROR"}));
  expect("AT+QIGETERROR", lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
}

}  // namespace
}  // namespace bcconform::emulator::testing
