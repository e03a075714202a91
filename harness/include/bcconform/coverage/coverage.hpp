// The spec-coverage matrix: which scenarios of a loaded suite exercise each item the command
// table and specs/ERRATA.md know, and why an item nobody exercises is not covered.
//
// Items, in this order:
//  - command forms: every form_spec of the command table (test `=?`, query `?`, set `=`, exec),
//    keyed set forms (AT+QICFG="viewmode") and set variants (the AT+QISEND data modes, the two
//    AT+QISTATE forms, E51) separately. A scenario covers a form when one of its `send` steps
//    (setup and teardown included) is a command line of that form: the line is parsed with
//    protocol::parse_command_line() and placed with protocol::check_arguments(), `${...}`
//    references standing for values that fit the form (see "Variables" below). A line whose
//    arguments the table refuses still covers the form its shape selects (a negative test
//    exercises the form too): the set variant whose parameter count fits, else the first one.
//  - URCs (AN 2.2 and the commands that announce them): a scenario covers a URC when a `urc`
//    step's pattern, or a line of an `expect` step, can only match lines that start with the
//    URC's prefix from the table (`+QIURC: "recv",`). URCs that share a prefix (E50: "recv" and
//    "buff full") are told apart by the quoted literal of their format: a pattern covers
//    "buff full" when it contains `buff full`, "recv" when it does not. An `expect` line after
//    a test or query form whose information lines carry the same prefix (`AT+QIOPEN=?` answers
//    `+QIOPEN: (1-3),...`) is that information response, not the URC.
//  - error codes 550-574 (AN 3 table 1): a scenario covers code N when an `expect` line can
//    only match `+QIGETERROR: N...` or `+CME ERROR: N...` with no digit after N: literally, or
//    through a regular expression that pins N (`\+QIGETERROR: 567,.*` covers 567,
//    `\+QIGETERROR: 56\d,.*` covers nothing). Codes specs/ERRATA.md lists as not provokable
//    from the AT interface are not coverable, with that reason.
//  - chapter 4 examples (AN 4.1.1 ... AN 4.8): a scenario covers an example that its `spec`
//    list names.
//  - errata rulings: a scenario covers a ruling that its `errata` list names. Rulings whose
//    ruling is "none needed" are not coverable; names that specs/ERRATA.md does not have are
//    listed too, so a typo shows.
//
// "Can only match" is decided with RE2's PossibleMatchRange(): every string a pattern matches
// lies between two bounds, and when both bounds share a prefix every match has it. This is
// conservative: a pattern that could also match other lines (`\+QIURC: "(recv|closed)",\d`)
// covers neither URC.
//
// Variables: `${name}` is opaque. In a command line it stands for whatever value fits the
// parameter it sits in (an integer parameter's lowest value above 0 where the range allows,
// the first documented choice, a string of the shortest allowed length, ...), so
// `AT+QISEND=${cid},5` is placed as the fixed-length data-mode form. In a line matcher it
// stands for any text (`(?s:.*)`), so `+QIGETERROR: ${code},...` pins no code.
//
// Output is deterministic: items in table order (error codes, examples and rulings by number),
// scenario ids sorted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/model.hpp"

namespace bcconform::coverage {

enum class item_kind : std::uint8_t { command_form, urc, error_code, example, erratum };

/// "command_form", "urc", "error_code", "example", "erratum".
std::string_view to_string(item_kind k) noexcept;

/// One row of the matrix.
struct item {
  item_kind kind = item_kind::command_form;
  /// Unique within its kind and stable across runs: the documented syntax ("AT+QIRD=?",
  /// "AT+QICFG=\"viewmode\"[,<view_mode>]"), the URC's short name ("recv"), the code ("567"),
  /// the section ("AN 4.1.2"), the ruling ("E12").
  std::string key;
  std::string label;  ///< what a reader sees: the syntax, "+QIURC: \"recv\"", "567", "E12"
  /// The second column: the form ("set, fixed-length data mode"), the URC's format, the
  /// code's description, the example's or the ruling's title.
  std::string detail;
  std::string section;                 ///< where the note documents it ("AN 2.1.5"); "" if nowhere
  std::vector<std::string> scenarios;  ///< ids of the scenarios that exercise it, sorted, unique
  /// false: no scenario can exercise it (an error code the AT interface cannot provoke, a
  /// ruling with nothing to decide), so its absence is not a gap.
  bool coverable = true;
  /// Why it is not covered (when `scenarios` is empty); for a coverable error code also how
  /// the code can be provoked.
  std::string reason;
  bool covered() const noexcept { return !scenarios.empty(); }
};

/// A `send` line or a pattern the matrix could not use, and why. Lines that are not command
/// lines (a fuzzing scenario may send garbage) are listed here, not refused.
struct unplaced_line {
  std::string scenario;  ///< the scenario's id
  scenario::source_pos pos;
  std::string text;  ///< the line or pattern as written
  std::string why;   ///< "unknown command AT+FOO", "AT+QIRD has no query form", ...
  /// The next step expects the line refused (ERROR, +CME ERROR): a malformed line written on
  /// purpose (a boundary case), not a mistake of the suite.
  bool expected_refused = false;
};

struct matrix {
  std::vector<item> items;              ///< grouped by kind in item_kind order
  std::vector<unplaced_line> unplaced;  ///< in suite order, expected refusals included
  std::size_t files = 0;
  std::size_t scenarios = 0;
  bool have_errata = false;  ///< specs/ERRATA.md text was given
};

struct coverage_options {
  /// The text of specs/ERRATA.md. Empty: the ruling rows come from the scenarios' `errata`
  /// lists alone, and the error codes' reasons from the command table.
  std::string errata_markdown;
};

/// Builds the matrix of the command table against `suite` (as scenario::load_paths() returns
/// it). Never throws on any suite content.
matrix compute_coverage(const std::vector<scenario::suite_file>& suite,
                        const coverage_options& o = {});

/// The chapter 4 examples, command forms and URCs no scenario exercises, one line each in
/// matrix order ("command form AT+QIRD=? (AN 2.1.5): no scenario"), so a test of the real
/// suite can fail when one of them loses its last scenario.
std::vector<std::string> coverage_regressions(const matrix& m);

/// A table for a terminal: one line per item, a summary per kind, then the unplaced lines.
/// Control bytes in scenario text are shown as `\xNN`.
std::string to_text(const matrix& m);
/// The same as a Markdown document (GitHub-flavoured tables); every scenario-provided string
/// escaped so that it renders as the text it is.
std::string to_markdown(const matrix& m);
/// The same as JSON (format "bcconform-coverage", version 1), for programs.
std::string to_json(const matrix& m);

}  // namespace bcconform::coverage
