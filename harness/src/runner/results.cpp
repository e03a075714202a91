#include "bcconform/runner/results.hpp"

namespace bcconform::runner {
namespace {

// One total order over every verdict, least to most severe. The TTCN-3 verdicts keep their
// order (ETSI ES 201 873-1 §24.1: pass < inconc < fail < error). The harness's own outcomes
// sit where they carry the most information:
//  - not_run is the identity: any verdict replaces it and it replaces nothing;
//  - filtered is a selection decision, so any outcome of a case that did run replaces it;
//  - not_applicable outranks pass (a capability turned out to be missing after some steps
//    passed, so the pass proves nothing) but yields to inconc/fail/error, which carry a
//    failure_info with evidence;
//  - interrupted outranks pass, not_applicable and inconc (the case did not finish, so they
//    are not its outcome) and yields to fail and error: a failure seen before the interrupt
//    is real evidence and is kept.
int rank(verdict v) noexcept {
  switch (v) {
    case verdict::not_run:
      return 0;
    case verdict::filtered:
      return 1;
    case verdict::pass:
      return 2;
    case verdict::not_applicable:
      return 3;
    case verdict::inconc:
      return 4;
    case verdict::interrupted:
      return 5;
    case verdict::fail:
      return 6;
    case verdict::error:
      return 7;
  }
  return 7;  // an out-of-range value is treated as the worst
}

}  // namespace

std::string_view to_string(verdict v) noexcept {
  switch (v) {
    case verdict::not_run:
      return "not_run";
    case verdict::pass:
      return "pass";
    case verdict::inconc:
      return "inconc";
    case verdict::fail:
      return "fail";
    case verdict::error:
      return "error";
    case verdict::not_applicable:
      return "not_applicable";
    case verdict::filtered:
      return "filtered";
    case verdict::interrupted:
      return "interrupted";
  }
  return "unknown";
}

verdict worsen(verdict current, verdict next) noexcept {
  return rank(next) > rank(current) ? next : current;
}

}  // namespace bcconform::runner
