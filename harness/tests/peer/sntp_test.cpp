// NTP timestamps and packets (RFC 4330 §3, §4), the responder's decisions (§5, §8) and the
// responder on a socket, as AT+QNTP will use it.
#include <gtest/gtest.h>

#include <ostream>

#include "bcconform/peer/sntp_message.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "bsd_sockets.hpp"

namespace bcconform::peer {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

system_clock::time_point unix_time(std::int64_t seconds, std::int64_t nanos = 0) {
  return system_clock::time_point(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos)));
}

struct timestamp_case {
  const char* name;
  system_clock::time_point time;
  sntp::timestamp ntp;
  friend void PrintTo(const timestamp_case& c, std::ostream* os) { *os << c.name; }
};

class sntp_timestamp : public ::testing::TestWithParam<timestamp_case> {};

TEST_P(sntp_timestamp, converts_both_ways) {
  EXPECT_EQ(sntp::to_ntp(GetParam().time), GetParam().ntp);
  EXPECT_EQ(sntp::from_ntp(GetParam().ntp), GetParam().time);
}

INSTANTIATE_TEST_SUITE_P(
    cases, sntp_timestamp,
    ::testing::Values(
        timestamp_case{"unix_epoch", unix_time(0), {2208988800u, 0}},
        timestamp_case{"half_second", unix_time(1704067200, 500'000'000), {3913056000u, 1u << 31}},
        timestamp_case{"quarter_second", unix_time(1, 250'000'000), {2208988801u, 1u << 30}},
        // RFC 4330 §3: era 0 ends at 2036-02-07 06:28:15; the next second is seconds 0 of era 1.
        timestamp_case{"last_second_of_era_0", unix_time(2085978495), {0xFFFFFFFFu, 0}},
        timestamp_case{"first_second_of_era_1", unix_time(2085978496), {0u, 0}},
        timestamp_case{"era_1_example", unix_time(2085978496 + 3600), {3600u, 0}}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(sntp_timestamp_round_trip, keeps_nanoseconds) {
  for (std::int64_t nanos : {1, 999'999'999, 123'456'789, 500}) {
    const auto t = unix_time(1700000000, nanos);
    EXPECT_EQ(sntp::from_ntp(sntp::to_ntp(t)), t) << nanos;
  }
}

TEST(sntp_packet, encodes_and_decodes_every_field) {
  sntp::packet p;
  p.leap = 2;
  p.version = 3;
  p.mode = 4;
  p.stratum = 2;
  p.poll = 6;
  p.precision = -18;
  p.root_delay = 0x00010203;
  p.root_dispersion = 0x04050607;
  p.reference_id = sntp::reference_id("GPS");
  p.reference = {1, 2};
  p.originate = {3, 4};
  p.receive = {5, 6};
  p.transmit = {0xFFFFFFFF, 0x80000000};
  const auto wire = sntp::encode(p);
  ASSERT_EQ(wire.size(), sntp::packet_size);
  EXPECT_EQ(static_cast<unsigned char>(wire[0]), 2u << 6 | 3u << 3 | 4u);
  EXPECT_EQ(wire.substr(12, 4), std::string("GPS\0", 4));
  auto back = sntp::decode(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, p);
  EXPECT_FALSE(sntp::decode(wire.substr(0, 47)));
  EXPECT_TRUE(sntp::decode(wire + std::string(20, 'x')));  // an authenticator is ignored
}

/// The request an SNTP client (the module) sends: LI 0, VN `version`, mode 3, transmit T1.
std::string client_request(std::uint8_t version, sntp::timestamp t1, std::int8_t poll = 4) {
  sntp::packet p;
  p.version = version;
  p.mode = sntp::mode_client;
  p.poll = poll;
  p.transmit = t1;
  return sntp::encode(p);
}

const sntp::timestamp t1{3900000000u, 0x12345678};
const auto configured = unix_time(1714566896, 500'000'000);  // 2024-05-01 12:34:56.5 UTC

TEST(sntp_reply, carries_the_configured_time_and_echoes_the_request) {
  const sntp_settings settings{configured, 1, sntp_behaviour::answer};
  for (const std::uint8_t version : {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{4}}) {
    auto reply = sntp_reply(client_request(version, t1, 6), settings);
    ASSERT_TRUE(reply);
    auto p = sntp::decode(*reply);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->version, version);  // §5: copied
    EXPECT_EQ(p->mode, sntp::mode_server);
    EXPECT_EQ(p->leap, 0);
    EXPECT_EQ(p->stratum, 1);
    EXPECT_EQ(p->poll, 6);        // §5: copied
    EXPECT_EQ(p->originate, t1);  // §5: the client's transmit timestamp
    EXPECT_EQ(sntp::from_ntp(p->transmit), configured);
    EXPECT_EQ(sntp::from_ntp(p->receive), configured);
    EXPECT_NE(p->reference.seconds, 0u);
  }
}

TEST(sntp_reply, ignores_what_is_not_a_client_request) {
  const sntp_settings settings{configured, 1, sntp_behaviour::answer};
  std::string server_mode = client_request(4, t1);
  server_mode[0] = static_cast<char>(4 << 3 | 4);
  std::string version_0 = client_request(4, t1);
  version_0[0] = static_cast<char>(0 << 3 | 3);
  std::string version_5 = client_request(4, t1);
  version_5[0] = static_cast<char>(5 << 3 | 3);
  for (const auto& request :
       {std::string(), std::string(47, '\x23'), server_mode, version_0, version_5}) {
    EXPECT_FALSE(sntp_reply(request, settings));
  }
}

TEST(sntp_reply, kiss_of_death_and_drop) {
  sntp_settings settings{configured, 1, sntp_behaviour::kiss_of_death};
  auto reply = sntp_reply(client_request(4, t1), settings);
  ASSERT_TRUE(reply);
  auto p = sntp::decode(*reply);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->stratum, 0);  // §8
  EXPECT_EQ(p->reference_id, sntp::reference_id("RATE"));
  EXPECT_EQ(p->leap, 3);
  settings.behaviour = sntp_behaviour::drop;
  EXPECT_FALSE(sntp_reply(client_request(4, t1), settings));
}

