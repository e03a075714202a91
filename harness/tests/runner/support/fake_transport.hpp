// A scripted module link for engine tests: module bytes delivered at fake-clock times in any
// chunking, replies to host writes, failures and actions at chosen times. Nothing sleeps: a
// read that would wait advances the fake clock to the next scripted moment (or its deadline).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bcconform/transport/transport.hpp"

namespace bcconform::runner_test {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;
namespace tp = bcconform::transport;

/// Starts at an arbitrary fixed point; moves only when told.
class fake_clock final : public tp::clock {
 public:
  tp::time_point now() const override { return now_; }
  void advance_to(tp::time_point t) {
    if (t > now_) now_ = t;
  }
  /// The fake time since the start, for assertions.
  ms elapsed() const { return std::chrono::duration_cast<ms>(now_ - start_); }
  tp::time_point at(ms since_start) const { return start_ + since_start; }

 private:
  tp::time_point start_{std::chrono::hours(1)};
  tp::time_point now_{start_};
};

class fake_transport final : public tp::transport {
 public:
  /// Module bytes that arrive `at` after the start.
  void deliver(std::string bytes, ms at);
  /// Module bytes that arrive `after` from now.
  void deliver_in(std::string bytes, ms after);
  /// Called with every command line the host completes (the text before CR), after the
  /// exchanges have been matched: for tests whose answers depend on what was sent.
  void on_line(std::function<void(const std::string&)> hook) { line_hook_ = std::move(hook); }
  /// When the host has written `host_bytes` (next in order after the previous exchange), the
  /// module answers `module_bytes` `after` later. Exchanges are matched in the order given;
  /// host bytes that do not continue the next exchange are recorded as a mismatch.
  fake_transport& on_write(std::string host_bytes, std::string module_bytes, ms after = 5ms);
  /// Another answer to the same exchange, `after` its host bytes.
  fake_transport& then(std::string module_bytes, ms after);
  /// Runs `action` once the clock reaches `at` (checked whenever the engine reads or writes).
  void at(ms at, std::function<void()> action);
  /// Runs `action` when the host bytes of the latest exchange are written.
  fake_transport& and_do(std::function<void()> action);
  /// From `at` on, reads (after the bytes due before it) and writes fail with `e`.
  void fail_at(ms at, tp::errc e, std::string detail = "scripted");
  /// Delivers at most `n` bytes per read (1: every byte on its own).
  void set_chunk(std::size_t n) { chunk_ = n; }

  tp::result<void> write(std::string_view bytes, tp::deadline until) override;
  tp::result<std::size_t> read(std::string& out, std::size_t max, tp::deadline until) override;
  std::string describe() const override { return "fake:"; }
  void close() override { closed_ = true; }
  const tp::clock& clock() const override { return clock_; }

  fake_clock& time() { return clock_; }
  const std::string& written() const { return written_; }
  /// Host bytes that matched no exchange, escaped ("" when every write was expected).
  const std::string& mismatch() const { return mismatch_; }
  /// Exchanges whose host bytes never came.
  std::size_t pending_exchanges() const { return exchanges_.size() - next_exchange_; }
  std::size_t reads() const { return reads_; }
  bool closed() const { return closed_; }

 private:
  struct reply {
    ms after;
    std::string bytes;
  };
  struct exchange {
    std::string host;
    std::vector<reply> replies;
    std::vector<std::function<void()>> actions;
  };
  struct scheduled {
    tp::time_point at;
    std::size_t order;
    std::string bytes;
  };

  void run_due();
  void match_writes();
  tp::time_point next_moment() const;

  fake_clock clock_;
  std::multimap<tp::time_point, std::string> deliveries_;
  std::multimap<tp::time_point, std::function<void()>> actions_;
  std::vector<exchange> exchanges_;
  std::size_t next_exchange_ = 0;
  std::string unmatched_host_;
  std::string inbox_;  // bytes due and not read yet
  std::string written_;
  std::string mismatch_;
  std::string host_line_;
  std::function<void(const std::string&)> line_hook_;
  std::size_t chunk_ = 4096;
  std::size_t reads_ = 0;
  bool has_failure_ = false;
  tp::time_point fail_time_{};
  tp::errc fail_code_ = tp::errc::ok;
  std::string fail_detail_;
  bool closed_ = false;
};

}  // namespace bcconform::runner_test
