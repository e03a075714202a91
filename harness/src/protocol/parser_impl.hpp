// Internal to the parser: the implementation state shared by parser.cpp (states, buffers,
// dispatch), parser_lines.cpp (the hot path: framing lines in place, the event each line makes)
// and parser_classify.cpp (what follows a payload header).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "bcconform/protocol/parser.hpp"
#include "byte_scan.hpp"
#include "line_classifier.hpp"

namespace bcconform::protocol {

namespace detail {

/// Up to two decimal fields read without field_reader.
struct plain_numbers {
  int count = 0;  ///< 0: the text has another shape
  std::array<std::uint32_t, 2> value{};
};

/// One or two comma-separated decimal fields of at most 9 digits and nothing else: the shape of
/// nearly every payload header. Such text needs no field_reader: it has no quotes, spaces or
/// empty fields, and no value can pass UINT32_MAX. Inline: it runs for every header.
inline plain_numbers read_plain_numbers(std::string_view s) noexcept {
  constexpr std::ptrdiff_t max_digits = 9;
  const char* p = s.data();
  const char* const end = p + s.size();
  // Digits from p on: their value, and p moved past them; false when there are none or too
  // many (the value then may have wrapped, but is refused).
  const auto digits = [&p, end](std::uint32_t& v) {
    const char* const start = p;
    v = 0;
    for (unsigned d; p != end && (d = static_cast<unsigned char>(*p) - '0') < 10; ++p) {
      v = v * 10 + d;
    }
    return p != start && p - start <= max_digits;
  };
  plain_numbers r;
  if (!digits(r.value[0])) return {};
  if (p == end) {
    r.count = 1;
    return r;
  }
  if (*p++ != ',' || !digits(r.value[1]) || p != end) return {};
  r.count = 2;
  return r;
}

// Everything one byte stream leaves in the parser, with its value at the start of a stream:
// reset() assigns a fresh one, so a field added here is reset without further code.
struct parser_stream_state {
  enum class state : std::uint8_t {
    line_start,    // between elements; CR/LF here are separators
    prompt_gt,     // saw '>' at a line start, deciding whether it is the prompt
    after_prompt,  // prompt emitted at '>', swallow one following space
    in_line,       // inside a line (or an unframed data line)
    overflow,      // inside a line longer than max_line, counting to its end
    header_cr,     // a payload header ended with CR; an LF may still belong to it
    payload,       // counting payload bytes
    data_echo,     // matching the module's echo of data-mode bytes
  };

  // What follows the line being completed.
  struct payload_plan {
    std::uint64_t wire = 0;  // bytes on the wire; 0 = no payload
    std::uint64_t length = 0;
    int connect_id = -1;
    bool unframed = false;  // data to the next line end instead of a count
    // The receive format when the header was read: the sink may change the context before
    // the payload arrives, but the header's framing stands.
    data_format format = data_format::text;
  };

  state st = state::line_start;
  std::uint64_t pos = 0;         // stream offset of the next byte
  std::uint64_t span_start = 0;  // first byte no event accounts for yet

  // Current chunk, for converting pointers to offsets.
  const char* chunk = nullptr;
  const char* chunk_end = nullptr;
  std::uint64_t chunk_off = 0;

  // Line state.
  std::uint64_t line_off = 0;      // offset of the line's first byte
  std::uint64_t line_total = 0;    // bytes of the line seen so far
  const char* line_ptr = nullptr;  // line start inside the current chunk, or nullptr
  std::size_t line_len = 0;        // bytes held in line_buf
  bool line_unframed = false;      // the line is direct-push data without a length (E47)
  bool unframed_next = false;      // the next line is such data
  bool inline_check = false;       // viewmode 1: the line may be a header with inline data

  // Payload state.
  payload_plan announced;  // what the line just classified announces (emit_line)
  payload_plan plan;       // the payload under way
  std::uint64_t pay_off = 0;
  std::uint64_t pay_seen = 0;
  const char* pay_ptr = nullptr;  // payload start inside the current chunk, or nullptr
  std::size_t pay_len = 0;        // bytes held in pay_buf

  event ev;  // the event being built (new_event)

  std::size_t echo_pos = 0;     // data-echo bytes matched so far
  bool skip_data_echo = false;  // the byte at hand already failed to match the data echo
};

}  // namespace detail

struct stream_parser::impl : detail::parser_stream_state {
  // The classifier loads 16 bytes at a time from a line's start: the line buffer has that
  // much slack past its longest line.
  static constexpr std::size_t line_slack = 16;

  impl(const stream_context& c, event_sink& s, parser_limits l)
      : ctx(c),
        sink(s),
        limits(l),
        index(detail::classifier()),
        line_cap(l.max_line + 1 + line_slack),
        line_buf(new char[line_cap]()),
        pay_buf(new char[l.max_payload * 2 + 1]) {}

