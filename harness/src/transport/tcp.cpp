// tcp: a byte stream over TCP (ser2net-style remote serial, bcemu --listen). The host is
// numeric (parse_target refuses names), so opening never resolves anything.
#include <optional>

#include <boost/asio/ip/tcp.hpp>

#include "detail.hpp"

namespace bcconform::transport::detail {
namespace {

using tcp = asio::ip::tcp;

class tcp_transport final : public transport {
 public:
  explicit tcp_transport(const target_uri& t) : target_(t) {}
  ~tcp_transport() override { close(); }
  tcp_transport(const tcp_transport&) = delete;
  tcp_transport& operator=(const tcp_transport&) = delete;

  result<void> connect(deadline until);
  result<void> write(std::string_view bytes, deadline until) override;
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override;
  std::string describe() const override;
  void close() override;

 private:
  error fail(errc e, const std::string& what) const {
    return make_error(e, describe() + ": " + what);
  }
  std::optional<error> stream_error(const std::string& op, const error_code& ec);

  target_uri target_;
  asio::io_context io_;
  tcp::socket socket_{io_};
  std::optional<error> gone_;  // after FIN or RST every call says so
  bool closed_ = false;
};

std::string tcp_transport::describe() const {
  const bool v6 = target_.host.find(':') != std::string::npos;
  return "tcp:" + (v6 ? "[" + target_.host + "]" : target_.host) + ":" +
         std::to_string(target_.port);
}

result<void> tcp_transport::connect(deadline until) {
  error_code ec;
  const auto address = asio::ip::make_address(target_.host, ec);
  if (ec) return fail(errc::bad_uri, "\"" + target_.host + "\" is not a numeric address");
  bool done = false;
  socket_.async_connect(tcp::endpoint(address, target_.port), [&](const error_code& e) {
    ec = e;
    done = true;
  });
  if (!run_until(
          io_, until, [&] { return done; }, [&] { cancel_quietly(socket_); })) {
    socket_.close(ec);
    return fail(errc::timed_out, "no connection before the open timeout");
  }
  if (ec == asio::error::connection_refused) {
    return fail(errc::refused, "connection refused: nothing listens there");
  }
  if (ec) return fail(errc::io_error, "connect: " + os_message(ec));
  // AT commands are short and answered one by one: Nagle would only add latency.
  socket_.set_option(tcp::no_delay(true), ec);
  return {};
}

/// FIN and RST both mean the module side is gone; the detail says which.
std::optional<error> tcp_transport::stream_error(const std::string& op, const error_code& ec) {
  if (ec == asio::error::eof) {
    gone_ = fail(errc::end_of_stream, "the peer closed the connection (FIN)");
  } else if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) {
    gone_ =
        fail(errc::end_of_stream, "the connection was reset (" + op + ": " + os_message(ec) + ")");
  } else {
    return std::nullopt;
  }
  return gone_;
}

result<void> tcp_transport::write(std::string_view bytes, deadline until) {
  if (closed_) return fail(errc::closed, "write after close()");
  if (gone_) return *gone_;
  // Asio sends with MSG_NOSIGNAL on Linux: a reset connection gives EPIPE, not SIGPIPE.
  const auto r = write_all(io_, socket_, bytes, until);
  if (!r.ec && !r.timed_out) return {};
  if (r.timed_out) {
    return fail(errc::timed_out, "wrote " + std::to_string(r.bytes) + " of " +
                                     std::to_string(bytes.size()) + " bytes before the deadline");
  }
  if (auto e = stream_error("write", r.ec)) return *e;
  return fail(errc::io_error, "write: " + os_message(r.ec));
}

result<std::size_t> tcp_transport::read(std::string& out, std::size_t max, deadline until) {
  if (closed_) return fail(errc::closed, "read after close()");
  if (gone_) return *gone_;
  const auto r = read_some(io_, socket_, out, max, until);
  if (r.bytes > 0) return r.bytes;
  if (r.timed_out) return fail(errc::timed_out, "no bytes before the deadline");
  if (auto e = stream_error("read", r.ec)) return *e;
  return fail(errc::io_error, "read: " + os_message(r.ec));
}

void tcp_transport::close() {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace

result<std::unique_ptr<transport>> open_tcp(const target_uri& t, const open_options& o) {
  auto x = std::make_unique<tcp_transport>(t);
  if (auto r = x->connect(steady().now() + o.open_timeout); !r) return r.error();
  return std::unique_ptr<transport>(std::move(x));
}

}  // namespace bcconform::transport::detail
