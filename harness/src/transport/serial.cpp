// serial: and pty: through Boost.Asio's serial_port. Raw termios (no echo, no CR/LF mapping:
// AT traffic and socket payloads are binary), exclusive use of the port, and a port that
// disappears reported as such rather than as a silent end of input.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <boost/asio/serial_port.hpp>

#include "detail.hpp"

namespace bcconform::transport::detail {
namespace {

using serial_port = asio::serial_port;

/// The pid holding a flock() on the file `fd` refers to, from /proc/locks ("1: FLOCK ADVISORY
/// WRITE 1234 00:19:5 0 EOF"; the device numbers in hex, the inode in decimal). Empty if unknown.
std::string lock_holder(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return {};
  char key[64];
  std::snprintf(key, sizeof key, "%02x:%02x:%lu", ::major(st.st_dev), ::minor(st.st_dev),
                static_cast<unsigned long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    std::istringstream fields(line);
    std::string id, kind, mode, access, pid, file;
    fields >> id >> kind >> mode >> access >> pid >> file;
    if (kind == "FLOCK" && file == key) return pid;
  }
  return {};
}

bool is_vanish_errno(const error_code& ec) {
  return ec == asio::error::eof ||
         (ec.category() == boost::system::system_category() &&
          (ec.value() == EIO || ec.value() == ENXIO || ec.value() == ENODEV));
}

char parity_letter(serial_settings::parity p) {
  switch (p) {
    case serial_settings::parity::none:
      return 'N';
    case serial_settings::parity::even:
      return 'E';
    case serial_settings::parity::odd:
      return 'O';
  }
  return '?';
}

class serial_transport final : public transport {
 public:
  explicit serial_transport(const target_uri& t) : target_(t) {}
  ~serial_transport() override { close(); }
  serial_transport(const serial_transport&) = delete;
  serial_transport& operator=(const serial_transport&) = delete;

  result<void> start();
  result<void> write(std::string_view bytes, deadline until) override;
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override;
  std::string describe() const override;
  void close() override;

 private:
  bool is_pty() const { return target_.kind == scheme::pty; }
  error fail(errc e, const std::string& what) const {
    return make_error(e, describe() + ": " + what);
  }
  result<void> open_port();
  result<void> lock();
  result<void> configure();
  error gone(const std::string& op, const error_code& ec);

