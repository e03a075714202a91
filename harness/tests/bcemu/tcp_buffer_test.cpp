// AN 4.1 end to end: a TCP client in buffer access mode, bcemu against a real loopback server
// (peer::tcp_server), over every serial side. The command lines are the note's, with the
// server's address and port in place of 220.18.39.22:8062.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "bcconform/peer/tcp.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "fixture.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

std::string qiopen_tcp(std::uint16_t port, int access_mode) {
  return "AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + std::to_string(port) + ",0," +
         std::to_string(access_mode);
}

std::string qistate_row(std::uint16_t port, int state, int access_mode) {
  return "+QISTATE: 0,\"TCP\",\"127.0.0.1\"," + std::to_string(port) + ",0," +
         std::to_string(state) + ",1," + std::to_string(access_mode);
}

class tcp_buffer : public bcemu_fixture {
 protected:
  /// AN 4.1.1: registered, an address, the socket opened, +QIOPEN: 0,0 after the real connect.
  peer::tcp_connection open_connection() {
    auto server = peer::tcp_server::listen(host_);
    if (!server) {
      ADD_FAILURE() << server.error().detail;
      return {};
    }
    port_ = server->port();
    EXPECT_EQ(cmd(qiopen_tcp(port_, 0)), lines{"OK"});
    EXPECT_TRUE(arrives("+QIOPEN: 0,0"));
    auto conn = server->accept(in(step_budget));
    if (!conn) {
      ADD_FAILURE() << "the server saw no connection: " << conn.error().detail;
      return {};
    }
    return std::move(*conn);
  }

  std::uint16_t port_ = 0;
};

// AN 4.1.1
TEST_P(tcp_buffer, an_4_1_1_open_a_tcp_client_connection) {
  EXPECT_EQ(cmd("AT+CGATT?"), (lines{"+CGATT: 1", "OK"}));
  EXPECT_EQ(cmd("AT+CGPADDR?"), (lines{"+CGPADDR: 1,\"100.127.243.105\"", "OK"}));
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(conn.remote_endpoint().address, "127.0.0.1");
  // AN 2.1.3: state 2 "connected", context 1, access mode 0; E8: the requested local port (0).
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), (lines{qistate_row(port_, 2, 0), "OK"}));
  close_socket(0);
}

