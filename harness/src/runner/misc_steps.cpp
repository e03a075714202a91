// wait, hook and control: time passing, lab hooks, and bcemu's control channel.
#include "bcconform/protocol/transcript.hpp"
#include "matching.hpp"
#include "steps.hpp"

namespace bcconform::runner::detail {

// Reads meanwhile, so URCs that arrive during the wait are queued in order (AN 4.4 deep sleep).
step_outcome run_wait(const scenario::wait_step& s, run_state& st) {
  const auto status = st.link.wait([] { return false; }, st.link.now() + s.time, st.interruptible);
  if (status == module_link::wait_status::timed_out) return step_outcome::success();
  return not_ready(status, st.link, "", "", "");
}

step_outcome run_hook(const scenario::hook_step& s, run_state& st) {
  if (!st.ctx.hook) {
    return step_outcome::error("hook `" + s.name + "` is not available: no hook runner");
  }
  const std::string problem = st.ctx.hook(s.name);
  if (!problem.empty()) return step_outcome::error("hook `" + s.name + "` failed: " + problem);
  return step_outcome::success();
}

step_outcome run_control(const scenario::control_step& s, run_state& st) {
  if (!st.ctx.control) {
    return step_outcome::error("this target has no control channel");
  }
  auto line = st.vars.expand(s.line);
  if (!line) return step_outcome::error(line.error().detail);
  const scenario::templated default_reply{"ok.*"};
  auto want = st.vars.expand_pattern(s.expect_reply.value_or(default_reply));
  if (!want) return step_outcome::error(want.error().detail);
  auto re = pattern::compile(*want);
  if (!re) return step_outcome::error(re.error().detail);
  std::string reply, problem;
  if (!st.ctx.control(*line, reply, problem)) {
    return step_outcome::error("control channel: " + problem);
  }
  captures groups;
  if (!re->full_match(reply, &groups)) {
    return step_outcome::error("control reply does not match", "/" + show_pattern(*want) + "/",
                               protocol::escape_bytes(reply));
  }
  for (auto& [name, value] : groups) st.vars.set(name, std::move(value));
  return step_outcome::success();
}

}  // namespace bcconform::runner::detail
