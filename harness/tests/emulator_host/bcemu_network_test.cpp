// bcemu's network commands end to end on loopback: DNS through a chosen server and port
// (AN 2.1.10, 2.1.14, E59), SNTP (AN 2.1.9), ping (AN 2.1.8) real and simulated, a TCP
// listener accepting a real connection (AN 2.2.4), and the allow-list.
#include <sys/socket.h>

#include <boost/asio/local/stream_protocol.hpp>

#include <gtest/gtest.h>

#include "bcconform/peer/dns_responder.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "child.hpp"
#include "loopback.hpp"

namespace bcconform::emulator_host {
namespace {

using namespace testing;

std::vector<std::string> bcemu(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{BCEMU_PATH, "--time-scale", "0.01"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// bcconform::peer's DNS and SNTP responders, answering on the peer host's own thread while
/// the test talks to bcemu.
class responders {
 public:
  responders() {
    auto d = peer::dns_responder::start(host_);
    EXPECT_TRUE(d) << d.error().detail;
    if (d) dns = std::move(*d);
    EXPECT_TRUE(dns.set_record("module.test", {"127.0.0.7", "127.0.0.8"}));
    peer::sntp_options options;
    options.settings.time = std::chrono::system_clock::from_time_t(1524222500);  // AN 4.7's date
    auto s = peer::sntp_responder::start(host_, options);
    EXPECT_TRUE(s) << s.error().detail;
    if (s) sntp = std::move(*s);
  }

 private:
  peer::host host_;  // declared first: it must outlive the responders

 public:
  peer::dns_responder dns;
  peer::sntp_responder sntp;
};

class bcemu_network : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(c_.started());
    ASSERT_NE(c_.expect("RDY\r\n"), "");
  }
  void TearDown() override {
    c_.close_stdin();
    EXPECT_EQ(c_.wait(), 0);
  }
  std::string command(const std::string& line, std::string_view until) {
    EXPECT_TRUE(c_.write(line + "\r"));
    return c_.expect(until);
  }
  child c_{bcemu()};
};

TEST_F(bcemu_network, dns_lookup_through_a_server_on_a_chosen_port) {
  responders r;
  const auto server = "\"127.0.0.1:" + std::to_string(r.dns.port()) + "\"";
  ASSERT_NE(command("AT+QIDNSCFG=" + server, "OK\r\n"), "");
  const auto got = command("AT+QIDNSGIP=1,\"module.test\"", "\"127.0.0.8\"\r\n");
  EXPECT_NE(got.find("+QIURC: \"dnsgip\",0,2,300"), std::string::npos) << got;
  EXPECT_NE(got.find("+QIURC: \"dnsgip\",\"127.0.0.7\""), std::string::npos) << got;
  EXPECT_NE(command("AT+QIDNSGIP=1,\"absent.test\"", "\r\n+QIURC: \"dnsgip\",565\r\n"), "");
}

TEST_F(bcemu_network, ntp_from_a_local_sntp_server) {
  responders r;
  const auto got = command("AT+QNTP=1,\"127.0.0.1\"," + std::to_string(r.sntp.port()),
                           "+QNTP: 0,\"18/04/20,11:08:20");
  EXPECT_NE(got, "") << c_.out();
}

TEST_F(bcemu_network, ping_loopback) {
  const auto got = command("AT+QPING=1,\"127.0.0.1\",2,2", "+QPING: 2,2,");
  EXPECT_NE(got.find("+QPING: 0,127.0.0.1,32,"), std::string::npos) << got << c_.out();
}

TEST_F(bcemu_network, non_loopback_destinations_are_refused) {
  EXPECT_NE(command("AT+QIOPEN=1,2,\"TCP\",\"192.0.2.1\",80,0,0", "+QIOPEN: 2,566\r\n"), "");
  EXPECT_NE(command("AT+QPING=1,\"192.0.2.1\",1,1", "+QPING: 3\r\n"), "");
  EXPECT_NE(c_.err().find("refused: connect 192.0.2.1"), std::string::npos) << c_.err();
}

// AN 4.3 (TCP listener): a real connection accepted, announced, read, and answered.
TEST_F(bcemu_network, listener_on_a_chosen_port) {
  asio::io_context io;
  std::uint16_t port = 0;
  {
    tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  const auto p = std::to_string(port);
  ASSERT_NE(
      command("AT+QIOPEN=1,1,\"TCP LISTENER\",\"127.0.0.1\",0," + p + ",0", "+QIOPEN: 1,0\r\n"), "")
      << c_.out();
  tcp::socket client(io);
  client.connect({asio::ip::make_address("127.0.0.1"), port});
  const auto urc = c_.expect(",1,\"127.0.0.1\"," + std::to_string(client.local_endpoint().port()));
  ASSERT_NE(urc.find("+QIURC: \"incoming\","), std::string::npos) << c_.out();
  const char id = urc[urc.find("\"incoming\",") + 11];
  asio::write(client, asio::buffer(std::string("from peer")));
  ASSERT_NE(c_.expect(std::string("+QIURC: \"recv\",") + id), "");
  EXPECT_NE(command(std::string("AT+QIRD=") + id + ",100", "OK\r\n").find("from peer"),
            std::string::npos);
  ASSERT_NE(command(std::string("AT+QISEND=") + id + ",5,\"reply\"", "SEND OK\r\n"), "");
  std::string got;
  client.non_blocking(true);
  EXPECT_TRUE(run_until(io, [&] { return read_available(client, got) && got == "reply"; }));
}

// AN 2.1.5 note 3 / AN 4.2: UDP datagrams kept apart, one per AT+QIRD.
TEST_F(bcemu_network, udp_datagrams_are_read_one_per_qird) {
  asio::io_context io;
  udp::socket peer(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(peer.local_endpoint().port());
  ASSERT_NE(command("AT+QIOPEN=1,3,\"UDP\",\"127.0.0.1\"," + port + ",0,0", "+QIOPEN: 3,0\r\n"),
            "");
  ASSERT_NE(command("AT+QISEND=3,4,\"ping\"", "SEND OK\r\n"), "");
  std::array<char, 64> buf{};
  udp::endpoint module;
  const auto n = peer.receive_from(asio::buffer(buf), module);  // already sent: no wait
  EXPECT_EQ(std::string(buf.data(), n), "ping");
  peer.send_to(asio::buffer(std::string("first")), module);
  peer.send_to(asio::buffer(std::string("second!")), module);
  ASSERT_NE(c_.expect("+QIURC: \"recv\",3\r\n"), "");
  EXPECT_NE(command("AT+QIRD=3,512", "OK\r\n").find("+QIRD: 5\r\nfirst\r\n"), std::string::npos);
  EXPECT_NE(command("AT+QIRD=3,512", "OK\r\n").find("+QIRD: 7\r\nsecond!\r\n"), std::string::npos);
  EXPECT_NE(command("AT+QIRD=3,512", "OK\r\n").find("+QIRD: 0\r\n"), std::string::npos);
}

std::string control(const std::string& path, const std::string& command) {
  asio::io_context io;
  asio::local::stream_protocol::socket s(io);
  boost::system::error_code ec;
  s.connect(asio::local::stream_protocol::endpoint(path), ec);
  if (ec) return "no connection";
  asio::write(s, asio::buffer(command + "\n"));
  std::string reply;
  s.non_blocking(true);
  run_until(io, [&] {
    read_available(s, reply);
    return reply.find('\n') != std::string::npos;
  });
  return reply.substr(0, reply.find('\n'));
}

// Control channel "drop-link" and "reset" act on the real sockets: the peers see them close.
TEST(bcemu_network_control, drop_link_and_reset_close_the_host_sockets) {
  char dir_template[] = "/tmp/bcemu_net_XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  const std::string path = dir + "/control";
  asio::io_context io;
  tcp::acceptor server(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(server.local_endpoint().port());
  {
    child c(bcemu({"--control", path}));
    ASSERT_NE(c.expect("RDY\r\n"), "");
    for (const char* action : {"drop-link", "reset"}) {
      ASSERT_TRUE(c.write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,0\r"));
      ASSERT_NE(c.expect("+QIOPEN: 0,0\r\n"), "") << action;
      tcp::socket peer(io);
      server.accept(peer);
      EXPECT_EQ(control(path, action), "ok");
      std::string ignored;
      EXPECT_TRUE(run_until(io, [&] { return !read_available(peer, ignored); })) << action;
      ASSERT_NE(c.expect(std::string(action) == "reset" ? "RDY\r\n" : "\"closed\",0\r\n"), "")
          << action << c.out();
      if (std::string(action) == "drop-link") {
        ASSERT_TRUE(c.write("AT+QICLOSE=0\r"));
        ASSERT_NE(c.expect("OK\r\n"), "");
      }
    }
    c.close_stdin();
    EXPECT_EQ(c.wait(), 0);
  }
  ::rmdir(dir.c_str());
}

class bcemu_simulated_ping : public ::testing::Test {
 protected:
  child c_{bcemu({"--simulate-ping"})};
};

TEST_F(bcemu_simulated_ping, is_announced_and_labelled) {
  ASSERT_NE(c_.expect("RDY\r\n"), "");
  EXPECT_NE(c_.err().find("SIMULATED"), std::string::npos) << "announced on stderr at start";
  ASSERT_TRUE(c_.write("AT+QPING=1,\"127.0.0.1\",1,1\r"));
  EXPECT_NE(c_.expect("+QPING: 2,1,1,0"), "");
  c_.close_stdin();
  EXPECT_EQ(c_.wait(), 0);
  EXPECT_NE(c_.err().find("SIMULATED reply"), std::string::npos) << "each reply labelled";
}

}  // namespace
}  // namespace bcconform::emulator_host