  const stream_context& ctx;
  event_sink& sink;
  parser_limits limits;
  const detail::line_index& index;

  std::size_t line_cap;
  std::unique_ptr<char[]> line_buf;  // a line that straddles chunks
  std::unique_ptr<char[]> pay_buf;   // a payload that straddles chunks

  void reset() noexcept { static_cast<parser_stream_state&>(*this) = {}; }

  std::uint64_t off(const char* p) const noexcept {
    return chunk_off + static_cast<std::uint64_t>(p - chunk);
  }

  // How many bytes from text.data() may be read: text lies in the chunk or in line_buf.
  std::size_t readable(std::string_view text) const noexcept {
    const auto at = reinterpret_cast<std::uintptr_t>(text.data());
    const auto buf = reinterpret_cast<std::uintptr_t>(line_buf.get());
    if (at - buf < line_cap) return line_cap - (at - buf);
    return static_cast<std::size_t>(chunk_end - text.data());
  }

  // Test answers list ranges, `(0-5)` (AN 2.1.8); a URC or a header never has a '('.
  bool has_range_list(std::string_view params) const noexcept {
    return detail::contains(params.data(), params.size(), readable(params), '(');
  }

  // Every event is built in `ev`, field by field: a local `event` is cleared with a string
  // instruction by common compilers, which costs more than the rest of a short line. The sink
  // sees it only during its callback (parser.hpp), so one slot serves every event.
  event& new_event(event_kind k, std::uint64_t at, std::string_view bytes) noexcept {
    event& e = ev;
    e.kind = k;
    e.offset = at;
    e.bytes = bytes;
    e.name = {};
    e.length = 0;
    e.connect_id = -1;
    e.format = data_format::text;
    e.diag = diagnostic::none;
    e.command = nullptr;
    e.urc = nullptr;
    e.final = nullptr;
    return e;
  }

  void emit(event& e, std::uint64_t end) {
    e.span_begin = span_start;
    e.span_end = end;
    span_start = end;
    sink.on_event(e);
  }

  void feed(std::string_view bytes) noexcept;
  void finish() noexcept;
  void save_partial(const char* end) noexcept;

  const char* on_line_start(const char* p, const char* end) noexcept;
  const char* scan_lines(const char* p, const char* end) noexcept;
  const char* on_gt(const char* p) noexcept;
  const char* on_prompt_gt(const char* p) noexcept;
  const char* on_in_line(const char* p, const char* end) noexcept;
  const char* on_inline_scan(const char* p, const char* end) noexcept;
  const char* on_overflow(const char* p, const char* end) noexcept;
  const char* to_overflow(const char* p) noexcept;  // the line passed max_line; resume at p
  const char* on_payload(const char* p, const char* end) noexcept;
  const char* on_data_echo(const char* p, const char* end) noexcept;

  void begin_line(const char* p) noexcept;
  std::string_view line_text(const char* p) noexcept;
  void complete_line(const char* eol) noexcept;
  void after_line(const char* eol, const payload_plan& next) noexcept;
  void start_payload(const payload_plan& next, const char* data_start) noexcept;
  void emit_data(std::string_view wire, std::uint64_t at, std::uint64_t end, diagnostic d) noexcept;
  void emit_truncated(event_kind k, std::string_view bytes, std::uint64_t at) noexcept;

  enum class inline_verdict : std::uint8_t { header, not_yet, never };
  inline_verdict inline_header_at(std::string_view text, payload_plan& out) const noexcept;
  payload_plan classify_and_emit(std::string_view text, const detail::line_class& lc,
                                 std::uint64_t end) noexcept;
  bool emit_line(std::string_view text, const detail::line_class& lc, std::uint64_t end,
                 bool no_parenthesis) noexcept;
  bool look_further(std::string_view text, const detail::line_class& lc, event& e,
                    bool no_parenthesis) noexcept;
  void qird_header(const command_spec* qird, std::string_view params, event& e) noexcept;
  void shared_line(const detail::line_meaning& m, std::string_view params, event& e) noexcept;
  void qiurc_line(std::string_view text, const detail::line_class& lc, event& e) noexcept;
  bool emit_urc(const urc_spec* u, const command_spec* info, std::string_view params,
                event& e) noexcept;
  void unknown_urc(event& e, std::string_view name) noexcept;
  void unprefixed(event& e) noexcept;
  payload_plan qird_plan(std::string_view params, event& e) const noexcept;
  payload_plan recv_plan(std::string_view params, event& e) const noexcept;
  payload_plan recv_plan_plain(const detail::plain_numbers& nums, event& e) const noexcept;
  std::optional<std::uint32_t> qird_length(std::string_view params) const noexcept;
  std::uint64_t wire_size(std::uint64_t n) const noexcept {
    return ctx.recv_format == data_format::hex ? n * 2 : n;  // E46
  }
};

}  // namespace bcconform::protocol
