// A whole run: selection, readiness of the module, one case after another with a fresh
// transcript side file each, reports rewritten after every case, interrupts.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/result.hpp"
#include "bcconform/runner/engine.hpp"
#include "bcconform/runner/results.hpp"
#include "bcconform/scenario/lab.hpp"
#include "bcconform/scenario/model.hpp"
#include "bcconform/transport/tap.hpp"

namespace bcconform::runner {

struct shard {
  int index = 0;  ///< 0-based
  int total = 1;
};

struct selection_options {
  std::vector<std::string> filters;   ///< globs on the scenario id (`*`, `?`); any may match
  std::vector<std::string> tags;      ///< a case needs at least one of these tags
  std::optional<shard> sharding;      ///< case i (in the selection order) goes to i % total
  std::vector<std::string> only_ids;  ///< --rerun-failed: the ids to run again
};

struct selected_case {
  const scenario::scenario* scenario = nullptr;
  const scenario::suite_file* file = nullptr;
  /// Position among every loaded scenario (file order, then scenario order), before any
  /// filter: the same in every shard, so it names the case's transcript file.
  int index = 0;
};

/// The cases to run, in file order then scenario order. Deterministic, so every shard computes
/// the same list and each case lands in exactly one shard.
std::vector<selected_case> select(const std::vector<scenario::suite_file>& files,
                                  const selection_options& o);

/// Shard from GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX when both are set and valid.
std::optional<shard> shard_from_environment();

/// "I/N" (1-based I, as people count shards) into a shard; nullopt unless 1 <= I <= N.
std::optional<shard> parse_shard(std::string_view text);

/// Whole-string glob: `*` any run of bytes, `?` one byte, everything else itself.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

// ---- applicability ----------------------------------------------------------------------------

/// What the target offers, decided before any byte is sent (the ICS of the run).
struct target_facts {
  std::set<std::string> capabilities;  ///< network, deep-sleep, control-channel, udp-service...
  bool peer_reachable = false;         ///< the module can reach peers the harness binds
};

/// Why `s` cannot run on the target, or "" when it can: "target lacks capability X" for the
/// first entry of `requires` the target does not offer; a peer step (setup, steps or teardown)
/// without a reachable peer address.
std::string inapplicable_reason(const scenario::scenario& s, const target_facts& t);

// ---- the plan -----------------------------------------------------------------------------------

/// One line of the run: a case to run (attempt n of --repeat), or one the report lists with a
/// verdict decided without running it (filtered, not_applicable).
struct planned_case {
  selected_case selected;
  int attempt = 1;
  verdict preset = verdict::not_run;  ///< not_run: to be run
  std::string reason;                 ///< for filtered / not_applicable
};

struct plan_options {
  selection_options selection;
  target_facts target;
  int repeat = 1;  ///< each selected case this many times in a row (attempt 1..repeat)
};

/// Every loaded scenario in file order: the selected ones (each `repeat` times, not_applicable
/// ones once), and the others as `filtered` with the option that excluded them.
std::vector<planned_case> make_plan(const std::vector<scenario::suite_file>& files,
                                    const plan_options& o);

/// "<folder>/<file stem>" of `file` relative to `root` (see case_result::suite).
std::string suite_name(const std::string& file, const std::string& root);
/// The deepest directory holding every file (lexically; "." when they share none).
std::string common_root(const std::vector<scenario::suite_file>& files);

// ---- a whole run --------------------------------------------------------------------------------

struct run_options {
  /// Case variables, precedence already applied: --var > lab vars > built-ins.
  std::map<std::string, std::string> vars;
  std::vector<std::string> ignore_urcs;  ///< the lab's
  std::string peer_bind_address = "127.0.0.1";
  /// Checked once per run on the first module that answers; mismatch refuses the run.
  scenario::module_identity expected_identity;
  /// Wait for `AT` -> OK after every fresh module and read ATI / AT+CGMR once. Off for a
  /// replay target, whose recording holds only the cases' bytes.
  bool probe_module = true;
  /// The line a freshly started module prints when it has booted ("RDY"), awaited before the
  /// first `AT`; "" when the module is not started per case (its boot may be long past).
  std::string boot_marker;
  std::chrono::milliseconds ready_timeout{20000};
  std::chrono::milliseconds ready_interval{500};
  std::chrono::milliseconds identity_timeout{5000};  ///< per identity command
  /// Transcript side files go to <report_dir>/<transcript_subdir>/<NNNN>.bctr (the directory
  /// must exist); case_result::transcript_file is relative to report_dir.
  std::string report_dir = "reports";
  std::string transcript_subdir = "transcripts";
  std::string suite_root = ".";  ///< for case_result::suite
  /// Set asynchronously by SIGINT/SIGTERM: the running case ends `interrupted` after its step
  /// and teardown, the others are marked `interrupted` without running.
  const std::atomic<bool>* interrupt = nullptr;
};

/// What the front end supplies: everything that touches processes, sockets and files other
/// than the transcripts. Every callback is called on run_all()'s thread.
struct run_callbacks {
  /// Brings the module to a fresh state for the next case (restarts the emulator, runs the
  /// lab's reset hook, reopens a link that broke) and returns the tapped link, owned by the
  /// front end and valid until the next call. `previous_error`: the previous case ended with
  /// verdict error, so its link may be dead.
  std::function<protocol::result<transport::tap*>(bool previous_error)> fresh_module;
  /// The results changed (before the first case with every case not_run, after each case):
  /// the front end rewrites its reports.
  std::function<void(const run_results&)> publish;
  /// A case is about to run / has ended (progress output). Optional.
  std::function<void(const case_result&)> case_started;
  std::function<void(const case_result&)> case_done;
  /// For case_context (optional).
  std::function<std::string(const std::string& name)> hook;
  std::function<bool(const std::string& line, std::string& reply, std::string& error)> control;
  /// The engine; runner::run_case when empty (tests substitute a fake).
  std::function<case_result(const scenario::scenario&, const case_context&)> engine;
};

enum class run_outcome {
  completed,    ///< every planned case has a verdict
  interrupted,  ///< the interrupt flag stopped the run
  refused,      ///< the module's identity does not match the lab file: nothing ran
};

struct run_report {
  run_results results;
  run_outcome outcome = run_outcome::completed;
  std::string message;  ///< refused: why (which field, pattern and text)
};

/// Runs the plan: for each case to run a fresh module, readiness, the identity check (first
/// time only), a transcript side file, the engine. `info` is completed with the identity.
run_report run_all(const std::vector<planned_case>& plan, run_info info, const run_options& o,
                   const run_callbacks& cb);

// ---- readiness and identity ---------------------------------------------------------------------

/// Sends `AT` every `interval` until a line `OK` comes back or `timeout` passes (reads are
/// deadline-bounded, never sleeps); reads one byte at a time so nothing after that OK is
/// consumed. Afterwards, if more than one `AT` went out, drains late answers until the link
/// stays quiet for `interval`. With a `boot_marker` ("RDY" for a module just started), sends
/// nothing before that line arrives. Error text on failure ("" on success).
std::string wait_until_ready(transport::transport& link, std::chrono::milliseconds timeout,
                             std::chrono::milliseconds interval,
                             const std::atomic<bool>* interrupt = nullptr,
                             std::string_view boot_marker = {});

struct module_reply {
  std::vector<std::string> lines;  ///< information lines: no echo, no blanks, no final result
  bool ok = false;                 ///< the final result was OK
};

/// Sends `command` + CR and collects its information lines until a final result or `timeout`.
protocol::result<module_reply> query(transport::transport& link, std::string_view command,
                                     std::chrono::milliseconds timeout);

/// Reads ATI and AT+CGMR into `info` (module_identity, firmware) and checks them against
/// `expected`. Error text when a query fails or a pattern does not match, "" otherwise.
std::string read_identity(transport::transport& link, const scenario::module_identity& expected,
                          std::chrono::milliseconds timeout, run_info& info);

// ---- verdicts of a run, against a baseline ------------------------------------------------------

/// Expected verdicts per scenario id (specs/formats/baseline.md).
struct baseline {
  std::map<std::string, verdict> expected;
};

struct run_summary {
  std::map<verdict, int> counts;           ///< per verdict, every case of the results
  int failed = 0;                          ///< fail (and inconc when it counts as failure)
  int errored = 0;                         ///< error
  int ran = 0;                             ///< cases other than filtered / not_applicable
  std::vector<std::string> newly_failing;  ///< baseline given: "id: expected -> got"
  std::vector<std::string> newly_passing;  ///< baseline given: "id: expected -> pass"
  std::vector<std::string> still_failing;  ///< baseline given: failures the baseline expects
};

/// Counts verdicts. With a baseline, a case whose verdict equals its expected verdict counts
/// neither as failed nor as errored; a case absent from the baseline is expected to pass.
run_summary summarize(const run_results& r, bool inconc_is_failure, const baseline* b = nullptr);

}  // namespace bcconform::runner
