// AN 4.6 – 4.8 end to end, over every serial side: ping of 127.0.0.1 (real ICMP where the host
// allows it, else labelled simulated replies), AT+QNTP against peer::sntp_responder (a chosen,
// known time), AT+QIDNSGIP against peer::dns_responder reached through
// AT+QIDNSCFG="127.0.0.1:<port>" (E59), and the last error code. Names are *.test (RFC 2606):
// only the local responder can answer them.
#include <algorithm>
#include <chrono>
#include <iostream>

#include "bcconform/peer/dns_responder.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "fixture.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

/// 2018-04-20 11:08:20 UTC, the time of the note's example (AN 4.7), in UTC (E63).
constexpr std::chrono::seconds note_time{1524222500};

class services : public bcemu_fixture {
 protected:
  /// A DNS responder the module is told about (E59: "<IPv4>:<port>").
  peer::dns_responder& dns() {
    if (!dns_) {
      auto r = peer::dns_responder::start(host_);
      EXPECT_TRUE(r) << r.error().detail;
      dns_ = std::move(*r);
      const auto server = "127.0.0.1:" + std::to_string(dns_->port());
      EXPECT_EQ(cmd("AT+QIDNSCFG=\"" + server + "\""), lines{"OK"});
      EXPECT_EQ(cmd("AT+QIDNSCFG?"), (lines{"+QIDNSCFG: \"" + server + "\",\"\"", "OK"}));
    }
    return *dns_;
  }

  int last_error() {
    const auto r = cmd("AT+QIGETERROR");
    if (r.size() != 2 || r[1] != "OK") return -1;
    const auto e = protocol::decode_qigeterror(r[0]);
    return e ? e->err : -1;
  }

  /// AN 4.6: the replies and the summary of a 4-request ping of 127.0.0.1.
  void expect_ping_of_loopback() {
    std::vector<int> times;
    for (int i = 0; i < 4; ++i) {
      const auto e = m().await_urc(protocol::urc_id::qping, in(step_budget));
      ASSERT_TRUE(e) << "reply " << i;
      const auto reply = protocol::decode_qping(e->text);
      ASSERT_TRUE(reply) << e->text;
      ASSERT_EQ(reply->kind, protocol::qping_urc::shape::reply) << e->text;
      EXPECT_EQ(reply->code, 0);
      EXPECT_EQ(reply->ip, "127.0.0.1");
      EXPECT_FALSE(reply->ip_quoted) << "E22";
      EXPECT_EQ(reply->bytes, 32) << "AN 2.1.8 default <ping_size>";
      EXPECT_GT(reply->ttl, 0);
      times.push_back(reply->time_ms);
    }
    const auto e = m().await_urc(protocol::urc_id::qping, in(step_budget));
    ASSERT_TRUE(e);
    const auto sum = protocol::decode_qping(e->text);
    ASSERT_TRUE(sum && sum->kind == protocol::qping_urc::shape::summary) << e->text;
    EXPECT_EQ(sum->code, 2);
    EXPECT_EQ(sum->sent, 4) << "E25: counts of requests";
    EXPECT_EQ(sum->rcvd, 4);
    EXPECT_EQ(sum->lost, 0);
    EXPECT_EQ(sum->min, *std::min_element(times.begin(), times.end()));
    EXPECT_EQ(sum->max, *std::max_element(times.begin(), times.end()));
    EXPECT_EQ(sum->avg, (times[0] + times[1] + times[2] + times[3]) / 4) << "E24";
  }

  std::optional<peer::dns_responder> dns_;
};

// AN 4.6 with 127.0.0.1. Real or simulated replies are both acceptable, but bcemu must say
// which: the control channel's status, the transcript and stderr agree.
TEST_P(services, an_4_6_ping_loopback) {
  const auto status = process().control("status", in(step_budget));
  ASSERT_TRUE(status);
  const bool simulated = status->find("ping_simulated=1") != std::string::npos;
  ASSERT_TRUE(simulated || status->find("ping_simulated=0") != std::string::npos) << *status;
  std::cout << "[ INFO     ] pings are " << (simulated ? "SIMULATED" : "real ICMP") << "\n";

  EXPECT_EQ(cmd("AT+QPING=1,\"127.0.0.1\""), lines{"OK"});
  expect_ping_of_loopback();
  const auto log = process().log_text();
  EXPECT_EQ(log.find("SIMULATED") != std::string::npos, simulated)
      << "the transcript labels simulated replies, and only those:\n"
      << log;
}

// The same with --simulate-ping: the replies are labelled as simulated wherever bcemu reports.
class services_simulated_ping : public services {
 protected:
  services_simulated_ping() { extra_args_ = {"--simulate-ping"}; }
};

TEST_P(services_simulated_ping, an_4_6_ping_loopback_simulated) {
  const auto status = process().control("status", in(step_budget));
  ASSERT_TRUE(status);
  EXPECT_NE(status->find("ping_simulated=1"), std::string::npos) << *status;
  EXPECT_EQ(cmd("AT+QPING=1,\"127.0.0.1\""), lines{"OK"});
  expect_ping_of_loopback();
  EXPECT_NE(process().log_text().find("SIMULATED reply"), std::string::npos);
  EXPECT_NE(process().stderr_text().find("SIMULATED"), std::string::npos);
}

