// Socket commands of AN 2.1: AT+QIOPEN, AT+QICLOSE, AT+QISTATE, AT+QIRD, AT+QISWTMD. The send
// commands and data mode are in socket_send.cpp, network events in socket_events.cpp.
//
// Argument ranges, counts and nesting have been checked against the command table before a
// handler runs (protocol::check_arguments); what remains here is the behaviour.
#include <string>
#include <vector>

#include "bcconform/protocol/decoders.hpp"
#include "socket_internal.hpp"

namespace bcconform::emulator {
namespace {

using detail::int_arg;
using detail::text_arg;
namespace qi_err = detail::qi_err;
using protocol::parsed_command;

service service_of(std::string_view text) {
  if (text == "UDP") return service::udp;
  if (text == "TCP LISTENER") return service::tcp_listener;
  if (text == "UDP SERVICE") return service::udp_service;
  return service::tcp;
}

bool is_server(service t) {
  return t == service::tcp_listener || t == service::udp_service;
}

// AN 2.1.1 note 5: a requested local port may not be used twice (E60: 574 "Port busy").
bool local_port_taken(const interpreter::state& s, int port) {
  for (const socket_slot& o : s.sockets) {
    if (o.in_use && o.type != service::tcp_incoming && o.requested_local_port == port) return true;
  }
  return false;
}

// --- AT+QIOPEN (AN 2.1.1) ----------------------------------------------------------------------

// Connects (or binds) once the remote address is known.
void connect_to(interpreter::state& s, int id, const std::string& ip) {
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  net_request r;
  r.socket = id;
  r.local_port = slot.requested_local_port;
  switch (slot.type) {
    case service::tcp:
      r.type = net_request::kind::tcp_connect;
      r.remote = {ip, slot.remote_port};
      break;
    case service::udp:
      r.type = net_request::kind::udp_open;
      r.remote = {ip, slot.remote_port};
      break;
    case service::udp_service:  // E3/E40 extension: bound, no fixed peer
      r.type = net_request::kind::udp_open;
      break;
    default:  // TCP LISTENER; TCP INCOMING is never opened by AT+QIOPEN
      r.type = net_request::kind::tcp_listen;
      break;
  }
  detail::request(s, r);
}

bool still_opening(const interpreter::state& s, int id, std::uint32_t generation) {
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  return slot.in_use && slot.generation == generation && slot.st == socket_state::connecting;
}

// AN 2.1.1 note 1: no +QIOPEN within 36 s (IP) / 176 s (name) → the open failed (E60: 569).
void open_timed_out(interpreter::state& s, int id, std::uint32_t generation) {
  if (!still_opening(s, id, generation)) return;
  detail::request(s, net_request::kind::close, id);
  detail::fail_open(s, id, qi_err::timeout);
}

// The answer to the name lookup of an open; nullptr: the lookup's deadline passed, which is
// the open's own, and its timer reports 569.
void on_open_resolved(interpreter::state& s, int id, std::uint32_t generation, const net_event* e) {
  if (e == nullptr || !still_opening(s, id, generation)) return;
  if (e->error != 0 || e->addresses.empty()) return detail::fail_open(s, id, qi_err::dns_failed);
  connect_to(s, id, e->addresses.front());
}

// A name is resolved through the AT+QIDNSCFG servers (AN 2.1.14) before the connect, within
// the open's deadline (176 s, AN 2.1.1 note 1).
void resolve_then_connect(interpreter::state& s, int id, std::uint32_t generation) {
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  net_request r;
  r.type = net_request::kind::dns_lookup;
  r.remote = {slot.remote_host, 0};
  r.dns_servers = detail::dns_servers(s);
  r.token = detail::await_within(
      s, *slot.open_deadline - s.now,
      [&s, id, generation](const net_event* e) { on_open_resolved(s, id, generation, e); });
  detail::request(s, std::move(r));
}

void start_open(interpreter::state& s, int id) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  const bool by_name = !is_server(slot.type) && !detail::is_ip_literal(slot.remote_host);
  const auto limit = by_name ? s.prof.qiopen_timeout_name : s.prof.qiopen_timeout_ip;
  slot.open_deadline = s.now + limit;
  const std::uint32_t generation = slot.generation;
  s.schedule(*slot.open_deadline, [&s, id, generation] { open_timed_out(s, id, generation); });
  if (by_name) {
    resolve_then_connect(s, id, generation);
  } else {
    connect_to(s, id, slot.remote_host);
  }
}

void on_qiopen(interpreter::state& s, const parsed_command& c) {
  const int id = int_arg(c, 1);
  const service type = service_of(text_arg(c, 2));
  const int local_port = int_arg(c, 5, 0);
  // AN 2.1.1 note 2 / E3: "UDP SERVICE" is documented but not supported by default.
  if (type == service::udp_service && !s.prof.udp_service_supported) {
    return s.error(qi_err::not_supported);
  }
  if (!s.attached) return s.error(qi_err::pdp_failed);  // AT+CGATT=0: no PDP context
  // The ID must be free; a UDP socket that survived deep sleep still holds it (AN 2.1.1 note 3).
  if (s.sockets[static_cast<std::size_t>(id)].in_use) return s.error(qi_err::id_in_use);
  if (local_port != 0 && local_port_taken(s, local_port)) return s.error(qi_err::port_busy);
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  slot = socket_slot{};
  slot.in_use = true;
  slot.type = type;
  slot.st = socket_state::connecting;
  slot.context_id = int_arg(c, 0, 1);
  slot.remote_host = std::string(text_arg(c, 3));
  slot.remote_port = static_cast<std::uint16_t>(is_server(type) ? 0 : int_arg(c, 4));
  slot.requested_local_port = static_cast<std::uint16_t>(local_port);
  slot.access_mode = int_arg(c, 6, 0);
  slot.generation = ++s.socket_generation;
  s.ok();  // AN 2.1.1: OK at once, +QIOPEN when the connect finishes (E7)
  start_open(s, id);
}

void on_qiopen_test(interpreter::state& s, const parsed_command&) {
  // E3: whether the list names "UDP SERVICE" is a profile choice.
  std::string line = "+QIOPEN: (1-3),(0-5),\"TCP/UDP/TCP LISTENER";
  line += s.prof.qiopen_test_lists_udp_service ? "/UDP SERVICE\"" : "\"";
  line += ",\"<IP_address>/<domain_name>\",<remote_port>[,<local_port>[,(0-1)[,(0-1)]]]";
  s.line_out(line);
  s.ok();
}

// --- AT+QICLOSE (AN 2.1.2) ---------------------------------------------------------------------

void on_qiclose(interpreter::state& s, const parsed_command& c) {
  const int id = int_arg(c, 0);
  socket_slot* slot = detail::open_slot(s, id);
  if (slot == nullptr) {
    // Closing an ID that is not open: ERROR + 567 on the XinYi build, OK + CLOSE OK on others.
    if (s.prof.qiclose_closed_id_is_error) return s.error(qi_err::socket_closed);
    s.ok();
    s.urc("CLOSE OK");
    return;
  }
  slot->st = socket_state::closing;  // E9: 3 while a local close is in progress
  detail::request(s, net_request::kind::close, id);
  s.ok();
  s.urc("CLOSE OK");  // AN 2.1.2: OK, then CLOSE OK (E39: deferred)
  detail::release(s, id);
}

// --- AT+QISTATE (AN 2.1.3) ---------------------------------------------------------------------

std::string qistate_line(const interpreter::state& s, int id) {
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  protocol::qistate_row row;
  row.connect_id = id;
  row.service_type = std::string(to_string(slot.type));
  // AN 2.1.3 <IP_address>: the remote server, the peer of an incoming connection, or for a
  // server the local address: the PDP address (E41), not what AT+QIOPEN named.
  row.ip = is_server(slot.type) ? s.prof.pdp_address : slot.remote_host;
  row.remote_port = slot.remote_port;
  row.local_port = slot.requested_local_port;  // E8: the requested port, 0 when automatic
  row.socket_state = static_cast<int>(slot.st);
  row.context_id = slot.context_id;
  row.access_mode = slot.access_mode;
  return protocol::encode_line(row);
}

bool listed(const interpreter::state& s, const socket_slot& slot) {
  // E11: incoming connections are listed unless the profile follows the XinYi build.
  return slot.in_use && (slot.type != service::tcp_incoming || s.prof.qistate_lists_incoming);
}

void list_sockets(interpreter::state& s, int context_id) {
  std::vector<std::string> rows;
  for (int id = 0; id <= protocol::protocol_limits::connect_id_max; ++id) {
    const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
    if (!listed(s, slot)) continue;
    if (context_id != 0 && slot.context_id != context_id) continue;
    rows.push_back(qistate_line(s, id));
  }
  if (!rows.empty()) s.info_lines(rows);
  s.ok();
}

void on_qistate_query(interpreter::state& s, const parsed_command&) {
  list_sockets(s, 0);
}

void on_qistate_set(interpreter::state& s, const parsed_command& c) {
  const int query_type = int_arg(c, 0);
  const int value = int_arg(c, 1);
  if (query_type == 0) return list_sockets(s, value);  // by <contextID>
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(value)];
  if (listed(s, slot)) s.line_out(qistate_line(s, value));
  s.ok();
}

