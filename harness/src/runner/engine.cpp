// run_case(): setup, steps and teardown of one scenario, then the case-level checks (unclaimed
// URCs, noise). The step kinds live in command_steps.cpp, data_steps.cpp, peer_steps.cpp and
// misc_steps.cpp; the verdict rules in verdicts.hpp.
#include "bcconform/runner/engine.hpp"

#include <variant>

#include "bcconform/protocol/command_table.hpp"
#include "matching.hpp"
#include "steps.hpp"
#include "verdicts.hpp"

namespace bcconform::runner {
namespace detail {
namespace {

std::string where(const scenario::source_pos& pos) {
  return pos.file + ":" + std::to_string(pos.line);
}

std::string where(const scenario::step& s) {
  std::string out = where(s.pos);
  if (!s.included_from.empty()) out += " (included from " + s.included_from + ")";
  return out;
}

struct kind_name {
  const char* operator()(const scenario::send_step&) const { return "send"; }
  const char* operator()(const scenario::expect_step&) const { return "expect"; }
  const char* operator()(const scenario::urc_step&) const { return "urc"; }
  const char* operator()(const scenario::prompt_step&) const { return "prompt"; }
  const char* operator()(const scenario::data_step&) const { return "data"; }
  const char* operator()(const scenario::payload_step&) const { return "payload"; }
  const char* operator()(const scenario::peer_step&) const { return "peer"; }
  const char* operator()(const scenario::wait_step&) const { return "wait"; }
  const char* operator()(const scenario::hook_step&) const { return "hook"; }
  const char* operator()(const scenario::control_step&) const { return "control"; }
};

struct dispatcher {
  run_state& st;
  step_outcome operator()(const scenario::send_step& s) const { return run_send(s, st); }
  step_outcome operator()(const scenario::expect_step& s) const { return run_expect(s, st); }
  step_outcome operator()(const scenario::urc_step& s) const { return run_urc(s, st); }
  step_outcome operator()(const scenario::prompt_step& s) const { return run_prompt(s, st); }
  step_outcome operator()(const scenario::data_step& s) const { return run_data(s, st); }
  step_outcome operator()(const scenario::payload_step& s) const { return run_payload(s, st); }
  step_outcome operator()(const scenario::peer_step& s) const { return run_peer(s, st); }
  step_outcome operator()(const scenario::wait_step& s) const { return run_wait(s, st); }
  step_outcome operator()(const scenario::hook_step& s) const { return run_hook(s, st); }
  step_outcome operator()(const scenario::control_step& s) const { return run_control(s, st); }
};

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

bool is_noise(const module_line& l) {
  return l.kind == protocol::event_kind::noise || l.kind == protocol::event_kind::overflow ||
         l.kind == protocol::event_kind::data;
}

class engine {
 public:
  engine(const scenario::scenario& s, const case_context& ctx, case_result& r)
      : s_(s),
        ctx_(ctx),
        r_(r),
        link_(*ctx.link, ctx.interrupt),
        vars_(s.vars, ctx.vars),
        state_{ctx, link_, vars_, peers_, true, std::nullopt, false},
        book_(ctx.note) {}

  void run() {
    const auto start = link_.now();
    if (link_.interrupted()) {
      book_.interrupt("interrupted before the case started");
    } else {
      const bool set_up = run_phase(phase::setup, s_.setup);
      const bool completed = set_up && run_phase(phase::steps, s_.steps);
      state_.interruptible = false;  // teardown runs to its deadlines: leave the module clean
      run_phase(phase::teardown, s_.teardown);
      if (completed) check_leftovers();
    }
    r_.seconds = std::chrono::duration<double>(link_.now() - start).count();
    book_.finish(r_);
  }

 private:
  void note(const std::string& text) const {
    if (ctx_.note) ctx_.note(text);
  }

  // False when the phase stopped early (a problem outside teardown, or an interrupt).
  bool run_phase(phase p, const std::vector<scenario::step>& steps) {
    for (const auto& step : steps) {
      const std::string kind = std::visit(kind_name{}, step.body);
      if (p != phase::teardown && link_.interrupted()) {
        book_.interrupt("interrupted before step " + where(step) + " (" + kind + ")");
        return false;
      }
      note("step " + where(step) + " " + kind);
      const step_outcome o = std::visit(dispatcher{state_}, step.body);
      if (o.result == step_outcome::status::interrupted) {
        book_.interrupt("interrupted during step " + where(step) + " (" + kind + ")");
        check_timings(p, step);
        return false;
      }
      if (!o.ok()) {
        book_.problem(p, o.result == step_outcome::status::fail,
                      {where(step), o.kind.empty() ? kind : o.kind, o.message, o.expected, o.got});
      }
      const bool in_time = check_timings(p, step);
      if ((!o.ok() || !in_time) && p != phase::teardown) return false;
    }
    return true;
  }

