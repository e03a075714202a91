// AT+QPING (AN 2.1.8), AT+QNTP (AN 2.1.9), AT+QIDNSGIP (AN 2.1.10): the examples of AN 4.6 and
// 4.7 end to end, every outcome, the busy refusals and the deadlines.
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using net_test = socket_fixture;

net_event dns_answer(std::uint32_t token, std::vector<std::string> addresses, int ttl = 0) {
  net_event e = socket_fixture::answer(ev::dns_result, token);
  e.addresses = std::move(addresses);
  e.ttl = ttl;
  return e;
}

net_event ping_answer(std::uint32_t token, int rtt_ms, int ttl = 255) {
  net_event e = socket_fixture::answer(ev::ping_reply, token);
  e.from = {"220.18.29.21", 0};
  e.rtt = std::chrono::milliseconds(rtt_ms);
  e.ttl = ttl;
  return e;
}

// AN 4.6 (E23: one address; E24: the integer average of 192, 240, 241, 479 is 288).
TEST_F(net_test, an_4_6_ping_by_name) {
  EXPECT_EQ(at("AT+QPING=1,\"sh.quectel.com\""), lines({"OK"}));
  const net_request dns = request_of(kind::dns_lookup);
  EXPECT_EQ(dns.remote.host, "sh.quectel.com");
  EXPECT_EQ(event(dns_answer(dns.token, {"220.18.29.21"})), "");
  const int rtts[] = {192, 240, 241, 479};
  std::string out;
  for (int i = 0; i < 4; ++i) {
    const net_request p = request_of(kind::ping);
    EXPECT_EQ(p.remote.host, "220.18.29.21");
    EXPECT_EQ(p.ping_size, 32);    // AN 2.1.8 default
    EXPECT_EQ(p.timeout, 4000ms);  // AN 2.1.8 default 4 s
    out += event(ping_answer(p.token, rtts[i]));
  }
  EXPECT_EQ(out, lines({"+QPING: 0,220.18.29.21,32,192,255", "+QPING: 0,220.18.29.21,32,240,255",
                        "+QPING: 0,220.18.29.21,32,241,255", "+QPING: 0,220.18.29.21,32,479,255",
                        "+QPING: 2,4,4,0,192,479,288"}));
  EXPECT_TRUE(requests().empty());
}

// E22: the address is quoted when the profile says so.
TEST_F(net_test, ping_ip_quoted_per_profile) {
  profile p = test_profile();
  p.qping_ip_quoted = true;
  start(p);
  at("AT+QPING=1,\"127.0.0.1\",1,1");
  EXPECT_EQ(event(ping_answer(request_of(kind::ping).token, 1, 64)),
            lines({"+QPING: 0,\"127.0.0.1\",32,1,64", "+QPING: 2,1,1,0,1,1,1"}));
}

// AN 2.1.8: <time_out>, <ping_num>, <ping_size>; a timeout prints "+QPING: 1" and counts as lost
// (E25); an address needs no lookup.
TEST_F(net_test, ping_parameters_and_timeouts) {
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\",2,3,100"), lines({"OK"}));
  net_request p = request_of(kind::ping);
  EXPECT_EQ(p.timeout, 2000ms);
  EXPECT_EQ(p.ping_size, 100);
  EXPECT_EQ(event(ping_answer(p.token, 10)), lines({"+QPING: 0,127.0.0.1,100,10,255"}));
  p = request_of(kind::ping);
  net_event t = answer(ev::ping_reply, p.token);
  t.error = 1;
  EXPECT_EQ(event(t), lines({"+QPING: 1"}));
  p = request_of(kind::ping);
  EXPECT_EQ(event(ping_answer(p.token, 30)),
            lines({"+QPING: 0,127.0.0.1,100,30,255", "+QPING: 2,3,2,1,10,30,20"}));
}

// Every wait has a deadline: a host that never answers a ping still ends it (timeout + 1 s).
TEST_F(net_test, ping_without_answers_ends_on_the_interpreters_deadline) {
  at("AT+QPING=1,\"127.0.0.1\",1,2");
  const net_request first = request_of(kind::ping);
  EXPECT_EQ(advance(1999ms), "");
  EXPECT_EQ(advance(1ms), lines({"+QPING: 1"}));
  request_of(kind::ping);
  EXPECT_EQ(advance(2s), lines({"+QPING: 1", "+QPING: 2,2,0,2,0,0,0"}));  // E63: all lost
  EXPECT_EQ(event(ping_answer(first.token, 5)), "");                      // too late: ignored
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\",1,1"), lines({"OK"}));           // no longer busy
}

