// Sending: AT+QISEND (AN 2.1.4) and AT+QISENDEX (AN 2.1.6) in their three forms each, and the
// data mode that follows the `> ` prompt of the two data-mode forms.
//
//   =<id>,<len>,"<data>"  data on the command line        → OK, then SEND OK / SEND FAIL
//   =<id>                 `> `, data until Ctrl+Z (Esc cancels)
//   =<id>,<len>           `> `, exactly <len> bytes (QISENDEX: 2 x <len> hex digits, E19)
//
// SEND OK is asynchronous (E15): it follows the host's `sent` event, and a new send before it
// is refused (AN 4.1.2). Echo of data-mode bytes is the interpreter's (profile.data_mode_echo).
#include <string>

#include "socket_internal.hpp"

namespace bcconform::emulator {
namespace {

using detail::int_arg;
using detail::max_send_bytes;
using detail::text_arg;
namespace qi_err = detail::qi_err;
using protocol::parsed_command;

constexpr char ctrl_z = 0x1A;  // AN 2.1.4: sends
constexpr char esc = 0x1B;     // AN 2.1.4: cancels

/// Why socket `id` cannot take a send now (0: it can). Checked before the prompt and again
/// when data mode ends, since the peer may have closed meanwhile.
int send_refusal(interpreter::state& s, int id) {
  const socket_slot* slot = detail::open_slot(s, id);
  if (slot == nullptr) return qi_err::socket_closed;
  // AN 2.1.4 note 3, AN 2.1.6 note 2: not on "TCP LISTENER" / "UDP SERVICE".
  if (slot->type == service::tcp_listener || slot->type == service::udp_service) {
    return qi_err::not_allowed;
  }
  // AN 2.1.4: "若连接未建立,异常断开 ... ERROR" (not yet connected, or closed by the peer).
  if (slot->st != socket_state::connected) return qi_err::socket_closed;
  if (slot->send_in_flight) return qi_err::busy;  // AN 4.1.2, E15
  return 0;
}

/// OK, then the bytes go to the host; SEND OK or SEND FAIL follows its answer.
void start_send(interpreter::state& s, int id, std::string bytes) {
  socket_slot& slot = s.sockets[static_cast<std::size_t>(id)];
  s.ok();
  // AN 2.1.4: "发送缓存已满 → OK, SEND FAIL" when the unsent bytes would pass the limit.
  const std::size_t limit = s.prof.send_buffer_limit;
  if (limit != 0 && slot.unsent + bytes.size() > limit) {
    s.urc("SEND FAIL");
    return;
  }
  slot.send_in_flight = true;
  slot.unsent += bytes.size();
  net_request r;
  r.type = net_request::kind::send;
  r.socket = id;
  r.bytes = std::move(bytes);  // UDP: one datagram
  detail::request(s, std::move(r));
}

void enter_data_mode(interpreter::state& s, int id, bool hex, std::int64_t fixed_bytes) {
  s.data = data_mode_state{};
  s.data.active = true;
  s.data.socket = id;
  s.data.hex = hex;
  s.data.fixed = fixed_bytes < 0 ? -1 : fixed_bytes * (hex ? 2 : 1);  // E19: wire characters
  s.data.buffer.reserve(static_cast<std::size_t>(s.data.fixed > 0 ? s.data.fixed : 64));
  s.write("\r\n> ");  // AN 2.1.4 "> <data>"; the bytes are E61's
}

void on_send(interpreter::state& s, const parsed_command& c, bool hex) {
  const int id = int_arg(c, 0);
  if (const int err = send_refusal(s, id); err != 0) return s.error(err);
  const auto mode = c.variant != nullptr ? c.variant->data : protocol::data_mode::none;
  switch (mode) {
    case protocol::data_mode::none: {
      // check_arguments() has matched <send_length> with the data (E19 for hex).
      std::string bytes(text_arg(c, 2));
      if (hex) bytes = detail::from_hex(bytes).value_or(std::string());
      return start_send(s, id, std::move(bytes));
    }
    case protocol::data_mode::until_ctrl_z:
      return enter_data_mode(s, id, hex, -1);
    case protocol::data_mode::fixed_length:
      return enter_data_mode(s, id, hex, int_arg(c, 1));
  }
}

void on_qisend(interpreter::state& s, const parsed_command& c) {
  on_send(s, c, false);  // E14: text only
}

void on_qisendex(interpreter::state& s, const parsed_command& c) {
  on_send(s, c, true);
}

/// Largest input kept in the Ctrl+Z form: 512 bytes, typed as 1024 hex digits for QISENDEX
/// (E12). One character more is kept to know the limit was passed (E61).
std::size_t ctrl_z_capacity(const data_mode_state& d) {
  return max_send_bytes * (d.hex ? 2 : 1) + 1;
}

/// Data mode is over: decode, check, send (AN 2.1.4, 2.1.6).
void finish_data_mode(interpreter::state& s) {
  const data_mode_state d = std::move(s.data);
  s.data = data_mode_state{};
  std::string bytes = d.buffer;
  if (d.hex) {
    auto decoded = detail::from_hex(d.buffer);
    if (!decoded) return s.error(qi_err::invalid_parameters);  // E61
    bytes = std::move(*decoded);
  }
  if (bytes.size() > max_send_bytes) return s.error(qi_err::invalid_parameters);  // E12, E61
  if (bytes.empty()) {
    s.urc("SEND FAIL");  // AN 2.1.4 note 4: empty data → SEND FAIL at once
    return;
  }
  if (const int err = send_refusal(s, d.socket); err != 0) return s.error(err);
  start_send(s, d.socket, std::move(bytes));
}

void cancel_data_mode(interpreter::state& s) {
  s.data = data_mode_state{};
  // E13: Esc cancels; ERROR + 571 "Cancel send" by default, OK with nothing sent otherwise.
  if (s.prof.esc_cancel_is_error) return s.error(qi_err::cancel_send);
  s.ok();
}

}  // namespace

namespace detail {

void register_send_commands(handler_registry& r) {
  r.add("+QISEND", protocol::form::set, on_qisend);
  r.add("+QISENDEX", protocol::form::set, on_qisendex);
}

}  // namespace detail

void on_data_mode_byte(interpreter::state& s, char c) {
  data_mode_state& d = s.data;
  if (!d.active) return;
  if (d.fixed >= 0) {
    // Fixed length: every byte is data, CR, LF, NUL, Ctrl+Z and Esc included (AN 2.1.4).
    d.buffer += c;
    if (--d.fixed == 0) finish_data_mode(s);
    return;
  }
  if (c == ctrl_z) return finish_data_mode(s);
  if (c == esc) return cancel_data_mode(s);
  // Input past the limit is not kept (memory stays bounded); the send is refused at Ctrl+Z.
  if (d.buffer.size() < ctrl_z_capacity(d)) d.buffer += c;
}

}  // namespace bcconform::emulator
