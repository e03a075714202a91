// The DNS responder: dns_reply() decides, a udp_state carries the datagrams.
#include "bcconform/peer/dns_responder.hpp"

#include <condition_variable>
#include <mutex>

#include "udp_state.hpp"

namespace bcconform::peer {

namespace detail {

struct dns_shared {
  static constexpr std::size_t max_questions = 4096;  // the record of questions stays bounded

  mutable std::mutex m;
  mutable std::condition_variable handled;
  dns_zone zone;
  dns_behaviour behaviour = dns_behaviour::answer;
  std::vector<dns::question> questions;
  std::size_t datagrams = 0;
  std::size_t replies = 0;
  std::size_t ignored = 0;

  std::optional<std::string> on_datagram(std::string_view request) {
    std::lock_guard lock(m);
    ++datagrams;
    auto outcome = dns_reply(request, zone, behaviour);
    if (outcome.question && questions.size() < max_questions) {
      questions.push_back(std::move(*outcome.question));
    }
    ++(outcome.reply ? replies : ignored);
    handled.notify_all();
    return std::move(outcome.reply);
  }
};

}  // namespace detail

namespace {

constexpr std::size_t answer_size = 16;  // pointer 2, type 2, class 2, TTL 4, rdlength 2, A 4

/// A reply carrying the request's header fields and, when given, its question.
dns::message reply_for(const dns::message& request, dns::rcode code) {
  dns::message m;
  m.id = request.id;
  m.response = true;
  m.opcode = request.opcode;
  m.authoritative = true;
  m.recursion_desired = request.recursion_desired;
  m.recursion_available = true;  // it plays the module's configured (recursive) DNS server
  m.rcode = static_cast<std::uint8_t>(code);
  return m;
}

dns_outcome encoded(const dns::message& reply, std::optional<dns::question> q) {
  auto wire = dns::encode(reply);
  if (!wire) return {std::nullopt, std::move(q)};  // cannot happen for a decoded question
  return {std::move(*wire), std::move(q)};
}

/// The answer to one well-formed question (RFC 1035 §4.3.1 / RFC 2308 for NXDOMAIN/NODATA).
dns_outcome answer_question(const dns::message& request, const dns_zone& zone,
                            dns_behaviour behaviour) {
  const dns::question& q = request.questions.front();
  if (behaviour == dns_behaviour::drop) return {std::nullopt, q};
  dns::rcode code = dns::rcode::no_error;
  const auto* addresses = zone.find(q.name);
  if (behaviour == dns_behaviour::server_failure) {
    code = dns::rcode::server_failure;
  } else if (behaviour == dns_behaviour::refused || q.cls != dns::class_in) {
    code = dns::rcode::refused;
  } else if (!addresses) {
    code = dns::rcode::name_error;
  }
  dns::message reply = reply_for(request, code);
  reply.questions.push_back(q);
  if (code == dns::rcode::no_error && (q.type == dns::type_a || q.type == dns::type_any)) {
    for (const auto& a : *addresses) {
      reply.answers.push_back({q.name, dns::type_a, dns::class_in, zone.ttl,
                               std::string(reinterpret_cast<const char*>(a.data()), a.size())});
    }
  }
  return encoded(reply, q);
}

}  // namespace

result<void> dns_zone::set(std::string_view name, const std::vector<std::string>& ipv4_addresses) {
  const std::string key = dns::canonical_name(name);
  auto wire_name = dns::encode_name(key);
  if (!wire_name) return wire_name.error();
  const std::size_t size =
      dns::header_size + wire_name->size() + 4 + answer_size * ipv4_addresses.size();
  if (size > dns::max_udp_message) {
    return make_error(errc::too_large, std::to_string(ipv4_addresses.size()) + " addresses for \"" +
                                           key + "\" do not fit in a 512-byte reply");
  }
  std::vector<address> addresses;
  for (const auto& text : ipv4_addresses) {
    auto a = dns::parse_ipv4(text);
    if (!a) return a.error();
    addresses.push_back(*a);
  }
  names_[key] = std::move(addresses);
  return {};
}

void dns_zone::erase(std::string_view name) {
  names_.erase(dns::canonical_name(name));
}

const std::vector<dns_zone::address>* dns_zone::find(std::string_view name) const {
  const auto it = names_.find(dns::canonical_name(name));
  return it == names_.end() ? nullptr : &it->second;
}

dns_outcome dns_reply(std::string_view request, const dns_zone& zone, dns_behaviour behaviour) {
  // Too short for a header: there is no ID to answer to. A response: answering it could
  // start a loop between two servers. Both are dropped silently.
  if (request.size() < dns::header_size || (static_cast<unsigned char>(request[2]) & 0x80) != 0) {
    return {};
  }
  dns::message header;  // what the header alone tells, for error replies
  header.id = static_cast<std::uint16_t>(static_cast<unsigned char>(request[0]) << 8 |
                                         static_cast<unsigned char>(request[1]));
  header.opcode = static_cast<std::uint8_t>(static_cast<unsigned char>(request[2]) >> 3 & 0xF);
  header.recursion_desired = (static_cast<unsigned char>(request[2]) & 0x1) != 0;
  if (header.opcode != 0) return encoded(reply_for(header, dns::rcode::not_implemented), {});
  auto query = dns::decode(request);
  if (!query || query->questions.size() != 1) {
    return encoded(reply_for(header, dns::rcode::format_error), {});
  }
  return answer_question(*query, zone, behaviour);
}

dns_responder::dns_responder(std::shared_ptr<detail::udp_state> socket,
                             std::shared_ptr<detail::dns_shared> shared)
    : socket_(std::move(socket)), shared_(std::move(shared)) {
  ++socket_->core().live_objects;
}

result<dns_responder> dns_responder::start(host& h, const dns_options& options) {
  auto shared = std::make_shared<detail::dns_shared>();
  shared->zone.ttl = options.ttl;
  udp_options udp;
  udp.bind_address = options.bind_address;
  udp.port = options.port;
  auto socket = detail::udp_state::open(
      h.core(), udp, [shared](std::string_view request) { return shared->on_datagram(request); });
  if (!socket) return socket.error();
  return dns_responder(std::move(*socket), std::move(shared));
}

dns_responder::~dns_responder() {
  release();
}

dns_responder::dns_responder(dns_responder&& other) noexcept
    : socket_(std::move(other.socket_)), shared_(std::move(other.shared_)) {}

dns_responder& dns_responder::operator=(dns_responder&& other) noexcept {
  if (this != &other) {
    release();
    socket_ = std::move(other.socket_);
    shared_ = std::move(other.shared_);
  }
  return *this;
}

void dns_responder::release() noexcept {
  if (!socket_) return;
  socket_->close();
  --socket_->core().live_objects;
  socket_.reset();
  shared_.reset();
}

std::uint16_t dns_responder::port() const {
  return socket_ ? socket_->local().port : 0;
}
endpoint dns_responder::local_endpoint() const {
  return socket_ ? socket_->local() : endpoint{};
}

result<void> dns_responder::set_record(std::string_view name,
                                       const std::vector<std::string>& ipv4_addresses) {
  if (!shared_) return make_error(errc::not_open, "empty or moved-from dns_responder");
  std::lock_guard lock(shared_->m);
  return shared_->zone.set(name, ipv4_addresses);
}

void dns_responder::remove_record(std::string_view name) {
  if (!shared_) return;
  std::lock_guard lock(shared_->m);
  shared_->zone.erase(name);
}

void dns_responder::set_ttl(std::uint32_t seconds) {
  if (!shared_) return;
  std::lock_guard lock(shared_->m);
  shared_->zone.ttl = seconds;
}

void dns_responder::set_behaviour(dns_behaviour b) {
  if (!shared_) return;
  std::lock_guard lock(shared_->m);
  shared_->behaviour = b;
}

std::vector<dns::question> dns_responder::questions() const {
  if (!shared_) return {};
  std::lock_guard lock(shared_->m);
  return shared_->questions;
}

std::size_t dns_responder::datagrams() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->datagrams;
}

std::size_t dns_responder::replies() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->replies;
}

std::size_t dns_responder::ignored() const {
  if (!shared_) return 0;
  std::lock_guard lock(shared_->m);
  return shared_->ignored;
}

result<void> dns_responder::wait_for_datagrams(std::size_t count, deadline until) const {
  if (!shared_) return make_error(errc::not_open, "empty or moved-from dns_responder");
  std::unique_lock lock(shared_->m);
  if (shared_->handled.wait_until(lock, until, [&] { return shared_->datagrams >= count; })) {
    return {};
  }
  return make_error(errc::timed_out, std::to_string(shared_->datagrams) + " of " +
                                         std::to_string(count) +
                                         " DNS datagrams arrived before the deadline");
}

void dns_responder::close() {
  if (socket_) socket_->close();
}

}  // namespace bcconform::peer
