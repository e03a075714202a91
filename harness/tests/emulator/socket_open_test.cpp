// AT+QIOPEN (AN 2.1.1), AT+QICLOSE (AN 2.1.2), AT+QISTATE (AN 2.1.3) through the interpreter:
// the examples of AN 4.1.1, 4.1.4, 4.3.1, 4.3.4 and every outcome and error code of an open.
#include "socket_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using open_test = socket_fixture;

// AN 4.1.1: attach check, open, +QIOPEN when the host has connected, QISTATE by connect ID.
TEST_F(open_test, an_4_1_1_tcp_client_in_buffer_mode) {
  EXPECT_EQ(at("AT+CGATT?"), lines({"+CGATT: 1", "OK"}));
  EXPECT_EQ(at("AT+CGPADDR?"), lines({"+CGPADDR: 1,\"100.127.243.105\"", "OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0"), lines({"OK"}));
  const net_request r = request_of(kind::tcp_connect);
  EXPECT_EQ(r.socket, 0);
  EXPECT_EQ(r.remote, (endpoint{"220.18.39.22", 8062}));
  EXPECT_EQ(r.local_port, 0);
  EXPECT_EQ(event(connected(0)), lines({"+QIOPEN: 0,0"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"),
            lines({"+QISTATE: 0,\"TCP\",\"220.18.39.22\",8062,0,2,1,0", "OK"}));
}

// AN 4.1.4 / AN 2.1.2: OK, then CLOSE OK; the host closes the socket.
TEST_F(open_test, an_4_1_4_close) {
  open(0, "TCP", "220.18.39.22", 8062);
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
  EXPECT_EQ(request_of(kind::close).socket, 0);
  EXPECT_EQ(at("AT+QISTATE?"), lines({"OK"}));
}

// AN 4.3.1 with E41: a listener reports the PDP address, remote port 0, its local port, state 2.
TEST_F(open_test, an_4_3_1_tcp_listener) {
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",0,2020,0"), lines({"OK"}));
  const net_request r = request_of(kind::tcp_listen);
  EXPECT_EQ(r.socket, 0);
  EXPECT_EQ(r.local_port, 2020);
  EXPECT_EQ(event(connected(0, 2020)), lines({"+QIOPEN: 0,0"}));
  EXPECT_EQ(at("AT+QISTATE?"),
            lines({"+QISTATE: 0,\"TCP LISTENER\",\"100.127.243.105\",0,2020,2,1,0", "OK"}));
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
}

TEST_F(open_test, udp_client_opens_with_udp_open) {
  EXPECT_EQ(at("AT+QIOPEN=1,3,\"UDP\",\"127.0.0.1\",8084,5000,1"), lines({"OK"}));
  const net_request r = request_of(kind::udp_open);
  EXPECT_EQ(r.socket, 3);
  EXPECT_EQ(r.remote, (endpoint{"127.0.0.1", 8084}));
  EXPECT_EQ(r.local_port, 5000);
  EXPECT_EQ(event(connected(3, 5000)), lines({"+QIOPEN: 3,0"}));
  EXPECT_EQ(at("AT+QISTATE=1,3"),
            lines({"+QISTATE: 3,\"UDP\",\"127.0.0.1\",8084,5000,2,1,1", "OK"}));
}

// AN 2.1.1 / E60: the ID in use answers ERROR and AT+QIGETERROR 563.
TEST_F(open_test, id_in_use_is_563) {
  open(0, "TCP", "127.0.0.1", 80);
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\",81"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 563, socket identity has been used", "OK"}));
  EXPECT_TRUE(requests().empty());
}

// AN 2.1.1 note 2, E3: "UDP SERVICE" is not supported by default.
TEST_F(open_test, udp_service_unsupported_is_555) {
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP SERVICE\",\"127.0.0.1\",0,2020,0"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 555, operation not supported", "OK"}));
  EXPECT_EQ(at("AT+QISTATE?"), lines({"OK"}));
}

// E40: a profile may support it: bound on <local_port>, listed with the PDP address (E41).
TEST_F(open_test, udp_service_when_the_profile_supports_it) {
  profile p = test_profile();
  p.udp_service_supported = true;
  start(p);
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP SERVICE\",\"192.168.2.6\",0,2020,0"), lines({"OK"}));
  const net_request r = request_of(kind::udp_open);
  EXPECT_EQ(r.local_port, 2020);
  EXPECT_EQ(r.remote.host, "");
  EXPECT_EQ(event(connected(0, 2020)), lines({"+QIOPEN: 0,0"}));
  EXPECT_EQ(at("AT+QISTATE?"),
            lines({"+QISTATE: 0,\"UDP SERVICE\",\"100.127.243.105\",0,2020,2,1,0", "OK"}));
  // AN 2.1.4 note 3: no sending on it.
  EXPECT_EQ(at("AT+QISEND=0,1,\"x\""), lines({"ERROR"}));
}