class sntp_responder_test : public ::testing::Test {
 protected:
  void SetUp() override {
    sntp_options options;
    options.settings.time = configured;
    auto r = sntp_responder::start(h_, options);
    ASSERT_TRUE(r) << r.error().detail;
    responder_ = std::move(*r);
  }

  host h_;
  sntp_responder responder_;
  testing::fd client_ = testing::udp_socket();
};

TEST_F(sntp_responder_test, answer_decodes_to_the_configured_time) {
  ASSERT_TRUE(testing::send_datagram(client_.get(), client_request(4, t1), responder_.port()));
  std::string reply;
  ASSERT_TRUE(testing::recv_datagram(client_.get(), reply));
  auto p = sntp::decode(reply);
  ASSERT_TRUE(p);
  EXPECT_EQ(sntp::from_ntp(p->transmit), configured);
  EXPECT_EQ(p->originate, t1);
  EXPECT_EQ(responder_.requests(), 1u);
  EXPECT_EQ(responder_.replies(), 1u);
  EXPECT_EQ(responder_.local_endpoint().address, "127.0.0.1");
}

TEST_F(sntp_responder_test, counts_ignores_and_follows_a_new_time) {
  ASSERT_TRUE(testing::send_datagram(client_.get(), "garbage", responder_.port()));
  ASSERT_TRUE(testing::send_datagram(client_.get(), std::string(48, '\xff'), responder_.port()));
  responder_.set_behaviour(sntp_behaviour::drop);
  ASSERT_TRUE(testing::send_datagram(client_.get(), client_request(4, t1), responder_.port()));
  ASSERT_TRUE(responder_.wait_for_requests(1, deadline_in(5s)));
  responder_.set_behaviour(sntp_behaviour::answer);
  const auto later = configured + 24h;
  responder_.set_time(later);
  ASSERT_TRUE(testing::send_datagram(client_.get(), client_request(4, t1), responder_.port()));
  std::string reply;
  ASSERT_TRUE(testing::recv_datagram(client_.get(), reply));
  auto p = sntp::decode(reply);
  ASSERT_TRUE(p);
  EXPECT_EQ(sntp::from_ntp(p->transmit), later);
  EXPECT_EQ(responder_.ignored(), 2u);
  EXPECT_EQ(responder_.requests(), 2u);
  EXPECT_EQ(responder_.replies(), 1u);
  auto more = responder_.wait_for_requests(3, deadline_in(20ms));
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code, errc::timed_out);
}

}  // namespace
}  // namespace bcconform::peer
