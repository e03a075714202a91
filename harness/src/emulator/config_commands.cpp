// TCP/IP configuration commands: AT+QICFG (AN 2.1.11), AT+QIGETERROR (AN 2.1.12),
// AT+QIKALIVE (AN 2.1.13), AT+QIDNSCFG (AN 2.1.14). Ranges and forms were checked against the
// command table before a handler runs; these check only what relates values to state.
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "state.hpp"

namespace bcconform::emulator {
namespace {

using protocol::form;
using protocol::parsed_command;
using state = interpreter::state;
using sv = std::string_view;

// AN 3 table 1 codes these handlers report.
constexpr int operation_not_supported = 555;
constexpr int open_pdp_failed = 561;

int int_value(const parsed_command& cmd, std::size_t i) {
  return static_cast<int>(integer_or_default(cmd, i));
}

// ---- AT+QICFG --------------------------------------------------------------------------------

std::string qicfg_line(const state& s, sv key) {
  std::string l = "+QICFG: \"" + std::string(key) + "\",";
  if (key == "dataformat") {
    l += std::to_string(s.live.send_format) + "," + std::to_string(s.live.recv_format);
  } else if (key == "viewmode") {
    l += std::to_string(s.live.viewmode);
  } else {
    l += std::to_string(s.live.showlength);
  }
  return l;
}

// Returns 0 or the AN 3 code refusing the values.
int qicfg_apply(state& s, const parsed_command& cmd) {
  if (cmd.key == "dataformat") {
    const int send = int_value(cmd, 0);
    const int recv = int_value(cmd, 1);
    // AN 2.1.11 note 1: <send_data_format> can only be text; hex goes through AT+QISENDEX (E58).
    if (send != 0) return operation_not_supported;
    s.apply(cmd, [send, recv](nvm_state& n) {
      n.send_format = send;
      n.recv_format = recv;
    });
  } else if (cmd.key == "viewmode") {
    const int v = int_value(cmd, 0);
    s.apply(cmd, [v](nvm_state& n) { n.viewmode = v; });
  } else {
    const int v = int_value(cmd, 0);
    s.apply(cmd, [v](nvm_state& n) { n.showlength = v; });
  }
  return 0;
}

// AN 2.1.11: values take effect at once and are saved to NVM (E34); the set form answers the
// value as the query does (E30, profile.qicfg_set_echoes_value); a key without values queries
// it (E32).
void qicfg_set(state& s, const parsed_command& cmd) {
  if (cmd.args.empty()) {
    s.line_out(qicfg_line(s, cmd.key));
    return s.ok();
  }
  if (const int err = qicfg_apply(s, cmd); err != 0) return s.error(err);
  if (s.prof.qicfg_set_echoes_value) s.line_out(qicfg_line(s, cmd.key));
  s.ok();
}

// ---- AT+QIGETERROR ---------------------------------------------------------------------------

std::string lower(sv text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// AN 2.1.12 / AN 4.8: "+QIGETERROR: 552, invalid parameters" — the code of the last TCP/IP
// command and its AN 3 table 1 description, in the profile's case and separator (E42).
// Reading does not change the code (E55).
void qigeterror(state& s, const parsed_command&) {
  const protocol::error_code_spec* spec = protocol::find_error_code(s.last_error);
  if (spec == nullptr) spec = protocol::find_error_code(550);  // "Unknown error"
  const sv description = spec != nullptr ? spec->description : sv("Unknown error");
  s.line_out("+QIGETERROR: " + std::to_string(s.last_error) + s.prof.qigeterror_separator +
             (s.prof.qigeterror_lower_case ? lower(description) : std::string(description)));
  s.ok();
}

// ---- AT+QIKALIVE -----------------------------------------------------------------------------

void qikalive_query(state& s, const parsed_command&) {
  const keepalive_settings& k = s.keepalive;
  s.line_out("+QIKALIVE: " + std::to_string(k.on ? 1 : 0) + "," + std::to_string(k.idle_s) + "," +
             std::to_string(k.interval_s) + "," + std::to_string(k.count));
  s.ok();
}

bool keeps_alive(const socket_slot& slot) {
  const bool tcp = slot.type == service::tcp || slot.type == service::tcp_incoming;
  const bool open = slot.st == socket_state::connecting || slot.st == socket_state::connected;
  return slot.in_use && tcp && open;
}

// AN 2.1.13: takes effect at once (on every open TCP socket; socket_commands applies it to
// later ones); omitted values take their defaults (note 2, E36). Not saved (no NVM clause).
void qikalive_set(state& s, const parsed_command& cmd) {
  s.keepalive = keepalive_settings{int_value(cmd, 0) == 1, int_value(cmd, 1), int_value(cmd, 2),
                                   int_value(cmd, 3)};
  for (std::size_t id = 0; id < s.sockets.size(); ++id) {
    if (!keeps_alive(s.sockets[id])) continue;
    net_request r;
    r.type = net_request::kind::set_keepalive;
    r.socket = static_cast<int>(id);
    r.keepalive = s.keepalive;
    s.host.request(r);
  }
  s.ok();
}

// ---- AT+QIDNSCFG -----------------------------------------------------------------------------

/// A decimal number of at most 5 digits, or -1.
int small_number(sv t) {
  if (t.empty() || t.size() > 5 || t.find_first_not_of("0123456789") != sv::npos) return -1;
  int n = 0;
  for (char c : t) n = n * 10 + (c - '0');
  return n;
}

bool valid_port(sv t) {
  const int n = small_number(t);
  return n >= 1 && n <= 65535;
}

bool valid_ipv4(sv t) {
  int parts = 0;
  for (;;) {
    const std::size_t dot = t.find('.');
    const sv part = t.substr(0, dot);
    const int n = small_number(part);
    if (part.size() > 3 || n < 0 || n > 255) return false;
    ++parts;
    if (dot == sv::npos) break;
    t.remove_prefix(dot + 1);
  }
  return parts == 4;
}

// Textual IPv6 has at least two colons ("::1"); hex digits, colons and an IPv4 tail only.
bool valid_ipv6(sv t) {
  return std::count(t.begin(), t.end(), ':') >= 2 &&
         t.find_first_not_of("0123456789abcdefABCDEF:.") == sv::npos;
}

// AN 2.1.14: an IP address. E59: also "<IPv4>:<port>" or "[<IPv6>]:<port>", so that a DNS server
// on a host port (a test's local responder) can be named.
bool valid_dns_server(sv t) {
  if (t.starts_with('[')) {
    const std::size_t close = t.find("]:");
    return close != sv::npos && valid_ipv6(t.substr(1, close - 1)) &&
           valid_port(t.substr(close + 2));
  }
  if (valid_ipv4(t) || valid_ipv6(t)) return true;
  const std::size_t colon = t.rfind(':');
  return colon != sv::npos && valid_ipv4(t.substr(0, colon)) && valid_port(t.substr(colon + 1));
}

void qidnscfg_query(state& s, const parsed_command&) {
  s.line_out("+QIDNSCFG: \"" + s.live.dns_primary + "\",\"" + s.live.dns_secondary + "\"");
  s.ok();
}

// AN 2.1.14: takes effect at once; only after registration ("模块成功注网后方可配置", 561
// while detached, E59). Not saved by itself — no NVM clause, unlike AN 2.1.11 — but AT&W
// saves it with the other settings (E59). An omitted or empty secondary server is cleared; an
// empty primary returns to the servers the network provides, the never-set state (E59), and
// takes no secondary.
void qidnscfg_set(state& s, const parsed_command& cmd) {
  if (!s.attached) return s.error(open_pdp_failed);
  const std::string primary = cmd.args[0].text;
  const std::string secondary = cmd.args.size() > 1 ? cmd.args[1].text : std::string();
  const bool primary_ok = primary.empty() ? secondary.empty() : valid_dns_server(primary);
  if (!primary_ok || (!secondary.empty() && !valid_dns_server(secondary))) {
    return s.error(552);  // AN 3: invalid parameters
  }
  s.apply(cmd, [&](nvm_state& n) {
    n.dns_primary = primary;
    n.dns_secondary = secondary;
  });
  s.ok();
}

}  // namespace

void register_config_commands(handler_registry& r) {
  r.add("+QICFG", form::set, qicfg_set);
  r.add("+QIGETERROR", form::exec, qigeterror);
  r.add("+QIKALIVE", form::query, qikalive_query);
  r.add("+QIKALIVE", form::set, qikalive_set);
  r.add("+QIDNSCFG", form::query, qidnscfg_query);
  r.add("+QIDNSCFG", form::set, qidnscfg_set);
}

}  // namespace bcconform::emulator
