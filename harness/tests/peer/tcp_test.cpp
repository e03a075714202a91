// tcp_server, tcp_connect and tcp_connection against plain BSD sockets on loopback.
#include <gtest/gtest.h>

#include <ostream>

#include <functional>
#include <thread>

#include "bcconform/peer/tcp.hpp"
#include "bsd_sockets.hpp"

namespace bcconform::peer {
namespace {

using namespace std::chrono_literals;
using testing::fd;

constexpr auto patience = 5s;  // generous bound for events that do happen; never slept

class tcp_server_test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = tcp_server::listen(h_);
    ASSERT_TRUE(s) << s.error().detail;
    server_ = std::move(*s);
    ASSERT_NE(server_.port(), 0);
    client_ = testing::tcp_connect_to(server_.port());
    ASSERT_GE(client_.get(), 0);
    auto c = server_.accept(deadline_in(patience));
    ASSERT_TRUE(c) << c.error().detail;
    connection_ = std::move(*c);
  }

  host h_;  // first: outlives the peer objects below
  tcp_server server_;
  fd client_;
  tcp_connection connection_;
};

TEST_F(tcp_server_test, binds_loopback_on_an_ephemeral_port) {
  EXPECT_EQ(server_.local_endpoint().address, "127.0.0.1");
  EXPECT_EQ(connection_.remote_endpoint().port, testing::local_port(client_.get()));
  EXPECT_EQ(server_.accepted_count(), 1u);
}

TEST_F(tcp_server_test, accepts_and_echoes) {
  ASSERT_TRUE(testing::send_all(client_.get(), "hello"));
  ASSERT_TRUE(connection_.expect_exact("hello", deadline_in(patience)));
  ASSERT_TRUE(connection_.send("hello", deadline_in(patience)));
  EXPECT_EQ(testing::recv_up_to(client_.get(), 5), "hello");
}

TEST(tcp_server, echo_option_answers_without_a_step) {
  host h;
  server_options options;
  options.connection.echo = true;
  auto server = tcp_server::listen(h, options);
  ASSERT_TRUE(server);
  fd client = testing::tcp_connect_to(server->port());
  const std::string payload = std::string("bin\0ary\r\n", 9) + std::string(70000, 'x');
  ASSERT_TRUE(testing::send_all(client.get(), payload));
  EXPECT_EQ(testing::recv_up_to(client.get(), payload.size()), payload);
  auto connection = server->accept(deadline_in(patience));
  ASSERT_TRUE(connection);
  EXPECT_EQ(connection->received(), payload);
  EXPECT_EQ(connection->unread_size(), 0u);
}

template <class R>
bool timed_out(const R& r) {
  return !r && r.error().code == errc::timed_out;
}

// Every waiting call returns timed_out at its deadline when nothing arrives.
struct waiting_call {
  const char* name;
  std::function<bool(tcp_connection&, deadline)> call;  // true: it failed with timed_out
  friend void PrintTo(const waiting_call& c, std::ostream* os) { *os << c.name; }
};

class tcp_timeout_test : public tcp_server_test,
                         public ::testing::WithParamInterface<waiting_call> {};

TEST_P(tcp_timeout_test, returns_timed_out_at_the_deadline) {
  ASSERT_TRUE(testing::send_all(client_.get(), "ab"));  // not enough for any of the calls
  ASSERT_TRUE(connection_.expect_exact("a", deadline_in(patience)));
  const auto start = std::chrono::steady_clock::now();
  const auto until = start + 50ms;
  const bool timed = GetParam().call(connection_, until);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(timed);
  EXPECT_GE(elapsed, 50ms);
  EXPECT_LT(elapsed, 3s);
}