// AN 4.1.2: the server receives exactly the bytes sent; a send while the previous one has not
// reported SEND OK is refused (E15), and AT+QIGETERROR says 568.
TEST_P(tcp_buffer, an_4_1_2_send_data) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QISEND=0,10,\"1234567890\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("1234567890", in(step_budget)));
  EXPECT_EQ(cmd("AT+QISENDEX=0,5,\"3031323334\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("01234", in(step_budget)));

  // Both lines in one write: the module reads the second before the first can report.
  const std::string send = "AT+QISEND=0,10,\"1234567890\"";
  ASSERT_TRUE(m().send_pipelined({send, send}));
  const auto first = m().response(in(step_budget));
  const auto second = m().response(in(step_budget));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(render(*first), lines{"OK"});
  EXPECT_EQ(render(*second), lines{"ERROR"});
  EXPECT_TRUE(arrives("SEND OK"));
  const auto error = cmd("AT+QIGETERROR");
  ASSERT_EQ(error.size(), 2u);
  const auto code = protocol::decode_qigeterror(error[0]);
  ASSERT_TRUE(code) << error[0];
  EXPECT_EQ(code->err, 568) << "AN 3 table 1: operation busy";

  // Only the first of the two reached the server: the next bytes follow it directly.
  EXPECT_EQ(cmd("AT+QISEND=0,3,\"end\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("1234567890end", in(step_budget)));
  close_socket(0);
}

// AN 2.1.4 fixed-length data mode: binary bytes, CR, LF, NUL, Ctrl+Z and Esc included (E61).
TEST_P(tcp_buffer, send_binary_data_in_fixed_length_data_mode) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  const std::string data("a\r\n\0\x1a\x1b\xff", 7);
  ASSERT_TRUE(m().send("AT+QISEND=0,7"));
  ASSERT_TRUE(m().await_prompt(in(step_budget)));
  ASSERT_TRUE(m().send_data(data));
  const auto r = m().response(in(step_budget));
  ASSERT_TRUE(r);
  EXPECT_EQ(render(*r), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact(data, in(step_budget)));
  close_socket(0);
}

// AN 2.1.4 variable-length data mode: Ctrl+Z sends what came before it; Esc cancels (E13:
// ERROR, 571) and nothing reaches the server.
TEST_P(tcp_buffer, send_in_data_mode_until_ctrl_z_and_cancel_with_esc) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  ASSERT_TRUE(m().send("AT+QISEND=0"));
  ASSERT_TRUE(m().await_prompt(in(step_budget)));
  ASSERT_TRUE(m().send_data("cancelled\x1b"));
  auto r = m().response(in(step_budget));
  ASSERT_TRUE(r);
  EXPECT_EQ(render(*r), lines{"ERROR"});
  const auto error = cmd("AT+QIGETERROR");
  ASSERT_EQ(error.size(), 2u);
  const auto code = protocol::decode_qigeterror(error[0]);
  ASSERT_TRUE(code) << error[0];
  EXPECT_EQ(code->err, 571);

  ASSERT_TRUE(m().send("AT+QISEND=0"));
  ASSERT_TRUE(m().await_prompt(in(step_budget)));
  ASSERT_TRUE(m().send_data("sent\x1a"));
  r = m().response(in(step_budget));
  ASSERT_TRUE(r);
  EXPECT_EQ(render(*r), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("sent", in(step_budget)));
  close_socket(0);
}

// AN 4.1.3: data from the server is announced once and read with AT+QIRD; showlength adds the
// length; a partial read reports the unread rest (E18); viewmode 1 puts the data after a comma.
TEST_P(tcp_buffer, an_4_1_3_receive_data) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  ASSERT_TRUE(conn.send("1234567890", in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0"));
  EXPECT_EQ(cmd("AT+QIRD=0,512"), (lines{"+QIRD: 10", "1234567890", "OK"}));
  EXPECT_EQ(cmd("AT+QIRD=0,512"), (lines{"+QIRD: 0", "OK"}));

  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  ASSERT_TRUE(conn.send("123456789012", in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0,12"));
  EXPECT_EQ(cmd("AT+QIRD=0,10"), (lines{"+QIRD: 10,2", "1234567890", "OK"}));
  EXPECT_EQ(cmd("AT+QIRD=0,10"), (lines{"+QIRD: 2,0", "12", "OK"}));
  EXPECT_EQ(cmd("AT+QIRD=0,10"), (lines{"+QIRD: 0", "OK"})) << "E17";

  EXPECT_EQ(cmd("AT+QICFG=\"viewmode\",1"), (lines{"+QICFG: \"viewmode\",1", "OK"}));
  EXPECT_EQ(cmd("AT+QISEND=0,12,\"012345678901\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  EXPECT_TRUE(conn.expect_exact("012345678901", in(step_budget)));
  ASSERT_TRUE(conn.send("012345678901", in(step_budget)));  // the server answers in kind
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0,12"));
  EXPECT_EQ(cmd("AT+QIRD=0,10"), (lines{"+QIRD: 10,2,0123456789", "OK"}));
  EXPECT_EQ(cmd("AT+QIRD=0,10"), (lines{"+QIRD: 2,0,01", "OK"}));
  close_socket(0);
}

// AN 4.1.3 "buff full" and AN 2.2.3: more than the buffer holds. The module announces the full
// buffer, stops reading the socket (the server's bytes wait in TCP), and loses nothing.
TEST_P(tcp_buffer, an_4_1_3_buffer_full_loses_nothing) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  std::string sent;
  for (int i = 0; sent.size() < 12000; ++i) sent += "<" + std::to_string(i) + ">";
  ASSERT_TRUE(conn.send(sent, in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0"));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0,\"buff full\""));

  std::string read;
  const auto until = in(step_budget * 3);
  while (read.size() < sent.size() && clock::now() < until) {
    const auto r = m().command("AT+QIRD=0,512");
    ASSERT_GE(r.size(), 2u);
    ASSERT_EQ(r.back(), "OK");
    const auto header = protocol::decode_qird(r[0]);
    ASSERT_TRUE(header) << r[0];
    if (header->read_length == 0) {  // drained: the rest comes with a new announcement
      ASSERT_TRUE(m().await_urc(protocol::urc_id::recv, until)) << read.size();
      continue;
    }
    ASSERT_EQ(r.size(), 3u);
    ASSERT_EQ(r[1].size(), static_cast<std::size_t>(header->read_length));
    read += r[1];
  }
  EXPECT_EQ(read, sent);
  for (const auto& line : m().take_async()) {  // announcements of refills, and nothing else
    EXPECT_TRUE(line == "+QIURC: \"recv\",0" || line == "+QIURC: \"recv\",0,\"buff full\"") << line;
  }
  close_socket(0);
}

// AN 4.1.4: the module closes; the server sees the end of the stream.
TEST_P(tcp_buffer, an_4_1_4_close_the_connection) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  EXPECT_EQ(cmd("AT+QICLOSE=0"), lines{"OK"});
  EXPECT_TRUE(arrives("CLOSE OK"));
  EXPECT_TRUE(conn.expect_eof(in(step_budget)));
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), lines{"OK"}) << "a closed socket is not listed";
}

// AN 2.2.1 and E9: the server closes; the module says so, lists the socket as
// "remote closing" (4) until AT+QICLOSE, which still answers CLOSE OK.
TEST_P(tcp_buffer, remote_close_is_announced) {
  auto conn = open_connection();
  ASSERT_TRUE(conn.is_open());
  conn.close();
  EXPECT_TRUE(arrives("+QIURC: \"closed\",0"));
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), (lines{qistate_row(port_, 4, 0), "OK"}));
  EXPECT_EQ(cmd("AT+QICLOSE=0"), lines{"OK"});
  EXPECT_TRUE(arrives("CLOSE OK"));
}

