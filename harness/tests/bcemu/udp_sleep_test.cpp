// AN 4.4 end to end: a UDP client that survives deep sleep, woken through the control channel
// (the module's PSM_EINT pin), against a real loopback UDP peer; datagrams are read one per
// AT+QIRD (E64). AN 4.5 (UDP SERVICE) is refused as E3/E40 rule. Over every serial side.
#include <sys/stat.h>

#include "bcconform/peer/tcp.hpp"
#include "bcconform/peer/udp.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "fixture.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

class udp_sleep : public bcemu_fixture {
 protected:
  void open_udp(const peer::udp_peer& peer) {
    port_ = std::to_string(peer.port());
    EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\"," + port_ + ",0,0"), lines{"OK"});
    EXPECT_TRUE(arrives("+QIOPEN: 0,0"));
  }

  /// AT+QSCLK=1, then +QATSLEEP once the module has been idle (AN 4.4).
  void fall_asleep() {
    EXPECT_EQ(cmd("AT+QSCLK=1"), lines{"OK"});
    EXPECT_TRUE(arrives("+QATSLEEP"));
    const auto status = process().control("status", in(step_budget));
    ASSERT_TRUE(status);
    EXPECT_NE(status->find("asleep=1"), std::string::npos) << *status;
  }

  /// PSM_EINT through the control channel, then +QATWAKEUP and AT+QSCLK=0 (AN 4.4).
  void wake_up() {
    EXPECT_EQ(process().control("wake", in(step_budget)), "ok");
    EXPECT_TRUE(arrives("+QATWAKEUP"));
    EXPECT_EQ(cmd("AT+QSCLK=0"), lines{"OK"});
  }

  /// One AT+QIRD; a read that finds the buffer empty waits for the next announcement.
  lines read(int length) {
    for (int attempt = 0; attempt < 3; ++attempt) {
      auto r = cmd("AT+QIRD=0," + std::to_string(length));
      if (r != lines{"+QIRD: 0", "OK"}) return r;
      if (!m().await_urc(protocol::urc_id::recv, in(step_budget))) break;
    }
    return {"<no data>"};
  }

  /// Announcements of data after the buffer was drained are expected; nothing else is.
  void drop_recv_announcements() {
    while (m().await_line("+QIURC: \"recv\",0", clock::now())) {
    }
  }

  std::string port_;
};

