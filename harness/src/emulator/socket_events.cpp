// Network events for sockets → socket state and URCs (AN 1.2, AN 2.2): connects finishing,
// data arriving (buffer mode and direct push), peers closing, listeners accepting, sends
// completing; and the socket side of deep sleep, reboots and link drops.
#include <string>

#include "bcconform/protocol/decoders.hpp"
#include "socket_internal.hpp"

namespace bcconform::emulator {
namespace detail {

socket_slot* open_slot(interpreter::state& s, int id) {
  if (id < 0 || id > protocol::protocol_limits::connect_id_max) return nullptr;
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  return slot.in_use ? &slot : nullptr;
}

void release(interpreter::state& s, int id) {
  s.sockets[static_cast<std::size_t>(id)] = socket_slot{};
}

void apply_keepalive(interpreter::state& s, int id) {
  const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  if (!s.keepalive.on) return;
  if (slot.type != service::tcp && slot.type != service::tcp_incoming) return;
  net_request r;
  r.type = net_request::kind::set_keepalive;
  r.socket = id;
  r.keepalive = s.keepalive;
  request(s, r);
}

void fail_open(interpreter::state& s, int id, int err) {
  // E60: the slot is freed, and the URC's <err> is what AT+QIGETERROR reports (AN 3: "执行
  // TCP/IP AT 命令后返回的 <err>,具体的错误信息可以通过 AT+QIGETERROR 命令来查询").
  release(s, id);
  s.last_error = err;
  s.urc(protocol::encode_line(protocol::qiopen_result{id, err}));
}

void push(interpreter::state& s, int id, std::string_view bytes) {
  // AN 2.2.2 direct push, E2/E47: `+QIURC: "recv",<id>[,<len>]`, then CR LF (viewmode 0) or
  // "," (viewmode 1), then the data, then CR LF; the length iff showlength (AN 2.1.11 note 2).
  protocol::recv_urc header;
  header.connect_id = id;
  if (s.live.showlength == 1) header.length = static_cast<int>(bytes.size());
  std::string text = protocol::encode_line(header);
  text += s.live.viewmode == 1 ? "," : "\r\n";
  text += wire_payload(s, bytes);
  s.urc(text);
}

void flush_buffer_as_push(interpreter::state& s, int id) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  while (!slot.rx.empty()) {
    const rx_node& node = slot.rx.front();
    push(s, id, std::string_view(node.bytes).substr(node.read));
    slot.rx.pop_front();
  }
  slot.rx_bytes = 0;
  slot.recv_urc_pending = false;
  after_read(s, id);
}

void after_read(interpreter::state& s, int id) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  if (slot.rx.empty()) slot.recv_urc_pending = false;  // AN 1.2 note 1: drained → next URC
  // AN 2.2.3: reading resumes once there is room below the limit again.
  if (slot.paused && slot.rx_bytes < s.prof.buffer_limit) {
    slot.paused = false;
    request(s, net_request::kind::resume_reading, id);
  }
}

}  // namespace detail

