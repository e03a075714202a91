// AN 4.2 end to end: a TCP client in direct-push access mode against a real loopback server,
// over every serial side. Received data comes with the URC itself (AN 2.2.2, E2, E47).
#include "bcconform/peer/tcp.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "fixture.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

class tcp_direct_push : public bcemu_fixture {
 protected:
  /// AN 4.2.1: the socket opened with <access_mode> 1.
  peer::tcp_connection open_connection() {
    auto server = peer::tcp_server::listen(host_);
    if (!server) {
      ADD_FAILURE() << server.error().detail;
      return {};
    }
    port_ = std::to_string(server->port());
    EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port_ + ",0,1"), lines{"OK"});
    EXPECT_TRUE(arrives("+QIOPEN: 0,0"));
    auto conn = server->accept(in(step_budget));
    if (!conn) {
      ADD_FAILURE() << "the server saw no connection: " << conn.error().detail;
      return {};
    }
    return std::move(*conn);
  }

  /// Waits for the next direct-push URC and returns it rendered (header line, then the data).
  lines pushed() {
    const auto e = m().await_urc(protocol::urc_id::recv, in(step_budget));
    return e ? render(*e) : lines{"<no +QIURC: \"recv\">"};
  }

  std::string port_;
};

// AN 4.2.1
TEST_P(tcp_direct_push, an_4_2_1_open_in_direct_push_mode) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QISTATE=1,0"),
            (lines{"+QISTATE: 0,\"TCP\",\"127.0.0.1\"," + port_ + ",0,2,1,1", "OK"}));
  close_socket(0);
}

// AN 4.2.2
TEST_P(tcp_direct_push, an_4_2_2_send_data) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QISEND=0,10,\"1234567890\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_EQ(cmd("AT+QISENDEX=0,5,\"3031323334\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("123456789001234", in(step_budget)));
  close_socket(0);
}

// AN 4.2.3: the example prints the length, which E47 ties to showlength 1; viewmode 1 puts the
// data after a comma on the URC line.
TEST_P(tcp_direct_push, an_4_2_3_receive_data) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  ASSERT_TRUE(conn.send("12345", in(step_budget)));
  EXPECT_EQ(pushed(), (lines{"+QIURC: \"recv\",0,5", "12345"}));

  EXPECT_EQ(cmd("AT+QICFG=\"viewmode\",1"), (lines{"+QICFG: \"viewmode\",1", "OK"}));
  EXPECT_EQ(cmd("AT+QISEND=0,12,\"012345678901\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("012345678901", in(step_budget)));
  ASSERT_TRUE(conn.send("012345678901", in(step_budget)));  // the server answers in kind
  EXPECT_EQ(pushed(), lines{"+QIURC: \"recv\",0,12,012345678901"});
  close_socket(0);
}

// AN 2.2.2, E47: with the length, the payload is framed by count, so any byte can be pushed.
TEST_P(tcp_direct_push, binary_payload_is_pushed_intact) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  const std::string data("OK\r\n\0+QIURC: \"closed\",0\r\n\xff", 27);
  ASSERT_TRUE(conn.send(data, in(step_budget)));
  EXPECT_EQ(pushed(), (lines{"+QIURC: \"recv\",0,27", data}));
  close_socket(0);
}

// E64: more than one node's worth is pushed in several URCs of at most 1460 bytes, in order,
// every byte intact.
TEST_P(tcp_direct_push, large_binary_data_is_pushed_in_nodes) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  std::string data;
  for (int i = 0; data.size() < 5000; ++i) data += static_cast<char>((i * 7) & 0xff);
  ASSERT_TRUE(conn.send(data, in(step_budget)));
  std::string got;
  while (got.size() < data.size()) {
    const auto e = m().await_urc(protocol::urc_id::recv, in(step_budget));
    ASSERT_TRUE(e && e->payload) << got.size() << " of " << data.size();
    const auto header = protocol::decode_recv(e->text);
    ASSERT_TRUE(header && header->length) << e->text;
    EXPECT_EQ(*header->length, static_cast<int>(e->payload->size()));
    EXPECT_LE(e->payload->size(), 1460u);
    got += *e->payload;
  }
  EXPECT_EQ(got, data);
  close_socket(0);
}

// E47: without showlength the payload is one line, delimited by its line end; the parser says
// so with diagnostic::unframed (documented, hence allowed here).
TEST_P(tcp_direct_push, payload_without_length_is_a_line) {
  allowed_diagnostics_ = {protocol::diagnostic::unframed};
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  ASSERT_TRUE(conn.send("12345", in(step_budget)));
  EXPECT_EQ(pushed(), (lines{"+QIURC: \"recv\",0", "12345 [unframed]"}));
  close_socket(0);
}

// AN 4.2.4
TEST_P(tcp_direct_push, an_4_2_4_close_the_connection) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  close_socket(0);
  EXPECT_TRUE(conn.expect_eof(in(step_budget)));
}

// AN 2.1.7 and E62: data buffered in buffer mode is pushed at once after switching.
TEST_P(tcp_direct_push, switching_to_direct_push_pushes_the_buffer) {
  auto server = peer::tcp_server::listen(host_);
  ASSERT_TRUE(server);
  port_ = std::to_string(server->port());
  EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port_ + ",0,0"), lines{"OK"});
  EXPECT_TRUE(arrives("+QIOPEN: 0,0"));
  auto conn = server->accept(in(step_budget));
  ASSERT_TRUE(conn);
  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  ASSERT_TRUE(conn->send("buffered", in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0,8"));
  EXPECT_EQ(cmd("AT+QISWTMD=0,1"), lines{"OK"});
  EXPECT_EQ(pushed(), (lines{"+QIURC: \"recv\",0,8", "buffered"}));
  EXPECT_EQ(cmd("AT+QISTATE=1,0"),
            (lines{"+QISTATE: 0,\"TCP\",\"127.0.0.1\"," + port_ + ",0,2,1,1", "OK"}));
  close_socket(0);
}

BCEMU_ON_EVERY_SERIAL_SIDE(tcp_direct_push);

}  // namespace
}  // namespace bcconform::bcemu_test
