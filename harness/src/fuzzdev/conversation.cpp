#include "conversation.hpp"

#include <algorithm>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace bcconform::fuzzdev::detail {
namespace {

using protocol::diagnostic;
using protocol::event_kind;

// The longest a read waits, so that deadlines are checked promptly.
constexpr auto read_slice = std::chrono::milliseconds(100);
constexpr std::size_t read_chunk = 4096;
constexpr std::size_t recent_kept = 8;
constexpr std::size_t host_lines_kept = 16;
constexpr std::size_t evidence_limit = 160;

constexpr char ctrl_z = 0x1a;     // AN 2.1.4: outside data mode ignored (emulator.md §1.1)
constexpr char esc = 0x1b;        // likewise
constexpr char backspace = 0x08;  // V.250 §6.2.3, S5: deletes the previous character

std::string evidence(std::string_view bytes) {
  std::string s = protocol::escape_bytes(bytes.substr(0, evidence_limit));
  if (bytes.size() > evidence_limit) s += "...";
  return s;
}

bool is_printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// The line as the module executes it: V.250 §5.2.2 editing, Ctrl+Z and Esc dropped (the
// session tracker's rule, emulator.md §1.1), an LF left over from the previous CR LF dropped.
std::string edited(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    if (c == ctrl_z || c == esc || (c == '\n' && out.empty())) continue;
    if (c == backspace) {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// What the module echoes of a command line: the bytes as typed, without Ctrl+Z and Esc, which
// mean nothing outside data mode and are not echoed (emulator.md §1.1).
std::string as_echoed(std::string_view typed) {
  std::string out;
  for (const char c : typed) {
    if (c != ctrl_z && c != esc) out.push_back(c);
  }
  return out;
}

// Diagnostics that describe the stream's shape, not a module fault: the end of the stream
// (truncated), direct-push data without a length (unframed, a documented variant, E2), and a
// test-form answer recognised by shape (AN 2.1.8).
bool benign(diagnostic d) {
  return d == diagnostic::none || d == diagnostic::truncated || d == diagnostic::unframed ||
         d == diagnostic::test_form_shape;
}

}  // namespace

conversation::conversation(transport::transport& t, std::size_t max_line, double time_scale,
                           milliseconds slack, report_fn report)
    : transport_(t),
      time_scale_(time_scale),
      slack_(slack),
      report_(std::move(report)),
      tracker_(*this),
      parser_(tracker_.context(), tracker_, protocol::parser_limits{max_line, 1500}) {
  read_buffer_.reserve(read_chunk);
}

conversation::~conversation() = default;

// ---- the host side ---------------------------------------------------------------------------

milliseconds conversation::scaled(milliseconds documented) const {
  const auto ms = static_cast<double>(documented.count()) * time_scale_;
  return milliseconds(static_cast<milliseconds::rep>(ms + 0.5)) + slack_;
}

std::optional<owed_line> conversation::make_owed(std::string_view typed) const {
  const std::string line = edited(typed);
  if (line.empty()) return std::nullopt;  // an empty line is ignored (V.250 §5.2.1)
  owed_line o;
  o.text = std::string(typed);
  std::string_view body = typed;
  while (!body.empty() && body.front() == '\n') body.remove_prefix(1);
  o.mandatory = line.size() >= 2 && (line[0] == 'A' || line[0] == 'a') &&
                (line[1] == 'T' || line[1] == 't') && is_printable(body);
  auto parsed = protocol::parse_command_line(line);
  if (parsed) {
    o.spec = parsed->spec;
    o.refused = !protocol::check_arguments(*parsed);
    if (!o.refused && parsed->variant != nullptr) o.data = parsed->variant->data;
  } else {
    o.refused = true;
  }
  // AN 2.1: 300 ms for every TCP/IP command; plain AT's entry carries it for lines the table
  // does not know.
  const auto documented = o.spec != nullptr ? o.spec->max_response : std::chrono::milliseconds(300);
  o.budget = scaled(documented);
  return o;
}

void conversation::remember_host(std::string typed) {
  host_lines_.push_back(std::move(typed));
  if (host_lines_.size() > host_lines_kept) host_lines_.pop_front();
}

void conversation::tell_tracker(std::string segment, bool owed) {
  if (told_ == 0 && backlog_.empty()) return tell_now(segment, owed);
  backlog_.push_back({std::move(segment), owed});
}

void conversation::release_backlog() {
  while (told_ == 0 && !backlog_.empty()) {
    pending_line next = std::move(backlog_.front());
    backlog_.pop_front();
    tell_now(next.bytes, next.owed);
  }
}

// The module is about to read `segment`. With echo on it echoes the line as typed; an LF inside
// it splits the echo into lines the parser takes one by one, none of which the tracker can match
// as the echo (it knows the whole line). Those pieces are expected here, in order.
void conversation::tell_now(std::string_view segment, bool owed) {
  tracker_.on_host_bytes(segment);
  if (owed) ++told_;
  echo_pieces_.clear();
  if (!tracker_.context().echo || !owed) return;
  std::string_view typed = segment.substr(0, segment.find('\r'));
  while (!typed.empty() && typed.front() == '\n') typed.remove_prefix(1);
  if (typed.find('\n') == std::string_view::npos) return;
  const std::string echoed = as_echoed(typed);
  std::size_t start = 0;
  while (start <= echoed.size()) {
    const std::size_t lf = std::min(echoed.find('\n', start), echoed.size());
    if (lf > start) echo_pieces_.push_back(echoed.substr(start, lf - start));
    start = lf + 1;
  }
}

protocol::result<void> conversation::send_lines(std::string_view bytes, bool probe,
                                                std::optional<milliseconds> cap) {
  if (failure_) return *failure_;
  last_final_ = nullptr;  // the next answer is to these lines
  const clock_time t = now();
  std::size_t start = 0;
  while (start < bytes.size()) {
    const std::size_t cr = bytes.find('\r', start);
    const std::size_t end = cr == std::string_view::npos ? bytes.size() : cr + 1;
    const std::string_view segment = bytes.substr(start, end - start);
    std::optional<owed_line> o;
    if (cr != std::string_view::npos) o = make_owed(segment.substr(0, segment.size() - 1));
    if (o) {
      o->probe = probe;
      o->start = t;
      if (cap) o->budget = std::min(o->budget, *cap);
      owed_.push_back(std::move(*o));
      ++lines_sent_;
      remember_host(as_echoed(segment.substr(0, segment.size() - 1)));
    }
    tell_tracker(std::string(segment), o.has_value());
    start = end;
  }
  if (probe) {
    probe_ = probe_state::waiting;
    probe_echoed_ = false;
  }
  return write(bytes);
}

protocol::result<void> conversation::send_data(std::string_view bytes) {
  if (failure_) return *failure_;
  tracker_.on_host_bytes(bytes);
  remember_host(std::string(bytes));
  auto r = write(bytes);
  // The module cannot answer before it has the data; then SEND OK may take the deferred
  // limit (E48).
  if (owed_line* f = front(); f != nullptr) {
    f->data_sent = true;
    f->start = now();
    const auto deferred = f->spec != nullptr ? f->spec->max_deferred : milliseconds(0);
    f->budget = std::max(f->budget, scaled(deferred));
  }
  return r;
}

protocol::result<void> conversation::send_raw(std::string_view bytes) {
  if (failure_) return *failure_;
  tracker_.on_host_bytes(bytes);
  return write(bytes);
}

void conversation::give_up_front() {
  if (owed_.empty()) return;
  (owed_.front().mandatory ? dropped_ : stale_) += 1;
  ++settled_;
  owed_.pop_front();
  told_ = std::max(0, told_ - 1);
  release_backlog();
  if (!owed_.empty()) owed_.front().start = std::max(owed_.front().start, now());
}

void conversation::forget_all() {
  if (!owed_.empty()) ++settled_;
  owed_.clear();
  backlog_.clear();
  told_ = 0;
  forget_given_up();
  if (probe_ == probe_state::waiting) probe_ = probe_state::none;
}

// ---- the module side -------------------------------------------------------------------------

void conversation::remember(std::string_view what) {
  recent_.emplace_back(what);
  if (recent_.size() > recent_kept) recent_.pop_front();
}

std::string conversation::recent() const {
  std::string out;
  for (const std::string& r : recent_) {
    if (!out.empty()) out += " | ";
    out += r;
  }
  return out;
}

void conversation::on_event(const protocol::event& e) {
  if (!echo_pieces_.empty() && e.kind != event_kind::echo && e.bytes == echo_pieces_.front()) {
    echo_pieces_.pop_front();  // a piece of the echo of a line with an LF inside
    remember("echo piece: " + evidence(e.bytes));
    return;
  }
  if (e.kind == event_kind::final) echo_pieces_.clear();
  if (e.kind != event_kind::final && e.bytes == "AT" && !owed_.empty() && owed_.front().probe) {
    probe_echoed_ = true;
  }
  remember(std::string(protocol::to_string(e.kind)) + ": " + evidence(e.bytes));
  check_diagnostic(e);
  switch (e.kind) {
    case event_kind::final:
      return on_final(e);
    case event_kind::prompt:
      return on_prompt(e);
    case event_kind::urc:
      return on_urc(e);
    case event_kind::noise:
    case event_kind::overflow:
      return on_unplaced(e);
    default:
      return;
  }
}

void conversation::check_diagnostic(const protocol::event& e) {
  if (benign(e.diag)) return;
  if (e.kind == event_kind::noise || e.kind == event_kind::overflow) {
    if (is_echo_of_host(e.bytes)) return;
  }
  report_(finding_kind::diagnostic,
          std::string(protocol::to_string(e.diag)) + " on a " +
              std::string(protocol::to_string(e.kind)) + " line",
          evidence(e.bytes));
}

void conversation::on_final(const protocol::event& e) {
  if (e.final == nullptr) return;
  const protocol::final_spec& f = *e.final;
  if (f.deferred) {
    // AN 2.1.4: after data-mode input SEND OK / SEND FAIL is the command's only final; after
    // an OK it is a second-stage result (E15) and owes nothing.
    const owed_line* l = front();
    if (l != nullptr && l->data != protocol::data_mode::none && l->data_sent) {
      pay(f, e.bytes);
    } else if (deferred_.size() < 64) {
      deferred_.push_back(f.id);
    }
    return;
  }
  pay(f, e.bytes);
}

void conversation::pay(const protocol::final_spec& f, std::string_view text) {
  if (owed_.empty()) return unowed_final(f, text);
  owed_line& l = owed_.front();
  const bool ok = f.id == protocol::final_id::ok;
  if (l.probe && !ok && (dropped_ > 0 || stale_ > 0)) {
    return unowed_final(f, text);  // the late answer of a line given up, before the probe's
  }
  if (l.refused && ok) {
    report_(finding_kind::accepted_refused,
            "OK to \"" + protocol::escape_bytes(l.text) + "\", which the command table refuses",
            evidence(text));
  }
  if (l.probe) probe_ = ok ? probe_state::ok : probe_state::failed;
  last_final_ = &f;
  ++settled_;
  owed_.pop_front();
  told_ = std::max(0, told_ - 1);
  release_next_ = true;
  if (!owed_.empty()) owed_.front().start = std::max(owed_.front().start, now());
}

void conversation::unowed_final(const protocol::final_spec& f, std::string_view text) {
  if (dropped_ > 0) {
    --dropped_;
    report_(finding_kind::late_final, "a final result after the maximum response time",
            evidence(text));
    return;
  }
  if (stale_ > 0 && f.id != protocol::final_id::ok) {
    --stale_;  // a line without "AT" answered after all: allowed, just slow
    return;
  }
  report_(finding_kind::extra_final, "a final result with no command line waiting for one",
          evidence(text));
}

void conversation::on_prompt(const protocol::event& e) {
  owed_line* l = front();
  if (l != nullptr && l->data != protocol::data_mode::none && !l->data_sent) {
    l->prompted = true;
    return;
  }
  if (l != nullptr && l->refused && !l->data_sent) {
    l->prompted = true;  // the engine cancels it with Esc
    report_(
        finding_kind::accepted_refused,
        "prompt for \"" + protocol::escape_bytes(l->text) + "\", which the command table refuses",
        evidence(e.bytes));
    return;
  }
  report_(finding_kind::unexpected_prompt, "a prompt while no data-mode command waited", recent());
}

void conversation::on_urc(const protocol::event& e) {
  urcs_.emplace_back(e.bytes);
  if (e.urc == nullptr) return;  // unknown_urc: reported as a diagnostic
  using protocol::urc_id;
  if (e.urc->id == urc_id::rdy) {
    rebooted_ = true;
    if (!reboot_expected_) {
      report_(finding_kind::reboot, "the module restarted (RDY) without a reboot command",
              recent());
    }
    forget_all();  // the module forgot every line it had not answered
    return;
  }
  if (e.diag == diagnostic::test_form_shape) return;
  if (e.urc->id == urc_id::qatsleep || e.urc->id == urc_id::qatwakeup ||
      e.urc->id == urc_id::incoming_full) {
    return;  // whole-line URCs: nothing to decode
  }
  auto decoded = protocol::decode_line(e.bytes);
  if (!decoded && decoded.error().code != protocol::errc::wrong_prefix) {
    report_(finding_kind::malformed_urc, decoded.error().detail, evidence(e.bytes));
  }
}

bool conversation::is_echo_of_host(std::string_view text) const {
  if (text.empty()) return true;
  return std::any_of(host_lines_.begin(), host_lines_.end(),
                     [&](const std::string& h) { return h.find(text) != std::string::npos; });
}

void conversation::on_unplaced(const protocol::event& e) {
  // The module echoes what it was sent (V.250 §6.2.4). A line the tracker could not match as
  // an echo (typed with an LF inside, longer than the tracker keeps) is still the host's bytes.
  if (is_echo_of_host(e.bytes)) return;
  if (e.kind == event_kind::overflow) {
    report_(finding_kind::overflow,
            "a line of " + std::to_string(e.length) + " bytes, longer than any line sent",
            evidence(e.bytes));
    return;
  }
  report_(finding_kind::noise, "a line that is no echo, response, final result or URC",
          evidence(e.bytes));
}

// ---- the transport ---------------------------------------------------------------------------

// While lines wait in the backlog, bytes are fed one at a time so that each line reaches the
// tracker right after the final of the one before, as the module read them.
void conversation::feed(std::string_view bytes) {
  if (backlog_.empty()) return parser_.feed(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    parser_.feed(bytes.substr(i, 1));
    if (!std::exchange(release_next_, false)) continue;
    release_backlog();
    if (backlog_.empty()) return parser_.feed(bytes.substr(i + 1));
  }
}

void conversation::pump(clock_time until) {
  read_buffer_.clear();
  auto got = transport_.read(read_buffer_, read_chunk, std::min(until, now() + read_slice));
  if (got) {
    feed(read_buffer_);
    release_next_ = false;
    return;
  }
  if (got.error().code == transport::errc::timed_out) return;
  failure_ = got.error();
  parser_.finish();
}

protocol::result<void> conversation::write(std::string_view bytes) {
  if (failure_) return *failure_;
  // Writing never waits long: the module reads as fast as the line carries bytes.
  auto r = transport_.write(bytes, now() + std::chrono::seconds(10));
  if (!r && r.error().code != transport::errc::timed_out) failure_ = r.error();
  return r;
}

conversation::wait_status conversation::wait(const std::function<bool()>& ready, clock_time until) {
  for (;;) {
    if (ready()) return wait_status::ready;
    if (failure_) return wait_status::link_down;
    if (now() >= until) return wait_status::timed_out;
    pump(until);
  }
}

void conversation::drain(milliseconds quiet, clock_time until) {
  // At least one read, even when `until` has passed: what is already there is taken.
  while (!failure_) {
    read_buffer_.clear();
    auto got = transport_.read(read_buffer_, read_chunk, std::min(until, now() + quiet));
    if (!got) {
      if (got.error().code != transport::errc::timed_out) {
        failure_ = got.error();
        parser_.finish();
      }
      return;
    }
    feed(read_buffer_);
    release_next_ = false;
    if (now() >= until) return;
  }
}

}  // namespace bcconform::fuzzdev::detail
