// The streaming parser. One explicit state enum, a short dispatch switch in feed(), one named
// function per state. Lines and payloads that lie inside one chunk are handed out as views of
// the caller's bytes; only an element that straddles chunks is copied, into buffers sized by
// parser_limits at construction. Nothing here allocates after the constructor.
#include "bcconform/protocol/parser.hpp"

#include <cstring>

#include "byte_scan.hpp"
#include "parser_impl.hpp"

namespace bcconform::protocol {
namespace {

using detail::find_eol;
using detail::is_eol;

bool is_hex_digit(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool all_hex(std::string_view s) noexcept {
  for (char c : s) {
    if (!is_hex_digit(c)) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(event_kind k) noexcept {
  switch (k) {
    case event_kind::echo:
      return "echo";
    case event_kind::info:
      return "info";
    case event_kind::final:
      return "final";
    case event_kind::urc:
      return "urc";
    case event_kind::prompt:
      return "prompt";
    case event_kind::data:
      return "data";
    case event_kind::noise:
      return "noise";
    case event_kind::overflow:
      return "overflow";
  }
  return "?";
}

std::string_view to_string(diagnostic d) noexcept {
  switch (d) {
    case diagnostic::none:
      return "none";
    case diagnostic::truncated:
      return "truncated";
    case diagnostic::unframed:
      return "unframed";
    case diagnostic::bad_header:
      return "bad_header";
    case diagnostic::bad_hex:
      return "bad_hex";
    case diagnostic::partial_echo:
      return "partial_echo";
    case diagnostic::unknown_urc:
      return "unknown_urc";
    case diagnostic::test_form_shape:
      return "test_form_shape";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Dispatch

void stream_parser::impl::feed(std::string_view bytes) noexcept {
  chunk = bytes.data();
  chunk_end = chunk + bytes.size();
  chunk_off = pos;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p < end) {
    switch (st) {
      case state::line_start:
        p = on_line_start(p, end);
        break;
      case state::prompt_gt:
        p = on_prompt_gt(p);
        break;
      case state::after_prompt:
        if (*p == ' ') ++p;  // "> " when the prompt was taken at '>' (AN 2.1.4)
        st = state::line_start;
        break;
      case state::in_line:
        p = inline_check ? on_inline_scan(p, end) : on_in_line(p, end);
        break;
      case state::overflow:
        p = on_overflow(p, end);
        break;
      case state::header_cr:
        if (*p == '\n') ++p;  // CR LF ends the header; the payload starts after it
        st = state::payload;
        break;
      case state::payload:
        p = on_payload(p, end);
        break;
      case state::data_echo:
        p = on_data_echo(p, end);
        break;
    }
  }
  save_partial(end);
  pos = chunk_off + bytes.size();
  chunk = nullptr;
  chunk_end = nullptr;
}

// Copies the part of an unfinished element that lies in this chunk: the chunk goes away.
// Bounds: lines are at most max_line (on_in_line / on_inline_scan switch to overflow before),
// payloads at most wire_size(max_payload) (qird_plan / recv_plan refuse longer ones).
void stream_parser::impl::save_partial(const char* end) noexcept {
  const bool in_line_like = st == state::in_line || st == state::prompt_gt;
  if (in_line_like) {
    const char* from = line_ptr != nullptr ? line_ptr : chunk;
    const auto n = static_cast<std::size_t>(end - from);
    if (line_ptr != nullptr) line_len = 0;
    std::memcpy(line_buf.get() + line_len, from, n);
    line_len += n;
    line_ptr = nullptr;
  }
  if (st == state::payload && pay_seen > 0) {
    const char* from = pay_ptr != nullptr ? pay_ptr : chunk;
    const auto n = static_cast<std::size_t>(end - from);
    if (pay_ptr != nullptr) pay_len = 0;
    std::memcpy(pay_buf.get() + pay_len, from, n);
    pay_len += n;
    pay_ptr = nullptr;
  }
}

// ---------------------------------------------------------------------------------------------
// States

// Runs line after line while nothing but lines follows; hands back to feed() for anything
// else (a payload, a prompt, a data echo, the end of the chunk). scan_lines() takes the common
// stretches; what it leaves is handled here one separator run or one line at a time.
const char* stream_parser::impl::on_line_start(const char* p, const char* end) noexcept {
  for (;;) {
    p = scan_lines(p, end);
    if (st != state::line_start || p == end) return p;
    if (!ctx.pending_data_echo.empty() && !skip_data_echo) {
      echo_pos = 0;
      st = state::data_echo;
      return on_data_echo(p, end);
    }
    if (is_eol(*p)) {  // separators: accounted to the next event's span
      skip_data_echo = false;
      // While a data echo is pending it may start at any of them (the data may begin with
      // CR or LF): one at a time then, so every chunking sees the same positions.
      p = ctx.pending_data_echo.empty() ? detail::skip_eols(p, end) : p + 1;
      if (p == end) return p;
      continue;
    }
    skip_data_echo = false;
    if (*p == '>' && !unframed_next) return on_gt(p);
    begin_line(p);
    st = state::in_line;
    if (inline_check) return on_inline_scan(p, end);
    p = on_in_line(p, end);
    if (st != state::line_start || p == end) return p;
  }
}

const char* stream_parser::impl::on_gt(const char* p) noexcept {
  if (ctx.command.prompt_expected) {
    // A data-mode command is in flight: '>' alone is the prompt (AN 2.1.4 "> <data>").
    emit(new_event(event_kind::prompt, off(p), std::string_view(p, 1)), off(p) + 1);
    st = state::after_prompt;
    return p + 1;
  }
  begin_line(p);
  st = state::prompt_gt;
  return p + 1;
}

// "> " at a line start is the prompt, recognised without a line end; ">x" starts a line.
const char* stream_parser::impl::on_prompt_gt(const char* p) noexcept {
  if (*p == ' ') {
    emit(new_event(event_kind::prompt, line_off, "> "), off(p) + 1);
    st = state::line_start;
    return p + 1;
  }
  line_total = 1;
  st = state::in_line;
  return p;
}

void stream_parser::impl::begin_line(const char* p) noexcept {
  line_off = off(p);
  line_total = 0;
  line_ptr = p;
  line_len = 0;
  line_unframed = unframed_next;
  unframed_next = false;
  inline_check = ctx.viewmode == 1 && !line_unframed;
}

// The current line up to p (exclusive); p lies in the current chunk. Idempotent.
std::string_view stream_parser::impl::line_text(const char* p) noexcept {
  if (line_ptr != nullptr) return {line_ptr, static_cast<std::size_t>(p - line_ptr)};
  const auto n = static_cast<std::size_t>(p - chunk);
  std::memcpy(line_buf.get() + line_len, chunk, n);
  return {line_buf.get(), line_len + n};
}

const char* stream_parser::impl::on_in_line(const char* p, const char* end) noexcept {
  const char* eol = find_eol(p, end);
  line_total += static_cast<std::uint64_t>(eol - p);
  if (line_total > limits.max_line) return to_overflow(eol);
  if (eol == end) return end;
  complete_line(eol);
  return eol + 1;
}

// Viewmode 1 (AN 2.1.11 "data header,data"): a header and its data share a line, so the
// header is recognised at its comma, before any line end, because the data may hold CR LF.
const char* stream_parser::impl::on_inline_scan(const char* p, const char* end) noexcept {
  for (;;) {
    // Only a comma can end a header here, so the bytes before the next comma or line end are
    // counted at once; a line that passes max_line on the way is an overflow, counted on by
    // on_overflow() as on_in_line() leaves it.
    const char* const stop = detail::find_eol_or(p, end, ',');
    line_total += static_cast<std::uint64_t>(stop - p);
    if (line_total > limits.max_line) return to_overflow(stop);
    if (stop == end) return end;
    if (is_eol(*stop)) {
      complete_line(stop);
      return stop + 1;
    }
    if (++line_total > limits.max_line) return to_overflow(stop + 1);
    payload_plan next;
    const std::string_view text = line_text(stop);
    const inline_verdict v = inline_header_at(text, next);
    if (v == inline_verdict::never) {
      inline_check = false;
      return stop + 1;
    }
    if (v == inline_verdict::header) {
      const detail::line_class lc = detail::classify_line(index, text, readable(text));
      classify_and_emit(text, lc, off(stop) + 1);  // the comma belongs to the header
      start_payload(next, stop + 1);
      return stop + 1;
    }
    p = stop + 1;  // not yet: the header may end at a later comma
  }
}

const char* stream_parser::impl::to_overflow(const char* p) noexcept {
  st = state::overflow;
  line_ptr = nullptr;
  return p;
}

const char* stream_parser::impl::on_overflow(const char* p, const char* end) noexcept {
  const char* eol = find_eol(p, end);
  line_total += static_cast<std::uint64_t>(eol - p);
  if (eol == end) return end;
  event& e = new_event(event_kind::overflow, line_off, {});
  e.length = line_total;
  emit(e, off(eol) + 1);
  st = state::line_start;
  return eol + 1;
}

const char* stream_parser::impl::on_payload(const char* p, const char* end) noexcept {
  if (pay_seen == 0) {
    pay_off = off(p);
    pay_ptr = p;
    pay_len = 0;
  }
  const std::uint64_t want = plan.wire - pay_seen;
  const auto avail = static_cast<std::uint64_t>(end - p);
  const std::uint64_t take = want < avail ? want : avail;
  pay_seen += take;
  const char* stop = p + take;
  if (pay_seen < plan.wire) return stop;  // save_partial() keeps what arrived
  std::string_view wire;
  if (pay_ptr != nullptr) {
    wire = std::string_view(pay_ptr, static_cast<std::size_t>(plan.wire));
  } else {
    std::memcpy(pay_buf.get() + pay_len, chunk, static_cast<std::size_t>(take));
    wire = std::string_view(pay_buf.get(), static_cast<std::size_t>(plan.wire));
  }
  pay_ptr = nullptr;
  st = state::line_start;
  emit_data(wire, pay_off, off(stop), diagnostic::none);
  return stop;
}

// The module echoes data-mode bytes while echo is on (emulator.md §1.2). They are arbitrary
// bytes, so they are matched against what the host sent rather than framed as lines.
const char* stream_parser::impl::on_data_echo(const char* p, const char* end) noexcept {
  const std::string_view want = ctx.pending_data_echo;
  while (p < end && echo_pos < want.size() && *p == want[echo_pos]) {
    ++p;
    ++echo_pos;
  }
  const bool complete = echo_pos == want.size();
  const bool mismatch = p < end && !complete;
  if (complete || (mismatch && echo_pos > 0)) {
    event& e = new_event(event_kind::echo, off(p) - echo_pos, want.substr(0, echo_pos));
    e.diag = complete ? diagnostic::none : diagnostic::partial_echo;
    st = state::line_start;
    skip_data_echo = mismatch;
    emit(e, off(p));
    return p;
  }
  if (mismatch) {  // not even the first byte is the echo: parse it normally
    st = state::line_start;
    skip_data_echo = true;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Completing lines and starting payloads

void stream_parser::impl::complete_line(const char* eol) noexcept {
  const std::string_view text = line_text(eol);
  line_ptr = nullptr;
  const std::uint64_t end = off(eol) + 1;
  st = state::line_start;
  if (line_unframed) {
    line_unframed = false;
    plan.length = plan.format == data_format::hex ? text.size() / 2 : text.size();
    emit_data(text, line_off, end, diagnostic::unframed);
    return;
  }
  const detail::line_class lc = detail::classify_line(index, text, readable(text));
  after_line(eol, classify_and_emit(text, lc, end));
}

// A line ending at `eol` was classified: start what it announces, if anything.
void stream_parser::impl::after_line(const char* eol, const payload_plan& next) noexcept {
  if (next.wire == 0 && !next.unframed) return;
  start_payload(next, nullptr);
  if (*eol == '\r' && next.wire > 0) st = state::header_cr;
}

// `data_start` is where inline (viewmode 1) data begins; nullptr when it follows the header's
// line end (viewmode 0).
void stream_parser::impl::start_payload(const payload_plan& next, const char* data_start) noexcept {
  plan = next;
  pay_seen = 0;
  pay_ptr = nullptr;
  pay_len = 0;
  if (!next.unframed) {
    st = state::payload;
    return;
  }
  if (data_start == nullptr) {  // the data is the next line (E47)
    unframed_next = true;
    st = state::line_start;
    return;
  }
  unframed_next = true;
  begin_line(data_start);
  st = state::in_line;
}

void stream_parser::impl::emit_data(std::string_view wire, std::uint64_t at, std::uint64_t end,
                                    diagnostic d) noexcept {
  event& e = new_event(event_kind::data, at, wire);
  e.connect_id = plan.connect_id;
  e.format = plan.format;
  e.length = plan.length;
  e.diag = d;
  if (e.format == data_format::hex && !all_hex(wire)) e.diag = diagnostic::bad_hex;
  emit(e, end);
}

// ---------------------------------------------------------------------------------------------
// End of stream

void stream_parser::impl::emit_truncated(event_kind k, std::string_view bytes,
                                         std::uint64_t at) noexcept {
  event& e = new_event(k, at, bytes);
  e.diag = diagnostic::truncated;
  if (k == event_kind::overflow) e.length = line_total;
  emit(e, pos);
}

void stream_parser::impl::finish() noexcept {
  switch (st) {
    case state::line_start:
    case state::after_prompt:
      break;
    case state::prompt_gt:
    case state::in_line:
      emit_truncated(event_kind::noise, {line_buf.get(), line_len}, line_off);
      break;
    case state::overflow:
      emit_truncated(event_kind::overflow, {}, line_off);
      break;
    case state::header_cr:
    case state::payload:
      // An announced payload that did not (fully) arrive.
      emit_truncated(event_kind::noise, {pay_buf.get(), pay_len}, pay_seen > 0 ? pay_off : pos);
      break;
    case state::data_echo:
      if (echo_pos > 0) {
        emit_truncated(event_kind::echo, ctx.pending_data_echo.substr(0, echo_pos), pos - echo_pos);
      }
      break;
  }
  st = state::line_start;
  line_unframed = false;
  unframed_next = false;
  skip_data_echo = false;
  line_len = 0;
  pay_seen = 0;
  pay_len = 0;
}

// ---------------------------------------------------------------------------------------------
// Public interface

stream_parser::stream_parser(const stream_context& ctx, event_sink& sink, parser_limits limits)
    : impl_(std::make_unique<impl>(ctx, sink, limits)) {}

stream_parser::~stream_parser() = default;

void stream_parser::feed(std::string_view bytes) noexcept {
  if (!bytes.empty()) impl_->feed(bytes);
}

void stream_parser::finish() noexcept {
  impl_->finish();
}

void stream_parser::reset() noexcept {
  impl_->reset();
}

std::uint64_t stream_parser::offset() const noexcept {
  return impl_->pos;
}

std::uint64_t stream_parser::pending() const noexcept {
  return impl_->pos - impl_->span_start;
}

const parser_limits& stream_parser::limits() const noexcept {
  return impl_->limits;
}

}  // namespace bcconform::protocol
