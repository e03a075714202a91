// Counting a run's verdicts, and comparing them with a baseline of expected verdicts
// (specs/formats/baseline.md), so CI fails on changes rather than on known firmware bugs.
#include "bcconform/runner/run.hpp"

namespace bcconform::runner {
namespace {

bool is_failure(verdict v, bool inconc_is_failure) {
  return v == verdict::fail || (inconc_is_failure && v == verdict::inconc);
}

bool is_bad(verdict v, bool inconc_is_failure) {
  return v == verdict::error || is_failure(v, inconc_is_failure);
}

std::string change(const case_result& c, verdict expected) {
  return c.id + ": " + std::string(to_string(expected)) + " -> " + std::string(to_string(c.result));
}

// A verdict that says nothing about the module: not compared with the baseline.
bool comparable(verdict v) {
  return v == verdict::pass || v == verdict::inconc || v == verdict::fail || v == verdict::error;
}

}  // namespace

run_summary summarize(const run_results& r, bool inconc_is_failure, const baseline* b) {
  run_summary s;
  for (const auto& c : r.cases) {
    ++s.counts[c.result];
    if (c.result != verdict::filtered && c.result != verdict::not_applicable) ++s.ran;
    verdict expected = verdict::pass;
    if (b != nullptr) {
      if (auto it = b->expected.find(c.id); it != b->expected.end()) expected = it->second;
    }
    const bool bad = is_bad(c.result, inconc_is_failure);
    if (b != nullptr && comparable(c.result) && c.result == expected) {
      if (bad) s.still_failing.push_back(change(c, expected));
      continue;
    }
    if (b != nullptr && comparable(c.result) && is_bad(expected, inconc_is_failure) && !bad) {
      s.newly_passing.push_back(change(c, expected));
      continue;
    }
    if (!bad) continue;
    if (b != nullptr) s.newly_failing.push_back(change(c, expected));
    if (c.result == verdict::error) {
      ++s.errored;
    } else {
      ++s.failed;
    }
  }
  return s;
}

}  // namespace bcconform::runner
