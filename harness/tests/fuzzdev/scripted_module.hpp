// A module made of a script, on a fake clock: each command line the host completes (at CR) is
// handed to a responder, whose answer becomes readable after a delay. Reads that find nothing
// move the clock to their deadline, so the engine's waits cost no real time.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::fuzzdev::testing {

namespace tp = bcconform::transport;

class fake_clock final : public tp::clock {
 public:
  tp::time_point now() const override { return t; }
  tp::time_point t{std::chrono::hours(1)};
};

struct reply {
  std::string bytes;                   ///< "" = silence
  std::chrono::milliseconds delay{1};  ///< after the line's CR
};

/// The line as typed (CR excluded) and its number (1-based) → the reply.
using responder = std::function<reply(std::string_view line, int number)>;

class scripted_module final : public tp::transport {
 public:
  explicit scripted_module(responder r) : respond_(std::move(r)) {}

  /// After this many lines, reads fail with process_exited (0: never).
  int exit_after = 0;
  /// Host bytes seen, all of them.
  std::string written;
  int lines = 0;

  /// Bytes that become readable now (a RDY after a reset).
  void push(std::string bytes) { queue_.push_back({clock_.t, std::move(bytes)}); }
  fake_clock& fake() { return clock_; }

  tp::result<void> write(std::string_view bytes, tp::deadline) override {
    written.append(bytes);
    for (const char c : bytes) {
      if (c == '\r') {
        ++lines;
        reply r = respond_(line_, lines);
        if (!r.bytes.empty()) queue_.push_back({clock_.t + r.delay, std::move(r.bytes)});
        line_.clear();
      } else if (!(c == '\n' && line_.empty())) {
        line_ += c;
      }
    }
    return {};
  }

  tp::result<std::size_t> read(std::string& out, std::size_t max, tp::deadline until) override {
    if (exit_after > 0 && lines >= exit_after) {
      return tp::make_error(tp::errc::process_exited, "exited with status 1");
    }
    if (queue_.empty() || queue_.front().at > clock_.t) {
      const auto next = queue_.empty() ? until : std::min(until, queue_.front().at);
      clock_.t = std::max(clock_.t, next);
    }
    if (queue_.empty() || queue_.front().at > clock_.t) {
      return tp::make_error(tp::errc::timed_out, "");
    }
    std::string& bytes = queue_.front().bytes;
    const std::size_t n = std::min(max, bytes.size());
    out.append(bytes, 0, n);
    bytes.erase(0, n);
    if (bytes.empty()) queue_.pop_front();
    return n;
  }

  std::string describe() const override { return "scripted"; }
  void close() override {}
  const tp::clock& clock() const override { return clock_; }

 private:
  struct pending {
    tp::time_point at;
    std::string bytes;
  };
  responder respond_;
  fake_clock clock_;
  std::string line_;
  std::deque<pending> queue_;
};

/// What a well-behaved module without echo answers: the line as it executes it (backspace
/// edits, Ctrl+Z and Esc dropped) checked against the command table: OK if accepted, ERROR if
/// not (data-mode forms get ERROR: no socket is open), nothing for an empty line.
inline std::string well_behaved(std::string_view typed) {
  std::string line;
  for (const char c : typed) {
    if (c == '\x1a' || c == '\x1b') continue;
    if (c == '\x08') {
      if (!line.empty()) line.pop_back();
      continue;
    }
    line += c;
  }
  if (line.empty()) return {};
  auto parsed = protocol::parse_command_line(line);
  if (!parsed || !protocol::check_arguments(*parsed)) return "\r\nERROR\r\n";
  if (parsed->variant != nullptr && parsed->variant->data != protocol::data_mode::none) {
    return "\r\nERROR\r\n";
  }
  return "\r\nOK\r\n";
}

}  // namespace bcconform::fuzzdev::testing