// AN 4.4 in the note's order.
TEST_P(udp_sleep, an_4_4_udp_client_with_deep_sleep_and_wake) {
  auto peer = peer::udp_peer::open(host_);
  ASSERT_TRUE(peer) << peer.error().detail;
  EXPECT_EQ(cmd("AT+QSCLK=0"), lines{"OK"});
  open_udp(*peer);
  const std::string row = "+QISTATE: 0,\"UDP\",\"127.0.0.1\"," + port_ + ",0,2,1,0";
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), (lines{row, "OK"}));

  fall_asleep();
  // Asleep, the module answers nothing: this line must never be answered (the next command's
  // answer would show it). The transcript shows when bcemu has read it; only then the wake.
  ASSERT_TRUE(m().send("ATI"));
  m().abandon_unanswered();
  ASSERT_TRUE(process().wait_for_log("> ATI\\r", in(step_budget)));
  wake_up();

  // The UDP socket and its parameters survived (AN 4.4).
  EXPECT_EQ(cmd("AT+QISTATE=1,0"), (lines{row, "OK"}));
  EXPECT_EQ(cmd("AT+QISEND=0,10,\"1234567890\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  const auto sent = peer->receive(in(step_budget));
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_EQ(sent->bytes, "1234567890");
  EXPECT_EQ(sent->from.address, "127.0.0.1");

  // Two datagrams back: one per AT+QIRD, never merged (E64).
  ASSERT_TRUE(peer->send_to("first", sent->from, in(step_budget)));
  ASSERT_TRUE(peer->send_to("second datagram", sent->from, in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0"));
  EXPECT_EQ(read(512), (lines{"+QIRD: 5", "first", "OK"}));
  EXPECT_EQ(read(512), (lines{"+QIRD: 15", "second datagram", "OK"}));
  drop_recv_announcements();
  EXPECT_EQ(cmd("AT+QIRD=0,512"), (lines{"+QIRD: 0", "OK"}));
  close_socket(0);
}

// E18, E64: a partial read leaves the rest of that datagram, and the next read does not run
// into the following one.
TEST_P(udp_sleep, a_datagram_is_read_in_parts_but_never_merged) {
  auto peer = peer::udp_peer::open(host_);
  ASSERT_TRUE(peer) << peer.error().detail;
  open_udp(*peer);
  EXPECT_EQ(cmd("AT+QICFG=\"showlength\",1"), (lines{"+QICFG: \"showlength\",1", "OK"}));
  EXPECT_EQ(cmd("AT+QISEND=0,5,\"hello\""), lines{"OK"});
  EXPECT_TRUE(arrives("SEND OK"));
  const auto hello = peer->receive(in(step_budget));
  ASSERT_TRUE(hello);
  ASSERT_TRUE(peer->send_to("AAAA", hello->from, in(step_budget)));
  ASSERT_TRUE(peer->send_to("BBBBBB", hello->from, in(step_budget)));
  EXPECT_TRUE(arrives("+QIURC: \"recv\",0,4"));
  EXPECT_EQ(read(3), (lines{"+QIRD: 3,1", "AAA", "OK"}));
  EXPECT_EQ(read(512), (lines{"+QIRD: 1,0", "A", "OK"}));
  EXPECT_EQ(read(512), (lines{"+QIRD: 6,0", "BBBBBB", "OK"}));
  for (const auto& line : m().take_async()) EXPECT_EQ(line, "+QIURC: \"recv\",0,6");
  close_socket(0);
}

// AN 4.4 (the note's remark after +QATWAKEUP): TCP sockets do not survive deep sleep; the
// server sees its connection end.
TEST_P(udp_sleep, tcp_sockets_do_not_survive_deep_sleep) {
  auto udp = peer::udp_peer::open(host_);
  auto server = peer::tcp_server::listen(host_);
  ASSERT_TRUE(udp && server);
  open_udp(*udp);
  EXPECT_EQ(cmd("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\"," + std::to_string(server->port()) + ",0,0"),
            lines{"OK"});
  EXPECT_TRUE(arrives("+QIOPEN: 1,0"));
  auto conn = server->accept(in(step_budget));
  ASSERT_TRUE(conn);

  fall_asleep();
  wake_up();
  const auto state = cmd("AT+QISTATE?");
  ASSERT_EQ(state.size(), 2u) << ::testing::PrintToString(state);
  EXPECT_EQ(protocol::decode_qistate(state[0])->service_type, "UDP");
  const auto end = conn->expect_eof(in(step_budget));
  EXPECT_TRUE(end || end.error().code == peer::errc::connection_reset) << end.error().detail;
  close_socket(0);
}

// The control channel is the module's pins: only its owner may use it.
TEST_P(udp_sleep, control_channel_is_private) {
  struct stat st {};
  ASSERT_EQ(::stat(process().control_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(process().control("no such thing", in(step_budget)).value_or("").substr(0, 6),
            "error:");
}

// AN 4.5 against AN 2.1.1 note 2: "UDP SERVICE" is not supported (E3, E40) → ERROR, 555.
TEST_P(udp_sleep, an_4_5_udp_service_is_refused) {
  const auto port = std::to_string(free_tcp_port());
  EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"UDP SERVICE\",\"127.0.0.1\",0," + port + ",0"), lines{"ERROR"});
  const auto error = cmd("AT+QIGETERROR");
  ASSERT_EQ(error.size(), 2u);
  const auto code = protocol::decode_qigeterror(error[0]);
  ASSERT_TRUE(code) << error[0];
  EXPECT_EQ(code->err, 555);
  EXPECT_EQ(cmd("AT+QISTATE?"), lines{"OK"});
}

BCEMU_ON_EVERY_SERIAL_SIDE(udp_sleep);

}  // namespace
}  // namespace bcconform::bcemu_test
