// net_backend against real loopback sockets, driven the way the interpreter drives it
// (bcconform/emulator/net.hpp): requests in, events out through the io_context.
#include "bcconform/emulator_host/net_backend.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "bcconform/peer/dns_responder.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "bcconform/peer/udp.hpp"
#include "loopback.hpp"

namespace bcconform::emulator_host {
namespace {

using namespace testing;
using emulator::net_event;
using emulator::net_request;
using kind = net_request::kind;
using ev = net_event::kind;

const auto loopback = asio::ip::make_address("127.0.0.1");

class backend_test : public ::testing::Test {
 protected:
  explicit backend_test(net_options o = {}) { make_backend(std::move(o)); }

  void make_backend(net_options o) {
    backend_.reset();
    o.ping = probe_ping_method();
    backend_ = std::make_unique<net_backend>(
        io_, std::move(o), [this](const net_event& e) { log_(e); },
        [this](std::string_view n) { notes_.emplace_back(n); });
  }

  net_request connect_request(int socket, std::uint16_t port, kind k = kind::tcp_connect) {
    auto r = request(k, socket);
    r.remote = {"127.0.0.1", port};
    return r;
  }

  bool wait_for(ev k, int socket = -2) {
    return run_until(io_, [&] { return log_.find(k, socket) != nullptr; });
  }

  bool any_note_contains(std::string_view text) const {
    for (const auto& n : notes_) {
      if (n.find(text) != std::string::npos) return true;
    }
    return false;
  }

