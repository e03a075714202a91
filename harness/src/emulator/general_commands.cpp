// General commands around the TCP/IP set (E57): AT, ATE, ATI, AT&W, AT+CGMR, AT+CGATT,
// AT+CGPADDR, AT+CMEE, AT+QSCLK, AT+QRST. The note documents only their use in its examples
// (AN 4.1.1, AN 4.4); forms follow the command table, behaviour emulator.md §1.2.
// Test forms without a handler here are answered from the table by interpreter.cpp.
#include <string>

#include "state.hpp"

namespace bcconform::emulator {
namespace {

using protocol::form;
using protocol::parsed_command;
using state = interpreter::state;

int int_value(const parsed_command& cmd, std::size_t i) {
  return static_cast<int>(integer_or_default(cmd, i));
}

// V.250 §5.2.1: "AT" alone answers OK.
void at_exec(state& s, const parsed_command&) {
  s.ok();
}

// V.250 §6.2.4: ATE0 / ATE1; "ATE" alone is ATE0. Live only: AT&W saves it (emulator.md §1.2).
void ate(state& s, const parsed_command& cmd) {
  const bool on = cmd.kind == form::set && int_value(cmd, 0) == 1;
  s.apply(cmd, [on](nvm_state& n) { n.echo = on; });
  s.ok();
}

// emulator.md §1.2: Quectel_Ltd / Quectel_<model> / Revision: <fw>, as profile data.
void ati(state& s, const parsed_command&) {
  std::vector<std::string> lines = s.prof.ati_lines;
  lines.push_back("Revision: " + s.prof.revision);
  s.info_lines(lines);
  s.ok();
}

// 3GPP TS 27.007 §5.3 in the BC66 shape (emulator.md §1.2).
void cgmr(state& s, const parsed_command&) {
  s.line_out("Revision: " + s.prof.revision);
  s.ok();
}

// emulator.md §1.2: AT&W (and AT&W0) saves the settings in effect, restored at every boot.
void atw(state& s, const parsed_command&) {
  s.nvm = s.live;
  s.ok();
}

// AN 4.1.1: "+CGATT: 1" once attached. The emulated network is always reachable, so the
// module starts attached; a detach takes the PDP context and every socket with it (AN 2.2.1:
// "closed" on a network-side loss) until AT+CGATT=1.
void cgatt_query(state& s, const parsed_command&) {
  s.line_out(std::string("+CGATT: ") + (s.attached ? "1" : "0"));
  s.ok();
}

void cgatt_set(state& s, const parsed_command& cmd) {
  const bool attach = int_value(cmd, 0) == 1;
  if (!attach && s.attached) drop_all_sockets(s, true);
  s.attached = attach;
  s.ok();
}

// AN 4.1.1: +CGPADDR: 1,"100.127.243.105" (quoted). Only context 1 carries the profile's
// address; a context without one is listed by its <cid> alone (3GPP TS 27.007 §10.1.14).
std::string cgpaddr_line(const state& s, int cid) {
  std::string l = "+CGPADDR: " + std::to_string(cid);
  if (cid == 1 && s.attached) l += ",\"" + s.prof.pdp_address + "\"";
  return l;
}

void cgpaddr_all(state& s, const parsed_command&) {
  s.line_out(cgpaddr_line(s, 1));
  s.ok();
}

void cgpaddr_set(state& s, const parsed_command& cmd) {
  s.line_out(cgpaddr_line(s, int_value(cmd, 0)));
  s.ok();
}

// 3GPP TS 27.007 §9.1. Live only: AT&W saves it (emulator.md §1.2).
void cmee_query(state& s, const parsed_command&) {
  s.line_out("+CMEE: " + std::to_string(s.live.cmee));
  s.ok();
}

void cmee_set(state& s, const parsed_command& cmd) {
  const int n = int_value(cmd, 0);
  s.apply(cmd, [n](nvm_state& v) { v.cmee = n; });
  s.ok();
}

// AN 4.4: AT+QSCLK=1 allows deep sleep once the host is idle (interpreter.cpp), 0 forbids it;
// saved like the XinYi build's "QSCLK" NV item (the table's nvm flag). 2 (light sleep) is
// accepted and has no visible effect.
void qsclk_query(state& s, const parsed_command&) {
  s.line_out("+QSCLK: " + std::to_string(s.live.qsclk));
  s.ok();
}

void qsclk_set(state& s, const parsed_command& cmd) {
  const int n = int_value(cmd, 0);
  s.apply(cmd, [n](nvm_state& v) { v.qsclk = n; });
  s.ok();
}

// emulator.md §1.2: AT+QRST=1 reboots at once; whether OK comes first is a profile knob.
void qrst(state& s, const parsed_command&) {
  if (s.prof.qrst_ok_before_reboot) s.ok();
  reboot_after_output(s);
}

}  // namespace

void register_general_commands(handler_registry& r) {
  r.add("", form::exec, at_exec);
  r.add("E", form::exec, ate);
  r.add("E", form::set, ate);
  r.add("I", form::exec, ati);
  r.add("+CGMR", form::exec, cgmr);
  r.add("&W", form::exec, atw);
  r.add("&W", form::set, atw);
  r.add("+CGATT", form::query, cgatt_query);
  r.add("+CGATT", form::set, cgatt_set);
  r.add("+CGPADDR", form::query, cgpaddr_all);
  r.add("+CGPADDR", form::exec, cgpaddr_all);
  r.add("+CGPADDR", form::set, cgpaddr_set);
  r.add("+CMEE", form::query, cmee_query);
  r.add("+CMEE", form::set, cmee_set);
  r.add("+QSCLK", form::query, qsclk_query);
  r.add("+QSCLK", form::set, qsclk_set);
  r.add("+QRST", form::set, qrst);
}

}  // namespace bcconform::emulator
