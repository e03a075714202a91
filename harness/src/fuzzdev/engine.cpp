// The engine's run loop: startup, one case after another, the answers each case is owed, the
// liveness probe and recovery. Interleavings are in interleave.cpp.
#include "bcconform/fuzzdev/engine.hpp"

#include <algorithm>
#include <cstdio>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/transcript.hpp"
#include "engine_detail.hpp"

namespace bcconform::fuzzdev {
namespace detail {
namespace {

constexpr char ctrl_z = 0x1a;  // AN 2.1.4: sends data-mode input
constexpr char esc = 0x1b;     // AN 2.1.4: cancels data-mode input
constexpr std::size_t findings_kept = 10000;

// Room for the echo of the longest line a case writes (overlong lines reach the line limit plus
// 64 bytes), so that an overflow means the module sent something longer than it was sent.
std::size_t max_line_for(std::size_t line_limit) {
  return std::max<std::size_t>(protocol::parser_limits{}.max_line, line_limit + 256);
}

std::string seconds_text(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

// AN 2.1: the plain AT answers within 300 ms, as every command of the note.
milliseconds at_limit() {
  const protocol::command_spec* at = protocol::find_command("");
  return at != nullptr ? at->max_response : milliseconds(300);
}

// Whether the module could read AT+QRST in `bytes`, edited as it edits a line (the deny-list's
// scan: "at+qr<Esc>st=1" reboots it too).
bool mentions_reboot(std::string_view bytes) {
  static const command_filter reboot = *command_filter::make({true, {}, {"+QRST"}});
  return !reboot.denied_in(bytes).empty();
}

}  // namespace

engine::engine(transport::transport& link, const engine_options& o)
    : options_(o),
      gen_(o.generator),
      conv_(link, max_line_for(o.generator.line_limit), o.time_scale, o.slack,
            [this](finding_kind k, std::string d, std::string e) {
              report(k, std::move(d), std::move(e));
            }) {}

engine::~engine() = default;

void engine::report(finding_kind k, std::string detail, std::string evidence) {
  if (quiet_) return;
  finding f;
  f.kind = k;
  f.seed = options_.generator.seed;
  f.index = current_ ? current_->index : options_.start;
  f.line = current_ ? protocol::escape_bytes(current_->bytes) : std::string();
  if (current_) {
    f.description = current_->description;
    if (current_->with != interleave::none) {
      f.description += " [" + std::string(to_string(current_->with)) + " on socket " +
                       std::to_string(current_->socket) + "]";
    }
  }
  f.detail = std::move(detail);
  f.evidence = std::move(evidence);
  ++result_.stats.by_kind[static_cast<std::size_t>(k)];
  if (options_.on_finding) options_.on_finding(f);
  if (result_.findings.size() < findings_kept) result_.findings.push_back(std::move(f));
}

void engine::note(std::string text) {
  if (options_.on_note) options_.on_note(text);
  result_.notes.push_back(std::move(text));
}

milliseconds engine::scaled(milliseconds documented) const {
  const double ms = static_cast<double>(documented.count()) * options_.time_scale;
  return milliseconds(static_cast<milliseconds::rep>(ms + 0.5)) + options_.slack;
}

bool engine::out_of_time() const {
  return options_.duration && conv_.now() - started_ >= *options_.duration;
}

bool engine::send(std::string_view line) {
  return static_cast<bool>(conv_.send_lines(line));
}

// A command of the harness's own (setup, teardown): true when it was answered OK. Its wait is
// bounded by the setup timeout whatever the table allows (AT+CGATT: 140 s, E57).
bool engine::command(const std::string& line) {
  if (!conv_.send_lines(line + "\r", false, options_.setup_timeout) || !answer_all(*current_, {})) {
    return false;
  }
  const protocol::final_spec* f = conv_.last_final();
  return f != nullptr && f->id == protocol::final_id::ok;
}

// ---- the answers a case is owed --------------------------------------------------------------

// Waits until every line sent has its final result, typing data after each prompt. False only
// when the link failed.
bool engine::answer_all(const fuzz_case& c, std::string_view completion) {
  for (;;) {
    const owed_line* f = conv_.front();
    if (f == nullptr) return true;
    if (f->prompted && !f->data_sent) {
      complete_data(c, completion);
      continue;
    }
    const std::uint64_t settled = conv_.settled();
    const milliseconds budget = f->mandatory ? f->budget : std::min(f->budget, options_.settle);
    const auto status = conv_.wait(
        [&] {
          const owed_line* g = conv_.front();
          return conv_.settled() != settled || (g != nullptr && g->prompted && !g->data_sent);
        },
        f->start + budget);
    if (status == conversation::wait_status::link_down) return false;
    if (status == conversation::wait_status::timed_out && !settle_front(*conv_.front())) {
      return false;
    }
  }
}

// After a prompt (AN 2.1.4): the interleaving's data, else the case's payload and its end byte;
// Esc for a prompt that should not have come (the table refuses the line).
void engine::complete_data(const fuzz_case& c, std::string_view completion) {
  const owed_line& f = *conv_.front();
  std::string bytes;
  if (!completion.empty()) {
    bytes = completion;
  } else if (f.refused || (c.payload.empty() && c.data_end == 0)) {
    bytes = std::string(1, esc);
  } else {
    bytes = c.payload;
    if (c.data_end != 0) bytes += c.data_end;
  }
  (void)conv_.send_data(bytes);
}

// The front line's time is up. A line without "AT" may go unanswered; a command line may not:
// it gets the same time again to answer late before it counts as missing.
bool engine::settle_front(const owed_line& front) {
  const owed_line line = front;
  conv_.give_up_front();
  if (!line.mandatory) return true;
  const int before = conv_.dropped();
  const auto status =
      conv_.wait([&] { return conv_.dropped() < before; }, conv_.now() + line.budget);
  if (status == conversation::wait_status::link_down) return false;
  if (conv_.dropped() >= before) {
    report(finding_kind::missing_final,
           "no final result to \"" + protocol::escape_bytes(line.text) + "\" within " +
               seconds_text(line.budget) + " (twice that waited)",
           conv_.recent());
    conv_.forget_given_up();
  }
  return true;
}

// ---- liveness --------------------------------------------------------------------------------

bool engine::alive(milliseconds budget) {
  if (!conv_.send_lines("AT\r", true)) return false;
  conv_.wait([&] { return conv_.probe() != probe_state::waiting; }, conv_.now() + budget);
  if (conv_.probe() == probe_state::waiting) conv_.forget_all();
  return conv_.probe() == probe_state::ok;
}

// Recovery steps, gentlest first: time, Esc and Ctrl+Z (a module stuck in data mode, AN 2.1.4),
// then the reset hook. Returns how it came back, or "" if it did not.
std::string engine::recover() {
  const milliseconds budget = scaled(at_limit());
  quiet_ = true;
  conv_.forget_all();
  std::string how;
  conv_.drain(options_.recovery_wait, conv_.now() + options_.recovery_wait);
  if (!link_down() && alive(budget)) how = "a wait of " + seconds_text(options_.recovery_wait);
  for (const char c : {esc, ctrl_z}) {
    if (!how.empty() || link_down()) break;
    (void)conv_.send_raw(std::string(1, c));
    conv_.drain(options_.settle, conv_.now() + options_.settle);
    conv_.forget_all();
    if (!link_down() && alive(budget)) how = c == esc ? "Esc" : "Ctrl+Z";
  }
  if (!how.empty()) {
    conv_.learn_echo();
    // Answers the module owed from before come now: taken quietly, then forgotten.
    conv_.drain(options_.settle, conv_.now() + options_.settle);
    conv_.forget_all();
  }
  if (how.empty() && !link_down() && options_.reset_hook) {
    note("running the reset hook");
    const std::string why = options_.reset_hook();
    if (!why.empty()) {
      note("the reset hook failed: " + why);
    } else if (await_ready()) {
      how = "the reset hook";
    }
  }
  quiet_ = false;
  return how;
}

// After the case: the module must still answer a plain AT (V.250 §5.2.1).
bool engine::check_liveness(const fuzz_case& c) {
  if (link_down()) return false;
  const milliseconds budget = scaled(at_limit());
  // A module that restarted (RDY, already a finding unless asked for) is given its boot time.
  if (conv_.take_reboot() && await_ready()) return true;
  if (alive(budget)) return true;
  if (conv_.take_reboot() && await_ready()) return true;
  if (link_down()) return false;
  const std::string why = conv_.probe() == probe_state::failed
                              ? "AT was answered with an error"
                              : "no OK to AT within " + seconds_text(budget);
  const std::string evidence = conv_.recent();
  const std::string how = recover();
  const std::string line = protocol::escape_bytes(c.bytes);
  report(finding_kind::no_answer,
         "module stopped answering after \"" + line + "\": " + why +
             (how.empty() ? "; it did not recover (wait, Esc, Ctrl+Z" +
                                std::string(options_.reset_hook ? ", reset hook)" : ")")
                          : "; it recovered after " + how),
         evidence);
  if (!how.empty()) return true;
  result_.end = run_end::target_dead;
  result_.end_detail = "the module stopped answering after case " + std::to_string(c.index);
  return false;
}

// Boot: the module ignores input until it is ready (RDY, emulator.md §1.2), so AT is repeated
// until it is answered. Nothing said meanwhile counts as a finding.
bool engine::await_ready() {
  const bool was_quiet = std::exchange(quiet_, true);
  conv_.expect_reboot(true);
  const clock_time until = conv_.now() + options_.startup;
  bool ready = false;
  while (!ready && !link_down() && conv_.now() < until) {
    conv_.forget_all();
    ready = alive(scaled(at_limit()));
  }
  if (ready) {
    conv_.learn_echo();
    conv_.drain(options_.settle, conv_.now() + options_.settle);
  }
  conv_.forget_all();
  (void)conv_.take_reboot();
  conv_.expect_reboot(false);
  quiet_ = was_quiet;
  return ready;
}

// ---- cases -----------------------------------------------------------------------------------

void engine::link_failed() {
  const std::string why = conv_.failure() ? conv_.failure()->detail : "the link failed";
  const bool was_quiet = std::exchange(quiet_, false);
  report(finding_kind::target_died, "the module side went away: " + why, conv_.recent());
  quiet_ = was_quiet;
  result_.end = run_end::target_dead;
  result_.end_detail = why;
}

void engine::count_coverage(const fuzz_case& c) {
  if (c.variant == nullptr) return;  // a mutation that no longer names a table form
  ++result_.stats.by_form[c.variant][static_cast<std::size_t>(c.kind)];
  if (c.kind == case_kind::boundary && !c.param.empty()) {
    result_.stats.bounded_params.emplace(c.variant, c.param);
  }
}

bool engine::run_case(const fuzz_case& c) {
  current_ = c;
  if (options_.on_case) options_.on_case(c);
  // What arrived since the last case (late URCs) is judged as part of this one.
  conv_.drain(milliseconds(0), conv_.now());
  const bool reboots = mentions_reboot(c.bytes);
  conv_.expect_reboot(reboots);
  (void)conv_.take_reboot();
  if (c.with != interleave::none && !peer_) ++result_.stats.interleavings_skipped;
  const bool ok = (c.with != interleave::none && peer_)
                      ? interleaved(c)
                      : send(c.bytes) && answer_all(c, {}) && after_reboot(c) && check_liveness(c);
  // What is already there belongs to this case (a URC, a RDY right after the probe).
  if (ok) conv_.drain(milliseconds(0), conv_.now());
  if (link_down()) {
    link_failed();
    return false;
  }
  return ok;
}

// AT+QRST=1 answers OK and reboots (emulator.md §1.2): when the table accepts the case's line
// as that and the module said OK, the probe waits for RDY first.
bool engine::after_reboot(const fuzz_case& c) {
  std::string_view line = c.bytes;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  auto parsed = protocol::parse_command_line(line);
  const protocol::final_spec* f = conv_.last_final();
  if (!parsed || !protocol::check_arguments(*parsed) || parsed->spec == nullptr ||
      parsed->spec->name != "+QRST" || parsed->kind != protocol::form::set || f == nullptr ||
      f->id != protocol::final_id::ok) {
    return !link_down();
  }
  const milliseconds limit = scaled(parsed->spec->max_deferred);
  conv_.wait([&] { return conv_.rebooted(); }, conv_.now() + limit);
  if (conv_.rebooted()) (void)await_ready();  // a module that stays down fails the probe next
  return !link_down();
}

run_result engine::run() {
  started_ = conv_.now();
  open_peer();
  if (!await_ready()) {
    if (link_down()) {
      link_failed();
    } else {
      result_.end = run_end::not_ready;
      result_.end_detail = "the module did not answer AT within " + seconds_text(options_.startup);
    }
    return std::move(result_);
  }
  started_ = conv_.now();
  for (std::uint64_t i = options_.start;; ++i) {
    if (options_.count && i - options_.start >= *options_.count) break;
    if (out_of_time()) {
      result_.end = run_end::duration;
      break;
    }
    if (options_.interrupt != nullptr && options_.interrupt->load()) {
      result_.end = run_end::interrupted;
      break;
    }
    const fuzz_case c = gen_.generate(i);
    result_.stats.last_index = i;
    ++result_.stats.cases;
    count_coverage(c);
    if (!run_case(c)) break;
  }
  result_.stats.seconds = std::chrono::duration<double>(conv_.now() - started_).count();
  result_.stats.lines_sent = conv_.lines_sent();
  return std::move(result_);
}

}  // namespace detail

std::string_view to_string(run_end e) noexcept {
  switch (e) {
    case run_end::completed:
      return "completed";
    case run_end::duration:
      return "duration";
    case run_end::interrupted:
      return "interrupted";
    case run_end::target_dead:
      return "target_dead";
    case run_end::not_ready:
      return "not_ready";
  }
  return "?";
}

run_result run(transport::transport& link, const engine_options& options) {
  detail::engine e(link, options);
  return e.run();
}

}  // namespace bcconform::fuzzdev
