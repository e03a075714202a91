// serial: and pty: on pseudo-terminals: bcemu --pty, and openpty() pairs made here whose master
// side the test plays, so bytes, line settings, exclusivity and a vanishing device can be checked.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <thread>

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

result<std::unique_ptr<transport>> open_uri(const std::string& uri) {
  auto t = parse_target(uri);
  if (!t) return t.error();
  return open(*t);
}

/// An openpty() pair: the test is the module on the master side.
class pty_pair {
 public:
  pty_pair() {
    int master = -1, slave = -1;
    char name[128] = {};
    if (::openpty(&master, &slave, name, nullptr, nullptr) == 0) {
      master_.reset(master);
      slave_.reset(slave);
      path_ = name;
    }
  }
  const std::string& path() const { return path_; }
  int master() const { return master_.get(); }
  int slave() const { return slave_.get(); }
  void close_master() { master_.reset(); }
  void close_slave() { slave_.reset(); }

  /// What the master reads until `n` bytes have come or the deadline passed.
  std::string master_read(std::size_t n, deadline until) const {
    std::string got;
    while (got.size() < n) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - steady().now());
      pollfd p{master_.get(), POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[256];
      const auto k = ::read(master_.get(), buf, std::min(sizeof buf, n - got.size()));
      if (k <= 0) break;
      got.append(buf, static_cast<std::size_t>(k));
    }
    return got;
  }
  bool master_write(std::string_view bytes) const {
    return ::write(master_.get(), bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  }

 private:
  bcemu_test::unique_fd master_, slave_;
  std::string path_;
};

TEST(transport_pty, talks_to_bcemu) {
  bcemu_test::bcemu_options o;
  o.side = bcemu_test::serial_side::pty;
  bcemu_test::bcemu_process bcemu(o);
  ASSERT_EQ(bcemu.failure(), "");
  const auto line = bcemu.serial_address(bcemu_test::in(bcemu_test::step_budget));
  ASSERT_TRUE(line && line->starts_with("pty: ")) << bcemu.stderr_text();
  const std::string uri = "pty:" + line->substr(5);
  auto t = open_uri(uri);
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ((*t)->describe(), uri);
  ASSERT_TRUE(bcemu.wait_for_log("RDY", bcemu_test::in(bcemu_test::step_budget)));

  ASSERT_TRUE((*t)->write("AT\r", in(step_budget)));
  const auto ok = read_until(**t, "OK\r\n", in(step_budget));
  ASSERT_FALSE(ok.code) << ok.detail;
  ASSERT_TRUE((*t)->write("ATI\r", in(step_budget)));
  const auto ati = read_until(**t, "OK\r\n", in(step_budget));
  ASSERT_FALSE(ati.code) << ati.detail;
  EXPECT_NE(ati.bytes.find("Quectel"), std::string::npos) << ati.bytes;

  // The emulator goes away: its side of the pty closes and the pty: transport says so.
  ASSERT_TRUE(bcemu.terminate(bcemu_test::in(bcemu_test::step_budget)));
  const auto rest = read_until(**t, "never", in(step_budget));
  EXPECT_EQ(rest.code, errc::end_of_stream) << rest.detail;
  EXPECT_NE(rest.detail.find("other side of the pty closed"), std::string::npos) << rest.detail;
}

TEST(transport_serial, exchanges_raw_bytes_with_the_master) {
  pty_pair p;
  ASSERT_FALSE(p.path().empty());
  auto t = open_uri("serial:" + p.path() + "?baud=9600");
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ((*t)->describe(), "serial:" + p.path() + "@9600,8N1");

  // Binary-safe both ways: no CR/LF mapping, no echo, NUL and 0xFF pass.
  const std::string up("AT\r\n\0\xff\x03x", 8);
  ASSERT_TRUE((*t)->write(up, in(step_budget)));
  EXPECT_EQ(p.master_read(up.size(), in(step_budget)), up);
  const std::string down("\r\nOK\r\n\0\xfe\x1a", 9);
  ASSERT_TRUE(p.master_write(down));
  std::string got;
  while (got.size() < down.size()) {
    auto r = (*t)->read(got, 64, in(step_budget));
    ASSERT_TRUE(r) << r.error().detail;
  }
  EXPECT_EQ(got, down);
  EXPECT_EQ(p.master_read(1, in(10ms)), "") << "nothing echoed back to the module";
}