// E60: nothing listens on the port → +QIOPEN: 0,566, and AT+QIGETERROR reports it.
TEST_P(tcp_buffer, refused_connection_reports_566) {
  const auto port = free_tcp_port();
  ASSERT_NE(port, 0);
  EXPECT_EQ(cmd(qiopen_tcp(port, 0)), lines{"OK"});
  EXPECT_TRUE(arrives("+QIOPEN: 0,566"));
  const auto error = cmd("AT+QIGETERROR");
  ASSERT_EQ(error.size(), 2u);
  const auto code = protocol::decode_qigeterror(error[0]);
  ASSERT_TRUE(code) << error[0];
  EXPECT_EQ(code->err, 566);
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), lines{"OK"}) << "E60: the connect ID is free again";
}

// AN 2.1.1 note 1 and E60: a SYN nobody answers → +QIOPEN: 0,569 after 36 module seconds
// (0.36 s at --time-scale 0.01). A listener whose accept queue is full drops new SYNs.
TEST_P(tcp_buffer, unanswered_connect_times_out_with_569) {
  unique_fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
  ASSERT_EQ(::listen(listener.get(), 0), 0);
  // Fill the accept queue (backlog 0 holds one connection) with connections never accepted.
  std::vector<unique_fd> fillers;
  for (int i = 0; i < 2; ++i) {
    fillers.emplace_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    ::connect(fillers.back().get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  const auto started = clock::now();
  EXPECT_EQ(cmd(qiopen_tcp(ntohs(a.sin_port), 0)), lines{"OK"});
  EXPECT_TRUE(arrives("+QIOPEN: 0,569"));
  EXPECT_GE(clock::now() - started, std::chrono::milliseconds(300)) << "36 s × 0.01";
}

BCEMU_ON_EVERY_SERIAL_SIDE(tcp_buffer);

}  // namespace
}  // namespace bcconform::bcemu_test
