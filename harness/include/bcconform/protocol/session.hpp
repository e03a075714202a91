// session_tracker: keeps a stream_context true to a two-sided conversation, so a transcript
// decodes without hand-set flags. It sits between the parser and the real sink.
//
// From the host side it learns the command in flight (for echo matching, test-form answers,
// AT+QIRD payload attribution and prompts) and the data-mode bytes the module may echo. From
// the module side it learns the results that change framing:
//   ATE0/ATE1 OK                → echo            (V.250 §6.2.4)
//   AT+QIOPEN ... OK            → access mode     (AN 2.1.1 <access_mode>)
//   AT+QISWTMD=<id>,<m> OK      → access mode     (AN 2.1.7)
//   +QIURC: "incoming",<id>,... → buffer mode     (AN 2.2.5)
//   AT+QICFG set OK / +QICFG: "<key>",... → viewmode, showlength, data formats (AN 2.1.11)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/parser.hpp"

namespace bcconform::protocol {

class session_tracker : public event_sink {
 public:
  /// Each event is forwarded to `downstream` first (its views may point into the tracker),
  /// then the context is updated; the parser sees the update from its next byte on.
  explicit session_tracker(event_sink& downstream, stream_context initial = {});

  /// The context to give the parser. Stable address for the tracker's lifetime.
  const stream_context& context() const noexcept { return ctx_; }
  stream_context& context() noexcept { return ctx_; }

  /// Bytes the host wrote to the module: command lines ending in CR, or data-mode bytes after
  /// a prompt (until Ctrl+Z/Esc, or the fixed length).
  void on_host_bytes(std::string_view bytes);

  void on_event(const event& e) override;

  /// The last command line the host completed (without CR), parsed; empty when none.
  const parsed_command& last_command() const noexcept { return last_; }

 private:
  void on_command_byte(char c);
  void on_command_line(std::string_view line, std::string_view as_typed);
  void restart();
  void on_final(const event& e);
  void apply_qicfg(std::string_view key, int v1, int v2, bool has_v2);
  void on_data_byte(char c);

  event_sink& downstream_;
  stream_context ctx_;
  parsed_command last_;
  std::string host_line_;  // partial command line from the host, as edited
  std::string host_raw_;   // the same as typed (what the module echoes)
  std::string echo_text_;  // backing store for ctx_.command.echo_text
  std::string data_echo_;  // backing store for ctx_.pending_data_echo
  enum class host_mode : std::uint8_t { command, awaiting_prompt, data } host_ = host_mode::command;
  std::int64_t data_remaining_ = -1;  // fixed-length data mode; -1 = until Ctrl+Z/Esc
  bool after_cr_ = false;             // the last host byte ended a command line
};

}  // namespace bcconform::protocol
