// The host side of the module link for the step engine: writes command lines and data-mode
// bytes, reads the module's bytes with deadlines on the link's clock, and decodes them with
// protocol::stream_parser and session_tracker.
//
// Decoded elements are sorted as they arrive:
//  - responses: echo, information lines, prompts, payloads and the final result of the commands
//    the host sent, in order (a module answers one command after the other, V.250 §5.7);
//  - asynchronous: URCs (AN 2.2), deferred results that follow an earlier final (SEND OK,
//    SEND FAIL, CLOSE OK: AN 2.1.2, 2.1.4, E15), and response-kind lines that arrived while no
//    command was waiting for an answer ("stray"), each waiting until a step claims it.
// A payload (after `+QIRD: <n>` AN 2.1.5, or a direct-push `+QIURC: "recv"` AN 2.2.2) is
// attached to its header, which is released only once the payload is complete.
//
// Each command's response time, from the end of the write of its line (or of its data-mode
// bytes) to the decoding of its final result, is measured on the link's clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"
#include "bcconform/runner/results.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::runner::detail {

/// One element the module sent: a line, a prompt, or payload bytes no header announced.
struct module_line {
  protocol::event_kind kind = protocol::event_kind::noise;
  std::string text;                    ///< the line without terminator; data: the payload
  std::optional<std::string> payload;  ///< the bytes announced by this header, as on the wire
  protocol::data_format payload_format = protocol::data_format::text;
  bool payload_inline = false;  ///< viewmode 1: `<header>,<payload>` on one line (AN 2.1.11)
  protocol::diagnostic diag = protocol::diagnostic::none;
  const protocol::urc_spec* urc = nullptr;
  const protocol::final_spec* final = nullptr;
  bool stray = false;  ///< a response-kind element while no command waited for an answer
  std::uint64_t offset = 0;

  bool is_final() const { return kind == protocol::event_kind::final; }
};

/// How a line shows in failure messages: the text as the note prints it, with markers for
/// what is not a plain line ("echo: ", "noise: ", "> ", " [diagnostic]"), control bytes escaped.
std::string render(const module_line& l);
/// The line and, on a line of its own, its payload.
std::vector<std::string> render_all(const module_line& l);

/// A command line the host sent and what became of it.
struct sent_command {
  std::string line;  ///< as sent, without CR
  std::string name;  ///< "AT+QIOPEN": for timings and messages
  const protocol::command_spec* spec = nullptr;
  protocol::data_mode data_mode = protocol::data_mode::none;  ///< of the form sent
  bool echo = false;       ///< echo was on when it was sent (ATE1)
  std::string data;        ///< data-mode bytes sent for it (the module may echo them)
  bool data_sent = false;  ///< the host wrote data-mode bytes for it
  bool answered = false;   ///< its final result has been decoded
  transport::time_point timer_start{};
};

/// The command name of a line for reports ("AT+QIOPEN"), its table entry and the data mode
/// of its form. The form is the one check_arguments() picks; for a line the table refuses, the
/// data-mode form with as many parameters as given (so `AT+QISEND=9` still counts as the
/// Ctrl+Z form).
void describe_command(std::string_view line, sent_command& out);

class module_link final : private protocol::event_sink {
 public:
  enum class wait_status { ready, timed_out, interrupted, link_down };

  /// Borrows the transport and the interrupt flag (may be null) for the link's lifetime.
  module_link(transport::transport& t, const std::atomic<bool>* interrupt);
  ~module_link() override;
  module_link(const module_link&) = delete;
  module_link& operator=(const module_link&) = delete;

  transport::time_point now() const { return transport_.clock().now(); }

  /// Writes `line` and CR. The command joins the queue of commands waiting for an answer; the
  /// session tracker learns it once the one before has its final result (pipelining).
  protocol::result<void> send_line(std::string_view line, transport::deadline until);
  /// Writes data-mode bytes for the most recent command (AN 2.1.4) and restarts its timer.
  protocol::result<void> send_data(std::string_view bytes, transport::deadline until);

  /// Reads until `ready()` holds, `until` passes, the link goes down, or (when
  /// `interruptible`) the interrupt flag is set. `ready()` is checked first, so what is already
  /// queued counts even after the deadline. Reads are sliced into at most 100 ms so that the
  /// interrupt flag is noticed promptly.
  wait_status wait(const std::function<bool()>& ready, transport::deadline until,
                   bool interruptible);

  std::deque<module_line>& responses() { return responses_; }
  std::deque<module_line>& async() { return async_; }
  const std::deque<module_line>& async() const { return async_; }
  /// A header whose payload has not been completed yet, if any.
  const std::optional<module_line>& staged() const { return staged_; }

  /// The oldest command whose response no step has consumed yet; nullptr if none.
  sent_command* in_flight() { return commands_.empty() ? nullptr : &commands_.front(); }
  /// The most recent command the host sent (the one data-mode bytes belong to).
  sent_command* latest() { return commands_.empty() ? nullptr : &commands_.back(); }
  /// The oldest command's response has been consumed by a step.
  void consume_command();
  /// Gives up on every command still waiting (after a timeout): their responses so far are
  /// dropped, and later response-kind lines count as stray until the next command is sent.
  void abandon_commands();

  /// The deferred-result budget (max_deferred) of the last command sent that has one.
  std::optional<std::chrono::milliseconds> last_deferred_budget() const { return last_deferred_; }

  /// Response times measured since the last call.
  std::vector<command_timing> take_timings();

  /// Set once a read or write failed other than by a timeout: the link is down for good.
  const std::optional<protocol::error>& failure() const { return failure_; }
  bool interrupted() const;
  const protocol::stream_context& context() const { return tracker_.context(); }

 private:
  void on_event(const protocol::event& e) override;
  bool expects_payload(const protocol::event& e) const;
  bool deferred_is_final(const protocol::final_spec& f) const;
  void adopt_unknown_command_line(module_line& l);
  void release(module_line l);
  void answer_next();
  void to_tracker(const std::string& line);
  void feed(std::string_view bytes);
  void pump(transport::deadline until);
  protocol::result<void> write(std::string_view bytes, transport::deadline until);
  sent_command* first_unanswered();

  transport::transport& transport_;
  const std::atomic<bool>* interrupt_;
  protocol::session_tracker tracker_;
  protocol::stream_parser parser_;
  std::optional<module_line> staged_;
  std::deque<module_line> responses_, async_;
  std::deque<sent_command> commands_;
  std::deque<std::string> backlog_;  // pipelined lines the tracker has not been told yet
  int tracker_outstanding_ = 0;      // lines told to the tracker whose final is not decoded
  std::vector<command_timing> timings_;
  std::optional<std::chrono::milliseconds> last_deferred_;
  std::optional<protocol::error> failure_;
  std::string read_buffer_;
};

}  // namespace bcconform::runner::detail
