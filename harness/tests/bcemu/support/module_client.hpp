// The host side of a serial line to a module, for end-to-end tests: writes command lines and
// data, and decodes everything the module sends with protocol::stream_parser and
// session_tracker, so tests assert on typed events rather than on byte patterns.
//
// Events are sorted into two queues as they are decoded:
//  - responses: the echo, information lines, prompts, payloads and the final result of the
//    command in flight (a command is answered in order);
//  - asynchronous: URCs and deferred results (SEND OK, CLOSE OK), which may arrive at any time.
// A payload (after `+QIRD:` or a direct-push `+QIURC: "recv"`) is attached to its header.
// Every wait takes a deadline; nothing sleeps.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"
#include "bcemu_process.hpp"

namespace bcconform::bcemu_test {

struct module_event {
  protocol::event_kind kind = protocol::event_kind::noise;
  std::string text;                    ///< the line without terminator (data: the payload)
  std::optional<std::string> payload;  ///< the bytes announced by this header, as on the wire
  bool payload_inline = false;         ///< viewmode 1: `<header>,<payload>` on one line
  protocol::diagnostic diag = protocol::diagnostic::none;  ///< of the line or of its payload
  const protocol::urc_spec* urc = nullptr;
  const protocol::final_spec* final = nullptr;
  int connect_id = -1;
  std::uint64_t offset = 0;
};

/// The form tests compare: one string per line as the note prints it ("+QIRD: 10",
/// "1234567890", "OK"; viewmode 1 "+QIRD: 10,2,0123456789"). What must not happen is marked so
/// that it shows in a failed comparison: "echo: ...", "noise: ...", "overflow: ...", "> " for a
/// prompt, and " [<diagnostic>]" after a line that carries one.
std::vector<std::string> render(const module_event& e);
std::vector<std::string> render(const std::vector<module_event>& events);

class module_client final : private protocol::event_sink {
 public:
  /// Borrows the descriptors (the same one twice for a pty or a socket); they must be
  /// non-blocking or are made so.
  module_client(int read_fd, int write_fd);
  ~module_client() override;
  module_client(const module_client&) = delete;
  module_client& operator=(const module_client&) = delete;

  /// Writes `line` and CR.
  bool send(std::string_view line);
  /// Writes every line (each with CR) in one write(), so the module reads them together; each
  /// is decoded as in flight once the previous one has its final result.
  bool send_pipelined(const std::vector<std::string>& lines);
  /// Writes data-mode bytes (after a prompt) or raw bytes as they are.
  bool send_data(std::string_view bytes);

  /// The answer to the oldest command not yet answered: its events after the echo (checked and
  /// dropped) up to and including the final result; nullopt if the deadline passed first.
  std::optional<std::vector<module_event>> response(deadline until);
  /// send() then response(), rendered. On a timeout the rendered events so far are followed by
  /// "<no final result before the deadline>".
  std::vector<std::string> command(std::string_view line, deadline until = in(step_budget));
  /// Waits for the data-mode prompt answering the command in flight (after its echo).
  bool await_prompt(deadline until);

  /// Removes and returns the first asynchronous event that satisfies `match`; later events
  /// stay queued, earlier ones too.
  std::optional<module_event> await(const std::function<bool(const module_event&)>& match,
                                    deadline until);
  std::optional<module_event> await_line(std::string_view text, deadline until = in(step_budget));
  std::optional<module_event> await_urc(protocol::urc_id id, deadline until = in(step_budget));

  /// Forgets the commands still waiting for an answer (a line the module dropped, e.g. one
  /// sent before it finished booting). Their answers, should they come, are not claimed.
  void abandon_unanswered();

  /// Asynchronous events decoded so far and not awaited, rendered (and removed).
  std::vector<std::string> take_async();

  /// What went wrong on the line so far, one description each: noise, overflow, payloads
  /// without a header, diagnostics other than `allowed`, and unclaimed responses.
  std::vector<std::string> problems(std::vector<protocol::diagnostic> allowed = {}) const;

  const std::vector<module_event>& history() const { return history_; }
  const std::string& received() const { return received_; }
  const std::string& sent() const { return sent_; }
  bool at_eof() const { return eof_; }
  const protocol::stream_context& context() const { return tracker_.context(); }

 private:
  struct sent_command {
    std::string line;
    bool echo = false;
    std::string data;  ///< data-mode bytes sent for it (the module may echo them)
  };

  void on_event(const protocol::event& e) override;
  bool expects_payload(const protocol::event& e) const;
  void release(module_event e);
  void to_tracker(const std::string& line);
  bool pump(deadline until);
  void feed(std::string_view bytes);
  bool write_all(std::string_view bytes, deadline until);

  int read_fd_, write_fd_;
  protocol::session_tracker tracker_;
  protocol::stream_parser parser_;
  std::optional<module_event> staged_;  // a header whose payload is still to come
  std::deque<module_event> responses_, async_;
  std::vector<module_event> history_;
  std::deque<sent_command> unanswered_;
  std::deque<std::string> backlog_;  // pipelined lines the tracker has not been told yet
  int tracker_outstanding_ = 0;      // lines told to the tracker and not finished
  std::string received_, sent_;
  bool eof_ = false;
};

}  // namespace bcconform::bcemu_test
