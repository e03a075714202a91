#include "udp_responder_core.hpp"

#include <condition_variable>
#include <mutex>

#include "udp_state.hpp"

namespace bcconform::peer::detail {

struct udp_responder_core::tally {
  explicit tally(reply_function r) : reply(std::move(r)) {}

  /// Host thread. The reply function runs before the counts change, so whoever sees a count
  /// also sees what the protocol recorded for that datagram.
  std::optional<std::string> on_datagram(std::string_view datagram) {
    verdict v = reply(datagram);
    {
      std::lock_guard lock(m);
      ++n.datagrams;
      if (v.request) ++n.requests;
      if (v.reply) ++n.replies;
    }
    handled.notify_all();
    return std::move(v.reply);
  }

  const reply_function reply;
  mutable std::mutex m;
  mutable std::condition_variable handled;
  counts n;
};

udp_responder_core::udp_responder_core(std::shared_ptr<udp_state> socket, std::shared_ptr<tally> t)
    : socket_(std::move(socket)), tally_(std::move(t)) {
  ++socket_->core().live_objects;
}

result<std::shared_ptr<udp_responder_core>> udp_responder_core::start(
    host_core& host, const std::string& bind_address, std::uint16_t port, reply_function reply) {
  auto t = std::make_shared<tally>(std::move(reply));
  udp_options options;
  options.bind_address = bind_address;
  options.port = port;
  // The socket's callback shares the tally, so a datagram already on its way when the core
  // goes away still finds it.
  auto socket = udp_state::open(
      host, options, [t](std::string_view datagram) { return t->on_datagram(datagram); });
  if (!socket) return socket.error();
  return std::shared_ptr<udp_responder_core>(
      new udp_responder_core(std::move(*socket), std::move(t)));
}

udp_responder_core::~udp_responder_core() {
  socket_->close();
  --socket_->core().live_objects;
}

const endpoint& udp_responder_core::local() const noexcept {
  return socket_->local();
}

udp_responder_core::counts udp_responder_core::count() const {
  std::lock_guard lock(tally_->m);
  return tally_->n;
}

result<void> udp_responder_core::wait_for_requests(std::size_t count, deadline until,
                                                   std::string_view what) const {
  std::unique_lock lock(tally_->m);
  const std::size_t& requests = tally_->n.requests;
  if (tally_->handled.wait_until(lock, until, [&] { return requests >= count; })) return {};
  return make_error(errc::timed_out, std::to_string(requests) + " of " + std::to_string(count) +
                                         " " + std::string(what) + " arrived before the deadline");
}

void udp_responder_core::close() {
  socket_->close();
}

}  // namespace bcconform::peer::detail
