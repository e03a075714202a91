// tcp: against bcemu --listen, and against a loopback listener the test holds itself (silent,
// closing, absent).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "bcconform/transport/open.hpp"
#include "bcemu_process.hpp"
#include "transport/transport_support.hpp"

namespace bcconform::transport {
namespace {

using test::in;
using test::read_until;
using test::step_budget;
using namespace std::chrono_literals;

result<std::unique_ptr<transport>> open_uri(const std::string& uri, const open_options& o = {}) {
  auto t = parse_target(uri);
  if (!t) return t.error();
  return open(*t, o);
}

/// A listening socket on 127.0.0.1 (an ephemeral port); connections wait in its backlog until
/// accept_one().
class listener {
 public:
  listener() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), len) != 0) return;
    if (::listen(fd_.get(), 4) != 0) return;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  std::uint16_t port() const { return port_; }
  std::string uri() const { return "tcp:127.0.0.1:" + std::to_string(port_); }
  bcemu_test::unique_fd accept_one() const {
    return bcemu_test::unique_fd(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  }
  void close() { fd_.reset(); }

 private:
  bcemu_test::unique_fd fd_;
  std::uint16_t port_ = 0;
};

TEST(transport_tcp, talks_to_bcemu) {
  bcemu_test::bcemu_options o;
  o.side = bcemu_test::serial_side::tcp;
  bcemu_test::bcemu_process bcemu(o);
  ASSERT_EQ(bcemu.failure(), "");
  const auto line = bcemu.serial_address(bcemu_test::in(bcemu_test::step_budget));
  ASSERT_TRUE(line && line->starts_with("listen: ")) << bcemu.stderr_text();
  const std::string uri = "tcp:" + line->substr(8);
  auto t = open_uri(uri);
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ((*t)->describe(), uri);
  ASSERT_TRUE(bcemu.wait_for_log("RDY", bcemu_test::in(bcemu_test::step_budget)));
  ASSERT_TRUE((*t)->write("AT\r", in(step_budget)));
  const auto ok = read_until(**t, "OK\r\n", in(step_budget));
  ASSERT_FALSE(ok.code) << ok.detail;
  ASSERT_TRUE((*t)->write("AT+CGATT?\r", in(step_budget)));
  const auto attached = read_until(**t, "OK\r\n", in(step_budget));
  ASSERT_FALSE(attached.code) << attached.detail;
  EXPECT_NE(attached.bytes.find("+CGATT: 1"), std::string::npos) << attached.bytes;
}

TEST(transport_tcp, a_closed_port_is_refused) {
  listener l;
  ASSERT_NE(l.port(), 0);
  const std::string uri = l.uri();
  l.close();  // the port is now known to be free
  auto t = open_uri(uri);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, errc::refused) << t.error().detail;
  EXPECT_NE(t.error().detail.find(uri), std::string::npos) << t.error().detail;
}

TEST(transport_tcp, ipv6_loopback_refused_too) {
  listener l;
  const std::string uri = "tcp:[::1]:" + std::to_string(l.port());
  auto t = open_uri(uri);
  ASSERT_FALSE(t);
  // Where the host has no IPv6 loopback the connect fails otherwise; it never resolves a name.
  EXPECT_TRUE(t.error().code == errc::refused || t.error().code == errc::io_error)
      << t.error().detail;
  EXPECT_NE(t.error().detail.find("tcp:[::1]:"), std::string::npos) << t.error().detail;
}

TEST(transport_tcp, a_silent_peer_times_out_and_a_fin_ends_the_stream) {
  listener l;
  auto t = open_uri(l.uri());
  ASSERT_TRUE(t) << t.error().detail;
  auto peer = l.accept_one();
  ASSERT_TRUE(peer);

  const auto until = in(50ms);
  std::string out;
  const auto r = (*t)->read(out, 64, until);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
  EXPECT_GE(steady().now(), until);
  EXPECT_LT(steady().now(), until + std::chrono::seconds(2));

  ASSERT_TRUE((*t)->write("AT\r", in(step_budget)));
  char buf[8] = {};
  ASSERT_EQ(::recv(peer.get(), buf, sizeof buf, 0), 3);
  EXPECT_EQ(std::string(buf, 3), "AT\r");
  ASSERT_EQ(::send(peer.get(), "OK\r\n", 4, MSG_NOSIGNAL), 4);
  peer.reset();  // FIN after the bytes

  const auto rest = read_until(**t, "never", in(step_budget));
  EXPECT_EQ(rest.bytes, "OK\r\n") << "bytes before the FIN come first";
  EXPECT_EQ(rest.code, errc::end_of_stream);
  EXPECT_NE(rest.detail.find("(FIN)"), std::string::npos) << rest.detail;
  // The module side is gone: a write says so too (and raises no SIGPIPE).
  const auto w = (*t)->write("AT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::end_of_stream);
}

TEST(transport_tcp, a_reset_ends_the_stream) {
  listener l;
  auto t = open_uri(l.uri());
  ASSERT_TRUE(t) << t.error().detail;
  auto peer = l.accept_one();
  ASSERT_TRUE(peer);
  const linger abort_on_close{1, 0};  // close() sends RST instead of FIN
  ASSERT_EQ(::setsockopt(peer.get(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close),
            0);
  peer.reset();
  std::string out;
  const auto r = (*t)->read(out, 64, in(step_budget));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::end_of_stream);
  EXPECT_NE(r.error().detail.find("reset"), std::string::npos) << r.error().detail;
}

TEST(transport_tcp, close_is_idempotent_and_final) {
  listener l;
  auto t = open_uri(l.uri());
  ASSERT_TRUE(t) << t.error().detail;
  (*t)->close();
  (*t)->close();
  std::string out;
  EXPECT_EQ((*t)->read(out, 1, in(step_budget)).error().code, errc::closed);
  EXPECT_EQ((*t)->write("x", in(step_budget)).error().code, errc::closed);
}

}  // namespace
}  // namespace bcconform::transport
