// The streaming push parser for module-to-host bytes (component `protocol`: no I/O, no clock).
//
// Feed it any chunking of the byte stream; it calls an event_sink synchronously with typed
// events, each carrying its stream offset. It never allocates in feed(), never throws and keeps
// at most `parser_limits` bytes of its own; the same bytes in any chunking give the same events.
//
// What the bytes cannot say comes from a stream_context the caller owns and may change at any
// time, including from inside the sink callback (session_tracker does exactly that).
//
// Framing rules and where they come from:
//  - Lines end at CR, LF or CR LF; runs of CR/LF between lines are separators (V.250 §5.7.1,
//    AN 2.2 "<CR><LF>+QIURC: ...<CR><LF>"). `AT\r\r\n` is echo "AT" then a separator.
//  - Final results match whole lines only: `SEND OK` is not `OK` (parsers.md §3.2).
//  - `> ` at a line start is the data-mode prompt, recognised without a line end (AN 2.1.4).
//    While a data-mode command is in flight, '>' alone is the prompt, taken at once (a module
//    that sends no space is not waited for); a space that follows is then a separator.
//  - Payloads are delimited by their announced length, never by scanning for OK: after
//    `+QIRD: <n>[,<rem>]` (AN 2.1.5) and after a direct-push `+QIURC: "recv",<id>,<n>`
//    (AN 2.2.2, E2), on the next line (viewmode 0) or inline after a comma (viewmode 1,
//    AN 2.1.11), as 2*n hex digits when the receive data format is hex (E46).
//  - An overlong line costs only that line: the parser resynchronises at its line end.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "bcconform/protocol/command_table.hpp"

namespace bcconform::protocol {

enum class event_kind : std::uint8_t { echo, info, final, urc, prompt, data, noise, overflow };

std::string_view to_string(event_kind k) noexcept;

/// Remarks an event can carry; the event is still delivered.
enum class diagnostic : std::uint8_t {
  none,
  truncated,        ///< the stream ended (finish()) inside this line, payload or echo
  unframed,         ///< direct-push data without a length: delimited by its line end (E2)
  bad_header,       ///< a payload header whose length is unreadable or over the limit
  bad_hex,          ///< hex receive format, but the payload has a non-hex digit
  partial_echo,     ///< data-mode echo stopped matching the bytes sent
  unknown_urc,      ///< a `+X:` line outside any command, not in the command table
  test_form_shape,  ///< prefix shared by a URC and a test answer; decided by shape (AN 2.1.8)
};

std::string_view to_string(diagnostic d) noexcept;

/// Socket data access mode (AN 1.2, AN 2.1.1 <access_mode>).
enum class access_mode : std::uint8_t { buffer = 0, direct_push = 1 };
/// AT+QICFG="dataformat" values (AN 2.1.11).
enum class data_format : std::uint8_t { text = 0, hex = 1 };

/// One event. Every view is valid only during the sink callback: copy what you keep.
struct event {
  event_kind kind = event_kind::noise;
  std::uint64_t offset = 0;      ///< stream offset of the first byte of `bytes` (prompt: of '>')
  std::uint64_t span_begin = 0;  ///< first stream byte this event accounts for, including the
                                 ///< separators before it; spans are contiguous
  std::uint64_t span_end = 0;    ///< one past the last byte it accounts for
  std::string_view bytes;        ///< line text without terminator; payload bytes as on the wire
  std::string_view name;         ///< "OK", "CME ERROR", "recv", "QIRD", "ATI", "" when none
  std::uint64_t length = 0;      ///< overflow: whole line length; data: payload bytes (decoded)
  int connect_id = -1;           ///< data events and recv URCs; -1 when unknown
  data_format format = data_format::text;  ///< data events
  diagnostic diag = diagnostic::none;
  const command_spec* command = nullptr;  ///< info: the command the line answers
  const urc_spec* urc = nullptr;          ///< urc: the table entry, nullptr if unknown
  const final_spec* final = nullptr;      ///< final: the table entry
};

class event_sink {
 public:
  virtual ~event_sink() = default;
  /// Called synchronously from feed()/finish(). May change the parser's stream_context.
  virtual void on_event(const event& e) = 0;
};

/// What the parser must be told because the bytes cannot say it. Owned by the caller.
struct stream_context {
  static constexpr int max_sockets = protocol_limits::connect_id_max + 1;

  std::array<access_mode, max_sockets> access{};  ///< per connect ID (AN 2.1.1, 2.1.7, 2.2.5)
  int viewmode = 0;                               ///< AT+QICFG="viewmode" (AN 2.1.11)
  bool showlength = false;                        ///< AT+QICFG="showlength" (AN 2.1.11)
  data_format send_format = data_format::text;
  data_format recv_format = data_format::text;
  bool echo = true;  ///< ATE1 is the default (emulator.md §1.2)

  /// The command the host sent last and whose final result has not been seen.
  struct in_flight {
    const command_spec* spec = nullptr;  ///< nullptr: no command known to be in flight
    form kind = form::exec;
    int connect_id = -1;           ///< first parameter, for AT+QIRD payload attribution
    bool prompt_expected = false;  ///< a data-mode form: `>` alone is a prompt
    std::string_view echo_text;    ///< the line as sent, without CR; "" = none expected
  } command;

  /// Data-mode bytes the host sent that the module is expected to echo (echo on). "" = none.
  std::string_view pending_data_echo;
};

struct parser_limits {
  /// Longest line kept; longer ones become `overflow`. The longest line the note's commands
  /// produce is the echo of AT+QISENDEX with 512 bytes as 1024 hex digits (AN 2.1.6), about
  /// 1050 bytes; the default leaves room for it.
  std::size_t max_line = 2048;
  std::size_t max_payload = 1500;  ///< largest announced payload length accepted, in bytes
};

/// The push parser. Not copyable; one instance per byte stream.
class stream_parser {
 public:
  /// `ctx` and `sink` must outlive the parser. Allocates its buffers here, never in feed(),
  /// finish() or reset().
  stream_parser(const stream_context& ctx, event_sink& sink, parser_limits limits = {});
  ~stream_parser();
  stream_parser(const stream_parser&) = delete;
  stream_parser& operator=(const stream_parser&) = delete;

  /// Consumes all of `bytes`, emitting every event completed by them.
  void feed(std::string_view bytes) noexcept;

  /// End of stream: a partial line or payload is reported (noise, diagnostic::truncated).
  /// The parser can be fed again afterwards, as if a new line began.
  void finish() noexcept;

  /// Starts a new byte stream, as a new parser with the same context, sink and limits would:
  /// offsets count from 0 again and nothing fed before is kept or reported (call finish()
  /// first to report a partial element). Keeps the buffers, so a parser can serve stream after
  /// stream without allocating, e.g. after a module reset or a reconnect.
  void reset() noexcept;

  /// Total bytes fed so far.
  std::uint64_t offset() const noexcept;

  /// Bytes fed but not yet accounted for by any event: separators (CR, LF, and the one space
  /// that follows a prompt taken at '>') and a partial element. After finish() only
  /// separators remain.
  std::uint64_t pending() const noexcept;

  const parser_limits& limits() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace bcconform::protocol
