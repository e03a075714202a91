// send, expect and urc: the command/response conversation and the URC queue.
#include <algorithm>

#include "bcconform/protocol/transcript.hpp"
#include "matching.hpp"
#include "steps.hpp"

namespace bcconform::runner::detail {
namespace {

using protocol::event_kind;

// One unit an `expect` matcher consumes: a line, or the payload attached to the line before.
struct response_item {
  bool is_line = false;     // exact/regex matchers may match it
  bool is_payload = false;  // payload matchers may match it
  bool is_final = false;
  std::string text;  // the line, or the payload's data bytes
  std::string shown;
};

void flatten(const module_line& l, const sent_command& cmd, std::vector<response_item>& out) {
  response_item item;
  item.shown = render(l);
  switch (l.kind) {
    case event_kind::info:
    case event_kind::final:
    case event_kind::urc:
      item.is_line = true;
      item.is_final = l.is_final();
      item.text = l.text;
      break;
    case event_kind::data:  // a payload no header announced
      item.is_payload = true;
      item.text = payload_data(l.text, l.payload_format == protocol::data_format::hex);
      break;
    case event_kind::echo:
      if (own_echo(l, cmd)) return;  // checked and skipped
      break;
    default:  // prompt, noise, overflow: nothing a line matcher accepts
      break;
  }
  if (!l.payload) return out.push_back(std::move(item));
  item.shown = render_all(l).front();
  if (l.payload_inline) item.shown = protocol::escape_bytes(l.text) + " (inline payload)";
  out.push_back(std::move(item));
  response_item data;
  data.is_payload = true;
  data.text = payload_data(*l.payload, l.payload_format == protocol::data_format::hex);
  data.shown =
      l.payload_inline ? "payload: " + protocol::escape_bytes(*l.payload) : render_all(l).back();
  out.push_back(std::move(data));
}

match_outcome match_item(const scenario::line_matcher& m, const response_item& item,
                         const variables& vars) {
  using kind = scenario::line_matcher::kind;
  const auto wrong = [&] {
    return match_outcome::mismatch("expected " + describe(m) + ", got " + item.shown);
  };
  switch (m.match) {
    case kind::exact: {
      auto want = vars.expand(m.text);
      if (!want) return match_outcome::error(want.error().detail);
      return item.is_line && item.text == *want ? match_outcome{} : wrong();
    }
    case kind::regex:
      if (!item.is_line) return wrong();
      if (auto r = match_pattern(m.text, item.text, vars); !r.ok()) {
        return r.result == match_outcome::status::error ? r : wrong();
      } else {
        return r;
      }
    case kind::any_final:
      return item.is_final ? match_outcome{} : wrong();
    case kind::payload:
      if (!item.is_payload) return wrong();
      return match_payload(payload_of(m), item.text, vars);
  }
  return wrong();
}

std::vector<std::string> describe_all(const std::vector<scenario::line_matcher>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(describe(m));
  return out;
}

std::vector<std::string> shown(const std::vector<response_item>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.shown);
  return out;
}

// The response of `cmd` up to and including its final result, taken from the queue.
std::vector<response_item> take_response(module_link& link, const sent_command& cmd) {
  std::vector<response_item> items;
  auto& q = link.responses();
  while (!q.empty()) {
    module_line l = std::move(q.front());
    q.pop_front();
    flatten(l, cmd, items);
    if (l.is_final()) break;
  }
  return items;
}

std::vector<std::string> pending_response(module_link& link, const sent_command& cmd) {
  std::vector<response_item> items;
  for (const auto& l : link.responses()) flatten(l, cmd, items);
  return shown(items);
}

bool has_deferred_result(const protocol::command_spec* spec) {
  if (spec == nullptr) return false;
  for (const auto& f : spec->forms) {
    for (const auto& r : f.responses) {
      if (r.role == protocol::line_role::deferred) return true;
    }
  }
  return false;
}

bool is_deferred_final(const module_line& l) {
  return l.is_final() && l.final != nullptr && l.final->deferred && !l.stray;
}

struct expect_job {
  const scenario::expect_step& step;
  run_state& st;
  sent_command cmd;  // a copy: the link's queue may change
  std::vector<response_item> got;
  std::size_t matched = 0;
};

step_outcome mismatch(const expect_job& j, std::string message) {
  return step_outcome::fail("response to " + protocol::escape_bytes(j.cmd.line) + ": " + message,
                            join_lines(describe_all(j.step.lines)), join_lines(shown(j.got)));
}

// Matches got[matched...] against the step's matchers from `matched` on.
step_outcome match_from(expect_job& j) {
  for (; j.matched < j.got.size() && j.matched < j.step.lines.size(); ++j.matched) {
    auto r = match_item(j.step.lines[j.matched], j.got[j.matched], j.st.vars);
    if (r.result == match_outcome::status::error) return step_outcome::error(r.detail);
    if (!r.ok()) {
      return mismatch(j, "line " + std::to_string(j.matched + 1) + " differs: " + r.detail);
    }
    for (auto& [name, value] : r.groups) j.st.vars.set(name, std::move(value));
  }
  return step_outcome::success();
}

// Matchers left after the final result: a command with a documented second-stage result
// (SEND OK / SEND FAIL AN 2.1.4, CLOSE OK AN 2.1.2) may list it after its OK; it is taken from
// the asynchronous queue, where it waits since it may come at any time (E15).
step_outcome expect_deferred(expect_job& j, std::chrono::milliseconds default_budget) {
  const auto missing = [&j] {
    return mismatch(j, std::to_string(j.step.lines.size() - j.got.size()) +
                           " expected line(s) missing after the final result");
  };
  if (!has_deferred_result(j.cmd.spec)) return missing();
  const auto budget = j.step.timeout.value_or(default_budget);
  const auto until = j.st.link.now() + budget;
  auto& q = j.st.link.async();
  while (j.got.size() < j.step.lines.size()) {
    const auto find = [&q] { return std::find_if(q.begin(), q.end(), is_deferred_final); };
    const auto s = j.st.link.wait([&] { return find() != q.end(); }, until, j.st.interruptible);
    if (s == module_link::wait_status::timed_out) return missing();
    if (s != module_link::wait_status::ready) return not_ready(s, j.st.link, "", "", "");
    const auto it = find();
    const module_line l = std::move(*it);
    q.erase(it);
    flatten(l, j.cmd, j.got);
    if (auto r = match_from(j); !r.ok()) return r;
  }
  return step_outcome::success();
}

// `{final: any}` asks for the command's outcome, whatever it is. For a command whose OK is
// followed by a deferred result (AN 2.1.2 CLOSE OK, AN 2.1.4 SEND OK / SEND FAIL, E15) the
// outcome is only known with that result, so it is awaited and taken too: cleanup such as
// "close socket 0 whatever its state" then leaves nothing unclaimed.
bool wants_deferred_outcome(const expect_job& j) {
  using kind = scenario::line_matcher::kind;
  return !j.step.lines.empty() && j.step.lines.back().match == kind::any_final && !j.got.empty() &&
         j.got.back().is_final && j.got.back().text == "OK" && has_deferred_result(j.cmd.spec);
}

// A lone `{final: any}` is the command's outcome whatever it printed on the way: information
// lines before the final (AT+QICFG's echo of the setting, E30) are taken with it, so a
// teardown that restores a setting needs no knowledge of the answer's shape.
bool lone_any_final(const scenario::expect_step& s) {
  return s.lines.size() == 1 && s.lines.front().match == scenario::line_matcher::kind::any_final;
}

step_outcome expect_deferred_outcome(expect_job& j, std::chrono::milliseconds budget) {
  auto& q = j.st.link.async();
  const auto find = [&q] { return std::find_if(q.begin(), q.end(), is_deferred_final); };
  const auto until = j.st.link.now() + j.step.timeout.value_or(budget);
  const auto s = j.st.link.wait([&] { return find() != q.end(); }, until, j.st.interruptible);
  if (s == module_link::wait_status::timed_out) {
    return mismatch(j, "OK without its deferred result within " + format_duration(budget));
  }
  if (s != module_link::wait_status::ready) return not_ready(s, j.st.link, "", "", "");
  const auto it = find();
  const module_line l = std::move(*it);
  q.erase(it);
  flatten(l, j.cmd, j.got);
  return step_outcome::success();
}

}  // namespace

