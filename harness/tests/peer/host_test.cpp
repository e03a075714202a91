// The host's lifetime contract and the handles' move semantics.
#include <gtest/gtest.h>

#include <memory>

#include "bcconform/peer/dns_responder.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "bcconform/peer/tcp.hpp"
#include "bcconform/peer/udp.hpp"

namespace bcconform::peer {
namespace {

using namespace std::chrono_literals;

TEST(host, starts_and_stops_with_and_without_objects) {
  for (int i = 0; i < 3; ++i) {
    host h;
    if (i == 0) continue;
    auto s = tcp_server::listen(h);
    auto u = udp_peer::open(h);
    auto d = dns_responder::start(h);
    auto n = sntp_responder::start(h);
    ASSERT_TRUE(s && u && d && n);
  }
}

TEST(host, destroying_it_under_live_objects_aborts_with_a_message) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto h = std::make_unique<host>();
        auto p = udp_peer::open(*h);
        h.reset();
      },
      "destroyed while 1 peer objects still use it");
}

TEST(host, moved_handles_carry_the_object_and_leave_an_empty_one) {
  host h;
  auto s = tcp_server::listen(h);
  ASSERT_TRUE(s);
  tcp_server first = std::move(*s);
  const auto port = first.port();
  tcp_server second = std::move(first);
  EXPECT_EQ(second.port(), port);
  EXPECT_EQ(first.port(), 0);  // NOLINT(bugprone-use-after-move): the documented empty state
  auto c = first.accept(deadline_in(1s));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, errc::not_open);
  second = tcp_server();  // closes the listener
  auto refused = tcp_connect(h, {"127.0.0.1", port}, deadline_in(5s));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, errc::connection_refused);
}

TEST(host, binds_another_address_when_told) {
  host h;
  udp_options options;
  options.bind_address = "127.0.0.2";  // all of 127/8 is loopback on Linux
  auto p = udp_peer::open(h, options);
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->local_endpoint().address, "127.0.0.2");
  auto none = udp_peer::open(h, {.bind_address = "192.0.2.1"});  // not an address of this host
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, errc::io_error);
}

}  // namespace
}  // namespace bcconform::peer
