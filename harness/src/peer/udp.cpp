#include <boost/asio/ip/udp.hpp>

#include "bcconform/peer/udp.hpp"
#include "udp_state.hpp"

namespace bcconform::peer {
namespace detail {

namespace {
constexpr std::size_t max_datagram = 65536;
}

udp_state::udp_state(host_core& core, udp::socket socket, const udp_options& options, responder r)
    : core_(core),
      socket_(std::move(socket)),
      options_(options),
      responder_(std::move(r)),
      buffer_(max_datagram) {
  boost::system::error_code ec;
  if (auto ep = socket_.local_endpoint(ec); !ec) local_ = to_endpoint(ep);
}

result<std::shared_ptr<udp_state>> udp_state::open(host_core& core, const udp_options& options,
                                                   responder r) {
  auto address = parse_address(options.bind_address);
  if (!address) return address.error();
  const udp::endpoint ep(*address, options.port);
  return core.call([&]() -> result<std::shared_ptr<udp_state>> {
    udp::socket socket(core.io());
    boost::system::error_code ec;
    socket.open(ep.protocol(), ec);
    if (!ec) socket.bind(ep, ec);
    if (ec) return from_asio(ec, "bind UDP " + to_endpoint(ep).to_string());
    auto state = std::make_shared<udp_state>(core, std::move(socket), options, std::move(r));
    state->receive_next();
    return state;
  });
}

void udp_state::receive_next() {
  socket_.async_receive_from(
      asio::buffer(buffer_), sender_,
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_receive(ec, n);
      });
}

void udp_state::on_receive(const boost::system::error_code& ec, std::size_t n) {
  if (ec) {
    // An ICMP error from an earlier send_to can surface here; it concerns that send, not
    // this socket, so keep receiving. Anything else ends reception.
    namespace ae = asio::error;
    if (ec == ae::connection_refused || ec == ae::connection_reset || ec == ae::host_unreachable ||
        ec == ae::network_unreachable) {
      receive_next();
      return;
    }
    {
      std::lock_guard lock(m_);
      if (!closed_) failure_ = from_asio(ec, "receive");
    }
    cv_.notify_all();
    return;
  }
  std::string bytes(buffer_.data(), n);
  if (responder_) {
    if (auto answer = responder_(bytes)) reply(std::move(*answer), sender_);
  } else {
    {
      std::lock_guard lock(m_);  // recorded before any echo, so the record never lags it
      datagram d{bytes, to_endpoint(sender_)};
      if (record_bytes_ + d.bytes.size() <= options_.max_record_bytes) {
        record_bytes_ += d.bytes.size();
        record_.push_back(d);
      }
      if (!options_.echo) {  // an echoed datagram is answered below, not queued
        if (queue_.size() < options_.max_queued) {
          queue_.push_back(std::move(d));
        } else {
          ++dropped_;
        }
      }
    }
    if (options_.echo) reply(std::move(bytes), sender_);
  }
  cv_.notify_all();
  receive_next();
}

void udp_state::reply(std::string bytes, const udp::endpoint& to) {
  auto owned = std::make_shared<std::string>(std::move(bytes));
  // Fire and forget: a lost reply is what UDP allows, and the other side times out.
  socket_.async_send_to(asio::buffer(*owned), to,
                        [owned](const boost::system::error_code&, std::size_t) {});
}

result<void> udp_state::send_to(std::string_view bytes, const endpoint& to, deadline until) {
  auto address = parse_address(to.address);
  if (!address) return address.error();
  const udp::endpoint target(*address, to.port);
  auto owned = std::make_shared<std::string>(bytes);
  auto done = std::make_shared<std::promise<result<void>>>();
  auto outcome = done->get_future();
  core_.call([&] {
    {
      std::lock_guard lock(m_);
      if (closed_) {
        done->set_value(make_error(errc::not_open, "send_to on a closed UDP peer"));
        return;
      }
    }
    socket_.async_send_to(
        asio::buffer(*owned), target,
        [owned, done, target](const boost::system::error_code& ec, std::size_t) {
          if (ec) {
            done->set_value(from_asio(ec, "send_to " + to_endpoint(target).to_string()));
          } else {
            done->set_value({});
          }
        });
  });
  if (outcome.wait_until(until) != std::future_status::ready) {
    return make_error(errc::timed_out, "send_to " + to.to_string() + " did not finish in time");
  }
  return outcome.get();
}

result<datagram> udp_state::receive(deadline until) {
  std::unique_lock lock(m_);
  cv_.wait_until(lock, until, [&] { return !queue_.empty() || closed_ || failure_; });
  if (queue_.empty()) {
    if (closed_) return make_error(errc::not_open, "receive on a closed UDP peer");
    if (failure_) return *failure_;
    return make_error(errc::timed_out,
                      "no datagram arrived at " + local_.to_string() + " before the deadline");
  }
  datagram d = std::move(queue_.front());
  queue_.pop_front();
  return d;
}

std::vector<datagram> udp_state::record() const {
  std::lock_guard lock(m_);
  return record_;
}

std::size_t udp_state::dropped() const {
  std::lock_guard lock(m_);
  return dropped_;
}

void udp_state::close() {
  core_.call([&] {
    boost::system::error_code ignored;
    socket_.close(ignored);
    std::lock_guard lock(m_);
    closed_ = true;
  });
  cv_.notify_all();
}

}  // namespace detail

udp_peer::udp_peer(std::shared_ptr<detail::udp_state> state) : state_(std::move(state)) {
  ++state_->core().live_objects;
}

result<udp_peer> udp_peer::open(host& h, const udp_options& options) {
  auto state = detail::udp_state::open(h.core(), options);
  if (!state) return state.error();
  return udp_peer(std::move(*state));
}

udp_peer::~udp_peer() {
  release();
}

udp_peer::udp_peer(udp_peer&& other) noexcept : state_(std::move(other.state_)) {}

udp_peer& udp_peer::operator=(udp_peer&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void udp_peer::release() noexcept {
  if (!state_) return;
  state_->close();
  --state_->core().live_objects;
  state_.reset();
}

std::uint16_t udp_peer::port() const {
  return state_ ? state_->local().port : 0;
}
endpoint udp_peer::local_endpoint() const {
  return state_ ? state_->local() : endpoint{};
}

result<void> udp_peer::send_to(std::string_view bytes, const endpoint& to, deadline until) {
  if (!state_) return make_error(errc::not_open, "empty or moved-from udp_peer");
  return state_->send_to(bytes, to, until);
}

result<datagram> udp_peer::receive(deadline until) {
  if (!state_) return make_error(errc::not_open, "empty or moved-from udp_peer");
  return state_->receive(until);
}

std::vector<datagram> udp_peer::received() const {
  return state_ ? state_->record() : std::vector<datagram>{};
}

std::size_t udp_peer::dropped() const {
  return state_ ? state_->dropped() : 0;
}

void udp_peer::close() {
  if (state_) state_->close();
}

}  // namespace bcconform::peer
