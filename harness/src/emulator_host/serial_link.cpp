#include "serial_link.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace bcconform::emulator_host::detail {
namespace {

namespace asio = boost::asio;
using error_code = boost::system::error_code;
using io_handler = std::function<void(const error_code&, std::size_t)>;

constexpr std::size_t low_water = 64u << 10;
constexpr std::size_t write_chunk = 64u << 10;

/// One direction-agnostic byte stream: how to read and how to write.
struct byte_stream {
  std::function<void(asio::mutable_buffer, io_handler)> read;
  std::function<void(asio::const_buffer, io_handler)> write;
  std::function<void()> close;
};

// epoll refuses regular files and /dev/null; those never block, so plain read()/write() in a
// posted handler serve them without stalling the loop.
bool pollable(int fd) {
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) return false;
  epoll_event ev{};
  ev.events = EPOLLIN;
  const bool ok = ::epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0;
  ::close(ep);
  return ok;
}

error_code last_error(ssize_t n) {
  if (n == 0) return asio::error::eof;
  return {errno, boost::system::system_category()};
}

std::function<void(asio::mutable_buffer, io_handler)> fd_reader(
    asio::io_context& io, int fd, const std::shared_ptr<asio::posix::stream_descriptor>& sd) {
  if (sd) {
    return [sd](asio::mutable_buffer b, io_handler h) { sd->async_read_some(b, std::move(h)); };
  }
  return [&io, fd](asio::mutable_buffer b, io_handler h) {
    asio::post(io, [fd, b, h = std::move(h)] {
      const auto n = ::read(fd, b.data(), b.size());
      h(n > 0 ? error_code{} : last_error(n), n > 0 ? static_cast<std::size_t>(n) : 0);
    });
  };
}

std::function<void(asio::const_buffer, io_handler)> fd_writer(
    asio::io_context& io, int fd, const std::shared_ptr<asio::posix::stream_descriptor>& sd) {
  if (sd) {
    return [sd](asio::const_buffer b, io_handler h) { sd->async_write_some(b, std::move(h)); };
  }
  return [&io, fd](asio::const_buffer b, io_handler h) {
    asio::post(io, [fd, b, h = std::move(h)] {
      const auto n = ::write(fd, b.data(), b.size());
      h(n >= 0 ? error_code{} : last_error(-1), n > 0 ? static_cast<std::size_t>(n) : 0);
    });
  };
}

std::shared_ptr<asio::posix::stream_descriptor> descriptor_if_pollable(asio::io_context& io,
                                                                       int fd) {
  if (!pollable(fd)) return nullptr;
  return std::make_shared<asio::posix::stream_descriptor>(io, fd);
}

/// Moves bytes between a byte_stream and the emulator: reads while not held, writes a bounded
/// queue. `on_gone(true)` reports the end of the input (EOF or a read error; writing goes on),
/// `on_gone(false)` a write error (the pump has stopped).
class pump : public std::enable_shared_from_this<pump> {
 public:
  pump(byte_stream s, serial_handlers& h, std::function<void(bool input)> on_gone)
      : stream_(std::move(s)), h_(h), on_gone_(std::move(on_gone)) {}

  void start() { arm_read(); }

  void write(std::string_view bytes) {
    if (gone_) return;
    if (pending() + bytes.size() > serial_link::output_cap) {
      if (dropped_ == 0 && h_.on_note) {
        h_.on_note("serial output backlog full (the host is not reading): output dropped");
      }
      dropped_ += bytes.size();
      return;
    }
    dropped_ = 0;
    out_.append(bytes);
    arm_write();
  }

  std::size_t pending() const { return out_.size() - out_pos_; }

  void hold(bool h) {
    held_ = h;
    if (!h) arm_read();
  }

  void stop() {
    gone_ = true;
    if (stream_.close) stream_.close();
  }

 private:
  void arm_read() {
    if (reading_ || held_ || gone_ || input_done_) return;
    reading_ = true;
    stream_.read(asio::buffer(in_),
                 [self = shared_from_this()](const error_code& ec, std::size_t n) {
                   self->reading_ = false;
                   if (self->gone_) return;
                   if (n > 0 && self->h_.on_input)
                     self->h_.on_input(std::string_view(self->in_.data(), n));
                   if (self->gone_) return;
                   if (ec && ec != asio::error::would_block && ec != asio::error::interrupted) {
                     self->input_done_ = true;
                     if (self->on_gone_) self->on_gone_(true);
                     return;
                   }
                   self->arm_read();
                 });
  }

