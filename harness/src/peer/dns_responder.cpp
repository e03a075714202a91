// The DNS responder: dns_reply() decides, a udp_responder_core carries the datagrams.
#include "bcconform/peer/dns_responder.hpp"

#include <mutex>

#include "udp_responder_core.hpp"

namespace bcconform::peer {

namespace detail {

/// What the setters change and the reply function reads, under one lock.
struct dns_state {
  static constexpr std::size_t max_questions = 4096;  // the record of questions stays bounded

  mutable std::mutex m;
  dns_zone zone;
  dns_behaviour behaviour = dns_behaviour::answer;
  std::vector<dns::question> questions;

  /// Every datagram counts as a request: wait_for_datagrams() waits for any of them.
  udp_responder_core::verdict on_datagram(std::string_view request) {
    std::lock_guard lock(m);
    auto outcome = dns_reply(request, zone, behaviour);
    if (outcome.question && questions.size() < max_questions) {
      questions.push_back(std::move(*outcome.question));
    }
    return {std::move(outcome.reply), true};
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

dns_responder::dns_responder(std::shared_ptr<detail::udp_responder_core> core,
                             std::shared_ptr<detail::dns_state> state)
    : core_(std::move(core)), state_(std::move(state)) {}

result<dns_responder> dns_responder::start(host& h, const dns_options& options) {
  auto state = std::make_shared<detail::dns_state>();
  state->zone.ttl = options.ttl;
  auto core = detail::udp_responder_core::start(
      h.core(), options.bind_address, options.port,
      [state](std::string_view request) { return state->on_datagram(request); });
  if (!core) return core.error();
  return dns_responder(std::move(*core), std::move(state));
}

dns_responder::~dns_responder() = default;
dns_responder::dns_responder(dns_responder&&) noexcept = default;
dns_responder& dns_responder::operator=(dns_responder&&) noexcept = default;

std::uint16_t dns_responder::port() const {
  return core_ ? core_->local().port : 0;
}
endpoint dns_responder::local_endpoint() const {
  return core_ ? core_->local() : endpoint{};
}

result<void> dns_responder::set_record(std::string_view name,
                                       const std::vector<std::string>& ipv4_addresses) {
  if (!state_) return make_error(errc::not_open, "empty or moved-from dns_responder");
  std::lock_guard lock(state_->m);
  return state_->zone.set(name, ipv4_addresses);
}

void dns_responder::remove_record(std::string_view name) {
  if (!state_) return;
  std::lock_guard lock(state_->m);
  state_->zone.erase(name);
}

void dns_responder::set_ttl(std::uint32_t seconds) {
  if (!state_) return;
  std::lock_guard lock(state_->m);
  state_->zone.ttl = seconds;
}

void dns_responder::set_behaviour(dns_behaviour b) {
  if (!state_) return;
  std::lock_guard lock(state_->m);
  state_->behaviour = b;
}

std::vector<dns::question> dns_responder::questions() const {
  if (!state_) return {};
  std::lock_guard lock(state_->m);
  return state_->questions;
}

std::size_t dns_responder::datagrams() const {
  return core_ ? core_->count().datagrams : 0;
}

std::size_t dns_responder::replies() const {
  return core_ ? core_->count().replies : 0;
}

std::size_t dns_responder::ignored() const {
  if (!core_) return 0;
  const auto n = core_->count();
  return n.datagrams - n.replies;
}

result<void> dns_responder::wait_for_datagrams(std::size_t count, deadline until) const {
  if (!core_) return make_error(errc::not_open, "empty or moved-from dns_responder");
  return core_->wait_for_requests(count, until, "DNS datagrams");
}

void dns_responder::close() {
  if (core_) core_->close();
}

}  // namespace bcconform::peer
