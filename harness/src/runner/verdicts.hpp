// Verdict bookkeeping for one case (TTCN-3, ETSI ES 201 873-1 §24: the verdict only gets
// worse; the first reason is kept).
//
// What a problem counts as depends on where it happens:
//   setup:    fail -> inconc (a precondition was not reached), error -> error
//   steps:    fail -> fail, error -> error
//   teardown: only a case that has passed so far is changed: fail -> inconc, error -> error;
//             on a case already inconc/fail/error the problem is only noted
// An interrupt makes the case `interrupted` unless it already failed or errored.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "bcconform/runner/results.hpp"

namespace bcconform::runner::detail {

enum class phase { setup, steps, teardown };

class verdict_book {
 public:
  /// `note` (may be empty) receives a line for every problem, recorded or not.
  explicit verdict_book(std::function<void(const std::string&)> note) : note_(std::move(note)) {}

  verdict current() const { return verdict_; }
  bool passing() const { return verdict_ == verdict::pass; }

  /// A step's problem. `module_fault`: fail (by phase); otherwise error.
  void problem(phase p, bool module_fault, failure_info info);
  /// A verdict decided outside the steps (the unclaimed-URC policy): applied as is.
  void decide(verdict v, failure_info info);
  void interrupt(std::string reason);

  /// Writes verdict, failure and reason into `r`.
  void finish(case_result& r) const;

 private:
  void say(const std::string& text) const;

  std::function<void(const std::string&)> note_;
  verdict verdict_ = verdict::pass;
  std::optional<failure_info> failure_;
  std::optional<std::string> interrupted_;
};

}  // namespace bcconform::runner::detail
