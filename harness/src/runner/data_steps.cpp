// prompt, data and payload: data mode (AN 2.1.4, 2.1.6) and direct-push payloads (AN 2.2.2).
#include "bcconform/protocol/transcript.hpp"
#include "matching.hpp"
#include "steps.hpp"

namespace bcconform::runner::detail {
namespace {

constexpr char ctrl_z = 0x1A;  // AN 2.1.4: sends the data typed after `> `
constexpr char esc = 0x1B;     // AN 2.1.4: cancels the send

// AN 2.1.4: the form without <send_length> reads data until Ctrl+Z; the fixed-length form ends
// by itself after <send_length> bytes, so `auto` adds nothing to it.
std::string terminator(scenario::data_step::end e, const sent_command* cmd) {
  using end = scenario::data_step::end;
  switch (e) {
    case end::ctrl_z:
      return std::string(1, ctrl_z);
    case end::esc:
      return std::string(1, esc);
    case end::none:
      return {};
    case end::automatic:
      break;
  }
  const bool fixed = cmd != nullptr && cmd->data_mode == protocol::data_mode::fixed_length;
  return fixed ? std::string() : std::string(1, ctrl_z);
}

}  // namespace

step_outcome run_prompt(const scenario::prompt_step& s, run_state& st) {
  const sent_command* cmd = st.link.in_flight();
  if (cmd == nullptr) {
    if (st.link.failure()) return link_down(st.link);
    return step_outcome::error("`prompt` without a command in flight: no `send` precedes it");
  }
  const sent_command copy = *cmd;
  const auto budget = s.timeout.value_or(default_prompt_budget);
  auto& q = st.link.responses();
  // The first element after the command's own echo decides.
  const auto first = [&q, &copy] {
    auto it = q.begin();
    while (it != q.end() && own_echo(*it, copy)) ++it;
    return it;
  };
  const auto status =
      st.link.wait([&] { return first() != q.end(); }, st.link.now() + budget, st.interruptible);
  if (status != module_link::wait_status::ready) {
    return not_ready(status, st.link,
                     "no data-mode prompt for " + protocol::escape_bytes(copy.line) + " within " +
                         format_duration(budget),
                     "> ", "(nothing)");
  }
  const auto it = first();
  if (it->kind != protocol::event_kind::prompt) {
    return step_outcome::fail(
        "the module answered " + protocol::escape_bytes(copy.line) + " without a prompt", "> ",
        render(*it));
  }
  q.erase(q.begin(), it + 1);
  return step_outcome::success();
}

step_outcome run_data(const scenario::data_step& s, run_state& st) {
  auto bytes = expand_bytes(s.bytes, st.vars);
  if (!bytes) return step_outcome::error(bytes.error().detail);
  const std::string all = *bytes + terminator(s.terminator, st.link.latest());
  auto r = st.link.send_data(all, st.link.now() + write_budget);
  if (r) return step_outcome::success();
  if (st.link.failure()) return link_down(st.link);
  return step_outcome::error("could not write " + std::to_string(all.size()) +
                             " data-mode bytes within " + format_duration(write_budget) + ": " +
                             r.error().detail);
}

// The payload arrives with its header: the `urc` step that claimed the header waited for both
// (module_link releases a header only with its payload), so there is nothing to wait for here.
step_outcome run_payload(const scenario::payload_step& s, run_state& st) {
  if (!st.last_claimed) {
    return step_outcome::error("`payload` without a line claimed by a `urc` step before it");
  }
  const module_line& l = *st.last_claimed;
  const payload_expectation want = payload_of(s);
  if (!l.payload || st.payload_taken) {
    return step_outcome::fail(
        "the line claimed last carries no payload" + std::string(st.payload_taken ? " left" : ""),
        describe(want), render(l));
  }
  const std::string data = payload_data(*l.payload, l.payload_format == protocol::data_format::hex);
  auto m = match_payload(want, data, st.vars);
  if (m.result == match_outcome::status::error) return step_outcome::error(m.detail);
  if (!m.ok()) return step_outcome::fail(m.detail, describe(want), render_all(l).back());
  for (auto& [name, value] : m.groups) st.vars.set(name, std::move(value));
  st.payload_taken = true;
  return step_outcome::success();
}

}  // namespace bcconform::runner::detail