namespace {

using detail::open_slot;
namespace qi_err = detail::qi_err;

void on_connected(interpreter::state& s, const net_event& e) {
  socket_slot* slot = open_slot(s, e.socket);
  if (slot == nullptr || slot->st != socket_state::connecting) return;  // late: already failed
  slot->st = socket_state::connected;  // a listener listening shows 2 as well (AN 4.3.1)
  slot->actual_local_port = e.local_port;
  slot->open_deadline.reset();
  detail::apply_keepalive(s, e.socket);
  s.urc(protocol::encode_line(protocol::qiopen_result{e.socket, 0}));
}

void on_failed(interpreter::state& s, const net_event& e) {
  const socket_slot* slot = open_slot(s, e.socket);
  if (slot == nullptr || slot->st != socket_state::connecting) return;
  // The host reports a chapter-3 code (a destination off the allow-list too); anything else
  // is a refused connection (E60: 566).
  const bool documented = e.error >= 550 && e.error <= 574;
  detail::fail_open(s, e.socket, documented ? e.error : qi_err::connect_failed);
}

// AN 1.2 / 2.1.5 / 2.2.2 buffer mode: keep the bytes, announce once until drained.
void buffer_received(interpreter::state& s, int id, std::string bytes) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  const std::size_t n = bytes.size();
  slot.rx.push_back(rx_node{std::move(bytes), 0});  // one node per datagram (AN 2.1.5 note 3)
  slot.rx_bytes += n;
  if (!slot.recv_urc_pending) {
    protocol::recv_urc u;
    u.connect_id = id;
    if (s.live.showlength == 1) u.length = static_cast<int>(n);  // E18: this node's length
    s.urc(protocol::encode_line(u));
    slot.recv_urc_pending = true;
  }
  // AN 2.2.3: at the limit, "buff full" and back-pressure: the host stops reading the socket,
  // so nothing is lost and nothing more is read until AT+QIRD makes room.
  const std::size_t limit = s.prof.buffer_limit;
  if (limit != 0 && slot.rx_bytes >= limit && !slot.paused) {
    slot.paused = true;
    detail::request(s, net_request::kind::pause_reading, id);
    protocol::recv_urc full;
    full.connect_id = id;
    full.buff_full = true;
    s.urc(protocol::encode_line(full));
  }
}

// E64: TCP bytes are kept and pushed in nodes of at most 1460 bytes (the TCP payload of a
// 1500-byte MTU); a UDP datagram is one node, whole.
constexpr std::size_t max_tcp_piece = 1460;

void on_received(interpreter::state& s, const net_event& e) {
  const socket_slot* slot = open_slot(s, e.socket);
  if (slot == nullptr || slot->type == service::tcp_listener) return;
  // A zero-length datagram carries nothing a URC or AT+QIRD could show (E64).
  if (e.bytes.empty()) return;
  const bool stream = slot->type == service::tcp || slot->type == service::tcp_incoming;
  const std::size_t piece = stream ? max_tcp_piece : e.bytes.size();
  for (std::size_t at = 0; at < e.bytes.size(); at += piece) {
    const std::string_view part = std::string_view(e.bytes).substr(at, piece);
    if (slot->access_mode == 1) {
      detail::push(s, e.socket, part);  // AN 2.2.2
    } else {
      buffer_received(s, e.socket, std::string(part));  // AN 2.1.5
    }
  }
}

// AN 2.2.1: the peer closed (or the connection broke): "closed" URC, state "remote closing"
// (E9, profile.remote_close_state); buffered data stays readable until AT+QICLOSE.
void remote_close(interpreter::state& s, int id) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  slot.st = static_cast<socket_state>(s.prof.remote_close_state);
  if (slot.send_in_flight) {  // its answer will not come any more
    slot.send_in_flight = false;
    slot.unsent = 0;
    s.urc("SEND FAIL");
  }
  s.urc(protocol::encode_line(protocol::closed_urc{id}));
}

void on_peer_gone(interpreter::state& s, const net_event& e) {
  const socket_slot* slot = open_slot(s, e.socket);
  if (slot == nullptr) return;
  if (slot->st == socket_state::connecting) {
    detail::fail_open(s, e.socket, qi_err::connect_failed);
    return;
  }
  if (slot->st != socket_state::connected) return;  // already closing or closed
  remote_close(s, e.socket);
}

// The free connect ID for an accepted connection: the highest (XinYi build) or the lowest.
int free_id(const interpreter::state& s) {
  constexpr int last = protocol::protocol_limits::connect_id_max;
  for (int i = 0; i <= last; ++i) {
    const int id = s.prof.incoming_lowest_free_id ? i : last - i;
    if (!s.sockets[static_cast<std::size_t>(id)].in_use) return id;
  }
  return -1;
}

void refuse_handle(interpreter::state& s, int handle) {
  net_request r;
  r.type = net_request::kind::close;
  r.handle = handle;
  detail::request(s, r);
}