// AN 3 table 2: a host that does not resolve → "+QPING: 4" only.
TEST_F(net_test, ping_unresolvable_is_4) {
  at("AT+QPING=1,\"nowhere.test\"");
  net_event a = answer(ev::dns_result, request_of(kind::dns_lookup).token);
  a.error = 565;
  EXPECT_EQ(event(a), lines({"+QPING: 4"}));
  EXPECT_TRUE(requests().empty());
}

// E63: a per-request failure without a table 2 code (a destination off the allow-list) is 3.
TEST_F(net_test, ping_refused_destination_is_3) {
  at("AT+QPING=1,\"192.0.2.1\",1,1");
  net_event r = answer(ev::ping_reply, request_of(kind::ping).token);
  r.error = 566;
  EXPECT_EQ(event(r), lines({"+QPING: 3", "+QPING: 2,1,0,1,0,0,0"}));
}

// E76: without a PDP context (AT+CGATT=0) a ping reports "+QPING: 5" alone and sends nothing.
TEST_F(net_test, ping_while_detached_is_5) {
  EXPECT_EQ(at("AT+CGATT=0"), lines({"OK"}));
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\",1,2"), lines({"OK", "+QPING: 5"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\",1,1"), lines({"OK", "+QPING: 5"}));  // not busy
}

// E63: one ping at a time: the second is ERROR, 568.
TEST_F(net_test, second_ping_is_568) {
  at("AT+QPING=1,\"127.0.0.1\"");
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 568, operation busy", "OK"}));
}

