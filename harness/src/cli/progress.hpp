// What `bcconform run` prints on standard output: one line per case as it ends (verdict, id,
// time, and the first failure's reason), then a summary. Colour only when standard output is a
// terminal and NO_COLOR is unset (https://no-color.org). Ids and messages are untrusted text:
// control bytes are shown escaped, never sent to the terminal raw.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "bcconform/runner/run.hpp"

namespace bcconform::cli {

class progress {
 public:
  /// `quiet`: only the summary. `colour`: use ANSI colours.
  progress(std::FILE* out, bool quiet, bool colour);

  /// Whether colour should be used on `out` (a TTY, NO_COLOR unset).
  static bool colour_wanted(std::FILE* out);

  void case_done(const runner::case_result& c);
  /// `wall_seconds`: how long the run took, restarts and readiness included.
  void summary(const runner::run_results& r, const runner::run_summary& s,
               const std::vector<std::string>& report_files, double wall_seconds);

 private:
  std::string paint(runner::verdict v, const std::string& text) const;

  std::FILE* out_;
  bool quiet_;
  bool colour_;
};

/// `bytes` with control characters and backslashes escaped (transcript escaping).
std::string printable(std::string_view bytes);

}  // namespace bcconform::cli