  void arm_write() {
    if (writing_ || gone_ || pending() == 0) return;
    writing_ = true;
    const auto size = std::min(pending(), write_chunk);
    stream_.write(asio::buffer(out_.data() + out_pos_, size),
                  [self = shared_from_this()](const error_code& ec, std::size_t n) {
                    self->writing_ = false;
                    if (self->gone_) return;
                    self->out_pos_ += n;
                    if (self->out_pos_ == self->out_.size() || self->out_pos_ > (1u << 20)) {
                      self->out_.erase(0, self->out_pos_);
                      self->out_pos_ = 0;
                    }
                    if (ec && ec != asio::error::would_block && ec != asio::error::interrupted) {
                      self->stop();
                      if (self->on_gone_) self->on_gone_(false);
                      return;
                    }
                    if (self->pending() < low_water && self->h_.on_drained) self->h_.on_drained();
                    self->arm_write();
                  });
  }

  byte_stream stream_;
  serial_handlers& h_;
  std::function<void(bool)> on_gone_;
  std::array<char, 4096> in_{};
  std::string out_;
  std::size_t out_pos_ = 0;
  std::size_t dropped_ = 0;
  bool reading_ = false, writing_ = false, held_ = false, gone_ = false, input_done_ = false;
};

// ---- stdio ----------------------------------------------------------------------------------

class stdio_link final : public serial_link {
 public:
  explicit stdio_link(asio::io_context& io) : io_(io) {
    saved_in_ = ::fcntl(STDIN_FILENO, F_GETFL);
    saved_out_ = ::fcntl(STDOUT_FILENO, F_GETFL);
  }
  ~stdio_link() override {
    if (pump_) pump_->stop();
    // Asio made the descriptors non-blocking; they are shared with whoever started us.
    if (saved_in_ >= 0) ::fcntl(STDIN_FILENO, F_SETFL, saved_in_);
    if (saved_out_ >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, saved_out_);
  }

  void start(serial_handlers h) override {
    h_ = std::move(h);
    auto in = descriptor_if_pollable(io_, STDIN_FILENO);
    auto out = descriptor_if_pollable(io_, STDOUT_FILENO);
    byte_stream s;
    s.read = fd_reader(io_, STDIN_FILENO, in);
    s.write = fd_writer(io_, STDOUT_FILENO, out);
    s.close = [in, out] {
      // Never close fds 0 and 1 themselves: release them from Asio.
      if (in) in->release();
      if (out) out->release();
    };
    // End of input ends the emulator, but what it still has to say is written first.
    pump_ = std::make_shared<pump>(std::move(s), h_, [this](bool) {
      if (h_.on_end) h_.on_end();
    });
    pump_->start();
  }
  void write(std::string_view bytes) override { pump_->write(bytes); }
  std::size_t pending() const override { return pump_ ? pump_->pending() : 0; }
  void hold_input(bool hold) override { pump_->hold(hold); }
  void shutdown() override { pump_->stop(); }

 private:
  asio::io_context& io_;
  serial_handlers h_;
  std::shared_ptr<pump> pump_;
  int saved_in_ = -1, saved_out_ = -1;
};

// ---- pty ------------------------------------------------------------------------------------

class pty_link final : public serial_link {
 public:
  pty_link(asio::io_context& io, int master, int slave, std::string link)
      : io_(io), master_(master), slave_(slave), link_(std::move(link)) {}
  ~pty_link() override {
    if (pump_) pump_->stop();
    if (slave_ >= 0) ::close(slave_);
    if (!link_.empty()) {
      std::error_code ignored;
      std::filesystem::remove(link_, ignored);
    }
  }

  void start(serial_handlers h) override {
    h_ = std::move(h);
    auto sd = std::make_shared<asio::posix::stream_descriptor>(io_, master_);
    byte_stream s;
    s.read = fd_reader(io_, master_, sd);
    s.write = fd_writer(io_, master_, sd);
    s.close = [sd] {
      error_code ignored;
      sd->close(ignored);
    };
    pump_ = std::make_shared<pump>(std::move(s), h_, [this](bool input) {
      if (h_.on_note) h_.on_note(input ? "pty: read failed" : "pty: write failed");
    });
    pump_->start();
  }
  void write(std::string_view bytes) override { pump_->write(bytes); }
  std::size_t pending() const override { return pump_ ? pump_->pending() : 0; }
  void hold_input(bool hold) override { pump_->hold(hold); }
  void shutdown() override { pump_->stop(); }

 private:
  asio::io_context& io_;
  int master_;
  int slave_;  ///< kept open: the master never sees a hang-up between two clients
  std::string link_;
  serial_handlers h_;
  std::shared_ptr<pump> pump_;
};

// ---- TCP ------------------------------------------------------------------------------------

class tcp_link final : public serial_link {
 public:
  tcp_link(asio::io_context& io, asio::ip::tcp::acceptor acceptor)
      : io_(io), acceptor_(std::move(acceptor)) {}
  ~tcp_link() override { shutdown(); }