  // AN chapter 2 gives each command a maximum response time ("最大响应时间"); a module that
  // answers later does not conform, whatever it answers.
  bool check_timings(phase p, const scenario::step& step) {
    bool ok = true;
    for (auto& t : link_.take_timings()) {
      if (!t.within_limit()) {
        ok = false;
        const auto* spec = protocol::find_command(std::string_view(t.command).substr(2));
        const std::string section = spec != nullptr ? " (" + std::string(spec->section) + ")" : "";
        book_.problem(p, true,
                      {where(step), "timing",
                       t.command + " answered in " + seconds_text(t.seconds) +
                           ", more than its maximum response time" + section,
                       "<= " + seconds_text(t.limit_seconds), seconds_text(t.seconds)});
      }
      r_.timings.push_back(std::move(t));
    }
    return ok;
  }

  // TTCN-3 default handling: what no step claimed and no ignore pattern covers decides by the
  // scenario's policy; bytes that fit no line of the protocol always fail.
  void check_leftovers() {
    std::vector<pattern> ignore;
    std::vector<std::string> patterns = s_.ignore_urcs;
    patterns.insert(patterns.end(), ctx_.ignore_urcs.begin(), ctx_.ignore_urcs.end());
    for (const auto& text : patterns) {
      auto p = pattern::compile(text);
      if (!p)
        return book_.decide(verdict::error, {where(s_.pos), "unclaimed", p.error().detail, "", ""});
      ignore.push_back(std::move(*p));
    }
    const auto ignored = [&ignore](const module_line& l) {
      for (const auto& p : ignore) {
        if (p.full_match(l.text)) return true;
      }
      return false;
    };
    std::vector<std::string> unclaimed, noise;
    const auto sort = [&](const std::deque<module_line>& q) {
      for (const auto& l : q) {
        if (ignored(l)) continue;
        auto shown = render_queue(std::deque<module_line>{l});
        auto& into = is_noise(l) ? noise : unclaimed;
        into.insert(into.end(), shown.begin(), shown.end());
      }
    };
    sort(link_.responses());
    sort(link_.async());
    if (const auto& h = link_.staged(); h && !ignored(*h)) {
      unclaimed.push_back(render(*h) + " (its payload incomplete)");
    }
    if (!noise.empty()) {
      book_.decide(verdict::fail, {where(s_.pos), "noise",
                                   "the module sent bytes that fit no line of the protocol", "",
                                   join_lines(noise)});
    }
    if (unclaimed.empty() || s_.unclaimed == scenario::unclaimed_policy::ignore) return;
    const verdict v =
        s_.unclaimed == scenario::unclaimed_policy::fail ? verdict::fail : verdict::inconc;
    book_.decide(v, {where(s_.pos), "unclaimed",
                     std::to_string(unclaimed.size()) + " line(s) from the module that no step " +
                         "claimed and no ignore pattern covers",
                     "a `urc` step or an ignore_urcs pattern for each", join_lines(unclaimed)});
  }

  const scenario::scenario& s_;
  const case_context& ctx_;
  case_result& r_;
  module_link link_;
  variables vars_;
  peer_objects peers_;  // destroyed before the link; the host (ctx.peers) outlives the case
  run_state state_;
  verdict_book book_;
};

}  // namespace
}  // namespace detail

case_result run_case(const scenario::scenario& s, const case_context& ctx) {
  case_result r;
  r.id = s.id;
  r.title = s.title;
  r.file = s.pos.file;
  r.line = s.pos.line;
  r.spec = s.spec;
  r.tags = s.tags;
  r.errata = s.errata;
  if (ctx.link == nullptr) {
    r.result = verdict::error;
    r.failure = failure_info{detail::where(s.pos), "transport", "no module link", "", ""};
    return r;
  }
  detail::engine(s, ctx, r).run();
  return r;
}

}  // namespace bcconform::runner