  target_uri target_;
  asio::io_context io_;
  serial_port port_{io_};
  std::optional<error> gone_;  // once the device is gone, every call says so
  bool locked_ = false;
  bool closed_ = false;
};

std::string serial_transport::describe() const {
  if (is_pty()) return "pty:" + target_.path;
  const auto& s = target_.serial;
  return "serial:" + target_.path + "@" + std::to_string(s.baud) + "," +
         std::to_string(s.data_bits) + parity_letter(s.parity_bits) + std::to_string(s.stop_bits) +
         (s.rtscts ? ",rtscts" : "");
}

result<void> serial_transport::start() {
  if (auto r = open_port(); !r) return r;
  if (auto r = lock(); !r) return r;
  return configure();
}

result<void> serial_transport::open_port() {
  error_code ec;
  port_.open(target_.path, ec);  // O_RDWR | O_NOCTTY | O_NONBLOCK, then cfmakeraw
  if (!ec) return {};
  const int e = ec.category() == boost::system::system_category() ? ec.value() : 0;
  if (e == ENOENT || e == ENXIO || e == ENODEV) {
    return fail(errc::not_found, "no such device (" + os_message(ec) + ")");
  }
  if (e == EBUSY) {
    return fail(errc::busy, "port busy: another process opened it for exclusive use (TIOCEXCL)");
  }
  if (e == EACCES) {
    return fail(errc::io_error, "permission denied (is the user in the dialout group?)");
  }
  if (e == ENOTTY) return fail(errc::io_error, "not a terminal device");
  return fail(errc::io_error, "cannot open: " + os_message(ec));
}

/// Two processes on one serial line interleave bytes and both see garbage, so the port is
/// exclusive: flock() against cooperating tools (another bcconform, minicom -o, ser2net with
/// locking) and TIOCEXCL, which makes the kernel refuse any further open() by non-root users.
result<void> serial_transport::lock() {
  const int fd = port_.native_handle();
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    std::string holder = lock_holder(fd);
    error_code ignored;
    port_.close(ignored);
    if (e == EWOULDBLOCK) {
      return fail(errc::busy, "port busy: locked by another process" +
                                  (holder.empty() ? std::string() : " (pid " + holder + ")"));
    }
    return fail(errc::io_error, std::string("flock: ") + std::strerror(e));
  }
  locked_ = true;
  ::ioctl(fd, TIOCEXCL);
  return {};
}

result<void> serial_transport::configure() {
  error_code ec;
  const auto& s = target_.serial;
  using parity = serial_port::parity;
  using stop = serial_port::stop_bits;
  using flow = serial_port::flow_control;
  // A pty has no line: it accepts a rate but ignores it, and some kernels refuse CRTSCTS on
  // it. pty: therefore keeps only the raw mode below.
  if (!is_pty()) {
    const auto check = [&](const char* what) -> result<void> {
      if (!ec) return {};
      return fail(errc::io_error, std::string("cannot set ") + what + ": " + os_message(ec));
    };
    port_.set_option(serial_port::baud_rate(s.baud), ec);
    if (auto r = check("the baud rate"); !r) return r;
    port_.set_option(serial_port::character_size(s.data_bits), ec);
    if (auto r = check("the data bits"); !r) return r;
    port_.set_option(parity(s.parity_bits == serial_settings::parity::none   ? parity::none
                            : s.parity_bits == serial_settings::parity::even ? parity::even
                                                                             : parity::odd),
                     ec);
    if (auto r = check("the parity"); !r) return r;
    port_.set_option(stop(s.stop_bits == 2 ? stop::two : stop::one), ec);
    if (auto r = check("the stop bits"); !r) return r;
    port_.set_option(flow(s.rtscts ? flow::hardware : flow::none), ec);
    if (auto r = check("the flow control"); !r) return r;
  }
  // VMIN=1, VTIME=0: with VMIN=0 a read of an idle line returns 0, which looks like a hang-up.
  termios t{};
  const int fd = port_.native_handle();
  if (::tcgetattr(fd, &t) == 0) {
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    ::tcsetattr(fd, TCSANOW, &t);
  }
  return {};
}

/// A USB adapter that is unplugged hangs up its tty: reads return 0 (end of file) and writes
/// EIO. A pty slave whose master closed reads EIO and then, once hung up, end of file; writes
/// give EIO. ENXIO and ENODEV come from drivers that are already gone.
error serial_transport::gone(const std::string& op, const error_code& ec) {
  const std::string how = ec == asio::error::eof ? "end of file: the line hung up" : os_message(ec);
  if (is_pty()) {
    gone_ = fail(errc::end_of_stream, "the other side of the pty closed (" + op + ": " + how + ")");
  } else {
    gone_ = fail(errc::device_vanished,
                 "the device vanished (" + op + ": " + how +
                     "): unplugged, powered off, or the other side of a pty closed");
  }
  return *gone_;
}

result<void> serial_transport::write(std::string_view bytes, deadline until) {
  if (closed_) return fail(errc::closed, "write after close()");
  if (gone_) return *gone_;
  const auto r = write_all(io_, port_, bytes, until);
  if (!r.ec && !r.timed_out) return {};
  if (r.timed_out) {
    return fail(errc::timed_out, "wrote " + std::to_string(r.bytes) + " of " +
                                     std::to_string(bytes.size()) +
                                     " bytes before the deadline (flow control holding?)");
  }
  if (is_vanish_errno(r.ec)) return gone("write", r.ec);
  return fail(errc::io_error, "write: " + os_message(r.ec));
}

result<std::size_t> serial_transport::read(std::string& out, std::size_t max, deadline until) {
  if (closed_) return fail(errc::closed, "read after close()");
  if (gone_) return *gone_;
  const auto r = read_some(io_, port_, out, max, until);
  if (r.bytes > 0) return r.bytes;
  if (r.timed_out) return fail(errc::timed_out, "no bytes before the deadline");
  if (is_vanish_errno(r.ec)) return gone("read", r.ec);
  return fail(errc::io_error, "read: " + os_message(r.ec));
}

void serial_transport::close() {
  if (closed_) return;
  closed_ = true;
  if (!port_.is_open()) return;
  const int fd = port_.native_handle();
  if (locked_) {
    ::ioctl(fd, TIOCNXCL);  // the flag belongs to the tty and could outlive this descriptor
    ::flock(fd, LOCK_UN);
  }
  error_code ignored;
  port_.close(ignored);
}

}  // namespace

result<std::unique_ptr<transport>> open_serial(const target_uri& t, const open_options&) {
  auto s = std::make_unique<serial_transport>(t);
  if (auto r = s->start(); !r) return r.error();
  return std::unique_ptr<transport>(std::move(s));
}

}  // namespace bcconform::transport::detail
