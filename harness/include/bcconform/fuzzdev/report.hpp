// The device fuzzer's JSON report (--report FILE): the run's parameters, counts and every
// finding, with what reproduces each. Nothing in it depends on the wall clock, so two runs with
// the same seed against the same module give the same file (STYLE.md, anti-pattern 11).
//
//   {"tool": "bcconform fuzz-device", "target": "...", "seed": 1, "start": 0, "cases": 300,
//    "lines_sent": 742, "end": "completed", "end_detail": "",
//    "findings_by_kind": {"noise": 2, ...},
//    "findings": [{"kind": "noise", "case": 17, "seed": 1, "line": "AT+QIRD=0,5\\r",
//                  "description": "valid set AT+QIRD=<connectID>,<read_length>", "detail": "...",
//                  "evidence": "...", "reproduce": "--seed 1 --start 17 --count 1"}],
//    "coverage": [{"syntax": "AT+QIRD=<connectID>,<read_length>", "section": "AN 2.1.5",
//                  "cases": {"valid": 40, "boundary": 31, ...}, "params": 2,
//                  "params_bounded": 2}, ...],
//    "notes": ["..."]}
#pragma once

#include <array>
#include <string>
#include <vector>

#include "bcconform/fuzzdev/engine.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::fuzzdev {

struct report_context {
  std::string target;  ///< the transport's description
  std::uint64_t seed = 0;
  std::uint64_t start = 0;
  std::string filter_flags;  ///< "--allow-persistent --only +QIRD": added to each reproducer
};

/// One form of the command table and the cases a run sent in it, by case kind.
struct form_coverage {
  const protocol::command_spec* command = nullptr;
  const protocol::form_spec* form = nullptr;
  std::array<std::uint64_t, case_kind_count> by_kind{};
  std::size_t params = 0;          ///< parameters the form documents
  std::size_t params_bounded = 0;  ///< of those, sent at or beyond a bound
  std::uint64_t total() const;
};

/// Every form of protocol::commands(), in table order, with what the run sent in it (zeros for
/// the forms it never reached: deny-listed, filtered out, or not drawn).
std::vector<form_coverage> table_coverage(const run_stats& s);

/// The report as JSON text (pretty-printed, ending in a newline).
std::string report_json(const run_result& r, const report_context& c);

/// Writes the report to `path` atomically (a temporary file beside it, renamed over it). An
/// error carries the errno as a generic-category code and the system message.
protocol::result<void> write_report(const std::string& path, const run_result& r,
                                    const report_context& c);

/// "--seed 1 --start 17 --count 1" plus the filter flags: the arguments that send case `index`
/// again.
std::string reproduce_args(std::uint64_t seed, std::uint64_t index, const std::string& flags);

}  // namespace bcconform::fuzzdev
