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
//
// Steps (deadlines count from the step's start, on the link's clock; peer steps on the steady
// clock):
//  send     `${}` substituted, written with CR. Commands may be pipelined; each `expect` takes
//           the oldest command whose response no step has consumed.
//  expect   waits for the final result (OK, ERROR, +CME ERROR: n; after data mode also a lone
//           SEND FAIL, AN 2.1.4 note 4), then matches the whole response, one matcher per
//           line: exact, `re` (RE2 FullMatch, named groups become variables), `{final: any}`,
//           `{payload: ...}` (the payload of the line before: +QIRD data). The command's own
//           echo is skipped. Fewer or more lines than listed fail. Matchers left after the
//           final may name a documented second-stage result (SEND OK/SEND FAIL, CLOSE OK),
//           which is then taken from the asynchronous queue within the command's max_deferred.
//           Default deadline: the command table's max_response; 5 s for unknown commands.
//  urc      the oldest queued asynchronous line that FullMatches, else the first that arrives;
//           claimed lines leave the queue; a direct-push payload comes with its header.
//           Default: max_deferred of the last command sent that has one, else 60 s. Lines
//           with an inline payload (viewmode 1) are matched without the `,<data>` part.
//  prompt   the `> ` of the command in flight (after its echo); anything else first fails.
//           Default 5 s.
//  data     the bytes, then: auto = Ctrl+Z unless the command in flight is the fixed-length
//           form (AT+QISEND=<id>,<len>, AT+QISENDEX=<id>,<len>), where nothing is added.
//  payload  the payload of the line the last `urc` step claimed (once). Payloads are compared
//           as data: hex receive format (AN 2.1.11) is decoded first.
//  peer     objects are bound to peer_bind_address; NAME.address/NAME.port name the local
//           end; connections also NAME.remote_address/NAME.remote_port (the module's end).
//  wait     reads meanwhile (URCs are queued); hook, control: see case_context.
// Variables: scenario vars < ctx.vars < values set during the run (captures, peer names).
// `$$` is a literal `$`; in patterns substituted values match literally (quoted).
//
// Verdicts: a step problem is `fail` when the module misbehaved (mismatch, timeout, a response
// slower than the table's maximum response time), `error` for the harness (link down,
// undefined variable, bad pattern, missing hook/control/peer host, socket errors). Setup
// problems count as inconc (error stays error); teardown problems only change a case that has
// passed so far (fail -> inconc, error -> error). The first problem stops setup or steps;
// teardown runs every step. After the steps completed, unclaimed lines apply the policy and
// bytes the parser classed as noise fail. Interrupt: the running step ends (waits notice the
// flag within 100 ms), remaining steps are skipped, teardown runs uninterruptibly, and the
// case is `interrupted` unless it failed or errored.
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
