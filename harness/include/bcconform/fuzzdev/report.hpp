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
//    "notes": ["..."]}
#pragma once

#include <string>

#include "bcconform/fuzzdev/engine.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::fuzzdev {

struct report_context {
  std::string target;  ///< the transport's description
  std::uint64_t seed = 0;
  std::uint64_t start = 0;
  std::string filter_flags;  ///< "--allow-persistent --only +QIRD": added to each reproducer
};

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
