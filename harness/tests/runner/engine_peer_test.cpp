// Peer steps with real loopback sockets. The fake link plays the module: its line hook opens
// the module's side of each socket with a second peer host, so every byte crosses the kernel.
// Waits are bounded by the peer library's deadlines; nothing sleeps.
#include <gtest/gtest.h>

#include <charconv>

#include "bcconform/peer/dns_message.hpp"
#include "bcconform/peer/tcp.hpp"
#include "bcconform/peer/udp.hpp"
#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;
using op = sc::peer_step::op;

sc::peer_step peer_op(op action, std::string object) {
  sc::peer_step p;
  p.action = action;
  p.object = std::move(object);
  return p;
}

sc::peer_step with_text(sc::peer_step p, std::string text) {
  p.bytes = sc::bytes_spec{sc::bytes_spec::kind::text, {std::move(text)}};
  return p;
}

// The number after the last `",` (AT+QIOPEN's <remote_port>) or after `=` (test commands).
std::uint16_t port_in(const std::string& line) {
  auto at = line.rfind("\",");
  at = at == std::string::npos ? line.find('=') + 1 : at + 2;
  unsigned v = 0;
  std::from_chars(line.data() + at, line.data() + line.size(), v);
  return static_cast<std::uint16_t>(v);
}

class EnginePeer : public ::testing::Test, protected engine_harness {
 protected:
  EnginePeer() {
    ctx.peers = &harness_side;
    link.on_line([this](const std::string& line) { module(line); });
  }

  // What the fake module does for each command line (AN 4.1: open, send, read, close).
  void module(const std::string& line) {
    const auto soon = peer::deadline_in(std::chrono::seconds(5));
    if (line.starts_with("AT+QIOPEN=1,0,\"TCP\"")) {
      auto c = peer::tcp_connect(module_side, {"127.0.0.1", port_in(line)}, soon);
      ASSERT_TRUE(c) << c.error().detail;
      module_conn = std::move(*c);
      link.deliver_in("\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n", 5ms);
    } else if (line.starts_with("AT+QIOPEN=1,1,\"UDP\"")) {
      auto u = peer::udp_peer::open(module_side);
      ASSERT_TRUE(u);
      module_udp = std::move(*u);
      udp_target = {"127.0.0.1", port_in(line)};
      link.deliver_in("\r\nOK\r\n\r\n+QIOPEN: 1,0\r\n", 5ms);
    } else if (line.starts_with("AT+QISEND=1,")) {
      ASSERT_TRUE(module_udp.send_to("ping", udp_target, soon));
      link.deliver_in("\r\nOK\r\n\r\nSEND OK\r\n", 5ms);
    } else if (line == "AT+QIRD=1,512") {
      auto d = module_udp.receive(soon);
      ASSERT_TRUE(d);
      link.deliver_in(
          "\r\n+QIRD: " + std::to_string(d->bytes.size()) + "\r\n" + d->bytes + "\r\n\r\nOK\r\n",
          5ms);
    } else if (line.starts_with("AT+QISEND=0,")) {
      ASSERT_TRUE(module_conn.send("hello", soon));
      link.deliver_in("\r\nOK\r\n\r\nSEND OK\r\n", 5ms);
    } else if (line == "AT+QIRD=0,512") {
      auto data = module_conn.read_exactly(5, soon);
      ASSERT_TRUE(data) << data.error().detail;
      link.deliver_in("\r\n+QIRD: 5\r\n" + *data + "\r\n\r\nOK\r\n", 5ms);
    } else if (line == "AT+QICLOSE=0") {
      module_conn.close();
      link.deliver_in("\r\nOK\r\n\r\nCLOSE OK\r\n", 5ms);
    } else if (line.starts_with("AT+DNSTEST=")) {
      auto u = peer::udp_peer::open(module_side);
      ASSERT_TRUE(u);
      auto q = peer::dns::encode_query(7, "bcconform.test");
      ASSERT_TRUE(q);
      ASSERT_TRUE(u->send_to(*q, {"127.0.0.1", port_in(line)}, soon));
      auto a = u->receive(soon);
      ASSERT_TRUE(a);
      auto m = peer::dns::decode(a->bytes);
      ASSERT_TRUE(m);
      ASSERT_EQ(m->answers.size(), 1u);
      link.deliver_in("\r\n" + peer::dns::format_ipv4(m->answers[0].rdata) + "\r\n\r\nOK\r\n", 5ms);
    }
  }

  std::string why(const runner::case_result& r) const {
    return r.failure ? r.failure->kind + ": " + r.failure->message : "";
  }

  peer::host harness_side;
  peer::host module_side;
  peer::tcp_connection module_conn;
  peer::udp_peer module_udp;
  peer::endpoint udp_target;
};

TEST_F(EnginePeer, ATcpClientConversationOfAn41) {
  sc::peer_step accept = peer_op(op::accept, "srv");
  accept.as = "c";
  builder b;
  b.peer(peer_op(op::tcp_listen, "srv"))
      .send("AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,0")
      .expect_lines({"OK"})
      .urc(R"(\+QIOPEN: 0,0)")
      .peer(accept)
      .send("AT+QISEND=0,5,\"hello\"")
      .expect_lines({"OK", "SEND OK"})
      .peer(with_text(peer_op(op::expect, "c"), "hello"))
      .peer(with_text(peer_op(op::send, "c"), "world"))
      .send("AT+QIRD=0,512")
      .expect({exact("+QIRD: 5"), payload_text("world"), exact("OK")})
      .send("AT+QICLOSE=0")
      .expect_lines({"OK", "CLOSE OK"})
      .peer(peer_op(op::expect_close, "c"));
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  EXPECT_NE(link.written().find("\"127.0.0.1\","), std::string::npos);
}

