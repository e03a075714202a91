// tcp_server (the listening role) and tcp_connect (the client role).
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "bcconform/peer/tcp.hpp"
#include "stream_state.hpp"

namespace bcconform::peer {
namespace detail {

class server_state : public std::enable_shared_from_this<server_state> {
 public:
  using tcp = asio::ip::tcp;

  server_state(host_core& core, tcp::acceptor acceptor, const server_options& options)
      : core_(core), acceptor_(std::move(acceptor)), options_(options) {
    local_ = to_endpoint(acceptor_.local_endpoint());
  }

  host_core& core() noexcept { return core_; }
  const endpoint& local() const noexcept { return local_; }

  /// Host thread.
  void start() {
    accepting_ = true;
    accept_next();
  }

  result<std::shared_ptr<stream_state>> accept(deadline until);
  void close();

  std::size_t accepted() const {
    std::lock_guard lock(m_);
    return accepted_;
  }

 private:
  void accept_next() {
    acceptor_.async_accept(
        [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
          self->on_accept(ec, std::move(socket));
        });
  }
  void on_accept(const boost::system::error_code& ec, tcp::socket socket);

  host_core& core_;
  tcp::acceptor acceptor_;  // host thread
  const server_options options_;
  endpoint local_;

  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<stream_state>> pending_;
  std::size_t accepted_ = 0;
  bool accepting_ = false;  // an async_accept is outstanding or posted
  bool closed_ = false;
  std::optional<error> failure_;
};

void server_state::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  bool again = false;
  if (ec) {
    std::lock_guard lock(m_);
    // A client that gives up between SYN and accept is its own problem, not the server's.
    again = !closed_ && ec == asio::error::connection_aborted;
    if (!again && !closed_) failure_ = from_asio(ec, "accept");
    accepting_ = again;
  } else {
    auto connection = std::make_shared<stream_state>(core_, std::move(socket), options_.connection);
    connection->start();
    std::lock_guard lock(m_);
    pending_.push_back(std::move(connection));
    ++accepted_;
    again = pending_.size() < options_.max_pending;
    accepting_ = again;
  }
  cv_.notify_all();
  if (again) accept_next();
}

result<std::shared_ptr<stream_state>> server_state::accept(deadline until) {
  std::unique_lock lock(m_);
  cv_.wait_until(lock, until, [&] { return !pending_.empty() || closed_ || failure_; });
  if (pending_.empty()) {
    if (closed_) return make_error(errc::not_open, "accept on a closed server");
    if (failure_) return *failure_;
    return make_error(errc::timed_out,
                      "no connection to " + local_.to_string() + " arrived before the deadline");
  }
  auto connection = std::move(pending_.front());
  pending_.pop_front();
  if (!accepting_ && !closed_ && !failure_) {
    accepting_ = true;
    asio::post(core_.io(), [self = shared_from_this()] { self->accept_next(); });
  }
  return connection;
}

void server_state::close() {
  core_.call([&] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::deque<std::shared_ptr<stream_state>> untaken;
    {
      std::lock_guard lock(m_);
      closed_ = true;
      untaken.swap(pending_);
    }
    cv_.notify_all();
    for (auto& connection : untaken) connection->close(false);
  });
}

/// One connect attempt, alive until its handler ran.
struct connect_attempt {
  explicit connect_attempt(asio::io_context& io) : socket(io), timer(io) {}
  asio::ip::tcp::socket socket;
  asio::steady_timer timer;
  bool timed_out = false;
  std::promise<result<std::shared_ptr<stream_state>>> outcome;
};

}  // namespace detail

namespace {

using tcp = boost::asio::ip::tcp;

result<tcp::acceptor> open_acceptor(detail::host_core& core, const server_options& options) {
  auto address = detail::parse_address(options.bind_address);
  if (!address) return address.error();
  const tcp::endpoint ep(*address, options.port);
  tcp::acceptor acceptor(core.io());
  boost::system::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return detail::from_asio(ec, "listen on " + detail::to_endpoint(ep).to_string());
  return acceptor;
}

}  // namespace

