// Matching what the module sent against what a step expects.
//
// Regular expressions are RE2 (linear time on hostile input). As specs/formats/scenario.md
// ("Patterns") says, line patterns (expect `re`, `urc`, ignore_urcs, control `reply`) are UTF-8
// and payload and peer patterns Latin-1, so that every byte is one character. Patterns match
// whole subjects (FullMatch), except peer stream patterns; named groups `(?P<name>...)` become
// variables. `.` does not match a newline unless the pattern says `(?s)`.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/result.hpp"
#include "bcconform/scenario/model.hpp"
#include "variables.hpp"

namespace re2 {
class RE2;
}

namespace bcconform::runner::detail {

using captures = std::map<std::string, std::string>;

enum class encoding { utf8, latin1 };

/// A compiled pattern. Cheap to copy (shared).
class pattern {
 public:
  /// The error detail quotes RE2's message.
  static protocol::result<pattern> compile(std::string_view text, encoding e = encoding::utf8);

  /// Whole-subject match; on success the named groups are added to `out` (unset groups as "").
  bool full_match(std::string_view subject, captures* out = nullptr) const;
  /// A match anywhere in `subject`, same captures.
  bool partial_match(std::string_view subject, captures* out = nullptr) const;
  const std::string& text() const { return text_; }

 private:
  bool match(std::string_view subject, bool anchored, captures* out) const;

  std::shared_ptr<const re2::RE2> re_;
  std::string text_;
};

/// A pattern as written, for messages: control and non-ASCII bytes as \xHH (\r, \n, \t),
/// everything else (backslashes included) unchanged.
std::string show_pattern(std::string_view p);

/// Bytes from a scenario: text with `${}` substituted, or hex digits (white space allowed
/// between bytes) decoded.
protocol::result<std::string> expand_bytes(const scenario::bytes_spec& b, const variables& vars);

/// What a payload must be: any of exact bytes, a length, a pattern (all that are given).
struct payload_expectation {
  std::optional<scenario::bytes_spec> bytes;
  std::optional<std::size_t> length;
  std::optional<scenario::templated> pattern;
};

/// The expectation of a `{payload: ...}` matcher or of a `payload` step.
payload_expectation payload_of(const scenario::line_matcher& m);
payload_expectation payload_of(const scenario::payload_step& s);

/// How an expectation reads in a failure message: `bytes "ab\r\n"`, `length 4`, `/x.*/`.
std::string describe(const payload_expectation& p);
/// How a line matcher reads in a failure message: `OK`, `/\+QIRD: \d+/`, `{final: any}`.
std::string describe(const scenario::line_matcher& m);

/// The outcome of one comparison: matched, a mismatch (the module's fault, with why), or a
/// harness error (undefined variable, bad pattern: the scenario's fault).
struct match_outcome {
  enum class status { matched, mismatch, error } result = status::matched;
  std::string detail;
  captures groups;

  bool ok() const { return result == status::matched; }
  static match_outcome mismatch(std::string why) { return {status::mismatch, std::move(why), {}}; }
  static match_outcome error(std::string why) { return {status::error, std::move(why), {}}; }
};

/// Matches a payload (the data bytes, already decoded from hex when the receive format is
/// hex) against an expectation.
match_outcome match_payload(const payload_expectation& p, std::string_view actual,
                            const variables& vars);

/// Matches a subject against a scenario pattern (`${}` quoted), whole: a line (UTF-8) or a
/// payload (Latin-1).
match_outcome match_pattern(const scenario::templated& p, std::string_view subject,
                            const variables& vars, encoding e = encoding::utf8);

/// The data bytes of a payload as sent on the wire: hex digits decoded when the receive data
/// format is hex (AN 2.1.11 "dataformat", E46); the wire bytes when they are not valid hex.
std::string payload_data(std::string_view wire, bool hex);

}  // namespace bcconform::runner::detail
