// Receiving: buffer mode and AT+QIRD (AN 1.2, 2.1.5, 2.2.2, 2.2.3), direct push (AN 2.2.2,
// E2, E47), AT+QISWTMD (AN 2.1.7): the examples of AN 4.1.3 and 4.2.3 end to end.
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using recv_test = socket_fixture;

class buffer_test : public socket_fixture {
 protected:
  void SetUp() override {
    socket_fixture::SetUp();
    open(0, "TCP", "220.18.39.22", 8062);
    requests();
  }
};

// AN 4.1.3, first part: "recv" URC without length, AT+QIRD, then "+QIRD: 0" (E17).
TEST_F(buffer_test, an_4_1_3_read_in_buffer_mode) {
  EXPECT_EQ(event(received(0, "1234567890")), lines({"+QIURC: \"recv\",0"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 10", "1234567890"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), lines({"+QIRD: 0", "OK"}));
}

// AN 4.1.3, showlength part: the URC carries the length; QIRD shows what is left (E18).
TEST_F(buffer_test, an_4_1_3_showlength) {
  EXPECT_EQ(at("AT+QICFG=\"showlength\",1"), lines({"+QICFG: \"showlength\",1", "OK"}));
  EXPECT_EQ(event(received(0, "123456789012")), lines({"+QIURC: \"recv\",0,12"}));
  EXPECT_EQ(at("AT+QIRD=0,10"), block({"+QIRD: 10,2", "1234567890"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,10"), block({"+QIRD: 2,0", "12"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,10"), lines({"+QIRD: 0", "OK"}));  // E17: not "+QIRD: 0,0"
}

// AN 4.1.3, viewmode part: "+QIRD: 10,2,0123456789" (data after a comma, AN 2.1.11).
TEST_F(buffer_test, an_4_1_3_viewmode_1) {
  at("AT+QICFG=\"showlength\",1");
  EXPECT_EQ(at("AT+QICFG=\"viewmode\",1"), lines({"+QICFG: \"viewmode\",1", "OK"}));
  EXPECT_EQ(at("AT+QISEND=0,12,\"012345678901\""), lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(event(received(0, "012345678901")), lines({"+QIURC: \"recv\",0,12"}));
  EXPECT_EQ(at("AT+QIRD=0,10"), lines({"+QIRD: 10,2,0123456789", "OK"}));
  EXPECT_EQ(at("AT+QIRD=0,10"), lines({"+QIRD: 2,0,01", "OK"}));
}

// AN 1.2 note 1 / AN 2.1.5 note 1: one URC until the buffer is drained, then a new one.
TEST_F(buffer_test, one_urc_until_drained) {
  EXPECT_EQ(event(received(0, "abc")), lines({"+QIURC: \"recv\",0"}));
  EXPECT_EQ(event(received(0, "def")), "");
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 3", "abc"}) + lines({"OK"}));
  EXPECT_EQ(event(received(0, "ghi")), "");  // "def" still unread
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 3", "def"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 3", "ghi"}) + lines({"OK"}));
  EXPECT_EQ(event(received(0, "jkl")), lines({"+QIURC: \"recv\",0"}));
}

// Binary data (CR, LF, NUL) is read by count; the parser frames it by the header's length.
TEST_F(buffer_test, binary_payload_is_read_by_count) {
  const std::string payload("\r\n\0OK\r\n\x1a", 8);
  event(received(0, payload));
  EXPECT_EQ(at("AT+QIRD=0,512"), "\r\n+QIRD: 8\r\n" + payload + "\r\n" + lines({"OK"}));
  bool seen = false;
  for (const auto& e : events()) {
    if (e.kind == protocol::event_kind::data) {
      EXPECT_EQ(e.bytes, payload);
      EXPECT_EQ(e.connect_id, 0);
      seen = true;
    }
  }
  EXPECT_TRUE(seen);
}

// E46: hex receive format: 2 x <len> hex digits, lengths in bytes.
TEST_F(buffer_test, hex_receive_format) {
  EXPECT_EQ(at("AT+QICFG=\"dataformat\",0,1"), lines({"+QICFG: \"dataformat\",0,1", "OK"}));
  at("AT+QICFG=\"showlength\",1");
  EXPECT_EQ(event(received(0, std::string("\x00\xff\r", 3))), lines({"+QIURC: \"recv\",0,3"}));
  EXPECT_EQ(at("AT+QIRD=0,2"), block({"+QIRD: 2,1", "00FF"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,2"), block({"+QIRD: 1,0", "0D"}) + lines({"OK"}));
}

// AN 2.1.5, E38: no AT+QIRD on a listener (572); on an ID not open, 567.
TEST_F(recv_test, qird_refusals) {
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  EXPECT_EQ(at("AT+QIRD=0,512"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 572, operation not allowed", "OK"}));
  EXPECT_EQ(at("AT+QIRD=3,512"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 567, socket has been closed", "OK"}));
  EXPECT_EQ(at("AT+QIRD=3,0"), lines({"ERROR"}));  // range 1-512 (AN 2.1.5)
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
}

// AN 2.1.5 note 3, E18, E64: UDP datagrams are nodes: one per AT+QIRD, never merged; the URC
// length is that of the datagram that triggered it.
TEST_F(recv_test, udp_datagrams_are_read_one_per_qird) {
  at("AT+QICFG=\"showlength\",1");
  open(1, "UDP", "127.0.0.1", 9000);
  EXPECT_EQ(event(received(1, "AAAA", {"127.0.0.1", 9000})), lines({"+QIURC: \"recv\",1,4"}));
  EXPECT_EQ(event(received(1, "BBBBBB", {"127.0.0.1", 9000})), "");
  EXPECT_EQ(at("AT+QIRD=1,512"), block({"+QIRD: 4,0", "AAAA"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=1,4"), block({"+QIRD: 4,2", "BBBB"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=1,512"), block({"+QIRD: 2,0", "BB"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=1,512"), lines({"+QIRD: 0", "OK"}));
}

// AN 2.2.3: at the buffer limit "buff full" and pause_reading (back-pressure, nothing lost);
// reading resumes once AT+QIRD has made room below the limit.
TEST_F(recv_test, buff_full_and_back_pressure) {
  profile p = test_profile();
  p.buffer_limit = 16;
  start(p);
  open(0, "TCP", "127.0.0.1", 80);
  requests();
  EXPECT_EQ(event(received(0, "0123456789")), lines({"+QIURC: \"recv\",0"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(event(received(0, "abcdefghij")), lines({"+QIURC: \"recv\",0,\"buff full\""}));
  EXPECT_EQ(request_of(kind::pause_reading).socket, 0);
  // Bytes the host had already read still arrive and are kept.
  EXPECT_EQ(event(received(0, "XY")), "");
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 10", "0123456789"}) + lines({"OK"}));
  EXPECT_EQ(request_of(kind::resume_reading).socket, 0);
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 10", "abcdefghij"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 2", "XY"}) + lines({"OK"}));
  EXPECT_TRUE(requests().empty());
  // Full again later: announced again.
  EXPECT_EQ(event(received(0, std::string(16, 'z'))),
            lines({"+QIURC: \"recv\",0", "+QIURC: \"recv\",0,\"buff full\""}));
}

// E64: a large TCP read is kept in nodes of at most 1460 bytes.
TEST_F(buffer_test, large_tcp_data_is_cut_into_nodes) {
  at("AT+QICFG=\"showlength\",1");
  EXPECT_EQ(event(received(0, std::string(3000, 'q'))), lines({"+QIURC: \"recv\",0,1460"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 512,948", std::string(512, 'q')}) + lines({"OK"}));
}

// AN 2.2.1: after the peer closed, the buffered data stays readable.
TEST_F(buffer_test, data_stays_readable_after_remote_close) {
  event(received(0, "last words"));
  EXPECT_EQ(event(simple(ev::peer_closed, 0)), lines({"+QIURC: \"closed\",0"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 10", "last words"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), lines({"+QIRD: 0", "OK"}));
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
}

// AN 4.2.3: direct push with length (showlength 1) in viewmode 0, then viewmode 1.
TEST_F(recv_test, an_4_2_3_direct_push) {
  at("AT+QICFG=\"showlength\",1");
  EXPECT_EQ(open(0, "TCP", "220.18.39.22", 8062, 1), lines({"OK", "+QIOPEN: 0,0"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"),
            lines({"+QISTATE: 0,\"TCP\",\"220.18.39.22\",8062,0,2,1,1", "OK"}));
  EXPECT_EQ(event(received(0, "12345")), block({"+QIURC: \"recv\",0,5", "12345"}));
  EXPECT_EQ(at("AT+QICFG=\"viewmode\",1"), lines({"+QICFG: \"viewmode\",1", "OK"}));
  EXPECT_EQ(at("AT+QISEND=0,12,\"012345678901\""), lines({"OK"}));
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(event(received(0, "012345678901")), lines({"+QIURC: \"recv\",0,12,012345678901"}));
  // Nothing is buffered in direct push.
  EXPECT_EQ(at("AT+QIRD=0,512"), lines({"+QIRD: 0", "OK"}));
}

// E47: without showlength the header has no length; the data follows on the next line.
TEST_F(recv_test, direct_push_without_length) {
  open(0, "TCP", "127.0.0.1", 80, 1);
  EXPECT_EQ(event(received(0, "hello")), block({"+QIURC: \"recv\",0", "hello"}));
  at("AT+QICFG=\"viewmode\",1");
  EXPECT_EQ(event(received(0, "hello")), lines({"+QIURC: \"recv\",0,hello"}));
}

// AN 2.2.2: binary-safe with the length; the parser frames it by count.
TEST_F(recv_test, direct_push_binary_with_length) {
  at("AT+QICFG=\"showlength\",1");
  open(0, "UDP", "127.0.0.1", 80, 1);
  const std::string payload("\r\nOK\r\n\0+QIURC: x", 16);
  EXPECT_EQ(event(received(0, payload)), "\r\n+QIURC: \"recv\",0,16\r\n" + payload + "\r\n");
  at("AT+QICFG=\"dataformat\",0,1");
  EXPECT_EQ(event(received(0, "\x01\x02")), block({"+QIURC: \"recv\",0,2", "0102"}));
  int data_events = 0;
  for (const auto& e : events()) {
    if (e.kind == protocol::event_kind::data) ++data_events;
  }
  EXPECT_EQ(data_events, 2);
}

// AN 2.1.7, E62: switching to direct push pushes what the buffer holds, after OK.
TEST_F(buffer_test, qiswtmd_to_direct_push_flushes_the_buffer) {
  at("AT+QICFG=\"showlength\",1");
  event(received(0, "one"));
  event(received(0, "two"));
  EXPECT_EQ(at("AT+QISWTMD=0,1"), lines({"OK"}) + block({"+QIURC: \"recv\",0,3", "one"}) +
                                      block({"+QIURC: \"recv\",0,3", "two"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"),
            lines({"+QISTATE: 0,\"TCP\",\"220.18.39.22\",8062,0,2,1,1", "OK"}));
  EXPECT_EQ(event(received(0, "three")), block({"+QIURC: \"recv\",0,5", "three"}));
  // Back to buffer mode: data is kept and announced again.
  EXPECT_EQ(at("AT+QISWTMD=0,0"), lines({"OK"}));
  EXPECT_EQ(event(received(0, "four")), lines({"+QIURC: \"recv\",0,4"}));
  EXPECT_EQ(at("AT+QIRD=0,512"), block({"+QIRD: 4,0", "four"}) + lines({"OK"}));
}

// A partly read node is pushed from where the reads stopped; a paused socket resumes (E62).
TEST_F(recv_test, qiswtmd_pushes_the_unread_rest_and_resumes) {
  profile p = test_profile();
  p.buffer_limit = 8;
  start(p);
  open(0, "TCP", "127.0.0.1", 80);
  requests();
  EXPECT_EQ(event(received(0, "abcdefghij")),
            lines({"+QIURC: \"recv\",0", "+QIURC: \"recv\",0,\"buff full\""}));
  EXPECT_EQ(request_of(kind::pause_reading).socket, 0);
  EXPECT_EQ(at("AT+QIRD=0,2"), block({"+QIRD: 2", "ab"}) + lines({"OK"}));
  EXPECT_TRUE(requests().empty());  // 8 bytes left: still at the limit
  EXPECT_EQ(at("AT+QISWTMD=0,1"), lines({"OK"}) + block({"+QIURC: \"recv\",0", "cdefghij"}));
  EXPECT_EQ(request_of(kind::resume_reading).socket, 0);
}

// AN 2.1.7: AT+QISWTMD on an ID not open → ERROR (567); the query form answers OK only (E21).
TEST_F(recv_test, qiswtmd_refusal_and_query) {
  EXPECT_EQ(at("AT+QISWTMD=2,1"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 567, socket has been closed", "OK"}));
  EXPECT_EQ(at("AT+QISWTMD?"), lines({"OK"}));
  EXPECT_EQ(at("AT+QISWTMD=?"), lines({"+QISWTMD: (0-5),(0-1)", "OK"}));
}

}  // namespace
}  // namespace bcconform::emulator::testing
