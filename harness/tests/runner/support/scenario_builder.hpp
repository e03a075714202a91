// Scenarios built in C++ for engine tests: each step gets file "t.yaml" and the next line
// number (the scenario itself is line 1), so failures can be checked by `file:line`.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "bcconform/runner/engine.hpp"
#include "bcconform/scenario/model.hpp"
#include "fake_transport.hpp"

namespace bcconform::runner_test {

namespace sc = bcconform::scenario;

sc::line_matcher exact(std::string text);
sc::line_matcher re(std::string pattern);
sc::line_matcher any_final();
sc::line_matcher payload_text(std::string bytes);
sc::line_matcher payload_hex(std::string digits);
sc::line_matcher payload_length(std::size_t n);
sc::line_matcher payload_re(std::string pattern);

class builder {
 public:
  explicit builder(std::string id = "case");

  builder& setup();     ///< the following steps go to setup
  builder& steps();     ///< ... to steps (the default)
  builder& teardown();  ///< ... to teardown

  builder& send(std::string line);
  builder& expect(std::vector<sc::line_matcher> lines, std::optional<ms> timeout = {});
  /// expect with plain exact lines.
  builder& expect_lines(std::vector<std::string> lines, std::optional<ms> timeout = {});
  builder& urc(std::string pattern, std::optional<ms> timeout = {});
  builder& prompt(std::optional<ms> timeout = {});
  builder& data(std::string text, sc::data_step::end e = sc::data_step::end::automatic);
  builder& data_hex(std::string digits, sc::data_step::end e = sc::data_step::end::automatic);
  builder& payload(sc::payload_step p);
  builder& peer(sc::peer_step p);
  builder& wait(ms time);
  builder& hook(std::string name);
  builder& control(std::string line, std::optional<std::string> reply = {});
  builder& var(std::string name, std::string value);
  builder& ignore(std::string pattern);
  builder& unclaimed(sc::unclaimed_policy p);
  /// The line number the next step will get.
  int next_line() const { return line_ + 1; }

  sc::scenario build() const { return s_; }
  operator sc::scenario() const { return s_; }  // NOLINT(implicit)

 private:
  builder& add(sc::step_body body);

  enum class phase { setup, steps, teardown };
  sc::scenario s_;
  phase into_ = phase::steps;
  int line_ = 1;
};

/// A string from a literal that may hold NUL bytes.
template <std::size_t N>
std::string bin(const char (&s)[N]) {
  return std::string(s, N - 1);
}

/// "t.yaml:<line>".
std::string at_line(int line);

/// The context every engine test uses: the fake link, an interrupt flag, notes collected.
struct engine_harness {
  fake_transport link;
  std::atomic<bool> interrupt{false};
  std::vector<std::string> notes;
  runner::case_context ctx;

  engine_harness();
  runner::case_result run(const sc::scenario& s);
  /// True if some note starts with `prefix`.
  bool noted(const std::string& prefix) const;
};

}  // namespace bcconform::runner_test