result<tcp_server> tcp_server::listen(host& h, const server_options& options) {
  auto& core = h.core();
  return core.call([&]() -> result<tcp_server> {
    auto acceptor = open_acceptor(core, options);
    if (!acceptor) return acceptor.error();
    auto state = std::make_shared<detail::server_state>(core, std::move(*acceptor), options);
    state->start();
    return tcp_server(std::move(state));
  });
}

tcp_server::tcp_server(std::shared_ptr<detail::server_state> state) : state_(std::move(state)) {
  ++state_->core().live_objects;
}

tcp_server::~tcp_server() {
  release();
}

tcp_server::tcp_server(tcp_server&& other) noexcept : state_(std::move(other.state_)) {}

tcp_server& tcp_server::operator=(tcp_server&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void tcp_server::release() noexcept {
  if (!state_) return;
  state_->close();
  --state_->core().live_objects;
  state_.reset();
}

std::uint16_t tcp_server::port() const {
  return state_ ? state_->local().port : 0;
}
endpoint tcp_server::local_endpoint() const {
  return state_ ? state_->local() : endpoint{};
}

result<tcp_connection> tcp_server::accept(deadline until) {
  if (!state_) return make_error(errc::not_open, "empty or moved-from tcp_server");
  auto connection = state_->accept(until);
  if (!connection) return connection.error();
  return tcp_connection(std::move(*connection));
}

std::size_t tcp_server::accepted_count() const {
  return state_ ? state_->accepted() : 0;
}

void tcp_server::close() {
  if (state_) state_->close();
}

namespace {

/// Host thread: opens, binds and starts connecting; the deadline is a timer on the same loop,
/// so the attempt always finishes and the caller's wait is bounded.
void start_connect(detail::host_core& core, const std::shared_ptr<detail::connect_attempt>& attempt,
                   const tcp::endpoint& to, const std::optional<tcp::endpoint>& from,
                   deadline until, const connection_options& options) {
  boost::system::error_code ec;
  attempt->socket.open(to.protocol(), ec);
  if (!ec && from) attempt->socket.bind(*from, ec);
  if (ec) {
    attempt->outcome.set_value(detail::from_asio(ec, "open/bind for connect"));
    return;
  }
  attempt->timer.expires_at(until);
  attempt->timer.async_wait([attempt](const boost::system::error_code& timer_ec) {
    if (timer_ec) return;  // cancelled: the connect finished first
    attempt->timed_out = true;
    boost::system::error_code ignored;
    attempt->socket.close(ignored);
  });
  const auto target = detail::to_endpoint(to).to_string();
  attempt->socket.async_connect(
      to, [&core, attempt, target, options](const boost::system::error_code& connect_ec) {
        attempt->timer.cancel();
        if (attempt->timed_out) {
          attempt->outcome.set_value(make_error(
              errc::timed_out, "connect to " + target + " did not finish by the deadline"));
        } else if (connect_ec) {
          attempt->outcome.set_value(detail::from_asio(connect_ec, "connect to " + target));
        } else {
          auto state =
              std::make_shared<detail::stream_state>(core, std::move(attempt->socket), options);
          state->start();
          attempt->outcome.set_value(std::move(state));
        }
      });
}

}  // namespace

result<tcp_connection> tcp_connect(host& h, const endpoint& to, deadline until,
                                   const connect_options& options) {
  auto address = detail::parse_address(to.address);
  if (!address) return address.error();
  std::optional<tcp::endpoint> from;
  if (!options.bind_address.empty()) {
    auto local = detail::parse_address(options.bind_address);
    if (!local) return local.error();
    from = tcp::endpoint(*local, 0);
  }
  auto& core = h.core();
  auto attempt = std::make_shared<detail::connect_attempt>(core.io());
  auto outcome = attempt->outcome.get_future();
  const tcp::endpoint target(*address, to.port);
  core.call([&] { start_connect(core, attempt, target, from, until, options.connection); });
  auto state = outcome.get();
  if (!state) return state.error();
  return tcp_connection(std::move(*state));
}

}  // namespace bcconform::peer