// --- AT+QIRD (AN 2.1.5) ------------------------------------------------------------------------

// "+QIRD: <n>[,<remaining>]" + (CR LF | ",") + data + CR LF (E16); <remaining> is what is
// left of the node being read (AN 2.1.5 note 3, E18), shown iff showlength (AN 2.1.11 note 2).
std::string qird_answer(const interpreter::state& s, std::string_view data, std::size_t rest) {
  protocol::qird_header h;
  h.read_length = static_cast<int>(data.size());
  if (s.live.showlength == 1) h.remaining = static_cast<int>(rest);
  std::string out = "\r\n" + protocol::encode_line(h);
  out += s.live.viewmode == 1 ? "," : "\r\n";
  out += detail::wire_payload(s, data);
  out += "\r\n";
  return out;
}

void on_qird(interpreter::state& s, const parsed_command& c) {
  const int id = int_arg(c, 0);
  socket_slot* slot = detail::open_slot(s, id);
  if (slot == nullptr) return s.error(qi_err::socket_closed);
  // AN 2.1.5: only "TCP", "UDP", "TCP INCOMING" (E38); "UDP SERVICE" when supported (E40).
  if (slot->type == service::tcp_listener) return s.error(qi_err::not_allowed);
  if (slot->rx.empty()) {
    s.line_out("+QIRD: 0");  // E17, whatever showlength says
    return s.ok();
  }
  // One node at a time: a UDP datagram is never merged with the next (AN 2.1.5 note 3, E64).
  rx_node& node = slot->rx.front();
  const std::size_t avail = node.bytes.size() - node.read;
  const std::size_t n = std::min(avail, static_cast<std::size_t>(int_arg(c, 1, 1)));
  const std::string_view data = std::string_view(node.bytes).substr(node.read, n);
  s.write(qird_answer(s, data, avail - n));
  node.read += n;
  slot->rx_bytes -= n;
  if (node.read == node.bytes.size()) slot->rx.pop_front();
  detail::after_read(s, id);
  s.ok();
}