  asio::io_context io_;
  event_log log_;
  std::vector<std::string> notes_;
  std::unique_ptr<net_backend> backend_;
};

// The DNS and SNTP servers are bcconform::peer's; they answer on the peer host's own thread.
peer::dns_responder start_dns(peer::host& h) {
  auto r = peer::dns_responder::start(h);
  EXPECT_TRUE(r) << r.error().detail;
  if (!r) return {};
  EXPECT_TRUE(r->set_record("module.test", {"127.0.0.7", "127.0.0.8"}));
  return std::move(*r);
}

// A TCP port that refuses connections for the test's duration: bound, never listening.
struct refusing_port {
  explicit refusing_port(asio::io_context& io) : sock(io) {
    sock.open(tcp::v4());
    sock.bind({loopback, 0});
  }
  std::uint16_t port() const { return sock.local_endpoint().port(); }
  tcp::socket sock;
};

// AN 2.1.1: "TCP" client; connect, receive, send, peer close (AN 2.2.1 "closed").
TEST_F(backend_test, tcp_client_connects_exchanges_and_sees_peer_close) {
  tcp::acceptor server(io_, {loopback, 0});
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  EXPECT_TRUE(log_.events.empty()) << "execute() must not deliver synchronously";
  ASSERT_TRUE(wait_for(ev::connected, 0));
  EXPECT_NE(log_.find(ev::connected, 0)->local_port, 0);

  tcp::socket peer(io_);
  server.accept(peer);  // already in the backlog: does not block
  asio::write(peer, asio::buffer(std::string("hello")));
  ASSERT_TRUE(run_until(io_, [&] { return log_.received(0) == "hello"; }));
  EXPECT_EQ(log_.find(ev::received, 0)->from.host, "127.0.0.1");

  auto send = request(kind::send, 0);
  send.bytes = std::string("abc\0def", 7);
  backend_->execute(send);
  ASSERT_TRUE(wait_for(ev::sent, 0));
  std::string got;
  ASSERT_TRUE(run_until(io_, [&] { return read_available(peer, got) && got.size() == 7; }));
  EXPECT_EQ(got, send.bytes);

  peer.close();
  ASSERT_TRUE(wait_for(ev::peer_closed, 0));
}

// Data already queued when a read finishes (no new readiness edge) must still be read: a peer
// that sends a block larger than one chunk and then goes quiet.
TEST_F(backend_test, a_burst_larger_than_one_read_arrives_whole) {
  tcp::acceptor server(io_, {loopback, 0});
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  tcp::socket peer(io_);
  server.accept(peer);
  std::string burst(60000, '\0');
  for (std::size_t i = 0; i < burst.size(); ++i) burst[i] = static_cast<char>(i * 7);
  asio::write(peer, asio::buffer(burst));
  std::size_t total = 0;
  log_.on_event = [&](const net_event& e) { total += e.bytes.size(); };
  ASSERT_TRUE(run_until(
      io_, [&] { return total == burst.size(); }, std::chrono::seconds(5)));
  EXPECT_EQ(log_.received(0), burst);
  EXPECT_GT(log_.count(ev::received), 1u) << "delivered in chunks of read_chunk";
}

// Several datagrams queued at once are each delivered, one event per datagram.
TEST_F(backend_test, queued_datagrams_are_all_delivered) {
  udp::socket peer(io_, {loopback, 0});
  backend_->execute(connect_request(1, peer.local_endpoint().port(), kind::udp_open));
  ASSERT_TRUE(wait_for(ev::connected, 1));
  const udp::endpoint module(loopback, log_.find(ev::connected, 1)->local_port);
  for (int i = 0; i < 20; ++i) peer.send_to(asio::buffer(std::to_string(i)), module);
  ASSERT_TRUE(run_until(io_, [&] { return log_.count(ev::received) == 20; }));
  EXPECT_EQ(log_.events.back().bytes, "19");
}

// AN 3: 566 "Socket connection failed" for a port without a listener (ERRATA provokable list).
TEST_F(backend_test, refused_connect_reports_566) {
  refusing_port port(io_);
  backend_->execute(connect_request(1, port.port()));
  ASSERT_TRUE(wait_for(ev::failed, 1));
  EXPECT_EQ(log_.find(ev::failed, 1)->error, net_error::connect_failed);
  EXPECT_EQ(backend_->native_handle(1), -1);
}

// AN 2.1.1 note 5 / AN 3 574: a local port already bound.
TEST_F(backend_test, connect_from_a_busy_local_port_reports_574) {
  tcp::acceptor server(io_, {loopback, 0});
  tcp::acceptor squatter(io_, {asio::ip::address_v4::any(), 0});
  auto r = connect_request(2, server.local_endpoint().port());
  r.local_port = squatter.local_endpoint().port();
  backend_->execute(r);
  ASSERT_TRUE(wait_for(ev::failed, 2));
  EXPECT_EQ(log_.find(ev::failed, 2)->error, net_error::port_busy);
}

// AN 2.1.1 "TCP LISTENER", AN 2.2.4 "incoming": accept, adopt under a connect ID, receive.
TEST_F(backend_test, listener_accepts_and_adopted_connection_receives) {
  auto listen = request(kind::tcp_listen, 5);
  backend_->execute(listen);
  ASSERT_TRUE(wait_for(ev::connected, 5));
  const auto port = log_.find(ev::connected, 5)->local_port;
  ASSERT_NE(port, 0);

  tcp::socket client(io_);
  client.connect({loopback, port});
  ASSERT_TRUE(wait_for(ev::accepted, 5));
  const auto accepted = *log_.find(ev::accepted, 5);
  EXPECT_GE(accepted.handle, 6) << "handles never collide with connect IDs";
  EXPECT_EQ(accepted.from.host, "127.0.0.1");
  EXPECT_EQ(accepted.from.port, client.local_endpoint().port());

  auto adopt = request(kind::adopt, 2);
  adopt.handle = accepted.handle;
  backend_->execute(adopt);
  asio::write(client, asio::buffer(std::string("incoming data")));
  ASSERT_TRUE(run_until(io_, [&] { return log_.received(2) == "incoming data"; }));
}

// AN 2.2.4 "incoming full": the interpreter refuses with close(handle); the peer sees EOF.
TEST_F(backend_test, refused_incoming_connection_is_closed) {
  backend_->execute(request(kind::tcp_listen, 0));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  tcp::socket client(io_);
  client.connect({loopback, log_.find(ev::connected, 0)->local_port});
  ASSERT_TRUE(wait_for(ev::accepted, 0));
  auto close = request(kind::close);
  close.handle = log_.find(ev::accepted, 0)->handle;
  backend_->execute(close);
  std::string ignored;
  EXPECT_TRUE(run_until(io_, [&] { return !read_available(client, ignored); }));
  EXPECT_EQ(backend_->open_count(), 1u);  // the listener only
}

TEST_F(backend_test, second_listener_on_the_same_port_reports_574) {
  auto listen = request(kind::tcp_listen, 0);
  backend_->execute(listen);
  ASSERT_TRUE(wait_for(ev::connected, 0));
  listen.socket = 1;
  listen.local_port = log_.find(ev::connected, 0)->local_port;
  backend_->execute(listen);
  ASSERT_TRUE(wait_for(ev::failed, 1));
  EXPECT_EQ(log_.find(ev::failed, 1)->error, net_error::port_busy);
}

// AN 2.1.4: one AT+QISEND on UDP is one datagram; AN 2.1.5 note 3: datagrams stay apart.
TEST_F(backend_test, udp_sends_and_receives_whole_datagrams) {
  udp::socket peer(io_, {loopback, 0});
  backend_->execute(connect_request(3, peer.local_endpoint().port(), kind::udp_open));
  ASSERT_TRUE(wait_for(ev::connected, 3));
  const auto local_port = log_.find(ev::connected, 3)->local_port;

  for (const char* d : {"first", "second datagram"}) {
    auto send = request(kind::send, 3);
    send.bytes = d;
    backend_->execute(send);
  }
  ASSERT_TRUE(run_until(io_, [&] { return log_.count(ev::sent) == 2; }));
  std::array<char, 100> buf{};
  udp::endpoint from;
  peer.non_blocking(true);
  std::vector<std::string> got;
  ASSERT_TRUE(run_until(io_, [&] {
    boost::system::error_code ec;
    const auto n = peer.receive_from(asio::buffer(buf), from, 0, ec);
    if (!ec) got.emplace_back(buf.data(), n);
    return got.size() == 2;
  }));
  EXPECT_EQ(got, (std::vector<std::string>{"first", "second datagram"}));
  EXPECT_EQ(from.port(), local_port);

  peer.send_to(asio::buffer(std::string("one")), from);
  peer.send_to(asio::buffer(std::string("two!")), from);
  ASSERT_TRUE(run_until(io_, [&] { return log_.count(ev::received) == 2; }));
  EXPECT_EQ(log_.events[log_.events.size() - 2].bytes, "one");
  EXPECT_EQ(log_.events.back().bytes, "two!");
  EXPECT_EQ(log_.events.back().from.port, peer.local_endpoint().port());
}

int get_int_option(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  EXPECT_EQ(::getsockopt(fd, level, name, &v, &len), 0);
  return v;
}

// AN 2.1.13 AT+QIKALIVE: real SO_KEEPALIVE / TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT.
TEST_F(backend_test, keepalive_settings_reach_the_socket) {
  tcp::acceptor server(io_, {loopback, 0});
  auto ka = request(kind::set_keepalive);  // every TCP socket, now and later
  ka.keepalive = {true, 120, 15, 4};
  backend_->execute(ka);
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  const int fd = backend_->native_handle(0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(get_int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
  EXPECT_EQ(get_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 120);
  EXPECT_EQ(get_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL), 15);
  EXPECT_EQ(get_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT), 4);

  ka.socket = 0;
  ka.keepalive = {true, 30, 10, 9};
  backend_->execute(ka);
  EXPECT_EQ(get_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE), 30);
  EXPECT_EQ(get_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT), 9);
  ka.keepalive.on = false;
  backend_->execute(ka);
  EXPECT_EQ(get_int_option(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
}

// AN 2.2.3 "buff full": the fake interpreter pauses at its limit; a peer flooding the socket
// is held back by the kernel (nothing read past the limit, nothing lost), and resuming
// delivers every byte.
TEST_F(backend_test, pause_reading_is_real_back_pressure) {
  constexpr std::size_t limit = 4096;
  std::size_t buffered = 0;
  bool paused = false;
  log_.on_event = [&](const net_event& e) {
    if (e.type != ev::received) return;
    buffered += e.bytes.size();
    if (buffered >= limit && !paused) {
      paused = true;
      backend_->execute(request(kind::pause_reading, 0));
    }
  };
  tcp::acceptor server(io_, {loopback, 0});
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  tcp::socket peer(io_);
  server.accept(peer);
  peer.set_option(asio::socket_base::send_buffer_size(16384));  // a short flood suffices
  peer.non_blocking(true);

  // Flood until the kernel pushes back on the peer: only possible if nobody reads.
  const std::string chunk(65536, 'x');
  std::size_t written = 0;
  bool blocked = false;
  ASSERT_TRUE(run_until(io_, [&] {
    boost::system::error_code ec;
    written += peer.write_some(asio::buffer(chunk), ec);
    blocked = ec == asio::error::would_block;
    return blocked && paused;
  }));
  EXPECT_LT(buffered, limit + backend_->options().read_chunk);

  std::size_t total = buffered;
  log_.on_event = [&](const net_event& e) {
    if (e.type == ev::received) total += e.bytes.size();
  };
  backend_->execute(request(kind::resume_reading, 0));
  peer.shutdown(tcp::socket::shutdown_send);
  ASSERT_TRUE(run_until(io_, [&] { return total == written; }));
  EXPECT_EQ(log_.received(0), std::string(written, 'x'));
}

// hold_events (the serial line is backed up): nothing is delivered, so nothing more is read,
// and the peer is held back by its kernel; releasing delivers every byte.
TEST_F(backend_test, held_events_hold_the_peer_back) {
  tcp::acceptor server(io_, {loopback, 0});
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  tcp::socket peer(io_);
  server.accept(peer);
  peer.set_option(asio::socket_base::send_buffer_size(16384));
  peer.non_blocking(true);
  backend_->hold_events(true);
  const std::string chunk(65536, 'h');
  std::size_t written = 0;
  ASSERT_TRUE(run_until(io_, [&] {
    boost::system::error_code ec;
    written += peer.write_some(asio::buffer(chunk), ec);
    return ec == asio::error::would_block;
  }));
  EXPECT_EQ(log_.count(ev::received), 0u);
  std::size_t total = 0;
  log_.on_event = [&](const net_event& e) { total += e.bytes.size(); };
  backend_->hold_events(false);
  ASSERT_TRUE(run_until(io_, [&] { return total == written; }));
}

// AN 2.1.10 AT+QIDNSGIP through the server AT+QIDNSCFG set (a loopback responder here).
TEST_F(backend_test, dns_lookup_uses_the_given_server_and_port) {
  peer::host host;
  auto dns = start_dns(host);
  auto r = request(kind::dns_lookup);
  r.token = 42;
  r.remote.host = "module.test";
  r.dns_servers = {"127.0.0.1:" + std::to_string(dns.port())};
  backend_->execute(r);
  ASSERT_TRUE(wait_for(ev::dns_result));
  const auto& e = *log_.find(ev::dns_result);
  EXPECT_EQ(e.token, 42u);
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.addresses, (std::vector<std::string>{"127.0.0.7", "127.0.0.8"}));
  EXPECT_EQ(e.ttl, 300);
}

struct dns_failure_case {
  const char* name;
  bool mute;
  int error;
};

class dns_failure_test : public backend_test,
                         public ::testing::WithParamInterface<dns_failure_case> {};

// AN 3: 565 "DNS parse failed" for a name that does not exist, 569 for no answer.
TEST_P(dns_failure_test, reports_the_chapter_3_code) {
  peer::host host;
  auto dns = start_dns(host);
  if (GetParam().mute) dns.set_behaviour(peer::dns_behaviour::drop);
  auto r = request(kind::dns_lookup);
  r.remote.host = "absent.test";
  r.dns_servers = {"127.0.0.1:" + std::to_string(dns.port())};
  r.timeout = std::chrono::milliseconds(600);
  backend_->execute(r);
  ASSERT_TRUE(wait_for(ev::dns_result));
  EXPECT_EQ(log_.find(ev::dns_result)->error, GetParam().error);
  EXPECT_GE(dns.datagrams(), 1u);
}

INSTANTIATE_TEST_SUITE_P(cases, dns_failure_test,
                         ::testing::Values(dns_failure_case{"nxdomain", false, 565},
                                           dns_failure_case{"no_answer", true, 569}),
                         [](const auto& p) { return std::string(p.param.name); });

// AN 2.1.9 AT+QNTP: a real SNTP exchange with a loopback server on a chosen port.
// The server is a plain peer::udp_peer answering with peer::sntp_reply(), so that it can send
// a stale reply (wrong originate timestamp) before the real one: RFC 4330 §5, a reply to
// another request is ignored.
TEST_F(backend_test, ntp_query_returns_the_server_time) {
  const std::int64_t unix_seconds = 1524222500;  // 2018-04-20 11:08:20 UTC (AN 4.7's date)
  peer::host host;
  auto server = peer::udp_peer::open(host);
  ASSERT_TRUE(server) << server.error().detail;
  auto r = request(kind::ntp_query);
  r.token = 7;
  r.remote = {"127.0.0.1", server->port()};
  r.timeout = std::chrono::milliseconds(5000);
  backend_->execute(r);
  ASSERT_TRUE(run_until(io_, [&] { return !server->received().empty(); }));
  const auto query = server->receive(peer::deadline_in(std::chrono::seconds(1)));
  ASSERT_TRUE(query);
  peer::sntp_settings settings;
  settings.time = std::chrono::system_clock::from_time_t(unix_seconds);
  auto reply = peer::sntp_reply(query->bytes, settings);
  ASSERT_TRUE(reply);
  auto stale = *reply;
  stale[31] = static_cast<char>(stale[31] ^ 0xFF);  // last byte of the originate timestamp
  const auto until = peer::deadline_in(std::chrono::seconds(1));
  ASSERT_TRUE(server->send_to(stale, query->from, until));
  ASSERT_TRUE(server->send_to(*reply, query->from, until));
  ASSERT_TRUE(wait_for(ev::ntp_result));
  EXPECT_EQ(log_.find(ev::ntp_result)->error, 0);
  EXPECT_EQ(log_.find(ev::ntp_result)->unix_seconds, unix_seconds);
  EXPECT_EQ(log_.find(ev::ntp_result)->token, 7u);
}

TEST_F(backend_test, ntp_query_without_answer_times_out_with_569) {
  peer::host host;
  peer::sntp_options options;
  options.settings.behaviour = peer::sntp_behaviour::drop;
  auto sntp = peer::sntp_responder::start(host, options);
  ASSERT_TRUE(sntp) << sntp.error().detail;
  auto r = request(kind::ntp_query);
  r.remote = {"127.0.0.1", sntp->port()};
  r.timeout = std::chrono::milliseconds(200);
  backend_->execute(r);
  ASSERT_TRUE(wait_for(ev::ntp_result));
  EXPECT_EQ(log_.find(ev::ntp_result)->error, net_error::timeout);
}

// AN 2.1.8 AT+QPING: one echo per request, real when the host allows an ICMP socket.
TEST_F(backend_test, ping_loopback_gets_a_reply) {
  auto r = request(kind::ping);
  r.token = 3;
  r.remote.host = "127.0.0.1";
  r.ping_size = 32;
  r.timeout = std::chrono::milliseconds(4000);
  backend_->execute(r);
  ASSERT_TRUE(wait_for(ev::ping_reply));
  const auto& e = *log_.find(ev::ping_reply);
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.from.host, "127.0.0.1");
  EXPECT_EQ(e.bytes.size(), 32u);
  EXPECT_GT(e.ttl, 0);
  EXPECT_EQ(any_note_contains("SIMULATED"), probe_ping_method() == ping_method::simulated);
}

