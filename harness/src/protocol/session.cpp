#include "bcconform/protocol/session.hpp"

#include <optional>
#include <utility>

#include "bcconform/protocol/decoders.hpp"

namespace bcconform::protocol {
namespace {

constexpr char ctrl_z = 0x1A;                // sends data-mode input (AN 2.1.4)
constexpr char esc = 0x1B;                   // cancels data-mode input (AN 2.1.4)
constexpr char backspace = 0x08;             // V.250 §6.2.3, S5 default
constexpr std::size_t max_host_line = 4096;  // longer host "lines" are not commands
constexpr std::size_t max_data_echo = 4096;  // data-mode bytes kept for echo matching

// The value of the parameter called `name` in a checked command, if given as an integer.
std::optional<std::int64_t> int_arg(const parsed_command& cmd, std::string_view name) {
  if (cmd.variant == nullptr) return std::nullopt;
  const auto params = cmd.variant->params;
  for (std::size_t i = 0; i < params.size() && i < cmd.args.size(); ++i) {
    if (params[i].name == name && cmd.args[i].type == arg_value::kind::integer) {
      return cmd.args[i].number;
    }
  }
  return std::nullopt;
}

// The documented default of parameter `name` of the command's form, if any.
std::optional<std::int64_t> default_of(const parsed_command& cmd, std::string_view name) {
  if (cmd.variant == nullptr) return std::nullopt;
  for (const param_spec& p : cmd.variant->params) {
    if (p.name == name && p.has_default) return p.default_value;
  }
  return std::nullopt;
}

std::optional<int> connect_id_of(const parsed_command& cmd) {
  const auto v = int_arg(cmd, "connectID");
  if (!v || *v < protocol_limits::connect_id_min || *v > protocol_limits::connect_id_max) {
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

// AT+QISENDEX counts <send_length> in bytes but is typed as hex digits (E19): two per byte.
// Read from the table: the command's non-data-mode set form carries its data as quoted_hex.
std::int64_t wire_factor(const parsed_command& cmd) {
  for (const form_spec& f : cmd.spec->forms) {
    if (f.kind != form::set || f.data != data_mode::none || f.params.empty()) continue;
    if (f.params.back().type == param_type::quoted_hex) return 2;
  }
  return 1;
}

bool is(const parsed_command& cmd, std::string_view name, form f) {
  return cmd.spec != nullptr && cmd.spec->name == name && cmd.kind == f;
}

}  // namespace

session_tracker::session_tracker(event_sink& downstream, stream_context initial)
    : downstream_(downstream), ctx_(initial) {
  host_line_.reserve(max_host_line);
  host_raw_.reserve(max_host_line);
  echo_text_.reserve(max_host_line);
  data_echo_.reserve(max_data_echo);
}

void session_tracker::on_host_bytes(std::string_view bytes) {
  for (const char c : bytes) {
    // An LF right after a command's CR belongs to that line (V.250 §5.2.1), even when the
    // command enters data mode: it is not data.
    const bool lf_after_cr = std::exchange(after_cr_, c == '\r' && host_ == host_mode::command);
    if (c == '\n' && lf_after_cr) continue;
    if (host_ == host_mode::command) {
      on_command_byte(c);
    } else {
      on_data_byte(c);
    }
  }
  ctx_.pending_data_echo = data_echo_;
}

// The module echoes a command line as typed but executes it as edited (V.250 §5.2.2: S5,
// backspace, deletes the previous character); Ctrl+Z and Esc mean nothing outside data mode
// and are neither echoed nor kept (emulator.md §1.1).
void session_tracker::on_command_byte(char c) {
  if (c == '\r') {
    on_command_line(host_line_, host_raw_);
    host_line_.clear();
    host_raw_.clear();
    return;
  }
  // An LF where the edited line is empty starts a line and is dropped unechoed, as one right
  // after a CR (V.250 §5.2.1); "\b\n" (a backspace that deleted nothing) is such a place.
  if ((c == '\n' && host_line_.empty()) || c == ctrl_z || c == esc) return;
  if (host_raw_.size() < max_host_line) host_raw_ += c;
  if (c == backspace) {
    if (!host_line_.empty()) host_line_.pop_back();
  } else if (host_line_.size() < max_host_line) {
    host_line_ += c;
  }
}

void session_tracker::on_data_byte(char c) {
  host_ = host_mode::data;  // bytes written before the prompt arrived are data all the same
  const bool variable = data_remaining_ < 0;
  if (variable && (c == ctrl_z || c == esc)) {
    host_ = host_mode::command;
    return;
  }
  if (ctx_.echo && data_echo_.size() < max_data_echo) data_echo_ += c;
  if (!variable && --data_remaining_ == 0) host_ = host_mode::command;
}

void session_tracker::on_command_line(std::string_view line, std::string_view as_typed) {
  echo_text_.assign(as_typed);
  ctx_.command = {};
  ctx_.command.echo_text = ctx_.echo ? std::string_view(echo_text_) : std::string_view();
  auto parsed = parse_command_line(line);
  if (!parsed) {
    last_ = {};
    return;
  }
  last_ = std::move(*parsed);
  (void)check_arguments(last_);  // a refused command is still the one in flight
  ctx_.command.spec = last_.spec;
  ctx_.command.kind = last_.kind;
  ctx_.command.connect_id = connect_id_of(last_).value_or(-1);
  const data_mode dm = last_.variant != nullptr ? last_.variant->data : data_mode::none;
  ctx_.command.prompt_expected = dm != data_mode::none;
  if (dm == data_mode::none) return;
  host_ = host_mode::awaiting_prompt;
  const auto len = int_arg(last_, "send_length");
  const bool fixed = dm == data_mode::fixed_length && len && *len > 0;
  data_remaining_ = fixed ? *len * wire_factor(last_) : -1;
}

void session_tracker::on_event(const event& e) {
  downstream_.on_event(e);
  switch (e.kind) {
    case event_kind::echo:
      if (!ctx_.pending_data_echo.empty() && e.bytes.data() == ctx_.pending_data_echo.data()) {
        data_echo_.erase(0, e.bytes.size());
        ctx_.pending_data_echo = data_echo_;
      } else {
        ctx_.command.echo_text = {};
      }
      break;
    case event_kind::prompt:
      if (host_ == host_mode::awaiting_prompt) host_ = host_mode::data;
      break;
    case event_kind::final:
      on_final(e);
      break;
    case event_kind::urc:
      if (e.urc != nullptr && e.urc->id == urc_id::rdy) restart();
      if (e.urc != nullptr && e.urc->id == urc_id::incoming) {
        // A connection accepted by a listener is always in buffer mode (AN 2.2.5).
        if (auto in = decode_incoming(e.bytes);
            in && in->connect_id >= 0 && in->connect_id < stream_context::max_sockets) {
          ctx_.access[static_cast<std::size_t>(in->connect_id)] = access_mode::buffer;
        }
      }
      break;
    case event_kind::info:
      if (e.command != nullptr && e.command->name == "+QICFG") {
        // Both the set echo and the query answer state the current value (AN 2.1.11).
        if (auto cfg = decode_qicfg(e.bytes)) {
          apply_qicfg(cfg->key, cfg->value1, cfg->value2.value_or(0), cfg->value2.has_value());
        }
      }
      break;
    default:
      break;
  }
}

void session_tracker::on_final(const event& e) {
  data_echo_.clear();
  ctx_.pending_data_echo = {};
  if (e.final == nullptr || e.final->deferred) return;  // SEND OK / CLOSE OK: nothing in flight
  const bool ok = e.final->id == final_id::ok;
  const parsed_command& cmd = last_;
  if (ok && (is(cmd, "E", form::set) || is(cmd, "E", form::exec))) {
    // ATE0 / ATE1 (V.250 §6.2.4); a bare ATE (the exec form) is ATE0.
    ctx_.echo = !cmd.args.empty() && cmd.args.front().type == arg_value::kind::integer &&
                cmd.args.front().number == 1;
  }
  if (ok && (is(cmd, "+QIOPEN", form::set) || is(cmd, "+QISWTMD", form::set))) {
    const auto id = connect_id_of(cmd);
    const auto mode = int_arg(cmd, "access_mode");
    const auto chosen = mode ? mode : default_of(cmd, "access_mode");
    if (id && chosen) {
      ctx_.access[static_cast<std::size_t>(*id)] =
          *chosen == 1 ? access_mode::direct_push : access_mode::buffer;
    }
  }
  if (ok && is(cmd, "+QICFG", form::set) && !cmd.args.empty() &&
      cmd.args.front().type == arg_value::kind::integer) {
    const bool two = cmd.args.size() > 1 && cmd.args[1].type == arg_value::kind::integer;
    apply_qicfg(cmd.key, static_cast<int>(cmd.args[0].number),
                two ? static_cast<int>(cmd.args[1].number) : 0, two);
  }
  ctx_.command = {};
  host_ = host_mode::command;
  data_remaining_ = -1;
}

// RDY: the module (re)booted, so whatever the host had typed is gone and nothing is in flight.
void session_tracker::restart() {
  host_line_.clear();
  host_raw_.clear();
  data_echo_.clear();
  ctx_.pending_data_echo = {};
  ctx_.command = {};
  host_ = host_mode::command;
  data_remaining_ = -1;
}

void session_tracker::apply_qicfg(std::string_view key, int v1, int v2, bool has_v2) {
  if (key == "viewmode") {
    ctx_.viewmode = v1 == 1 ? 1 : 0;
  } else if (key == "showlength") {
    ctx_.showlength = v1 == 1;
  } else if (key == "dataformat" && has_v2) {
    ctx_.send_format = v1 == 1 ? data_format::hex : data_format::text;
    ctx_.recv_format = v2 == 1 ? data_format::hex : data_format::text;
  }
}

}  // namespace bcconform::protocol
