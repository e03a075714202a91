// AN 4.3 end to end: a TCP listener in bcemu (a real listening socket on 127.0.0.1) accepting
// real connections from peer::tcp_connect, over every serial side.
#include "bcconform/peer/tcp.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "fixture.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

class tcp_listener : public bcemu_fixture {
 protected:
  /// AN 4.3.1 with a free local port in place of 2020.
  void start_listener() {
    port_ = free_tcp_port();
    ASSERT_NE(port_, 0);
    EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"TCP LISTENER\",\"127.0.0.1\",0," + std::to_string(port_) + ",0"),
              lines{"OK"});
    EXPECT_TRUE(arrives("+QIOPEN: 0,0"));
  }

  /// AN 4.3.2: a connection from the peer, announced with the connect ID it was given.
  std::optional<protocol::incoming_urc> accept(peer::tcp_connection& conn) {
    auto c = peer::tcp_connect(host_, {"127.0.0.1", port_}, in(step_budget));
    if (!c) {
      ADD_FAILURE() << "cannot connect to the module's listener: " << c.error().detail;
      return std::nullopt;
    }
    conn = std::move(*c);
    const auto urc = m().await_urc(protocol::urc_id::incoming, in(step_budget));
    if (!urc) {
      ADD_FAILURE() << "no +QIURC: \"incoming\"";
      return std::nullopt;
    }
    auto in = protocol::decode_incoming(urc->text);
    if (!in) {
      ADD_FAILURE() << urc->text << ": " << in.error().detail;
      return std::nullopt;
    }
    return *in;
  }

  std::uint16_t port_ = 0;
};

// AN 4.3.1 – 4.3.4 in the note's order. E38: the data is read on the incoming ID, not on the
// listener's; E11: incoming sockets are listed by AT+QISTATE.
TEST_P(tcp_listener, an_4_3_tcp_server_in_buffer_mode) {
  start_listener();
  const auto state = cmd("AT+QISTATE?");
  ASSERT_EQ(state.size(), 2u) << ::testing::PrintToString(state);
  const auto row = protocol::decode_qistate(state[0]);
  ASSERT_TRUE(row) << state[0];
  EXPECT_EQ(row->connect_id, 0);
  EXPECT_EQ(row->service_type, "TCP LISTENER");
  EXPECT_EQ(row->ip, "100.127.243.105") << "E41: a listener reports the PDP address";
  EXPECT_EQ(row->remote_port, 0) << "E5";
  EXPECT_EQ(row->local_port, port_);
  EXPECT_EQ(row->socket_state, 2);
  EXPECT_EQ(row->context_id, 1);

  peer::tcp_connection conn;
  const auto incoming = accept(conn);
  ASSERT_TRUE(incoming);
  const int id = incoming->connect_id;
  EXPECT_NE(id, 0);
  EXPECT_EQ(incoming->server_id, 0);
  EXPECT_EQ(incoming->remote_ip, "127.0.0.1");
  EXPECT_EQ(incoming->remote_port, conn.local_endpoint().port);
  const auto listed = cmd("AT+QISTATE?");
  EXPECT_EQ(listed.size(), 3u) << "the listener and the incoming connection (E11): "
                               << ::testing::PrintToString(listed);

  const std::string sid = std::to_string(id);
  ASSERT_TRUE(conn.send("test", in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\"," + sid));
  EXPECT_EQ(cmd("AT+QIRD=" + sid + ",512"), (lines{"+QIRD: 4", "test", "OK"}));
  EXPECT_EQ(cmd("AT+QIRD=" + sid + ",512"), (lines{"+QIRD: 0", "OK"}));

  EXPECT_EQ(cmd("AT+QISEND=" + sid + ",5,\"reply\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("reply", in(step_budget)));

  close_socket(id);
  EXPECT_TRUE(conn.expect_eof(in(step_budget)));
  close_socket(0);
  auto refused = peer::tcp_connect(host_, {"127.0.0.1", port_}, in(step_budget));
  ASSERT_FALSE(refused) << "the listening socket is closed";
  EXPECT_EQ(refused.error().code, peer::errc::connection_refused);
}

// AN 2.1.4 note 3: a listener cannot send (572).
TEST_P(tcp_listener, a_listener_does_not_send) {
  start_listener();
  EXPECT_EQ(cmd("AT+QISEND=0,4,\"test\""), lines{"ERROR"});
  const auto error = cmd("AT+QIGETERROR");
  ASSERT_EQ(error.size(), 2u);
  const auto code = protocol::decode_qigeterror(error[0]);
  ASSERT_TRUE(code) << error[0];
  EXPECT_EQ(code->err, 572);
  close_socket(0);
}

// AN 2.2.4: once every connect ID is taken, a further connection is announced as
// "incoming full" and not kept.
TEST_P(tcp_listener, incoming_full_when_no_connect_id_is_free) {
  start_listener();
  std::vector<peer::tcp_connection> conns(5);
  std::vector<int> ids;
  for (auto& c : conns) {
    const auto incoming = accept(c);
    ASSERT_TRUE(incoming);
    ids.push_back(incoming->connect_id);
  }
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<int>{1, 2, 3, 4, 5}));

  auto extra = peer::tcp_connect(host_, {"127.0.0.1", port_}, in(step_budget));
  ASSERT_TRUE(extra) << extra.error().detail;
  EXPECT_TRUE(arrives("+QIURC: \"incoming full\""));
  const auto gone = extra->expect_eof(in(step_budget));
  EXPECT_TRUE(gone || gone.error().code == peer::errc::connection_reset)
      << "the module drops the connection it has no ID for: " << gone.error().detail;

  for (int id : ids) close_socket(id);
  close_socket(0);
}

BCEMU_ON_EVERY_SERIAL_SIDE(tcp_listener);

}  // namespace
}  // namespace bcconform::bcemu_test
