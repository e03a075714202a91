// The sign-off report of a run: what a firmware vendor and the person accepting a firmware
// read. `bcconform run` writes it as reports/signoff.md and reports/signoff.html (one
// self-contained file: inline CSS, no scripts, no external resources).
//
// Contents, in this order: the module's identity and firmware, target and date (run_info);
// the verdict counts; the deviations a vendor would be asked to fix (failing cases that are not
// waived: spec sections, step, expected against got); a verdict per spec section; waived
// deviations with their reasons; the difference against a baseline (the previous firmware's
// accepted verdicts); response times per command against the command table's limits; the
// errata rulings the cases followed.
//
// Section verdicts (section_verdict()): every `AN x.y...` named in a case's `spec` list and
// every AN section of a command, a form or a URC of the command table gets one:
//  - deviates: a case citing it failed and no waiver covers the failure;
//  - incomplete: no unwaived failure, but a case ended inconc, error or interrupted;
//  - waived: every failure is waived, the other cases passed (or were not applicable);
//  - conforms: at least one case passed and every other was not applicable;
//  - not tested: no case cites it, or every case citing it was not applicable, not run or
//    filtered out; the reason says which.
//
// Deterministic: sections in numeric order, cases and commands sorted, no clock read; the same
// input gives the same bytes. Only the run's own facts (identity, started_utc) and the timing
// figures differ between two runs of one suite, so two reports diff cleanly.
//
// Escaping: every string from a scenario file, the module, the transport or a waiver file goes
// through visible_bytes() (control bytes as `<CR>`, `<1A>`, ...), then is escaped for the
// medium: HTML entities in the HTML (which is also well-formed XML), backslash escapes of the
// Markdown metacharacters in the Markdown. Links to side files are percent-encoded relative
// paths, so no string can become a scheme (`javascript:`) or markup.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/result.hpp"
#include "bcconform/runner/results.hpp"

namespace bcconform::report {

/// A deviation accepted for this sign-off. A failing case whose id matches `pattern` is
/// reported as "waived" with `reason` and does not make its sections deviate.
struct waiver {
  std::string pattern;  ///< a case id, or a glob over ids: `*` any run of bytes, `?` one byte
  std::string reason;
};

struct signoff_input {
  /// `results` must outlive the input.
  explicit signoff_input(const runner::run_results& r) : results(r) {}

  const runner::run_results& results;
  /// The text of specs/ERRATA.md, for the titles of the rulings the cases name. Empty: the
  /// rulings are listed by number only.
  std::string errata_markdown;
  /// The previous firmware's accepted verdicts, per case id. nullopt: no baseline section.
  std::optional<std::map<std::string, runner::verdict>> baseline;
  std::string baseline_label;   ///< shown with the baseline ("BC25JAR01A04"); may be empty
  std::vector<waiver> waivers;  ///< the first whose pattern matches a case applies
  /// Where a failing case links to when it has no transcript side file (relative to the
  /// directory of the report).
  std::string junit_file = "junit.xml";
};

// ---- the model both documents are written from -------------------------------------------------

/// How many cases had each outcome. `waived` failures are not in `fail`.
struct verdict_counts {
  int pass = 0, fail = 0, waived = 0, inconc = 0, error = 0, not_applicable = 0;
  int not_run = 0, filtered = 0, interrupted = 0;
  void add(runner::verdict v, bool is_waived) noexcept;
  int total() const noexcept;
};

enum class section_status { conforms, waived, deviates, incomplete, not_tested };
std::string_view to_string(section_status s) noexcept;  ///< "conforms", ..., "not tested"

/// The verdict of a section from the outcomes of the cases citing it (rules above).
section_status section_verdict(const verdict_counts& c) noexcept;

struct section_result {
  std::string section;  ///< "AN 2.1.4", or a case's spec text that is not an AN section
  std::string title;    ///< from the command table or the chapter 4 list; "" if unknown
  section_status status = section_status::not_tested;
  std::string reason;  ///< not tested / incomplete: why ("no case cites it", ...)
  verdict_counts counts;
  std::vector<std::size_t> failing;  ///< unwaived failures: indexes into results.cases, by id
  std::vector<std::size_t> waived;   ///< waived failures, the same way
};

/// Response-time figures of one command over every timing the run recorded.
struct timing_stats {
  std::string command;  ///< "AT+QIOPEN"
  std::size_t samples = 0;
  double median = 0;  ///< the middle value; the mean of the two middle values for an even count
  double p95 = 0;     ///< nearest rank: the ceil(0.95 n)-th smallest value
  double max = 0;
  double limit = 0;  ///< the command table's limit in seconds; 0 = none documented
  std::size_t over_limit = 0;
};

/// The figures of `seconds` (any order; negative and non-finite values count as 0).
timing_stats compute_timing(std::string command, std::vector<double> seconds, double limit);

struct verdict_change {
  std::string id;
  std::optional<runner::verdict> before;  ///< nullopt: not in the baseline
  std::optional<runner::verdict> after;   ///< nullopt: not in this run
};

/// This run against the baseline, per id (a repeated case counts with its worst verdict).
/// Each list is sorted by id.
struct baseline_diff {
  std::vector<verdict_change> newly_failing;  ///< fail now; not fail before (or not there)
  std::vector<verdict_change> newly_passing;  ///< pass now; something else before
  std::vector<verdict_change> changed;        ///< any other change of verdict
  std::vector<verdict_change> added;          ///< in this run only (and not failing)
  std::vector<verdict_change> removed;        ///< in the baseline only
};

baseline_diff diff_baseline(const runner::run_results& r,
                            const std::map<std::string, runner::verdict>& baseline);

struct erratum_use {
  std::string id;                  ///< "E12"
  std::string title;               ///< from specs/ERRATA.md; "" when not found there
  std::vector<std::size_t> cases;  ///< indexes into results.cases, by id
};

struct signoff_model {
  verdict_counts totals;
  section_status overall = section_status::not_tested;  ///< the worst section verdict
  std::vector<section_result> sections;                 ///< numeric section order
  std::vector<std::size_t> deviations;                  ///< unwaived failures, by id then attempt
  std::vector<std::size_t> waived;                      ///< waived failures, by id then attempt
  std::vector<std::string> waiver_reasons;  ///< parallel to results.cases; "" if not waived
  std::optional<baseline_diff> diff;
  std::vector<timing_stats> timings;  ///< by command name
  std::vector<erratum_use> errata;    ///< by ruling number
};

signoff_model build_signoff(const signoff_input& in);

/// Whether `id` matches the glob `pattern` (`*`, `?`; every other byte stands for itself).
bool glob_match(std::string_view pattern, std::string_view id) noexcept;

// ---- documents -------------------------------------------------------------------------------

std::string signoff_markdown(const signoff_input& in);
/// An HTML5 document that is also well-formed XML (every element closed, attributes quoted).
std::string signoff_html(const signoff_input& in);

/// Writes `dir`/signoff.md and `dir`/signoff.html, each atomically (write_atomically()).
protocol::result<void> write_signoff(const signoff_input& in, const std::string& dir);

/// Reads a waiver list: one waiver per line, `<id or glob> <reason>` separated by white space;
/// blank lines and lines starting with `#` are ignored. Error (errc::syntax, naming the line
/// number) for a line with a pattern but no reason.
protocol::result<std::vector<waiver>> parse_waivers(std::string_view text);

}  // namespace bcconform::report