// The allow-list: anything but loopback is refused before a single packet leaves.
struct refusal_case {
  const char* name;
  kind k;
  ev answer;
  int error;
};

class refusal_test : public backend_test, public ::testing::WithParamInterface<refusal_case> {};

TEST_P(refusal_test, non_loopback_destination_fails_at_once) {
  auto r = request(GetParam().k, 4);
  r.remote = {"192.0.2.1", 80};  // TEST-NET-1 (RFC 5737): never a real host
  if (GetParam().k == kind::dns_lookup) {
    r.remote.host = "example.test";
    r.dns_servers = {"192.0.2.1"};
  }
  backend_->execute(r);
  EXPECT_EQ(backend_->native_handle(4), -1) << "no socket may even be created";
  ASSERT_TRUE(run_until(
      io_, [&] { return log_.find(GetParam().answer) != nullptr; },
      std::chrono::milliseconds(500)));
  EXPECT_EQ(log_.find(GetParam().answer)->error, GetParam().error);
  EXPECT_TRUE(any_note_contains("refused")) << "a log line says why";
  EXPECT_TRUE(any_note_contains("192.0.2.1"));
}

INSTANTIATE_TEST_SUITE_P(
    kinds, refusal_test,
    ::testing::Values(refusal_case{"tcp", kind::tcp_connect, ev::failed, 566},
                      refusal_case{"udp", kind::udp_open, ev::failed, 566},
                      refusal_case{"ping", kind::ping, ev::ping_reply, 3},
                      refusal_case{"ntp", kind::ntp_query, ev::ntp_result, 566},
                      refusal_case{"dns", kind::dns_lookup, ev::dns_result, 566}),
    [](const auto& p) { return std::string(p.param.name); });