bool own_echo(const module_line& l, const sent_command& cmd) {
  if (l.kind != event_kind::echo) return false;
  if (cmd.echo && l.text == cmd.line) return true;
  return !cmd.data.empty() && cmd.data.find(l.text) != std::string::npos;
}

step_outcome run_send(const scenario::send_step& s, run_state& st) {
  auto line = st.vars.expand(s.line);
  if (!line) return step_outcome::error(line.error().detail);
  auto r = st.link.send_line(*line, st.link.now() + write_budget);
  if (r) return step_outcome::success();
  if (st.link.failure()) return link_down(st.link);
  return step_outcome::error("could not write " + protocol::escape_bytes(*line) + " within " +
                             format_duration(write_budget) + ": " + r.error().detail);
}

// Waits for the final result of the command in flight; on a timeout the commands waiting are
// given up, so that a late answer is not taken for the next command's.
step_outcome await_final(expect_job& j) {
  const auto table_budget =
      j.cmd.spec != nullptr ? j.cmd.spec->max_response : unknown_command_budget;
  const auto budget = j.step.timeout.value_or(table_budget);
  auto& link = j.st.link;
  auto& q = link.responses();
  const auto has_final = [&q] {
    return std::any_of(q.begin(), q.end(), [](const module_line& l) { return l.is_final(); });
  };
  const auto status = link.wait(has_final, link.now() + budget, j.st.interruptible);
  if (status == module_link::wait_status::ready) return step_outcome::success();
  auto so_far = join_lines(pending_response(link, j.cmd));
  if (status == module_link::wait_status::timed_out) link.abandon_commands();
  return not_ready(status, link,
                   "no final result to " + protocol::escape_bytes(j.cmd.line) + " within " +
                       format_duration(budget),
                   join_lines(describe_all(j.step.lines)), so_far);
}

