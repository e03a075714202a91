// What a run found: one case_result per selected scenario, plus the facts about the run that
// reports print. Produced by the runner, read by the report writers (report/).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::runner {

/// TTCN-3 verdicts (ETSI ES 201 873-1 §24) plus the harness's own outcomes. `pass` < `inconc`
/// < `fail` < `error` in severity; a case's verdict only gets worse (see worsen()).
enum class verdict {
  not_run,         ///< selected, not yet run (the state of every case in the first report)
  pass,
  inconc,          ///< a precondition was not reached (no network attach, ...)
  fail,            ///< the module did something the spec forbids
  error,           ///< harness, transport or peer fault
  not_applicable,  ///< the target lacks a required capability (reason says which)
  filtered,        ///< excluded by --filter / --tag / --shard / --rerun-failed
  interrupted,     ///< the run was interrupted before or during this case
};

std::string_view to_string(verdict v) noexcept;
/// The worse of two verdicts. Total order, least to most severe:
///   not_run < filtered < pass < not_applicable < inconc < interrupted < fail < error.
/// So not_run is replaced by anything; an outcome of a case that ran replaces filtered;
/// interrupted replaces pass/not_applicable/inconc but a fail or error seen before the
/// interrupt is kept. Ties keep `current`.
verdict worsen(verdict current, verdict next) noexcept;

/// Why a case is not `pass`: the first failure's reason is kept.
struct failure_info {
  std::string step;      ///< "specs/x.yaml:12" (the step's file:line)
  std::string kind;      ///< the step kind: "expect", "urc", "peer", ... or "transport"
  std::string message;   ///< one line
  std::string expected;  ///< may be empty
  std::string got;       ///< may be empty
};

/// One command's response time (AN chapter 2 "maximum response time").
struct command_timing {
  std::string command;  ///< "AT+QIOPEN" (name only, no parameters)
  double seconds = 0;
  double limit_seconds = 0;  ///< from the command table; 0 = none documented
  bool within_limit() const { return limit_seconds <= 0 || seconds <= limit_seconds; }
};

struct case_result {
  std::string id;          ///< untrusted: escape before printing, never a path
  std::string title;
  std::string file;        ///< the scenario file, as given
  int line = 0;            ///< where the scenario starts
  std::string suite;       ///< "<folder>/<file stem>" relative to the run's root, for grouping
  std::vector<std::string> spec;
  std::vector<std::string> tags;
  std::vector<std::string> errata;
  verdict result = verdict::not_run;
  std::optional<failure_info> failure;  ///< for inconc/fail/error; the first one
  std::string reason;                   ///< not_applicable / filtered / interrupted: why
  double seconds = 0;
  std::vector<command_timing> timings;
  /// The last records of the case's transcript (raw bytes, bounded), for system-out.
  std::vector<protocol::transcript_record> transcript_tail;
  std::string transcript_file;  ///< side file, relative to the report directory; "" if none
  int attempt = 1;              ///< --repeat: which repetition this is
};

struct run_info {
  std::string harness_version;
  std::string target;          ///< the transport's describe()
  std::string model;           ///< BC25 / BC32
  std::string module_identity; ///< ATI lines joined with "; "
  std::string firmware;        ///< AT+CGMR revision
  std::string seed;
  std::string started_utc;     ///< ISO 8601
  std::string hostname;
  /// --inconc-is-failure: reports count inconc as a failure (JUnit <failure type="inconc">)
  /// instead of a skipped test.
  bool inconc_is_failure = false;
};

struct run_results {
  run_info info;
  std::vector<case_result> cases;  ///< in selection order
  bool interrupted = false;
};

}  // namespace bcconform::runner