class widened_allow_list_test : public backend_test {
 protected:
  static net_options widened() {
    net_options o;
    o.allowed = allow_list{};
    o.allowed.add(*parse_cidr("127.0.0.2/32"));
    return o;
  }
  widened_allow_list_test() : backend_test(widened()) {}
};

TEST_F(widened_allow_list_test, only_the_listed_range_is_reachable) {
  tcp::acceptor server(io_, {asio::ip::address_v4::any(), 0});
  const auto port = server.local_endpoint().port();
  auto to_2 = connect_request(0, port);
  to_2.remote.host = "127.0.0.2";
  backend_->execute(to_2);
  backend_->execute(connect_request(1, port));  // 127.0.0.1: not in the list any more
  ASSERT_TRUE(wait_for(ev::connected, 0));
  ASSERT_TRUE(wait_for(ev::failed, 1));
}

// Reboot (host_interface::rebooted): sockets closed, nothing delivered afterwards.
TEST_F(backend_test, close_all_closes_everything_and_silences_events) {
  tcp::acceptor server(io_, {loopback, 0});
  backend_->execute(connect_request(0, server.local_endpoint().port()));
  ASSERT_TRUE(wait_for(ev::connected, 0));
  tcp::socket peer(io_);
  server.accept(peer);
  asio::write(peer, asio::buffer(std::string("late")));
  backend_->close_all();
  const auto seen = log_.events.size();
  std::string ignored;
  ASSERT_TRUE(run_until(io_, [&] { return !read_available(peer, ignored); }));
  EXPECT_EQ(log_.events.size(), seen);
  EXPECT_EQ(backend_->open_count(), 0u);
}

// Control channel "latency": events arrive later, in order.
TEST_F(backend_test, event_delay_holds_events_back_in_order) {
  backend_->set_event_delay(std::chrono::milliseconds(150));
  refusing_port port(io_);
  const auto start = std::chrono::steady_clock::now();
  backend_->execute(connect_request(0, port.port()));
  backend_->execute(connect_request(1, port.port()));
  ASSERT_TRUE(run_until(io_, [&] { return log_.count(ev::failed) == 2; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
  EXPECT_EQ(log_.events[0].socket, 0);
  EXPECT_EQ(log_.events[1].socket, 1);
}

}  // namespace
}  // namespace bcconform::emulator_host
