// The interpreter's entry points and the services its handlers share: host-byte line assembly,
// echo, dispatch through the command table and the handler registry, ordered output, timers,
// power, boot and reboot, deep sleep and wake, and the faults the interpreter injects itself.
//
// Time only moves through the entry points: each one first runs the timers due before its
// `now`, at their own times, then does its work, then runs what became due and hands the
// instant's output to the host in one write.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "state.hpp"

namespace bcconform::emulator {
namespace {

using protocol::form;

/// Longest command line kept, as the protocol's session tracker: longer input is not a command
/// and is refused with ERROR at its CR, without growing memory. The longest documented line
/// (AT+QISENDEX with 1024 hex digits) is about 1050 bytes.
constexpr std::size_t max_line = 4096;
/// Output is handed to the host whenever this much has accumulated (a 1 MB flood of echoed
/// garbage never sits in memory).
constexpr std::size_t flush_threshold = 4096;

/// Delayed output writes (answers and URCs not yet written) the module holds at most. A host
/// that sends command lines faster than delayed answers go out (profile.response_delay)
/// overruns the module: lines completed beyond this are dropped unanswered, like bytes into a
/// full UART. Other timers (ping and lookup deadlines, open timeouts) do not count: they are
/// bounded by the operations in flight, and a module busy pinging still answers commands.
constexpr std::size_t max_output_backlog = 256;

/// URC bytes held during data mode at most (E79).
constexpr std::size_t max_held_urc_bytes = 64 * 1024;

constexpr char ctrl_z = 0x1a;
constexpr char esc = 0x1b;
constexpr char backspace = 0x08;  // V.250 §6.2.3 (S5): deletes the previous character

char upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

/// The handlers of every command, built once; read-only afterwards.
const handler_registry& registry() {
  static const handler_registry r = [] {
    handler_registry reg;
    register_general_commands(reg);
    register_config_commands(reg);
    register_socket_commands(reg);
    register_net_commands(reg);
    return reg;
  }();
  return r;
}

/// A line that did not even parse may still name a TCP/IP command ("AT+QIOPEN=1,\"TCP"):
/// its refusal sets AT+QIGETERROR to 552 like any other bad argument (AN 4.8).
bool names_tcpip_command(std::string_view line) {
  if (line.size() < 4 || upper(line[0]) != 'A' || upper(line[1]) != 'T' || line[2] != '+') {
    return false;
  }
  const std::size_t end = std::min(line.find_first_of("=?", 2), line.size());
  std::string name;
  for (char c : line.substr(2, end - 2)) {
    if (c != ' ') name += upper(c);
  }
  const protocol::command_spec* spec = protocol::find_command(name);
  return spec != nullptr && spec->tcpip;
}

}  // namespace

std::string_view to_string(service s) noexcept {
  switch (s) {
    case service::tcp:
      return "TCP";
    case service::udp:
      return "UDP";
    case service::tcp_listener:
      return "TCP LISTENER";
    case service::tcp_incoming:
      return "TCP INCOMING";
    case service::udp_service:
      return "UDP SERVICE";
  }
  return "?";
}

// ---- handler registry ------------------------------------------------------------------------

void handler_registry::add(std::string_view name, protocol::form f, command_handler h) {
  map_[{std::string(name), f}] = std::move(h);
}

const command_handler* handler_registry::find(std::string_view name, protocol::form f) const {
  const auto it = map_.find({std::string(name), f});
  return it == map_.end() ? nullptr : &it->second;
}

std::int64_t integer_or_default(const protocol::parsed_command& cmd, std::size_t index) {
  if (index < cmd.args.size() && cmd.args[index].type == protocol::arg_value::kind::integer) {
    return cmd.args[index].number;
  }
  if (cmd.variant != nullptr && index < cmd.variant->params.size()) {
    const protocol::param_spec& p = cmd.variant->params[index];
    if (p.has_default) return p.default_value;
  }
  return 0;
}

// ---- state services --------------------------------------------------------------------------

interpreter::state::state(profile p, host_interface& h, nvm_state n, fault_options f)
    : prof(std::move(p)), host(h), nvm(n), live(std::move(n)), faults(f), rng(f.seed) {
  line.reserve(max_line);
  out.reserve(flush_threshold);
}

namespace {

void flush(interpreter::state& s) {
  if (s.out.empty()) return;
  s.host.write(s.out);
  s.out.clear();
}

void append_now(interpreter::state& s, std::string_view bytes) {
  if (!s.powered) return;
  s.out.append(bytes);
  if (s.out.size() >= flush_threshold) flush(s);
}

/// Writes `bytes` at `at` or, if earlier output is still scheduled, after it.
void emit_at(interpreter::state& s, timestamp at, std::string_view bytes) {
  if (!s.powered) return;
  at = std::max({at, s.now, s.out_tail});
  if (at <= s.now) {
    append_now(s, bytes);
    return;
  }
  s.out_tail = at;
  ++s.output_backlog;
  s.schedule(at, [&s, text = std::string(bytes)] {
    --s.output_backlog;
    append_now(s, text);
  });
}

std::string framed(std::string_view text) {
  std::string l;
  l.reserve(text.size() + 4);
  l += "\r\n";
  l += text;
  l += "\r\n";
  return l;
}

/// A final result line at now + profile.response_delay (after any output still scheduled).
void final_result(interpreter::state& s, std::string_view text) {
  const timestamp at = std::max(s.now + s.prof.response_delay, s.out_tail);
  s.last_result_at = at;
  emit_at(s, at, framed(text));
}

}  // namespace

void interpreter::state::write(std::string_view bytes) {
  emit_at(*this, now, bytes);
}

void interpreter::state::line_out(std::string_view text) {
  emit_at(*this, now, framed(text));
}

void interpreter::state::info_lines(const std::vector<std::string>& lines) {
  std::string block = "\r\n";
  for (const auto& l : lines) {
    block += l;
    block += "\r\n";
  }
  emit_at(*this, now, block);
}

void interpreter::state::ok() {
  final_result(*this, "OK");
}

// AN 3: a TCP/IP command's <err> is what AT+QIGETERROR reports, and TCP/IP commands answer a
// plain ERROR whatever AT+CMEE says (emulator.md §1.2). Other commands report `code` (when
// not 0) as +CME ERROR per AT+CMEE (3GPP TS 27.007 §9.1); syntax and argument errors pass 0
// and stay a plain ERROR (V.250 §5.7.1).
void interpreter::state::error(int code) {
  if (command_tcpip) {
    last_error = code;
    final_result(*this, "ERROR");
    return;
  }
  if (code == 0 || live.cmee == 0) {
    final_result(*this, "ERROR");
    return;
  }
  const protocol::error_code_spec* spec = protocol::find_error_code(code);
  if (live.cmee == 2 && spec != nullptr) {
    final_result(*this, "+CME ERROR: " + std::string(spec->description));
  } else {
    final_result(*this, "+CME ERROR: " + std::to_string(code));
  }
}

namespace {

// emulator.md §1.1: some drivers miss a URC written right behind a final result, so a URC keeps
// profile.urc_delay after the last one.
void emit_urc(interpreter::state& s, std::string_view text) {
  timestamp at = s.now;
  if (s.last_result_at) at = std::max(at, *s.last_result_at + s.prof.urc_delay);
  emit_at(s, at, framed(text));
}

/// Writes the URCs held during data mode, in the order they arose (E79).
void release_held_urcs(interpreter::state& s) {
  std::vector<std::string> held = std::move(s.held_urcs);
  s.held_urcs.clear();
  s.held_bytes = 0;
  for (const std::string& text : held) emit_urc(s, text);
}

}  // namespace

// E79: no URC between the data-mode prompt and the send's result; the held ones follow it. A
// peer flooding a direct-push socket while the host never ends its input cannot grow memory
// without bound: past max_held_urc_bytes everything held is written at once.
void interpreter::state::urc(std::string_view text) {
  if (data.active) {
    if (held_bytes + text.size() <= max_held_urc_bytes) {
      held_urcs.emplace_back(text);
      held_bytes += text.size();
      return;
    }
    release_held_urcs(*this);
  }
  emit_urc(*this, text);
}

void interpreter::state::schedule(timestamp at, std::function<void()> fn) {
  timers.push_back({std::max(at, now), timer_seq++, std::move(fn)});
}

std::uint32_t interpreter::state::await(std::function<void(const net_event&)> fn) {
  if (next_token == 0) next_token = 1;  // 0 never names an operation
  const std::uint32_t token = next_token++;
  awaiting[token] = std::move(fn);
  return token;
}

void interpreter::state::apply(const protocol::parsed_command& cmd,
                               const std::function<void(nvm_state&)>& set) {
  set(live);
  if (cmd.spec != nullptr && cmd.spec->nvm) set(nvm);
}

// ---- power, boot, sleep ----------------------------------------------------------------------

namespace {

/// Everything that does not survive a reboot or a power cycle (the saved settings do).
void reset_runtime(interpreter::state& s) {
  s.timers.clear();
  s.output_backlog = 0;
  s.awaiting.clear();
  s.net_busy = {};
  s.data = data_mode_state{};
  s.held_urcs.clear();
  s.held_bytes = 0;
  s.line.clear();
  s.line_overflow = false;
  s.swallow_lf = false;
  s.booting = false;
  s.sleeping = false;
  s.sleep_timer_armed = false;
  s.stalled = false;
  s.commands_seen = 0;
  s.last_error = 0;
  s.command_tcpip = false;
  s.attached = true;
  s.keepalive = keepalive_settings{};
  s.out_tail = s.now;
  s.last_result_at.reset();
}

void arm_sleep_timer(interpreter::state& s);

/// AN 4.4: +QATSLEEP (when the wake-up URCs are on, E44), then deep sleep: TCP sockets are
/// lost, UDP ones survive (AN 2.1.1 note 3).
void enter_sleep(interpreter::state& s) {
  if (s.live.wakeup_urcs) s.urc("+QATSLEEP");
  s.sleeping = true;
  s.line.clear();
  s.line_overflow = false;
  drop_sockets_for_sleep(s);
}

bool may_sleep(const interpreter::state& s) {
  return s.powered && !s.booting && !s.sleeping && !s.stalled && s.live.qsclk == 1;
}

void sleep_check(interpreter::state& s) {
  s.sleep_timer_armed = false;
  if (!may_sleep(s)) return;
  // Data mode is host activity in progress; its next byte arms the check again.
  if (s.data.active) return;
  if (s.now - s.last_activity >= s.prof.sleep_after) {
    enter_sleep(s);
  } else {
    arm_sleep_timer(s);
  }
}

/// One pending check at a time, however many bytes arrive (AN 4.4: idle for sleep_after).
void arm_sleep_timer(interpreter::state& s) {
  if (s.sleep_timer_armed || !may_sleep(s)) return;
  s.sleep_timer_armed = true;
  s.schedule(s.last_activity + s.prof.sleep_after, [&s] { sleep_check(s); });
}

/// emulator.md §1.2: the boot URCs ("RDY") profile.boot_time after power-on or reset.
void boot(interpreter::state& s) {
  s.powered = true;
  s.booting = true;
  s.live = s.nvm;
  s.schedule(s.now + s.prof.boot_time, [&s] {
    s.booting = false;
    for (const auto& u : s.prof.boot_urcs) s.urc(u);
    s.last_activity = s.now;
    arm_sleep_timer(s);
  });
}

void power_off(interpreter::state& s) {
  if (!s.powered) return;
  s.host.rebooted();
  drop_all_sockets(s, false);
  reset_runtime(s);
  s.powered = false;
}

void wake(interpreter::state& s) {
  if (!s.powered || s.booting) return;
  s.last_activity = s.now;
  if (!s.sleeping) return;  // a PSM_EINT pulse while awake only counts as activity
  s.sleeping = false;
  if (s.live.wakeup_urcs) s.urc("+QATWAKEUP");  // AN 4.4
  arm_sleep_timer(s);
}

}  // namespace

// A reboot (AT+QRST=1, the reset pin, an injected fault): the host drops its connections, every
// socket is gone without URCs, the saved settings come back and the module boots (RDY).
void interpreter::state::reboot() {
  if (!powered) return;
  host.rebooted();
  drop_all_sockets(*this, false);
  reset_runtime(*this);
  boot(*this);
}

void reboot_after_output(interpreter::state& s) {
  if (s.out_tail <= s.now) {
    s.reboot();  // bytes still in this call are not read: the module is booting
  } else {
    s.schedule(s.out_tail, [&s] { s.reboot(); });
  }
}

// ---- timers ----------------------------------------------------------------------------------

namespace {

/// Runs every timer due at or before `until`, in (at, seq) order, each at its own time. A timer
/// may schedule more or clear them all (a reboot): each is taken out before it runs.
void run_due(interpreter::state& s, timestamp until) {
  for (;;) {
    auto due = s.timers.end();
    for (auto it = s.timers.begin(); it != s.timers.end(); ++it) {
      if (it->at > until) continue;
      if (due == s.timers.end() || it->at < due->at || (it->at == due->at && it->seq < due->seq)) {
        due = it;
      }
    }
    if (due == s.timers.end()) break;
    auto fn = std::move(due->fn);
    s.now = std::max(s.now, due->at);
    s.timers.erase(due);
    fn();
  }
  s.now = std::max(s.now, until);
}

// ---- host bytes ------------------------------------------------------------------------------

void echo(interpreter::state& s, char c) {
  if (s.live.echo) append_now(s, std::string_view(&c, 1));
}

/// Echo of data-mode bytes (emulator.md §1.2: the XinYi BC25 build echoes them when echo is
/// on); the Ctrl+Z / Esc that end the variable-length mode are not data and are not echoed.
void echo_data(interpreter::state& s, char c) {
  if (!s.live.echo || !s.prof.data_mode_echo) return;
  if (s.data.fixed < 0 && (c == ctrl_z || c == esc)) return;
  append_now(s, std::string_view(&c, 1));
}

/// Answers a generic test form from the table: its documented information lines, then OK.
void answer_test_form(interpreter::state& s, const protocol::form_spec& f) {
  std::vector<std::string> lines;
  for (const auto& r : f.responses) {
    if (r.role == protocol::line_role::info) lines.emplace_back(r.format);
  }
  if (!lines.empty()) s.info_lines(lines);
  s.ok();
}

void dispatch(interpreter::state& s, protocol::parsed_command& cmd) {
  const bool checked = static_cast<bool>(protocol::check_arguments(cmd));
  if (cmd.spec == nullptr) return s.error(0);  // unknown command: ERROR (V.250 §5.7.1)
  s.command_tcpip = cmd.spec->tcpip;
  if (s.command_tcpip) s.last_error = 0;  // AN 3: the code of the last TCP/IP command
  // AN 4.8: a TCP/IP command with bad arguments answers ERROR and sets 552.
  if (!checked) return s.error(s.command_tcpip ? 552 : 0);
  if (const command_handler* h = registry().find(cmd.spec->name, cmd.kind)) return (*h)(s, cmd);
  if (cmd.kind == form::test) return answer_test_form(s, *cmd.variant);
  s.error(s.command_tcpip ? 555 : 0);  // documented but not emulated: "Operation not supported"
}

/// Faults of fault_options, counted in command lines since the last boot.
bool stalled_now(interpreter::state& s) {
  const int stall_after = s.faults.stall_after_commands;
  if (stall_after > 0 && s.commands_seen > stall_after) s.stalled = true;
  return s.stalled;
}

void maybe_fault_reboot(interpreter::state& s) {
  const int after = s.faults.reboot_after_commands;
  if (after <= 0 || s.commands_seen != after) return;
  reboot_after_output(s);  // after the answer of the Nth command
}

/// Answers the complete line in s.line (the caller clears it).
void answer_line(interpreter::state& s, bool overflow) {
  s.command_tcpip = false;
  if (overflow) return s.error(0);  // longer than any command: refused at its CR
  auto parsed = protocol::parse_command_line(s.line);
  if (parsed) return dispatch(s, *parsed);
  s.command_tcpip = names_tcpip_command(s.line);
  if (s.command_tcpip) s.last_error = 0;
  s.error(s.command_tcpip ? 552 : 0);
}

void end_of_line(interpreter::state& s) {
  s.swallow_lf = true;
  const bool overflow = s.line_overflow;
  s.line_overflow = false;
  if (!overflow && s.line.empty()) return;  // an empty line is ignored (V.250 §5.2.1)
  if (s.output_backlog >= max_output_backlog) {
    s.line.clear();  // overrun: see max_output_backlog
    return;
  }
  ++s.commands_seen;
  if (!stalled_now(s)) {
    answer_line(s, overflow);
    maybe_fault_reboot(s);
  }
  s.line.clear();
}

void command_byte(interpreter::state& s, char c) {
  const bool after_cr = s.swallow_lf;
  s.swallow_lf = false;
  // V.250 §5.2.1: LF after the CR is ignored (as is one at the start of a line).
  if (c == '\n' && (after_cr || (s.line.empty() && !s.line_overflow))) return;
  // Ctrl+Z / Esc outside data mode are ignored: hosts send a stray Ctrl+Z after fixed-length
  // data (emulator.md §1.1).
  if (c == ctrl_z || c == esc) return;
  echo(s, c);  // as typed, CR included
  if (c == '\r') return end_of_line(s);
  if (c == backspace) {
    if (!s.line.empty() && !s.line_overflow) s.line.pop_back();
    return;
  }
  if (s.line.size() < max_line) {
    s.line.push_back(c);
  } else {
    s.line_overflow = true;
  }
}

// Hosts send CR LF after a data-mode command too (RT-Thread's AT client and TinyGSM append
// "\r\n" to every command): the LF right after the command's CR is still the line end's and
// not the first data byte.
void data_byte(interpreter::state& s, char c) {
  const bool after_cr = s.swallow_lf;
  s.swallow_lf = false;
  if (c == '\n' && after_cr) return;
  echo_data(s, c);
  on_data_mode_byte(s, c);
  if (!s.data.active) release_held_urcs(s);  // after the send's result (E79)
}

void host_bytes(interpreter::state& s, std::string_view bytes) {
  for (const char c : bytes) {
    if (!s.powered || s.booting || s.sleeping) return;  // nothing read, nothing echoed
    if (s.data.active) {
      data_byte(s, c);
    } else {
      command_byte(s, c);
    }
  }
}

}  // namespace

// ---- entry points ----------------------------------------------------------------------------

namespace {

/// Runs what was due before `now`, at its own time, then moves the clock to `now`.
void begin(interpreter::state& s, timestamp now) {
  run_due(s, std::max(now, s.now));
}

void end(interpreter::state& s) {
  run_due(s, s.now);
  flush(s);
}

}  // namespace

interpreter::interpreter(profile p, host_interface& host, nvm_state nvm, fault_options faults)
    : s_(std::make_unique<state>(std::move(p), host, std::move(nvm), faults)) {}

interpreter::~interpreter() = default;

void interpreter::power_on(timestamp now) {
  begin(*s_, now);
  if (!s_->powered) boot(*s_);
  end(*s_);
}

void interpreter::on_host_bytes(timestamp now, std::string_view bytes) {
  state& s = *s_;
  begin(s, now);
  if (s.powered && !s.booting && !s.sleeping && !bytes.empty()) {
    s.last_activity = s.now;  // AN 4.4: host activity keeps the module awake
    host_bytes(s, bytes);
    arm_sleep_timer(s);
  }
  end(s);
}

void interpreter::on_net_event(timestamp now, const net_event& e) {
  state& s = *s_;
  begin(s, now);
  if (s.powered) {
    const bool by_token = e.type == net_event::kind::dns_result ||
                          e.type == net_event::kind::ping_reply ||
                          e.type == net_event::kind::ntp_result;
    if (!by_token) {
      on_socket_event(s, e);
    } else if (auto it = s.awaiting.find(e.token); it != s.awaiting.end()) {
      auto fn = std::move(it->second);
      s.awaiting.erase(it);  // the callback may await again
      fn(e);
    }  // else: the answer to an operation a reboot forgot
  }
  end(s);
}

void interpreter::on_control(timestamp now, control c) {
  state& s = *s_;
  begin(s, now);
  switch (c) {
    case control::wake:
      wake(s);
      break;
    case control::reset:
      s.reboot();
      break;
    case control::power_off:
      power_off(s);
      break;
    case control::power_on:
      if (!s.powered) boot(s);
      break;
    case control::drop_link:
      if (s.powered) drop_all_sockets(s, true);
      break;
  }
  end(s);
}

void interpreter::inject_urc(timestamp now, std::string_view text) {
  begin(*s_, now);
  s_->urc(text);
  end(*s_);
}

void interpreter::advance(timestamp now) {
  begin(*s_, now);
  end(*s_);
}

std::optional<timestamp> interpreter::next_deadline() const {
  std::optional<timestamp> next;
  for (const auto& t : s_->timers) {
    if (!next || t.at < *next) next = t.at;
  }
  return next;
}

const nvm_state& interpreter::nvm() const {
  return s_->nvm;
}
bool interpreter::asleep() const {
  return s_->sleeping;
}
bool interpreter::powered() const {
  return s_->powered;
}
const profile& interpreter::config() const {
  return s_->prof;
}

}  // namespace bcconform::emulator