// --- AT+QISWTMD (AN 2.1.7) ---------------------------------------------------------------------

void on_qiswtmd(interpreter::state& s, const parsed_command& c) {
  const int id = int_arg(c, 0);
  socket_slot* slot = detail::open_slot(s, id);
  if (slot == nullptr) return s.error(qi_err::socket_closed);
  const int mode = int_arg(c, 1);
  const bool to_push = mode == 1 && slot->access_mode == 0;
  slot->access_mode = mode;  // E20: per socket, not saved to NVM
  s.ok();
  if (to_push) detail::flush_buffer_as_push(s, id);  // E62
}

void on_qiswtmd_query(interpreter::state& s, const parsed_command&) {
  s.ok();  // E21: no information
}

}  // namespace

void register_socket_commands(handler_registry& r) {
  using protocol::form;
  r.add("+QIOPEN", form::set, on_qiopen);
  r.add("+QIOPEN", form::test, on_qiopen_test);
  r.add("+QICLOSE", form::set, on_qiclose);
  r.add("+QISTATE", form::query, on_qistate_query);
  r.add("+QISTATE", form::set, on_qistate_set);
  r.add("+QIRD", form::set, on_qird);
  r.add("+QISWTMD", form::set, on_qiswtmd);
  r.add("+QISWTMD", form::query, on_qiswtmd_query);
  detail::register_send_commands(r);
}

}  // namespace bcconform::emulator
