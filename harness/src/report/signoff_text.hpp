// Text helpers shared by the two sign-off writers: escaping untrusted bytes for Markdown and
// HTML, link targets, and the small phrases both documents print the same way.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "bcconform/report/signoff.hpp"

namespace bcconform::report::detail {

/// Untrusted bytes as Markdown text: visible_bytes(), then a backslash before each character
/// that can start markup inside a line (`\` `` ` `` `*` `_` `[` `]` `<` `>` `|` `~` `&` `@`), and
/// before the `:` of `://` and the `.` of `www.` (GitHub's autolinks). Never holds a line break.
std::string md_text(std::string_view bytes);

/// Untrusted bytes as HTML (and XML) text or attribute value: visible_bytes(), then `&`, `<`,
/// `>`, `"` and `'` as entities.
std::string html_text(std::string_view bytes);

/// A relative link target for a side file: every byte outside A-Z a-z 0-9 `-._~/`
/// percent-encoded, so it can hold no scheme, no markup and no space; a leading `//` (a
/// network reference) is made `.//`. "" for an empty path.
std::string link_target(std::string_view path);

/// `bytes` cut to at most `max` bytes, with " ... (N bytes in all)" when cut.
std::string clipped(std::string_view bytes, std::size_t max);

/// "0.123 s".
std::string seconds_text(double seconds);

/// "3 pass, 1 fail, 2 not applicable": the non-zero counts; "no cases" when all are zero.
std::string counts_text(const verdict_counts& c);

/// The case's id with " #2" for a repetition (raw: escape to print).
std::string case_name(const runner::case_result& c);

/// Where a case links to: its transcript side file, else the JUnit report (raw path).
std::string case_side_file(const signoff_input& in, const runner::case_result& c);

/// "pass", "fail", ...; "absent" for nullopt.
std::string verdict_text(const std::optional<runner::verdict>& v);

/// The title of the report.
std::string document_title(const runner::run_results& r);

}  // namespace bcconform::report::detail
