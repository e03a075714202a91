// Runs one scenario against one module link and returns its verdict.
//
// The engine reads the module's bytes with protocol::stream_parser and session_tracker and sorts
// the events as they are decoded: responses (echo, information lines, prompt, payloads and the
// final result of the command in flight, in order) and asynchronous lines (URCs, which may
// arrive at any time and wait in a queue until a `urc` step claims them). Each step runs to
// completion or to its deadline; the first failure's reason is kept and the verdict only gets
// worse; teardown always runs, after a failure, an error or an interrupt. At the end, queued
// URCs that no step claimed and no ignore pattern covers make the case fail or inconc by the
// scenario's policy.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "bcconform/peer/host.hpp"
#include "bcconform/runner/results.hpp"
#include "bcconform/scenario/model.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::runner {

/// What the engine may use besides the module link. Borrowed for one case.
struct case_context {
  transport::transport* link = nullptr;  ///< required; its clock() is the engine's clock
  peer::host* peers = nullptr;           ///< nullptr: peer steps give `error`
  /// Variables defined outside the scenario, highest precedence first already applied:
  /// command line > lab > built-ins (scenario and file vars go under these).
  std::map<std::string, std::string> vars;
  std::vector<std::string> ignore_urcs;  ///< run-level patterns (lab file), added to the case's
  std::string peer_bind_address = "127.0.0.1";
  /// Runs a named hook (reset, wake, power-cycle); returns an error text or "" on success.
  std::function<std::string(const std::string& name)> hook;
  /// Sends one control-channel line and returns the reply line; nullopt-like failure as error
  /// text in `error`. Absent: control steps give `error`.
  std::function<bool(const std::string& line, std::string& reply, std::string& error)> control;
  /// Set asynchronously (SIGINT/SIGTERM): the current step finishes, teardown runs, the case
  /// ends `interrupted` unless it already failed or errored.
  const std::atomic<bool>* interrupt = nullptr;
  /// A note into the transcript side file ("step 3: expect"); optional.
  std::function<void(const std::string&)> note;
};

/// Runs setup, steps and teardown of `s`. Fills id/title/file/line/spec/tags/errata, verdict,
/// failure, seconds (on the link's clock) and per-command timings. The transcript fields are
/// the caller's (it owns the tap).
case_result run_case(const scenario::scenario& s, const case_context& ctx);

}  // namespace bcconform::runner
