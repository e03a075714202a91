// Checks shared by the report tests: schema validation with xmllint, the count arithmetic no
// schema can express, a scratch directory, and results builders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bcconform/runner/results.hpp"

namespace bcconform::report::testing {

/// A fresh directory under TMPDIR (or /tmp), removed with its contents on destruction.
class scratch_dir {
 public:
  scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir();
  const std::string& path() const noexcept { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }
  /// The names of the entries in the directory, sorted.
  std::vector<std::string> entries() const;

 private:
  std::string path_;
};

struct command_output {
  int exit_status = -1;  ///< -1 when the program could not be run or did not finish in time
  std::string output;    ///< stdout and stderr together
};

/// Runs `argv[0]` with the given arguments (no shell), collecting its output; kills it after
/// `timeout_ms`.
command_output run_program(const std::vector<std::string>& argv, int timeout_ms = 60000);

/// `xmllint --noout --schema specs/schema/junit.xsd` on `xml` (written to a scratch file).
command_output validate_junit(const std::string& xml);

/// "" when every testsuite's tests/failures/errors/skipped equal the counts of its children,
/// the testsuites totals equal the sums and the times add up; else what differs.
std::string count_mismatches(const std::string& xml);

/// Both checks above as gtest assertions (ADD_FAILURE with the details).
void expect_valid_junit(const std::string& xml);

/// The python3 interpreter that can import jsonschema, or "" (the JSON schema check is then
/// skipped: jsonschema is not a Debian package the build requires).
std::string python_with_jsonschema();

/// A case with the given id, verdict and suite, everything else defaulted.
runner::case_result make_case(std::string id, runner::verdict v, std::string suite = "tcp/open");

}  // namespace bcconform::report::testing