TEST_F(EnginePeer, ConnectionsNameBothEnds) {
  sc::peer_step accept = peer_op(op::accept, "srv");
  accept.as = "c";
  builder b;
  b.peer(peer_op(op::tcp_listen, "srv"))
      .send("AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,0")
      .expect_lines({"OK"})
      .urc(R"(\+QIOPEN: 0,0)")
      .peer(accept)
      .send("AT+QIECHO=${c.port},${c.remote_port},${c.address}");
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  // c.port: the harness's end (the listener's port); c.remote_port: the module's end.
  const std::string want = "AT+QIECHO=" + std::to_string(module_conn.remote_endpoint().port) + "," +
                           std::to_string(module_conn.local_endpoint().port) + ",127.0.0.1\r";
  EXPECT_TRUE(link.written().ends_with(want)) << link.written();
}

TEST_F(EnginePeer, WrongBytesFromTheModuleFail) {
  sc::peer_step accept = peer_op(op::accept, "srv");
  accept.as = "c";
  builder b;
  b.peer(peer_op(op::tcp_listen, "srv"))
      .send("AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,0")
      .expect_lines({"OK"})
      .urc(R"(\+QIOPEN: 0,0)")
      .peer(accept)
      .send("AT+QISEND=0,5,\"hello\"")
      .expect_lines({"OK", "SEND OK"})
      .peer(with_text(peer_op(op::expect, "c"), "help!"));
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "peer");
  EXPECT_NE(r.failure->message.find("expected \"help!\" but received \"hello\""), std::string::npos)
      << r.failure->message;
}

TEST_F(EnginePeer, APatternCapturesFromTheStream) {
  sc::peer_step accept = peer_op(op::accept, "srv");
  accept.as = "c";
  sc::peer_step expect = peer_op(op::expect, "c");
  expect.pattern = sc::templated{"he(?P<mid>l+)o"};
  builder b;
  b.peer(peer_op(op::tcp_listen, "srv"))
      .send("AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,0")
      .expect_lines({"OK"})
      .urc(R"(\+QIOPEN: 0,0)")
      .peer(accept)
      .send("AT+QISEND=0,5,\"hello\"")
      .expect_lines({"OK", "SEND OK"})
      .peer(expect)
      .send("AT+MID=${mid}");
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  EXPECT_TRUE(link.written().ends_with("AT+MID=ll\r"));
}

TEST_F(EnginePeer, NoConnectionFromTheModuleWithinTheTimeoutFails) {
  sc::peer_step accept = peer_op(op::accept, "srv");
  accept.as = "c";
  accept.timeout = 100ms;
  auto r = run(builder().peer(peer_op(op::tcp_listen, "srv")).peer(accept));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_NE(r.failure->message.find("no connection from the module"), std::string::npos);
}

TEST_F(EnginePeer, ARefusedConnectionToTheModulesListenerFails) {
  sc::peer_step connect = peer_op(op::connect, "c");
  connect.to = sc::templated{"${x.address}:${x.port}"};
  auto r =
      run(builder().peer(peer_op(op::tcp_listen, "x")).peer(peer_op(op::close, "x")).peer(connect));
  EXPECT_EQ(r.result, verdict::fail) << why(r);
}

TEST_F(EnginePeer, HarnessProblemsAreErrors) {
  EXPECT_EQ(run(builder().peer(peer_op(op::close, "nobody"))).result, verdict::error);
  EXPECT_EQ(
      run(builder().peer(peer_op(op::tcp_listen, "a")).peer(peer_op(op::udp_open, "a"))).result,
      verdict::error);
  sc::peer_step bad_to = peer_op(op::connect, "c");
  bad_to.to = sc::templated{"localhost"};
  EXPECT_EQ(run(builder().peer(bad_to)).result, verdict::error);
  ctx.peer_bind_address = "not-an-address";
  EXPECT_EQ(run(builder().peer(peer_op(op::tcp_listen, "srv"))).result, verdict::error);
  ctx.peers = nullptr;
  EXPECT_EQ(run(builder().peer(peer_op(op::tcp_listen, "srv"))).result, verdict::error);
}

TEST_F(EnginePeer, UdpDatagramsBothWays) {
  sc::peer_step expect = peer_op(op::expect, "u");
  expect.bytes = sc::bytes_spec{sc::bytes_spec::kind::hex, {"70696e67"}};
  builder b;
  b.peer(peer_op(op::udp_open, "u"))
      .send("AT+QIOPEN=1,1,\"UDP\",\"${u.address}\",${u.port}")
      .expect_lines({"OK"})
      .urc(R"(\+QIOPEN: 1,0)")
      .send("AT+QISEND=1,4,\"ping\"")
      .expect_lines({"OK", "SEND OK"})
      .peer(expect)
      .peer(with_text(peer_op(op::send, "u"), "pong"))  // to the last sender
      .send("AT+QIRD=1,512")
      .expect({exact("+QIRD: 4"), payload_text("pong"), exact("OK")});
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::pass) << why(r);
}

TEST_F(EnginePeer, ADnsResponderAnswersFromItsRecords) {
  sc::peer_step dns = peer_op(op::dns, "d");
  dns.records["bcconform.test"] = {"192.0.2.7"};
  auto r = run(
      builder().peer(dns).send("AT+DNSTEST=${d.port}").expect_lines({"192.0.2.7", "OK"}, 5000ms));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
}

}  // namespace
}  // namespace bcconform::runner_test