// E60: a refused connect is 566, the ID is free again and AT+QIGETERROR says 566.
TEST_F(open_test, refused_connect_is_566_and_frees_the_id) {
  at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",9");
  requests();
  EXPECT_EQ(event(simple(ev::failed, 1)), lines({"+QIOPEN: 1,566"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 566, socket connection failed", "OK"}));
  EXPECT_EQ(at("AT+QISTATE=1,1"), lines({"OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",9"), lines({"OK"}));
}

// The shell refuses destinations off its allow-list with a chapter-3 code: kept as reported.
TEST_F(open_test, allow_list_refusal_keeps_the_hosts_code) {
  at("AT+QIOPEN=1,0,\"TCP\",\"192.0.2.1\",80");
  requests();
  EXPECT_EQ(event(simple(ev::failed, 0, 566)), lines({"+QIOPEN: 0,566"}));
  at("AT+QIOPEN=1,0,\"UDP\",\"192.0.2.1\",80");
  EXPECT_EQ(event(simple(ev::failed, 0, 572)), lines({"+QIOPEN: 0,572"}));
}

// AN 2.1.1 note 1, E60: no answer within 36 s for an address → 569, and the host closes it.
TEST_F(open_test, timeout_by_address_is_569_after_36_s) {
  at("AT+QIOPEN=1,2,\"TCP\",\"127.0.0.1\",80");
  requests();
  EXPECT_EQ(advance(35999ms), "");
  EXPECT_EQ(advance(1ms), lines({"+QIOPEN: 2,569"}));
  EXPECT_EQ(request_of(kind::close).socket, 2);
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 569, operation timeout", "OK"}));
  EXPECT_EQ(event(connected(2)), "");  // too late: ignored
  EXPECT_EQ(at("AT+QISTATE=1,2"), lines({"OK"}));
}

// AN 2.1.1 note 1: 176 s for a name; the lookup goes to the AT+QIDNSCFG servers (AN 2.1.14).
TEST_F(open_test, by_name_resolves_through_the_configured_servers_then_connects) {
  EXPECT_EQ(at("AT+QIDNSCFG=\"127.0.0.1\",\"127.0.0.2\""), lines({"OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP\",\"echo.test\",7"), lines({"OK"}));
  const net_request dns = request_of(kind::dns_lookup);
  EXPECT_EQ(dns.remote.host, "echo.test");
  EXPECT_EQ(dns.dns_servers, (std::vector<std::string>{"127.0.0.1", "127.0.0.2"}));
  net_event a = answer(ev::dns_result, dns.token);
  a.addresses = {"127.0.0.5", "127.0.0.6"};
  EXPECT_EQ(event(a), "");
  const net_request c = request_of(kind::tcp_connect);
  EXPECT_EQ(c.remote, (endpoint{"127.0.0.5", 7}));
  EXPECT_EQ(event(connected(0)), lines({"+QIOPEN: 0,0"}));
  // The row shows the name as given.
  EXPECT_EQ(at("AT+QISTATE=1,0"), lines({"+QISTATE: 0,\"TCP\",\"echo.test\",7,0,2,1,0", "OK"}));
}

TEST_F(open_test, by_name_times_out_after_176_s) {
  at("AT+QIOPEN=1,0,\"TCP\",\"slow.test\",7");
  requests();
  EXPECT_EQ(advance(175999ms), "");
  EXPECT_EQ(advance(1ms), lines({"+QIOPEN: 0,569"}));
}

// E60: a name that does not resolve is 565.
TEST_F(open_test, unresolvable_name_is_565) {
  at("AT+QIOPEN=1,0,\"UDP\",\"nowhere.test\",7");
  const net_request dns = request_of(kind::dns_lookup);
  net_event a = answer(ev::dns_result, dns.token);
  a.error = 565;
  EXPECT_EQ(event(a), lines({"+QIOPEN: 0,565"}));
  EXPECT_TRUE(requests().empty());
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 565, dns parse failed", "OK"}));
}

// AN 2.1.1 note 5, E60: a local port used twice is 574.
TEST_F(open_test, local_port_in_use_is_574) {
  open(0, "UDP", "127.0.0.1", 7, 0, 6000);
  EXPECT_EQ(at("AT+QIOPEN=1,1,\"UDP\",\"127.0.0.1\",8,6000"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 574, port busy", "OK"}));
}

// AT+CGATT=0 takes the PDP context away: an open is refused with 561.
TEST_F(open_test, open_while_detached_is_561) {
  EXPECT_EQ(at("AT+CGATT=0"), lines({"OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",80"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 561, open pdp context failed", "OK"}));
}

// AN 2.1.13: new TCP sockets get the AT+QIKALIVE settings; UDP ones do not.
TEST_F(open_test, keepalive_is_applied_to_new_tcp_sockets) {
  EXPECT_EQ(at("AT+QIKALIVE=1,120,15,5"), lines({"OK"}));
  at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",81");
  EXPECT_EQ(request_of(kind::tcp_connect).socket, 1);  // not before the connect
  event(connected(1));
  const net_request k = request_of(kind::set_keepalive);
  EXPECT_EQ(k.socket, 1);
  EXPECT_EQ(k.keepalive, (keepalive_settings{true, 120, 15, 5}));
  at("AT+QIOPEN=1,2,\"UDP\",\"127.0.0.1\",82");
  requests();
  event(connected(2));
  EXPECT_TRUE(requests().empty());
}

// AN 2.1.2: closing an ID that is not open: ERROR + 567 by default, OK + CLOSE OK per profile.
TEST_F(open_test, close_of_an_id_not_open) {
  EXPECT_EQ(at("AT+QICLOSE=4"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 567, socket has been closed", "OK"}));
  profile p = test_profile();
  p.qiclose_closed_id_is_error = false;
  start(p);
  EXPECT_EQ(at("AT+QICLOSE=4"), lines({"OK", "CLOSE OK"}));
  EXPECT_TRUE(requests().empty());
}

// A close while the connect runs cancels it: no +QIOPEN afterwards.
TEST_F(open_test, close_while_connecting_cancels_the_open) {
  at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",80");
  requests();
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
  EXPECT_EQ(request_of(kind::close).socket, 0);
  EXPECT_EQ(event(connected(0)), "");
  EXPECT_EQ(advance(40s), "");
}

// AN 2.1.3: by context lists the sockets of that context only; by ID one row or none.
TEST_F(open_test, qistate_by_context_and_by_id) {
  at("AT+QIOPEN=2,1,\"UDP\",\"127.0.0.1\",7");
  event(connected(1));
  at("AT+QIOPEN=1,4,\"TCP\",\"127.0.0.1\",8,0,1");
  event(connected(4));
  at("AT+QIOPEN=2,5,\"TCP\",\"127.0.0.1\",9");  // still connecting: state 1
  EXPECT_EQ(at("AT+QISTATE=0,2"), block({"+QISTATE: 1,\"UDP\",\"127.0.0.1\",7,0,2,2,0",
                                         "+QISTATE: 5,\"TCP\",\"127.0.0.1\",9,0,1,2,0"}) +
                                      lines({"OK"}));
  EXPECT_EQ(at("AT+QISTATE=0,3"), lines({"OK"}));
  EXPECT_EQ(at("AT+QISTATE=1,4"), lines({"+QISTATE: 4,\"TCP\",\"127.0.0.1\",8,0,2,1,1", "OK"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"), lines({"OK"}));
}

// AN 2.2.1, E9: after a peer close the state is "remote closing" (4), or what the profile says.
TEST_F(open_test, remote_close_state_per_profile) {
  open(0, "TCP", "127.0.0.1", 80);
  EXPECT_EQ(event(simple(ev::peer_closed, 0)), lines({"+QIURC: \"closed\",0"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"), lines({"+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,0,4,1,0", "OK"}));
  EXPECT_EQ(at("AT+QICLOSE=0"), lines({"OK", "CLOSE OK"}));
  profile p = test_profile();
  p.remote_close_state = 3;
  start(p);
  open(0, "TCP", "127.0.0.1", 80);
  EXPECT_EQ(event(simple(ev::peer_reset, 0)), lines({"+QIURC: \"closed\",0"}));
  EXPECT_EQ(at("AT+QISTATE=1,0"), lines({"+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,0,3,1,0", "OK"}));
}

// E3: the test form names "UDP SERVICE" only when the profile says so.
TEST_F(open_test, test_form_lists_udp_service_per_profile) {
  EXPECT_EQ(at("AT+QIOPEN=?"),
            lines({"+QIOPEN: (1-3),(0-5),\"TCP/UDP/TCP LISTENER\",\"<IP_address>/<domain_name>\","
                   "<remote_port>[,<local_port>[,(0-1)[,(0-1)]]]",
                   "OK"}));
  profile p = test_profile();
  p.qiopen_test_lists_udp_service = true;
  start(p);
  EXPECT_NE(at("AT+QIOPEN=?").find("\"TCP/UDP/TCP LISTENER/UDP SERVICE\""), std::string::npos);
}

// AN 4.8: bad arguments are 552 (checked by the command table before the handler).
TEST_F(open_test, an_4_8_missing_connect_id_is_552) {
  EXPECT_EQ(at("AT+QIOPEN=1,\"UDP\",\"220.18.39.22\",8063,0,1"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
}

// AN 2.1.1, E5: a listener needs <local_port>; a client needs a remote port 1-65535.
TEST_F(open_test, e5_listener_and_client_port_rules) {
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0"), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP LISTENER\",\"0.0.0.0\",0,0"), lines({"ERROR"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",0"), lines({"ERROR"}));
  EXPECT_EQ(last_error_line(), lines({"+QIGETERROR: 552, invalid parameters", "OK"}));
  EXPECT_TRUE(requests().empty());
}

// The network drops the link (control channel): every socket is closed by the network.
TEST_F(open_test, drop_link_closes_every_socket) {
  open(0, "TCP", "127.0.0.1", 80);
  at("AT+QIOPEN=1,1,\"TCP\",\"127.0.0.1\",81");
  requests();
  EXPECT_EQ(control(control::drop_link), lines({"+QIURC: \"closed\",0", "+QIOPEN: 1,570"}));
  EXPECT_EQ(requests().size(), 2u);
  EXPECT_EQ(at("AT+QISTATE?"), lines({"+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,0,4,1,0", "OK"}));
}

// A reboot forgets every socket without URCs; the host drops its connections itself.
TEST_F(open_test, reboot_forgets_sockets) {
  open(0, "UDP", "127.0.0.1", 80);
  EXPECT_EQ(at("AT+QRST=1"), lines({"OK", "RDY"}));
  EXPECT_EQ(host_.reboots, 1);
  EXPECT_EQ(at("AT+QISTATE?"), lines({"OK"}));
  EXPECT_EQ(at("AT+QIOPEN=1,0,\"UDP\",\"127.0.0.1\",80"), lines({"OK"}));
}

}  // namespace
}  // namespace bcconform::emulator::testing