// AN 4.6 with a host name, resolved by the local DNS responder.
TEST_P(services, an_4_6_ping_a_name) {
  ASSERT_TRUE(dns().set_record("sh.quectel.test", {"127.0.0.1"}));
  EXPECT_EQ(cmd("AT+QPING=1,\"sh.quectel.test\""), lines{"OK"});
  expect_ping_of_loopback();
  EXPECT_EQ(dns_->questions().front().name, "sh.quectel.test");
}

// AN 4.7: the server's time, in UTC (E63), without the space of the example (E28).
TEST_P(services, an_4_7_synchronise_the_local_time) {
  peer::sntp_options o;
  o.settings.time = std::chrono::system_clock::time_point(note_time);
  auto sntp = peer::sntp_responder::start(host_, o);
  ASSERT_TRUE(sntp) << sntp.error().detail;
  EXPECT_EQ(cmd("AT+QNTP=1,\"127.0.0.1\"," + std::to_string(sntp->port())), lines{"OK"});
  EXPECT_TRUE(arrives("+QNTP: 0,\"18/04/20,11:08:20+00\""));
  EXPECT_EQ(sntp->requests(), 1u);
  EXPECT_EQ(last_error(), 0) << "E60: the <err> of +QNTP is the last error";
}

// AN 4.7 with the server named, as in the note.
TEST_P(services, an_4_7_ntp_server_by_name) {
  peer::sntp_options o;
  o.settings.time = std::chrono::system_clock::time_point(note_time + std::chrono::hours(24));
  auto sntp = peer::sntp_responder::start(host_, o);
  ASSERT_TRUE(sntp) << sntp.error().detail;
  ASSERT_TRUE(dns().set_record("ntp5.aliyun.test", {"127.0.0.1"}));
  EXPECT_EQ(cmd("AT+QNTP=1,\"ntp5.aliyun.test\"," + std::to_string(sntp->port())), lines{"OK"});
  EXPECT_TRUE(arrives("+QNTP: 0,\"18/04/21,11:08:20+00\""));
}

// E63: no answer within 176 module seconds (1.76 s here) → 569.
TEST_P(services, ntp_without_an_answer_times_out) {
  auto sntp = peer::sntp_responder::start(host_);
  ASSERT_TRUE(sntp) << sntp.error().detail;
  sntp->set_behaviour(peer::sntp_behaviour::drop);
  EXPECT_EQ(cmd("AT+QNTP=1,\"127.0.0.1\"," + std::to_string(sntp->port())), lines{"OK"});
  EXPECT_TRUE(arrives("+QNTP: 569"));
  EXPECT_EQ(last_error(), 569);
}

// AN 2.1.10 through the responder: the header, then one line per address.
TEST_P(services, dns_lookup_through_the_configured_server) {
  ASSERT_TRUE(dns().set_record("module.test", {"127.0.0.7", "127.0.0.8"}));
  EXPECT_EQ(cmd("AT+QIDNSGIP=1,\"module.test\""), lines{"OK"});
  EXPECT_TRUE(arrives("+QIURC: \"dnsgip\",0,2,300"));
  EXPECT_TRUE(arrives("+QIURC: \"dnsgip\",\"127.0.0.7\""));
  EXPECT_TRUE(arrives("+QIURC: \"dnsgip\",\"127.0.0.8\""));
  ASSERT_EQ(dns_->questions().size(), 1u);
  EXPECT_EQ(dns_->questions().front().name, "module.test");
  EXPECT_EQ(dns_->questions().front().type, peer::dns::type_a);
}

// AN 3 table 1: 565 for a name that does not exist (NXDOMAIN), also as the last error.
TEST_P(services, dns_unknown_name_reports_565) {
  dns();
  EXPECT_EQ(cmd("AT+QIDNSGIP=1,\"absent.test\""), lines{"OK"});
  EXPECT_TRUE(arrives("+QIURC: \"dnsgip\",565"));
  EXPECT_EQ(last_error(), 565);
}

// AN 4.8: a missing <connectID> is a parameter error.
TEST_P(services, an_4_8_last_error_code) {
  EXPECT_EQ(cmd("AT+QIOPEN=1,\"UDP\",\"220.18.39.22\",8063,0,1"), lines{"ERROR"});
  EXPECT_EQ(cmd("AT+QIGETERROR"), (lines{"+QIGETERROR: 552, invalid parameters", "OK"}));
  EXPECT_EQ(cmd("AT+QIGETERROR"), (lines{"+QIGETERROR: 552, invalid parameters", "OK"}))
      << "E55: reading the code does not reset it";
}

// The allow-list: an address off loopback is refused before any packet leaves (E60: 566).
TEST_P(services, destinations_off_loopback_are_refused) {
  EXPECT_EQ(cmd("AT+QIOPEN=1,0,\"TCP\",\"192.0.2.1\",8062,0,0"), lines{"OK"});
  EXPECT_TRUE(arrives("+QIOPEN: 0,566"));
  EXPECT_NE(process().log_text().find("192.0.2.1"), std::string::npos) << "the refusal is logged";
}

BCEMU_ON_EVERY_SERIAL_SIDE(services);
BCEMU_ON_EVERY_SERIAL_SIDE(services_simulated_ping);

}  // namespace
}  // namespace bcconform::bcemu_test
