// The SNTP responder: sntp_reply() decides (RFC 4330 §5 server operations), a udp_state
// carries the datagrams.
#include "bcconform/peer/sntp_responder.hpp"

#include <condition_variable>
#include <mutex>

#include "bcconform/peer/sntp_message.hpp"
#include "udp_state.hpp"

namespace bcconform::peer {

namespace {

constexpr std::int8_t precision_log2 = -20;  // about a microsecond: what the reply claims

/// RFC 4330 §5: a server answers client-mode (3) requests; versions 1–4 are valid.
bool is_client_request(const result<sntp::packet>& p) {
  return p && p->mode == sntp::mode_client && p->version >= 1 && p->version <= 4;
}

}  // namespace

std::optional<std::string> sntp_reply(std::string_view request, const sntp_settings& settings) {
  const auto query = sntp::decode(request);
  if (!is_client_request(query) || settings.behaviour == sntp_behaviour::drop) {
    return std::nullopt;
  }
  const sntp::timestamp now = sntp::to_ntp(settings.time);
  sntp::packet reply;
  reply.version = query->version;  // §5: copied from the request
  reply.mode = sntp::mode_server;
  reply.poll = query->poll;  // §5: copied from the request
  reply.precision = precision_log2;
  reply.originate = query->transmit;  // §5: the request's transmit timestamp
  reply.receive = now;
  reply.transmit = now;
  if (settings.behaviour == sntp_behaviour::kiss_of_death) {
    // §8: stratum 0 and a kiss code in the reference identifier; the leap indicator says the
    // clock is unsynchronised, so a careful client rejects the reply on either ground.
    reply.leap = 3;
    reply.stratum = 0;
    reply.reference_id = sntp::reference_id("RATE");
  } else {
    reply.stratum = settings.stratum;
    reply.reference_id = sntp::reference_id("LOCL");  // §4: an uncalibrated local clock
    reply.reference = now;
  }
  return sntp::encode(reply);
}

namespace detail {

struct sntp_shared {
  mutable std::mutex m;
  mutable std::condition_variable handled;
  sntp_settings settings;
  std::size_t requests = 0;
  std::size_t replies = 0;
  std::size_t ignored = 0;

  std::optional<std::string> on_datagram(std::string_view request) {
    std::lock_guard lock(m);
    if (!is_client_request(sntp::decode(request))) {
      ++ignored;
      return std::nullopt;
    }
    ++requests;
    auto reply = sntp_reply(request, settings);
    if (reply) ++replies;
    handled.notify_all();
    return reply;
  }
};

}  // namespace detail

sntp_responder::sntp_responder(std::shared_ptr<detail::udp_state> socket,
                               std::shared_ptr<detail::sntp_shared> shared)
    : socket_(std::move(socket)), shared_(std::move(shared)) {
  ++socket_->core().live_objects;
}

result<sntp_responder> sntp_responder::start(host& h, const sntp_options& options) {
  auto shared = std::make_shared<detail::sntp_shared>();
  shared->settings = options.settings;
  udp_options udp;
  udp.bind_address = options.bind_address;
  udp.port = options.port;
  auto socket = detail::udp_state::open(
      h.core(), udp, [shared](std::string_view request) { return shared->on_datagram(request); });
  if (!socket) return socket.error();
  return sntp_responder(std::move(*socket), std::move(shared));
}

sntp_responder::~sntp_responder() {
  release();
}

sntp_responder::sntp_responder(sntp_responder&& other) noexcept
    : socket_(std::move(other.socket_)), shared_(std::move(other.shared_)) {}

sntp_responder& sntp_responder::operator=(sntp_responder&& other) noexcept {
  if (this != &other) {
    release();
    socket_ = std::move(other.socket_);
    shared_ = std::move(other.shared_);
  }
  return *this;
}

void sntp_responder::release() noexcept {
  if (!socket_) return;
  socket_->close();
  --socket_->core().live_objects;
  socket_.reset();
  shared_.reset();
}

std::uint16_t sntp_responder::port() const {
  return socket_ ? socket_->local().port : 0;
}
endpoint sntp_responder::local_endpoint() const {
  return socket_ ? socket_->local() : endpoint{};
}

void sntp_responder::set_time(std::chrono::system_clock::time_point t) {
  if (!shared_) return;
  std::lock_guard lock(shared_->m);
  shared_->settings.time = t;
}

void sntp_responder::set_behaviour(sntp_behaviour b) {
  if (!shared_) return;
  std::lock_guard lock(shared_->m);
  shared_->settings.behaviour = b;
}

std::size_t sntp_responder::requests() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->requests;
}

std::size_t sntp_responder::replies() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->replies;
}

std::size_t sntp_responder::ignored() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->ignored;
}

result<void> sntp_responder::wait_for_requests(std::size_t count, deadline until) const {
  if (!shared_) return make_error(errc::not_open, "empty or moved-from sntp_responder");
  std::unique_lock lock(shared_->m);
  if (shared_->handled.wait_until(lock, until, [&] { return shared_->requests >= count; })) {
    return {};
  }
  return make_error(errc::timed_out, std::to_string(shared_->requests) + " of " +
                                         std::to_string(count) +
                                         " SNTP requests arrived before the deadline");
}

void sntp_responder::close() {
  if (socket_) socket_->close();
}

}  // namespace bcconform::peer