step_outcome run_expect(const scenario::expect_step& s, run_state& st) {
  sent_command* in_flight = st.link.in_flight();
  if (in_flight == nullptr) {
    if (st.link.failure()) return link_down(st.link);
    return step_outcome::error("`expect` without a command in flight: no `send` precedes it");
  }
  expect_job j{s, st, *in_flight, {}, 0};
  if (auto r = await_final(j); !r.ok()) return r;
  j.got = take_response(st.link, j.cmd);
  st.link.consume_command();
  if (lone_any_final(s)) std::erase_if(j.got, [](const response_item& i) { return !i.is_final; });
  if (auto r = match_from(j); !r.ok()) return r;
  if (j.got.size() > s.lines.size()) {
    return mismatch(j, std::to_string(j.got.size() - s.lines.size()) + " unexpected line(s)");
  }
  const bool has_budget = j.cmd.spec != nullptr && j.cmd.spec->max_deferred.count() > 0;
  const auto deferred_budget = has_budget ? j.cmd.spec->max_deferred : unknown_command_budget;
  if (j.got.size() == s.lines.size()) {
    if (wants_deferred_outcome(j)) return expect_deferred_outcome(j, deferred_budget);
    return step_outcome::success();
  }
  return expect_deferred(j, deferred_budget);
}

step_outcome run_urc(const scenario::urc_step& s, run_state& st) {
  auto text = st.vars.expand_pattern(s.pattern);
  if (!text) return step_outcome::error(text.error().detail);
  auto re = pattern::compile(*text);
  if (!re) return step_outcome::error(re.error().detail);
  const auto budget =
      s.timeout.value_or(st.link.last_deferred_budget().value_or(default_urc_budget));
  const auto until = st.link.now() + budget;
  auto& q = st.link.async();
  captures groups;
  auto found = q.end();
  const auto find = [&] {
    found = std::find_if(q.begin(), q.end(), [&](const module_line& l) {
      const bool line =
          l.kind == event_kind::urc || l.kind == event_kind::final || l.kind == event_kind::info;
      return line && re->full_match(l.text, &groups);
    });
    return found != q.end();
  };
  const auto status = st.link.wait(find, until, st.interruptible);
  if (status != module_link::wait_status::ready) {
    auto queued = render_queue(q);
    if (const auto& h = st.link.staged()) {
      queued.push_back(render(*h) + " (its payload incomplete)");
    }
    return not_ready(
        status, st.link,
        "no line matching /" + show_pattern(*text) + "/ within " + format_duration(budget),
        "/" + show_pattern(*text) + "/", "unclaimed: " + join_lines(queued));
  }
  for (auto& [name, value] : groups) st.vars.set(name, std::move(value));
  st.last_claimed = std::move(*found);
  st.payload_taken = false;
  q.erase(found);
  return step_outcome::success();
}

}  // namespace bcconform::runner::detail