TEST(transport_serial, applies_the_line_settings) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path() + "?baud=19200&stop=2&flow=rtscts");
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ((*t)->describe(), "serial:" + p.path() + "@19200,8N2,rtscts");
  termios tio{};
  ASSERT_EQ(::tcgetattr(p.slave(), &tio), 0);
  EXPECT_EQ(::cfgetospeed(&tio), B19200);
  EXPECT_EQ(::cfgetispeed(&tio), B19200);
  EXPECT_EQ(tio.c_cflag & CSIZE, static_cast<tcflag_t>(CS8));
  EXPECT_FALSE(tio.c_cflag & PARENB);
  EXPECT_TRUE(tio.c_cflag & CSTOPB);
  EXPECT_TRUE(tio.c_cflag & CRTSCTS);
  EXPECT_FALSE(tio.c_lflag & (ICANON | ECHO | ISIG)) << "raw mode";
  EXPECT_FALSE(tio.c_iflag & (ICRNL | IXON));
  EXPECT_FALSE(tio.c_oflag & OPOST);
  EXPECT_EQ(tio.c_cc[VMIN], 1);
  EXPECT_EQ(tio.c_cc[VTIME], 0);
}

// Some kernels refuse 7 data bits and parity on a pty (EINVAL); others keep them. Either the
// setting is applied or the refusal names it: never a silently different line.
TEST(transport_serial, a_setting_is_applied_or_its_refusal_named) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path() + "?data=7&parity=odd");
  if (!t) {
    EXPECT_EQ(t.error().code, errc::io_error);
    EXPECT_NE(t.error().detail.find("cannot set the data bits"), std::string::npos)
        << t.error().detail;
    auto again = open_uri("serial:" + p.path());
    EXPECT_TRUE(again) << "a refused open leaves the port unlocked: " << again.error().detail;
    return;
  }
  termios tio{};
  ASSERT_EQ(::tcgetattr(p.slave(), &tio), 0);
  EXPECT_EQ(tio.c_cflag & CSIZE, static_cast<tcflag_t>(CS7));
  EXPECT_TRUE(tio.c_cflag & PARENB);
  EXPECT_TRUE(tio.c_cflag & PARODD);
}

TEST(transport_pty, leaves_the_line_settings_alone_but_is_raw) {
  pty_pair p;
  termios before{};
  ASSERT_EQ(::tcgetattr(p.slave(), &before), 0);
  auto t = open_uri("pty:" + p.path());
  ASSERT_TRUE(t) << t.error().detail;
  termios after{};
  ASSERT_EQ(::tcgetattr(p.slave(), &after), 0);
  EXPECT_EQ(::cfgetospeed(&after), ::cfgetospeed(&before));
  EXPECT_FALSE(after.c_lflag & (ICANON | ECHO));
  ASSERT_TRUE(p.master_write("x\r"));
  ASSERT_FALSE(read_until(**t, "\r", in(step_budget)).code);
}

TEST(transport_serial, a_second_open_is_busy_and_names_the_holder) {
  pty_pair p;
  const std::string uri = "serial:" + p.path();
  auto first = open_uri(uri);
  ASSERT_TRUE(first) << first.error().detail;
  auto second = open_uri(uri);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, errc::busy);
  EXPECT_NE(second.error().detail.find(p.path()), std::string::npos) << second.error().detail;
  // Root passes TIOCEXCL, so the flock() answers; anyone else is stopped by TIOCEXCL first.
  if (::geteuid() == 0) {
    EXPECT_NE(second.error().detail.find("pid " + std::to_string(::getpid())), std::string::npos)
        << second.error().detail;
  }
  auto as_pty = open_uri("pty:" + p.path());
  ASSERT_FALSE(as_pty);
  EXPECT_EQ(as_pty.error().code, errc::busy);

  (*first)->close();
  auto third = open_uri(uri);
  EXPECT_TRUE(third) << "the lock goes with close(): " << third.error().detail;
}