INSTANTIATE_TEST_SUITE_P(
    calls, tcp_timeout_test,
    ::testing::Values(
        waiting_call{"expect_exact", [](tcp_connection& c,
                                        deadline d) { return timed_out(c.expect_exact("bc", d)); }},
        waiting_call{"read_exactly",
                     [](tcp_connection& c, deadline d) { return timed_out(c.read_exactly(2, d)); }},
        waiting_call{"read_until_pattern",
                     [](tcp_connection& c, deadline d) {
                       return timed_out(c.read_until_pattern("b\r\n", d));
                     }},
        waiting_call{"expect_eof",
                     [](tcp_connection& c, deadline d) { return timed_out(c.expect_eof(d)); }},
        waiting_call{"expect_reset",
                     [](tcp_connection& c, deadline d) { return timed_out(c.expect_reset(d)); }}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(tcp_server_test, read_some_times_out_when_nothing_is_queued) {
  auto r = connection_.read_some(deadline_in(30ms));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
}

TEST(tcp_server, accept_times_out_without_a_client) {
  host h;
  auto server = tcp_server::listen(h);
  ASSERT_TRUE(server);
  auto c = server->accept(deadline_in(30ms));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, errc::timed_out);
}

TEST_F(tcp_server_test, mismatch_fails_before_the_deadline_and_consumes_nothing) {
  ASSERT_TRUE(testing::send_all(client_.get(), "OK\r\nERROR"));
  ASSERT_TRUE(connection_.expect_exact("OK\r\n", deadline_in(patience)));
  const auto start = std::chrono::steady_clock::now();
  auto r = connection_.expect_exact("OK\r\n", start + 60s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::mismatch);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_NE(r.error().detail.find("first difference at byte 0"), std::string::npos)
      << r.error().detail;
  EXPECT_TRUE(connection_.expect_exact("ERROR", deadline_in(patience)));
}

TEST_F(tcp_server_test, reads_exact_lengths_and_patterns_across_chunks) {
  ASSERT_TRUE(testing::send_all(client_.get(), "\r\n+QIURC: \"re"));
  ASSERT_TRUE(connection_.expect_exact("\r\n", deadline_in(patience)));
  std::thread later([&] { testing::send_all(client_.get(), "cv\",3,12\r\n0123456789ABtail"); });
  auto m =
      connection_.read_until_pattern(R"(\+QIURC: "recv",(\d),(\d+)\r\n)", deadline_in(patience));
  later.join();
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->consumed, "+QIURC: \"recv\",3,12\r\n");
  ASSERT_EQ(m->groups.size(), 3u);
  EXPECT_EQ(m->groups[1], "3");
  EXPECT_EQ(m->groups[2], "12");
  auto payload = connection_.read_exactly(12, deadline_in(patience));
  ASSERT_TRUE(payload);
  EXPECT_EQ(*payload, "0123456789AB");
  auto rest = connection_.read_some(deadline_in(patience));
  ASSERT_TRUE(rest);
  EXPECT_EQ(*rest, "tail");
  EXPECT_EQ(connection_.received(), "\r\n+QIURC: \"recv\",3,12\r\n0123456789ABtail");
}

TEST_F(tcp_server_test, patterns_match_binary_bytes_one_to_one) {
  ASSERT_TRUE(testing::send_all(client_.get(), std::string("\x00\xff\x80z", 4)));
  auto m = connection_.read_until_pattern(R"(\xff\x80(.))", deadline_in(patience));
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->consumed, std::string("\x00\xff\x80z", 4));
  EXPECT_EQ(m->groups[1], "z");
}

TEST_F(tcp_server_test, bad_pattern_is_an_error_not_a_wait) {
  auto m = connection_.read_until_pattern("(unclosed", deadline_in(60s));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, errc::bad_pattern);
}

TEST_F(tcp_server_test, reset_is_seen_by_the_other_side_as_econnreset) {
  connection_.reset();
  ASSERT_TRUE(testing::readable(client_.get(), patience));
  char byte;
  errno = 0;
  EXPECT_EQ(::recv(client_.get(), &byte, 1, 0), -1);
  EXPECT_EQ(errno, ECONNRESET);
  EXPECT_FALSE(connection_.is_open());
  auto r = connection_.send("x", deadline_in(patience));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_open);
}

TEST_F(tcp_server_test, close_is_seen_by_the_other_side_as_end_of_stream) {
  ASSERT_TRUE(connection_.send("bye", deadline_in(patience)));
  connection_.close();
  EXPECT_EQ(testing::recv_up_to(client_.get(), 100), "bye");
  char byte;
  EXPECT_EQ(::recv(client_.get(), &byte, 1, 0), 0);
}

TEST_F(tcp_server_test, half_close_keeps_reading) {
  connection_.shutdown_send();
  ASSERT_TRUE(testing::readable(client_.get(), patience));
  char byte;
  EXPECT_EQ(::recv(client_.get(), &byte, 1, 0), 0);
  ASSERT_TRUE(testing::send_all(client_.get(), "still"));
  EXPECT_TRUE(connection_.expect_exact("still", deadline_in(patience)));
}

TEST_F(tcp_server_test, remote_close_and_remote_reset_are_told_apart) {
  ASSERT_TRUE(testing::send_all(client_.get(), "last"));
  ::shutdown(client_.get(), SHUT_WR);
  EXPECT_TRUE(connection_.expect_eof(deadline_in(patience)));
  EXPECT_TRUE(connection_.expect_exact("last", deadline_in(patience)));
  auto more = connection_.read_some(deadline_in(patience));
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().code, errc::end_of_stream);
  auto reset = connection_.expect_reset(deadline_in(patience));
  ASSERT_FALSE(reset);
  EXPECT_EQ(reset.error().code, errc::end_of_stream);
}

TEST_F(tcp_server_test, remote_reset_ends_waits_with_connection_reset) {
  const linger abortive{1, 0};
  ::setsockopt(client_.get(), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  client_ = fd();
  EXPECT_TRUE(connection_.expect_reset(deadline_in(patience)));
  auto r = connection_.read_exactly(1, deadline_in(patience));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::connection_reset);
}

