#include "verdicts.hpp"

namespace bcconform::runner::detail {
namespace {

const char* phase_name(phase p) {
  switch (p) {
    case phase::setup:
      return "setup";
    case phase::steps:
      return "steps";
    case phase::teardown:
      return "teardown";
  }
  return "?";
}

}  // namespace

void verdict_book::say(const std::string& text) const {
  if (note_) note_(text);
}

void verdict_book::problem(phase p, bool module_fault, failure_info info) {
  say(std::string(phase_name(p)) + " problem at " + info.step + " (" + info.kind +
      "): " + info.message);
  if (p == phase::teardown && !passing()) return;  // the case's outcome is decided already
  if (p != phase::steps) info.message = std::string(phase_name(p)) + ": " + info.message;
  verdict v = verdict::error;
  if (module_fault) v = p == phase::steps ? verdict::fail : verdict::inconc;
  decide(v, std::move(info));
}

void verdict_book::decide(verdict v, failure_info info) {
  const verdict before = verdict_;
  verdict_ = worsen(verdict_, v);
  if (!failure_ && verdict_ != before) failure_ = std::move(info);
}

void verdict_book::interrupt(std::string reason) {
  say("interrupted: " + reason);
  if (!interrupted_) interrupted_ = std::move(reason);
}

void verdict_book::finish(case_result& r) const {
  r.result = verdict_;
  r.failure = failure_;
  if (interrupted_) {
    r.result = worsen(verdict_, verdict::interrupted);
    if (r.result == verdict::interrupted) r.reason = *interrupted_;
  }
}

}  // namespace bcconform::runner::detail