// Linux, pty slave whose master closes: the kernel hangs the slave up. On the 6.x kernels this
// was checked on, a read then returns 0 (end of file) at once, also when it was already waiting;
// older kernels may give EIO first (TTY_OTHER_CLOSED). serial: reports either as device_vanished
// (a USB adapter pulled out hangs up its tty the same way); pty: as end_of_stream.
TEST(transport_serial, a_master_closed_before_the_read_is_a_vanished_device) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path() + "?baud=115200");
  ASSERT_TRUE(t) << t.error().detail;
  p.close_slave();
  p.close_master();
  const auto start = steady().now();
  std::string out;
  const auto r = (*t)->read(out, 64, in(step_budget));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::device_vanished) << r.error().detail;
  EXPECT_NE(r.error().detail.find("the device vanished (read: "), std::string::npos)
      << r.error().detail;
  EXPECT_LT(steady().now() - start, std::chrono::seconds(5));
  const auto w = (*t)->write("AT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::device_vanished) << "sticky: " << w.error().detail;
}

TEST(transport_serial, a_master_closed_during_the_read_wakes_it) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path());
  ASSERT_TRUE(t) << t.error().detail;
  p.close_slave();
  ASSERT_TRUE(p.master_write("last"));
  std::string out;
  ASSERT_TRUE((*t)->read(out, 64, in(step_budget)));
  EXPECT_EQ(out, "last");
  // The read below is blocked or about to be when the master goes; either way it must end long
  // before its deadline.
  std::thread closer([&p] { p.close_master(); });
  const auto start = steady().now();
  const auto r = (*t)->read(out, 64, in(step_budget));
  closer.join();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::device_vanished) << r.error().detail;
  EXPECT_LT(steady().now() - start, std::chrono::seconds(5));
}

TEST(transport_serial, a_write_to_a_vanished_device_says_so) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path());
  ASSERT_TRUE(t) << t.error().detail;
  p.close_slave();
  p.close_master();
  const auto w = (*t)->write("AT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::device_vanished) << w.error().detail;
  EXPECT_NE(w.error().detail.find("write: "), std::string::npos) << w.error().detail;
}

TEST(transport_serial, a_read_on_a_silent_line_times_out_at_its_deadline) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path());
  ASSERT_TRUE(t) << t.error().detail;
  const auto until = in(50ms);
  std::string out;
  const auto r = (*t)->read(out, 64, until);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
  EXPECT_GE(steady().now(), until);
  EXPECT_LT(steady().now(), until + std::chrono::seconds(2));
}

TEST(transport_serial, refuses_what_is_not_a_port) {
  auto missing = open_uri("serial:/dev/bcconform-no-such-tty");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, errc::not_found);
  EXPECT_NE(missing.error().detail.find("/dev/bcconform-no-such-tty"), std::string::npos);

  test::temp_dir dir;
  const std::string file = dir.write("plain", "x");
  auto plain = open_uri("serial:" + file);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, errc::io_error);
  EXPECT_NE(plain.error().detail.find("not a terminal"), std::string::npos) << plain.error().detail;
}

TEST(transport_serial, close_is_idempotent_and_final) {
  pty_pair p;
  auto t = open_uri("serial:" + p.path());
  ASSERT_TRUE(t) << t.error().detail;
  (*t)->close();
  (*t)->close();
  std::string out;
  EXPECT_EQ((*t)->read(out, 1, in(step_budget)).error().code, errc::closed);
  EXPECT_EQ((*t)->write("x", in(step_budget)).error().code, errc::closed);
}

}  // namespace
}  // namespace bcconform::transport