// AN 4.7 (E28: no space; E63: UTC, zone +00): 2018-04-20 11:08:20 UTC = 1524222500.
TEST_F(net_test, an_4_7_ntp) {
  EXPECT_EQ(at("AT+QNTP=1,\"ntp5.aliyun.com\""), lines({"OK"}));
  const net_request dns = request_of(kind::dns_lookup);
  EXPECT_EQ(dns.remote.host, "ntp5.aliyun.com");
  event(dns_answer(dns.token, {"127.0.0.9"}));
  const net_request q = request_of(kind::ntp_query);
  EXPECT_EQ(q.remote, (endpoint{"127.0.0.9", 123}));  // AN 2.1.9 default port
  net_event r = answer(ev::ntp_result, q.token);
  r.unix_seconds = 1524222500;
  EXPECT_EQ(event(r), lines({"+QNTP: 0,\"18/04/20,11:08:20+00\""}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 0, operation successful", "OK"}));
}

// A chosen port reaches the host; dates across years and leap days format correctly.
TEST_F(net_test, ntp_port_and_dates) {
  at("AT+QNTP=1,\"127.0.0.1\",1123,0");
  const net_request q = request_of(kind::ntp_query);
  EXPECT_EQ(q.remote, (endpoint{"127.0.0.1", 1123}));
  net_event r = answer(ev::ntp_result, q.token);
  r.unix_seconds = 951782399;  // 2000-02-28 23:59:59
  EXPECT_EQ(event(r), lines({"+QNTP: 0,\"00/02/28,23:59:59+00\""}));
  at("AT+QNTP=1,\"127.0.0.1\"");
  r = answer(ev::ntp_result, request_of(kind::ntp_query).token);
  r.unix_seconds = 951782400 + 86400 - 1;  // 2000-02-29 23:59:59
  EXPECT_EQ(event(r), lines({"+QNTP: 0,\"00/02/29,23:59:59+00\""}));
}

// E63: NTP failures: an unresolvable name 565, no answer within 176 s 569; busy 568.
TEST_F(net_test, ntp_failures) {
  at("AT+QNTP=1,\"nowhere.test\"");
  EXPECT_EQ(at("AT+QNTP=1,\"nowhere.test\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 568, operation busy", "OK"}));
  net_event a = answer(ev::dns_result, request_of(kind::dns_lookup).token);
  a.error = 565;
  EXPECT_EQ(event(a), lines({"+QNTP: 565"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 565, dns parse failed", "OK"}));
  at("AT+QNTP=1,\"127.0.0.1\"");
  request_of(kind::ntp_query);
  EXPECT_EQ(advance(175999ms), "");
  EXPECT_EQ(advance(1ms), lines({"+QNTP: 569"}));
}

// AN 2.1.10 (E29: addresses quoted): header with count and TTL, one line per address.
TEST_F(net_test, dnsgip_success) {
  EXPECT_EQ(at("AT+QIDNSCFG=\"127.0.0.53\""), lines({"OK"}));
  EXPECT_EQ(at("AT+QIDNSGIP=1,\"two.test\""), lines({"OK"}));
  const net_request dns = request_of(kind::dns_lookup);
  EXPECT_EQ(dns.remote.host, "two.test");
  EXPECT_EQ(dns.dns_servers, (std::vector<std::string>{"127.0.0.53"}));
  EXPECT_EQ(event(dns_answer(dns.token, {"127.0.0.1", "127.0.0.2"}, 300)),
            lines({"+QIURC: \"dnsgip\",0,2,300", "+QIURC: \"dnsgip\",\"127.0.0.1\"",
                   "+QIURC: \"dnsgip\",\"127.0.0.2\""}));
}

// An address needs no lookup: answered at once with TTL 0.
TEST_F(net_test, dnsgip_of_an_address) {
  EXPECT_EQ(at("AT+QIDNSGIP=1,\"127.0.0.1\""),
            lines({"OK", "+QIURC: \"dnsgip\",0,1,0", "+QIURC: \"dnsgip\",\"127.0.0.1\""}));
  EXPECT_TRUE(requests().empty());
}

// AN 2.1.10 failure: "+QIURC: "dnsgip",565" (also on the interpreter's own deadline); busy 564.
TEST_F(net_test, dnsgip_failure_busy_and_deadline) {
  at("AT+QIDNSGIP=1,\"nowhere.test\"");
  EXPECT_EQ(at("AT+QIDNSGIP=1,\"other.test\""), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 564, dns busy", "OK"}));
  net_event a = answer(ev::dns_result, request_of(kind::dns_lookup).token);
  a.error = 1;  // not a chapter-3 code
  EXPECT_EQ(event(a), lines({"+QIURC: \"dnsgip\",565"}));
  at("AT+QIDNSGIP=1,\"slow.test\"");
  const net_request slow = request_of(kind::dns_lookup);
  EXPECT_EQ(advance(139999ms), "");  // E48: 140 s
  EXPECT_EQ(advance(1ms), lines({"+QIURC: \"dnsgip\",565"}));
  EXPECT_EQ(event(dns_answer(slow.token, {"127.0.0.1"})), "");
}

// A reboot forgets a running operation: the next one is not refused as busy.
TEST_F(net_test, reboot_clears_busy_operations) {
  at("AT+QIDNSGIP=1,\"slow.test\"");
  at("AT+QPING=1,\"127.0.0.1\"");
  at("AT+QRST=1");
  EXPECT_EQ(at("AT+QIDNSGIP=1,\"127.0.0.1\""),
            lines({"OK", "+QIURC: \"dnsgip\",0,1,0", "+QIURC: \"dnsgip\",\"127.0.0.1\""}));
  EXPECT_EQ(at("AT+QPING=1,\"127.0.0.1\""), lines({"OK"}));
}

// Each ping request keeps a deadline timer after its answer (until timeout + 1 s). Hundreds of
// them pending must not silence the AT interface: only delayed output counts towards the
// overrun bound (interpreter.cpp, max_output_backlog).
TEST_F(net_test, many_finished_pings_leave_the_module_answering) {
  for (int session = 0; session < 40; ++session) {
    ASSERT_EQ(at("AT+QPING=1,\"127.0.0.1\",255,10"), lines({"OK"})) << "session " << session;
    for (int i = 0; i < 10; ++i) event(ping_answer(request_of(kind::ping).token, 1));
  }
  EXPECT_EQ(at("AT"), lines({"OK"}));
}

}  // namespace
}  // namespace bcconform::emulator::testing
