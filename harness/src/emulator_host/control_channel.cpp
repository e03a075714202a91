#include "control_channel.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <set>

#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

namespace bcconform::emulator_host::detail {
namespace {

namespace asio = boost::asio;
using local = asio::local::stream_protocol;
using error_code = boost::system::error_code;

struct client : std::enable_shared_from_this<client> {
  explicit client(local::socket s) : sock(std::move(s)), in(control_channel::max_line) {}
  local::socket sock;
  asio::streambuf in;
  std::string out;
};

// A stale socket file (left by a killed emulator) accepts no connection; a live one does.
bool in_use(asio::io_context& io, const std::string& path) {
  local::socket probe(io);
  error_code ec;
  probe.connect(local::endpoint(path), ec);
  return !ec;
}

}  // namespace

struct control_channel::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& io, std::string p, handler h)
      : acceptor(io), path(std::move(p)), handle(std::move(h)) {}
  local::acceptor acceptor;
  std::string path;
  handler handle;
  std::set<std::shared_ptr<client>> clients;
  bool closed = false;

  void accept() {
    acceptor.async_accept([self = shared_from_this()](const error_code& ec, local::socket s) {
      if (self->closed) return;
      if (!ec) {
        auto c = std::make_shared<client>(std::move(s));
        if (self->clients.size() >= max_clients) {
          error_code ignored;
          asio::write(c->sock, asio::buffer(std::string("error: too many control clients\n")),
                      ignored);
        } else {
          self->clients.insert(c);
          self->read(c);
        }
      }
      self->accept();
    });
  }

  void read(const std::shared_ptr<client>& c) {
    asio::async_read_until(
        c->sock, c->in, '\n', [self = shared_from_this(), c](const error_code& ec, std::size_t n) {
          if (self->closed) return;
          if (ec == asio::error::not_found) {  // the line outgrew max_line
            return self->reply_and_drop(c, "error: line longer than " + std::to_string(max_line));
          }
          if (ec) {
            self->clients.erase(c);
            return;
          }
          std::string line(asio::buffers_begin(c->in.data()),
                           asio::buffers_begin(c->in.data()) + static_cast<long>(n) - 1);
          c->in.consume(n);
          if (!line.empty() && line.back() == '\r') line.pop_back();
          c->out = self->handle(line) + "\n";
          asio::async_write(c->sock, asio::buffer(c->out),
                            [self, c](const error_code& e, std::size_t) {
                              if (self->closed) return;
                              if (e) {
                                self->clients.erase(c);
                                return;
                              }
                              self->read(c);
                            });
        });
  }

  void reply_and_drop(const std::shared_ptr<client>& c, const std::string& text) {
    c->out = text + "\n";
    asio::async_write(
        c->sock, asio::buffer(c->out),
        [self = shared_from_this(), c](const error_code&, std::size_t) { self->clients.erase(c); });
  }
};

protocol::result<std::unique_ptr<control_channel>> control_channel::open(asio::io_context& io,
                                                                         const std::string& path,
                                                                         handler handle) {
  auto fail = [&](const std::string& why) {
    return protocol::make_error(protocol::errc::syntax, "--control " + path + ": " + why);
  };
  std::error_code fs_ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(path, fs_ec))) {
    if (!std::filesystem::is_socket(path, fs_ec)) return fail("exists and is not a socket");
    if (in_use(io, path)) return fail("another process is serving it");
    std::filesystem::remove(path, fs_ec);
  }
  auto i = std::make_shared<impl>(io, path, std::move(handle));
  error_code ec;
  i->acceptor.open(local(), ec);
  // The pins of the module and the lab's switches: only this user may drive them. The umask
  // covers the window between bind() and chmod().
  const mode_t old = ::umask(0077);
  if (!ec) i->acceptor.bind(local::endpoint(path), ec);
  ::umask(old);
  if (!ec && ::chmod(path.c_str(), 0600) != 0) ec = {errno, boost::system::system_category()};
  if (!ec) i->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec.message());
  i->accept();
  return std::unique_ptr<control_channel>(new control_channel(std::move(i)));
}

control_channel::~control_channel() {
  impl_->closed = true;
  error_code ignored;
  impl_->acceptor.close(ignored);
  for (const auto& c : impl_->clients) c->sock.close(ignored);
  impl_->clients.clear();
  std::error_code fs_ec;
  std::filesystem::remove(impl_->path, fs_ec);
}

}  // namespace bcconform::emulator_host::detail
