// Internal to the parser: the implementation state shared by parser.cpp (states, buffers,
// dispatch) and parser_classify.cpp (what a completed line is and what follows it).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "bcconform/protocol/parser.hpp"
#include "line_classifier.hpp"

namespace bcconform::protocol {

namespace detail {
/// The +QIRD header announces a payload by count (AN 2.1.5).
inline constexpr std::string_view qird_prefix = "+QIRD";
}  // namespace detail

struct stream_parser::impl {
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

  impl(const stream_context& c, event_sink& s, parser_limits l)
      : ctx(c),
        sink(s),
        limits(l),
        line_buf(new char[l.max_line + 1]),
        pay_buf(new char[l.max_payload * 2 + 1]) {
    detail::warm_up_classifier();
  }

  const stream_context& ctx;
  event_sink& sink;
  parser_limits limits;

  std::unique_ptr<char[]> line_buf;  // a line that straddles chunks
  std::unique_ptr<char[]> pay_buf;   // a payload that straddles chunks

  state st = state::line_start;
  std::uint64_t pos = 0;         // stream offset of the next byte
  std::uint64_t span_start = 0;  // first byte no event accounts for yet

  // Current chunk, for converting pointers to offsets.
  const char* chunk = nullptr;
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
  payload_plan plan;
  std::uint64_t pay_off = 0;
  std::uint64_t pay_seen = 0;
  const char* pay_ptr = nullptr;  // payload start inside the current chunk, or nullptr
  std::size_t pay_len = 0;        // bytes held in pay_buf

  std::size_t echo_pos = 0;     // data-echo bytes matched so far
  bool skip_data_echo = false;  // the byte at hand already failed to match the data echo

  std::uint64_t off(const char* p) const noexcept {
    return chunk_off + static_cast<std::uint64_t>(p - chunk);
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
  const char* on_gt(const char* p) noexcept;
  const char* on_prompt_gt(const char* p) noexcept;
  const char* on_in_line(const char* p, const char* end) noexcept;
  const char* on_inline_scan(const char* p, const char* end) noexcept;
  const char* on_overflow(const char* p, const char* end) noexcept;
  const char* on_payload(const char* p, const char* end) noexcept;
  const char* on_data_echo(const char* p, const char* end) noexcept;

  void begin_line(const char* p) noexcept;
  std::string_view line_text(const char* p) noexcept;
  void complete_line(const char* eol) noexcept;
  void start_payload(const payload_plan& next, const char* data_start) noexcept;
  void emit_data(std::string_view wire, std::uint64_t at, std::uint64_t end, diagnostic d) noexcept;
  void emit_truncated(event_kind k, std::string_view bytes, std::uint64_t at) noexcept;

  enum class inline_verdict : std::uint8_t { header, not_yet, never };
  inline_verdict inline_header_at(std::string_view text, payload_plan& out) const noexcept;
  payload_plan classify_and_emit(std::string_view text, std::uint64_t end) noexcept;
  bool emit_urc(const detail::line_class& lc, event& e, payload_plan& next) noexcept;
  payload_plan qird_plan(std::string_view params, event& e) const noexcept;
  payload_plan recv_plan(std::string_view params, event& e) const noexcept;
  std::uint64_t wire_size(std::uint64_t n) const noexcept {
    return ctx.recv_format == data_format::hex ? n * 2 : n;  // E46
  }
};

}  // namespace bcconform::protocol
