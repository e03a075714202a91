// The SNTP responder: sntp_reply() decides (RFC 4330 §5 server operations), a
// udp_responder_core carries the datagrams.
#include "bcconform/peer/sntp_responder.hpp"

#include <mutex>

#include "bcconform/peer/sntp_message.hpp"
#include "udp_responder_core.hpp"

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

/// What the setters change and the reply function reads, under one lock.
struct sntp_state {
  mutable std::mutex m;
  sntp_settings settings;

  /// Only client requests count as requests; anything else is ignored.
  udp_responder_core::verdict on_datagram(std::string_view request) {
    if (!is_client_request(sntp::decode(request))) return {std::nullopt, false};
    std::lock_guard lock(m);
    return {sntp_reply(request, settings), true};
  }
};

}  // namespace detail

sntp_responder::sntp_responder(std::shared_ptr<detail::udp_responder_core> core,
                               std::shared_ptr<detail::sntp_state> state)
    : core_(std::move(core)), state_(std::move(state)) {}

result<sntp_responder> sntp_responder::start(host& h, const sntp_options& options) {
  auto state = std::make_shared<detail::sntp_state>();
  state->settings = options.settings;
  auto core = detail::udp_responder_core::start(
      h.core(), options.bind_address, options.port,
      [state](std::string_view request) { return state->on_datagram(request); });
  if (!core) return core.error();
  return sntp_responder(std::move(*core), std::move(state));
}

sntp_responder::~sntp_responder() = default;
sntp_responder::sntp_responder(sntp_responder&&) noexcept = default;
sntp_responder& sntp_responder::operator=(sntp_responder&&) noexcept = default;

std::uint16_t sntp_responder::port() const {
  return core_ ? core_->local().port : 0;
}
endpoint sntp_responder::local_endpoint() const {
  return core_ ? core_->local() : endpoint{};
}

void sntp_responder::set_time(std::chrono::system_clock::time_point t) {
  if (!state_) return;
  std::lock_guard lock(state_->m);
  state_->settings.time = t;
}

void sntp_responder::set_behaviour(sntp_behaviour b) {
  if (!state_) return;
  std::lock_guard lock(state_->m);
  state_->settings.behaviour = b;
}

std::size_t sntp_responder::requests() const {
  return core_ ? core_->count().requests : 0;
}

std::size_t sntp_responder::replies() const {
  return core_ ? core_->count().replies : 0;
}

std::size_t sntp_responder::ignored() const {
  if (!core_) return 0;
  const auto n = core_->count();
  return n.datagrams - n.requests;
}

result<void> sntp_responder::wait_for_requests(std::size_t count, deadline until) const {
  if (!core_) return make_error(errc::not_open, "empty or moved-from sntp_responder");
  return core_->wait_for_requests(count, until, "SNTP requests");
}

void sntp_responder::close() {
  if (core_) core_->close();
}

}  // namespace bcconform::peer