  void start(serial_handlers h) override {
    h_ = std::move(h);
    accept_next();
  }
  void write(std::string_view bytes) override {
    if (pump_) return pump_->write(bytes);
    if (!discard_noted_ && h_.on_note) h_.on_note("no client connected: module output discarded");
    discard_noted_ = true;
  }
  std::size_t pending() const override { return pump_ ? pump_->pending() : 0; }
  void hold_input(bool hold) override {
    held_ = hold;
    if (pump_) pump_->hold(hold);
  }
  void shutdown() override {
    stopped_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    if (pump_) pump_->stop();
  }

 private:
  void accept_next() {
    if (stopped_) return;
    acceptor_.async_accept([this](const error_code& ec, asio::ip::tcp::socket s) {
      if (stopped_) return;
      if (ec) {
        if (ec != asio::error::operation_aborted) accept_next();
        return;
      }
      serve(std::make_shared<asio::ip::tcp::socket>(std::move(s)));
    });
  }

  void serve(const std::shared_ptr<asio::ip::tcp::socket>& sock) {
    error_code ignored;
    const auto peer = sock->remote_endpoint(ignored);
    if (h_.on_note) {
      h_.on_note("client connected from " + peer.address().to_string() + ":" +
                 std::to_string(peer.port()));
    }
    sock->set_option(asio::ip::tcp::no_delay(true), ignored);
    byte_stream s;
    s.read = [sock](asio::mutable_buffer b, io_handler h) {
      sock->async_read_some(b, std::move(h));
    };
    s.write = [sock](asio::const_buffer b, io_handler h) {
      sock->async_write_some(b, std::move(h));
    };
    s.close = [sock] {
      error_code e;
      sock->shutdown(asio::ip::tcp::socket::shutdown_both, e);
      sock->close(e);
    };
    discard_noted_ = false;
    pump_ = std::make_shared<pump>(std::move(s), h_, [this](bool) {
      if (!pump_) return;
      pump_->stop();
      if (h_.on_note) h_.on_note("client disconnected");
      // Let the finished pump's handlers unwind before it is released.
      asio::post(io_, [this, old = pump_] { accept_next(); });
      pump_.reset();
    });
    if (held_) pump_->hold(true);
    pump_->start();
  }

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  serial_handlers h_;
  std::shared_ptr<pump> pump_;
  bool held_ = false, stopped_ = false, discard_noted_ = false;
};

protocol::error os_error(const std::string& what) {
  return protocol::make_error(protocol::errc::syntax, what + ": " + std::strerror(errno));
}

}  // namespace

std::unique_ptr<serial_link> make_stdio_link(asio::io_context& io) {
  return std::make_unique<stdio_link>(io);
}

protocol::result<std::unique_ptr<serial_link>> make_pty_link(asio::io_context& io,
                                                             const std::string& link,
                                                             std::string& slave_path) {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return os_error("posix_openpt");
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0) {
    auto e = os_error("grantpt/unlockpt");
    ::close(master);
    return e;
  }
  char name[128] = {};
  if (::ptsname_r(master, name, sizeof name) != 0) {
    auto e = os_error("ptsname");
    ::close(master);
    return e;
  }
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  termios t{};
  if (slave < 0 || ::tcgetattr(slave, &t) != 0) {
    auto e = os_error(std::string("open ") + name);
    ::close(master);
    if (slave >= 0) ::close(slave);
    return e;
  }
  ::cfmakeraw(&t);  // a serial line: no echo, no line discipline, 8 bits
  ::tcsetattr(slave, TCSANOW, &t);
  if (!link.empty()) {
    std::error_code ec;
    if (std::filesystem::is_symlink(link, ec)) std::filesystem::remove(link, ec);
    std::filesystem::create_symlink(name, link, ec);
    if (ec) {
      ::close(master);
      ::close(slave);
      return protocol::make_error(protocol::errc::syntax,
                                  "cannot make the link " + link + ": " + ec.message());
    }
  }
  slave_path = name;
  return std::unique_ptr<serial_link>(std::make_unique<pty_link>(io, master, slave, link));
}

protocol::result<std::unique_ptr<serial_link>> make_tcp_link(asio::io_context& io,
                                                             const std::string& host,
                                                             std::uint16_t port,
                                                             std::uint16_t& bound_port) {
  error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) {
    return protocol::make_error(protocol::errc::syntax,
                                "--listen: '" + host + "' is not an IP address");
  }
  asio::ip::tcp::acceptor acceptor(io);
  const asio::ip::tcp::endpoint ep(addr, port);
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return protocol::make_error(
        protocol::errc::syntax,
        "--listen " + host + ":" + std::to_string(port) + ": " + ec.message());
  }
  bound_port = acceptor.local_endpoint().port();
  return std::unique_ptr<serial_link>(std::make_unique<tcp_link>(io, std::move(acceptor)));
}

}  // namespace bcconform::emulator_host::detail
