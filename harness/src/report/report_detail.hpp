// Shared by the JUnit and JSON writers, so both documents classify, name and count every case
// the same way (a JSON consumer can check its totals against the XML's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bcconform/runner/results.hpp"

namespace bcconform::report::detail {

/// What a verdict becomes in JUnit terms.
enum class junit_outcome { passed, failure, error, skipped, omitted };

junit_outcome classify(runner::verdict v, bool inconc_is_failure) noexcept;

struct counts {
  int tests = 0;
  int failures = 0;
  int errors = 0;
  int skipped = 0;
  double seconds = 0;
  void add(junit_outcome o, double case_seconds) noexcept;
  counts& operator+=(const counts& o) noexcept;
};

/// The JUnit counts of every case of a run (filtered cases are not counted).
counts run_totals(const runner::run_results& r) noexcept;

/// Seconds as written: negative and non-finite values (a clock fault) become 0.
double clean_seconds(double s) noexcept;
/// `s` with exactly `decimals` digits after the point, locale-independent ("2.436").
std::string fixed(double s, int decimals);

/// `bcconform.<folder>.<file>` from a case's suite ("<folder>/<file stem>").
std::string junit_classname(std::string_view suite);

/// The testcase name of every case (visible_bytes of the id; " #2", " #3"... for repeats),
/// unique over the whole run. Filtered cases get a name too (JSON lists them) but do not
/// take one from a written case: names are given to written cases first.
std::vector<std::string> unique_names(const runner::run_results& r);

/// started_utc cut to `YYYY-MM-DDTHH:MM:SS` (no fraction, no zone) for the JUnit timestamp
/// attribute; "" when it does not start with that shape.
std::string junit_timestamp(std::string_view started_utc);

}  // namespace bcconform::report::detail
