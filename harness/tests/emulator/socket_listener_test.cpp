// A TCP listener and its accepted connections (AN 2.2.4, 2.2.5, AN 4.3) and deep sleep with a
// UDP socket that survives it (AN 2.1.1 note 3, AN 4.4).
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using listener_test = socket_fixture;

net_event accepted(int listener, int handle, std::string ip, std::uint16_t port) {
  net_event e;
  e.type = ev::accepted;
  e.socket = listener;
  e.handle = handle;
  e.from = {std::move(ip), port};
  return e;
}

// AN 4.3 end to end, with the lowest free ID so that the accepted connection gets ID 2 as in
// the example (0 is the listener, 1 another socket); data is read from the incoming ID (E38).
TEST_F(listener_test, an_4_3_server_in_buffer_mode) {
  profile p = test_profile();
  p.incoming_lowest_free_id = true;
  start(p);
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",0,2020,0"), lines({"OK"}));
  EXPECT_EQ(request_of(kind::tcp_listen).local_port, 2020);
  EXPECT_EQ(event(connected(0, 2020)), lines({"+QIOPEN: 0,0"}));
  open(1, "UDP", "127.0.0.1", 9);
  requests();
  // AN 4.3.2
  EXPECT_EQ(event(accepted(0, 77, "192.168.2.2", 36566)),
            lines({"+QIURC: \"incoming\",2,0,\"192.168.2.2\",36566"}));
  const net_request adopt = request_of(kind::adopt);
  EXPECT_EQ(adopt.socket, 2);
  EXPECT_EQ(adopt.handle, 77);
  // AN 2.1.3 / E11: the incoming connection is listed, buffer mode (AN 2.2.5), the listener's
  // local port and context.
  EXPECT_EQ(at("AT+QISTATE=1,2"),
            lines({"+QISTATE: 2,\"TCP INCOMING\",\"192.168.2.2\",36566,2020,2,1,0", "OK"}));
  // AN 4.3.3 (E38: on ID 2)
  EXPECT_EQ(event(received(2, "test")), lines({"+QIURC: \"recv\",2"}));
  EXPECT_EQ(at("AT+QIRD=2,512"), block({"+QIRD: 4", "test"}) + lines({"OK"}));
  EXPECT_EQ(at("AT+QIRD=2,512"), lines({"+QIRD: 0", "OK"}));
  // An incoming connection sends like a client (AN 2.1.4 note 3).
  EXPECT_EQ(at("AT+QISEND=2,2,\"ok\""), lines({"OK"}));
  EXPECT_EQ(request_of(kind::send).socket, 2);
  EXPECT_EQ(event(simple(ev::sent, 2)), lines({"SEND OK"}));
  // AN 4.3.4
  EXPECT_EQ(at("AT+QICLOSE=2"), lines({"OK", "CLOSE OK"}));
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
}

// emulator.md §2.2: by default the highest free ID (the XinYi build scans 5 → 0).
TEST_F(listener_test, highest_free_id_by_default) {
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  EXPECT_EQ(event(accepted(0, 1, "127.0.0.1", 50000)),
            lines({"+QIURC: \"incoming\",5,0,\"127.0.0.1\",50000"}));
  EXPECT_EQ(event(accepted(0, 2, "127.0.0.1", 50001)),
            lines({"+QIURC: \"incoming\",4,0,\"127.0.0.1\",50001"}));
}

// AN 2.2.4: no free ID → the host closes the connection and "incoming full" is reported.
TEST_F(listener_test, incoming_full) {
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  for (int i = 1; i <= 5; ++i) event(accepted(0, i, "127.0.0.1", static_cast<std::uint16_t>(i)));
  requests();
  EXPECT_EQ(event(accepted(0, 9, "127.0.0.1", 9)), lines({"+QIURC: \"incoming full\""}));
  const net_request r = request_of(kind::close);
  EXPECT_EQ(r.handle, 9);
}

// E11: a profile that follows the XinYi build does not list incoming connections.
TEST_F(listener_test, incoming_listing_per_profile) {
  profile p = test_profile();
  p.qistate_lists_incoming = false;
  start(p);
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  event(accepted(0, 1, "127.0.0.1", 50000));
  EXPECT_EQ(at("AT+QISTATE?"),
            lines({"+QISTATE: 0,\"TCP LISTENER\",\"100.127.243.105\",0,2020,2,1,0", "OK"}));
  EXPECT_EQ(at("AT+QISTATE=1,5"), lines({"OK"}));
}

// A connection the host accepted for a listener that is gone is refused (closed).
TEST_F(listener_test, accepted_without_listener_is_closed) {
  EXPECT_EQ(event(accepted(3, 42, "127.0.0.1", 1)), "");
  EXPECT_EQ(request_of(kind::close).handle, 42);
}

// AN 2.1.13: accepted connections get the keepalive settings too.
TEST_F(listener_test, keepalive_on_incoming) {
  at("AT+QIKALIVE=1");
  at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,2020");
  event(connected(0));
  requests();
  event(accepted(0, 5, "127.0.0.1", 1));
  auto all = requests();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].type, kind::adopt);
  EXPECT_EQ(all[1].type, kind::set_keepalive);
  EXPECT_EQ(all[1].socket, 5);
}

// AN 4.4: with AT+QSCLK=1 the module sleeps when idle; the UDP socket and its state survive,
// TCP ones are gone; after the wake the UDP socket sends at once and its ID stays taken (AN
// 2.1.1 note 3).
TEST_F(listener_test, an_4_4_udp_survives_deep_sleep) {
  EXPECT_EQ(at("AT+QSCLK=0"), lines({"OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP\",\"220.18.39.22\",8084,0,0"), lines({"OK"}));
  EXPECT_EQ(event(connected(0)), lines({"+QIOPEN: 0,0"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"),
            lines({"+QISTATE: 0,\"UDP\",\"220.18.39.22\",8084,0,2,1,0", "OK"}));
  open(1, "TCP", "127.0.0.1", 80);
  requests();
  EXPECT_EQ(at("AT+QSCLK=1"), lines({"OK"}));
  EXPECT_EQ(advance(2s), lines({"+QATSLEEP"}));
  EXPECT_TRUE(emu_->asleep());
  const net_request gone = request_of(kind::close);
  EXPECT_EQ(gone.socket, 1);  // the TCP socket only
  EXPECT_EQ(control(control::wake), lines({"+QATWAKEUP"}));
  EXPECT_EQ(at("AT+QSCLK=0"), lines({"OK"}));
  EXPECT_EQ(at("AT+QISTATE?"), lines({"+QISTATE: 0,\"UDP\",\"220.18.39.22\",8084,0,2,1,0", "OK"}));
  EXPECT_EQ(at("AT+QISEND=0,10,\"1234567890\""), lines({"OK"}));
  EXPECT_EQ(request_of(kind::send).bytes, "1234567890");
  EXPECT_EQ(event(simple(ev::sent, 0)), lines({"SEND OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP\",\"220.18.39.22\",8084,0,0"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 563, socket identity has been used", "OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",80"), lines({"OK"}));  // reopen the TCP one
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
}

}  // namespace
}  // namespace bcconform::emulator::testing
