// udp_peer against plain BSD UDP sockets on loopback.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "bcconform/peer/udp.hpp"
#include "bsd_sockets.hpp"

namespace bcconform::peer {
namespace {

using namespace std::chrono_literals;
using testing::fd;

constexpr auto patience = 5s;

class udp_peer_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = udp_peer::open(h_);
    ASSERT_TRUE(p) << p.error().detail;
    peer_ = std::move(*p);
    ASSERT_NE(peer_.port(), 0);
    ASSERT_GE(other_.get(), 0);
  }

  endpoint other_end() const { return {"127.0.0.1", testing::local_port(other_.get())}; }

  host h_;
  udp_peer peer_;
  fd other_ = testing::udp_socket();
};

TEST_F(udp_peer_test, binds_loopback) {
  EXPECT_EQ(peer_.local_endpoint().address, "127.0.0.1");
}

// Datagrams of these sizes arrive one per receive(), never merged or split.
const std::vector<std::string> datagrams = {"a",
                                            "bb",
                                            "",
                                            std::string("\0\r\n\x1a\x1b", 5),
                                            std::string(1460, 'm'),
                                            std::string(65507, 'L')};

TEST_F(udp_peer_test, keeps_datagram_boundaries_inbound) {
  for (const auto& d : datagrams)
    ASSERT_TRUE(testing::send_datagram(other_.get(), d, peer_.port()));
  for (const auto& d : datagrams) {
    auto got = peer_.receive(deadline_in(patience));
    ASSERT_TRUE(got) << got.error().detail;
    EXPECT_EQ(got->bytes.size(), d.size());
    EXPECT_EQ(got->bytes, d);
    EXPECT_EQ(got->from, other_end());
  }
  EXPECT_EQ(peer_.received().size(), datagrams.size());
}

TEST_F(udp_peer_test, keeps_datagram_boundaries_outbound) {
  for (const auto& d : datagrams) ASSERT_TRUE(peer_.send_to(d, other_end(), deadline_in(patience)));
  for (const auto& d : datagrams) {
    std::string got;
    ASSERT_TRUE(testing::recv_datagram(other_.get(), got));
    EXPECT_EQ(got.size(), d.size());
    EXPECT_EQ(got, d);
  }
}

TEST_F(udp_peer_test, receive_times_out_when_nothing_arrives) {
  const auto start = std::chrono::steady_clock::now();
  auto got = peer_.receive(start + 40ms);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::timed_out);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 40ms);
}

TEST_F(udp_peer_test, send_to_a_name_is_refused) {
  auto r = peer_.send_to("x", {"localhost", 9}, deadline_in(patience));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::bad_address);
}

TEST_F(udp_peer_test, closed_peer_reports_not_open) {
  peer_.close();
  auto got = peer_.receive(deadline_in(patience));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::not_open);
  auto sent = peer_.send_to("x", other_end(), deadline_in(patience));
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, errc::not_open);
}

TEST(udp_peer, full_queue_drops_and_counts_but_records) {
  host h;
  udp_options options;
  options.max_queued = 2;
  auto peer = udp_peer::open(h, options);
  ASSERT_TRUE(peer);
  fd other = testing::udp_socket();
  for (const char* d : {"1", "2", "3", "4"}) {
    ASSERT_TRUE(testing::send_datagram(other.get(), d, peer->port()));
  }
  // Wait for the fourth to be recorded by asking for what the record must contain.
  const auto until = deadline_in(patience);
  while (peer->received().size() < 4 && std::chrono::steady_clock::now() < until) {
    std::this_thread::yield();
  }
  EXPECT_EQ(peer->dropped(), 2u);
  EXPECT_EQ(peer->receive(deadline_in(patience))->bytes, "1");
  EXPECT_EQ(peer->receive(deadline_in(patience))->bytes, "2");
  EXPECT_FALSE(peer->receive(deadline_in(10ms)));
  ASSERT_EQ(peer->received().size(), 4u);
  EXPECT_EQ(peer->received()[3].bytes, "4");
}

TEST(udp_peer, echo_option_answers_each_datagram) {
  host h;
  udp_options options;
  options.echo = true;
  auto peer = udp_peer::open(h, options);
  ASSERT_TRUE(peer);
  fd other = testing::udp_socket();
  for (const char* d : {"ping", "pong"}) {
    ASSERT_TRUE(testing::send_datagram(other.get(), d, peer->port()));
    std::string got;
    ASSERT_TRUE(testing::recv_datagram(other.get(), got));
    EXPECT_EQ(got, d);
  }
  EXPECT_EQ(peer->received().size(), 2u);
}

}  // namespace
}  // namespace bcconform::peer