// AN 2.2.5: a listener accepted a connection: a free ID, "TCP INCOMING", buffer mode;
// AN 2.2.4: no free ID → the connection is closed and "incoming full" reported.
void on_accepted(interpreter::state& s, const net_event& e) {
  const socket_slot* server = open_slot(s, e.socket);
  if (server == nullptr || server->type != service::tcp_listener) return refuse_handle(s, e.handle);
  const int id = free_id(s);
  if (id < 0) {
    refuse_handle(s, e.handle);
    return s.urc(protocol::encode_line(protocol::incoming_full_urc{}));
  }
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  slot = socket_slot{};
  slot.in_use = true;
  slot.type = service::tcp_incoming;
  slot.st = socket_state::connected;
  slot.context_id = server->context_id;
  slot.remote_host = e.from.host;
  slot.remote_port = e.from.port;
  slot.requested_local_port = server->requested_local_port;  // the port it was accepted on
  slot.actual_local_port = server->actual_local_port;
  slot.server_id = e.socket;
  slot.generation = ++s.socket_generation;
  net_request adopt;
  adopt.type = net_request::kind::adopt;
  adopt.socket = id;
  adopt.handle = e.handle;
  detail::request(s, adopt);
  detail::apply_keepalive(s, id);
  protocol::incoming_urc u;
  u.connect_id = id;
  u.server_id = e.socket;
  u.remote_ip = e.from.host;
  u.remote_port = e.from.port;
  s.urc(protocol::encode_line(u));
}

// SEND OK / SEND FAIL for the send in flight (AN 2.1.4; E15).
void on_send_done(interpreter::state& s, const net_event& e, bool ok) {
  socket_slot* slot = open_slot(s, e.socket);
  if (slot == nullptr || !slot->send_in_flight) return;
  slot->send_in_flight = false;
  slot->unsent = 0;
  s.urc(ok ? "SEND OK" : "SEND FAIL");
}

}  // namespace

void on_socket_event(interpreter::state& s, const net_event& e) {
  using k = net_event::kind;
  switch (e.type) {
    case k::connected:
      return on_connected(s, e);
    case k::failed:
      return on_failed(s, e);
    case k::received:
      return on_received(s, e);
    case k::peer_closed:
    case k::peer_reset:
      return on_peer_gone(s, e);
    case k::accepted:
      return on_accepted(s, e);
    case k::sent:
      return on_send_done(s, e, true);
    case k::send_failed:
      return on_send_done(s, e, false);
    case k::dns_result:
    case k::ping_reply:
    case k::ntp_result:
      return;  // answers to tokens: the interpreter hands them to their awaiting callbacks
  }
}

void drop_sockets_for_sleep(interpreter::state& s) {
  // AN 2.1.1 note 3, AN 4.4: TCP connections are gone after deep sleep and must be reopened;
  // UDP sockets keep their state and parameters (and their connect IDs stay taken).
  for (int id = 0; id <= protocol::protocol_limits::connect_id_max; ++id) {
    const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
    if (!slot.in_use || slot.survives_sleep()) continue;
    detail::request(s, net_request::kind::close, id);
    detail::release(s, id);
  }
}

void drop_all_sockets(interpreter::state& s, bool announce_closed) {
  for (int id = 0; id <= protocol::protocol_limits::connect_id_max; ++id) {
    const socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
    if (!slot.in_use) continue;
    if (!announce_closed) {  // reboot: the host drops its connections itself (rebooted())
      detail::release(s, id);
      continue;
    }
    // The link dropped (control drop_link): a reset by the network on each socket (AN 2.2.1);
    // an open still running fails with 570 "PDP context broken down".
    detail::request(s, net_request::kind::close, id);
    if (slot.st == socket_state::connecting) {
      detail::fail_open(s, id, qi_err::pdp_broken);
    } else if (slot.st == socket_state::connected) {
      remote_close(s, id);
    }
  }
  if (!announce_closed) {
    s.data = data_mode_state{};
    s.net_busy = {};  // a reboot forgets running pings and lookups with everything else
  }
}

}  // namespace bcconform::emulator