TEST(tcp_server, reading_pauses_at_the_unread_limit_and_loses_nothing) {
  host h;
  server_options options;
  options.connection.max_unread = 1000;
  auto server = tcp_server::listen(h, options);
  ASSERT_TRUE(server);
  fd client = testing::tcp_connect_to(server->port());
  std::string payload;
  for (int i = 0; payload.size() < 3'000'000; ++i) payload += std::to_string(i) + ",";
  std::thread writer([&] { testing::send_all(client.get(), payload); });
  auto connection = server->accept(deadline_in(patience));
  ASSERT_TRUE(connection);
  std::string got;
  while (got.size() < payload.size()) {
    auto chunk = connection->read_some(deadline_in(patience));
    ASSERT_TRUE(chunk) << chunk.error().detail;
    EXPECT_LE(chunk->size(), 1000u + 16384u);  // the limit plus at most one read
    got += *chunk;
  }
  writer.join();
  EXPECT_EQ(got, payload);
}

TEST(tcp_server, record_stops_at_its_limit_and_says_so) {
  host h;
  server_options options;
  options.connection.max_record = 4;
  auto server = tcp_server::listen(h, options);
  ASSERT_TRUE(server);
  fd client = testing::tcp_connect_to(server->port());
  ASSERT_TRUE(testing::send_all(client.get(), "123456"));
  auto connection = server->accept(deadline_in(patience));
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->expect_exact("123456", deadline_in(patience)));
  EXPECT_EQ(connection->received(), "1234");
  EXPECT_TRUE(connection->record_truncated());
}

TEST(tcp_server, hands_out_connections_in_arrival_order) {
  host h;
  auto server = tcp_server::listen(h);
  ASSERT_TRUE(server);
  fd first = testing::tcp_connect_to(server->port());
  fd second = testing::tcp_connect_to(server->port());
  ASSERT_TRUE(testing::send_all(second.get(), "2"));
  ASSERT_TRUE(testing::send_all(first.get(), "1"));
  auto a = server->accept(deadline_in(patience));
  auto b = server->accept(deadline_in(patience));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->remote_endpoint().port, testing::local_port(first.get()));
  EXPECT_TRUE(a->expect_exact("1", deadline_in(patience)));
  EXPECT_TRUE(b->expect_exact("2", deadline_in(patience)));
}

TEST(tcp_server, refuses_a_bind_address_that_is_a_name) {
  host h;
  server_options options;
  options.bind_address = "localhost";
  auto server = tcp_server::listen(h, options);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, errc::bad_address);
}

TEST(tcp_client, connects_sends_and_receives) {
  host h;
  fd listener = testing::tcp_listener();
  const auto port = testing::local_port(listener.get());
  auto c = tcp_connect(h, {"127.0.0.1", port}, deadline_in(patience));
  ASSERT_TRUE(c) << c.error().detail;
  fd accepted(::accept(listener.get(), nullptr, nullptr));
  ASSERT_GE(accepted.get(), 0);
  EXPECT_EQ(c->remote_endpoint(), (endpoint{"127.0.0.1", port}));
  ASSERT_TRUE(c->send("AT\r", deadline_in(patience)));
  EXPECT_EQ(testing::recv_up_to(accepted.get(), 3), "AT\r");
  ASSERT_TRUE(testing::send_all(accepted.get(), "\r\nOK\r\n"));
  EXPECT_TRUE(c->expect_exact("\r\nOK\r\n", deadline_in(patience)));
}

TEST(tcp_client, refused_when_nothing_listens) {
  host h;
  fd bound(::socket(AF_INET, SOCK_STREAM, 0));  // holds the port so nobody else listens there
  const auto a = testing::loopback(0);
  ASSERT_EQ(::bind(bound.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a), 0);
  auto c = tcp_connect(h, {"127.0.0.1", testing::local_port(bound.get())}, deadline_in(patience));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, errc::connection_refused);
}

TEST(tcp_client, times_out_when_the_handshake_does_not_finish) {
  host h;
  // A listener whose accept queue is full drops further SYNs: the handshake never finishes.
  fd listener = testing::tcp_listener(0);
  const auto port = testing::local_port(listener.get());
  fd filler = testing::tcp_connect_to(port);
  ASSERT_GE(filler.get(), 0);
  std::vector<tcp_connection> extra;
  bool timed = false;
  for (int i = 0; i < 4 && !timed; ++i) {  // the queue holds backlog + 1 on Linux
    auto c = tcp_connect(h, {"127.0.0.1", port}, deadline_in(200ms));
    if (c) {
      extra.push_back(std::move(*c));
    } else {
      EXPECT_EQ(c.error().code, errc::timed_out) << c.error().detail;
      timed = true;
    }
  }
  EXPECT_TRUE(timed);
}

TEST(tcp_client, refuses_names) {
  host h;
  auto c = tcp_connect(h, {"example.com", 80}, deadline_in(patience));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, errc::bad_address);
}

TEST(tcp_connection, empty_handle_reports_not_open) {
  tcp_connection c;
  auto r = c.read_some(deadline_in(1s));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_open);
  EXPECT_FALSE(c.is_open());
}

}  // namespace
}  // namespace bcconform::peer
