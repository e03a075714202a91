// Reports of a run: JUnit XML (pugixml) and a JSON results file beside it.
//
// The JUnit dialect is the one Jenkins, GitLab and the Ant schema understand
// (specs/schema/junit.xsd describes exactly what is emitted): <testsuites> holding one
// <testsuite> per scenario file, each <testcase> with classname `bcconform.<folder>.<file>`,
// a unique name holding the scenario id, time, file and line; <failure>/<error>/<skipped> with
// type and message; <properties> with the run's facts; <system-out> with a bounded transcript
// tail in which every control byte and every byte outside XML 1.0's legal set is shown visibly
// (`<CR><LF>`, `<1A>`, `<ESC>`), never dropped, never raw, never in CDATA.
//
// Writers write to a temporary file in the destination directory and rename it over the
// destination, so a reader (or a kill at any instant) only ever sees a complete file.
#pragma once

#include <string>
#include <string_view>

#include "bcconform/protocol/result.hpp"
#include "bcconform/runner/results.hpp"

namespace bcconform::report {

/// Builds the JUnit XML document text. Verdicts: pass -> no child; fail -> <failure
/// type="fail">; error -> <error type="error">; inconc -> <skipped message="inconclusive: ...">,
/// or <failure type="inconc"> when run_info::inconc_is_failure; not_applicable, not_run and
/// interrupted -> <skipped message="not applicable: ..." / "not run" / "interrupted: ...">;
/// filtered cases are not written. Same results, same bytes.
std::string junit_xml(const runner::run_results& r);

/// Builds the JSON results document (schema: specs/schema/results.schema.json): the same facts,
/// filtered cases included, every untrusted string through visible_bytes() as in the XML (so
/// the output is always valid UTF-8 and never throws).
std::string results_json(const runner::run_results& r);

/// Makes bytes safe and visible in XML text: printable ASCII and valid UTF-8 other than
/// control characters as they are; CR LF TAB ESC NUL as `<CR>`, `<LF>`, `<TAB>`, `<ESC>`,
/// `<NUL>`; every other byte as `<1A>` (two upper-case hex digits). That includes each byte of
/// an ill-formed UTF-8 sequence (overlong, surrogate, above U+10FFFF, truncated), of the C1
/// controls U+0080-U+009F and of U+FFFE/U+FFFF. Nothing is dropped. XML escaping of `<`,`&`
/// is left to the XML writer.
std::string visible_bytes(std::string_view bytes);

/// Writes `text` to `path` atomically: a temporary `.<name>.XXXXXX` in the same directory,
/// mode 0644, fsync, rename over `path`. On failure the temporary file is removed, `path` keeps
/// its old content, and the error (code: the errno, generic category) names the path.
protocol::result<void> write_atomically(const std::string& path, std::string_view text);

}  // namespace bcconform::report
