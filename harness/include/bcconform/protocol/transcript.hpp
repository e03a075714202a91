// The bcconform transcript format: a timestamped, direction-tagged, binary-safe record of both
// sides of a conversation with a module, one record per text line, so it can be flushed per
// line, read by people, diffed, and replayed. Specified in specs/formats/transcript.md.
//
//   # bcconform-transcript 1
//   0.000000 > AT+QIRD=0,512\r
//   0.012734 < \r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n
//   - # peer closed the connection
//
// A record is `[<seconds>|-] <dir> <bytes>`: the optional time since the start of the
// transcript, `>` for bytes the host wrote to the module, `<` for bytes the module sent, `#`
// for a note. <bytes> is escaped: printable ASCII as is, `\\`, `\r`, `\n`, `\t`, `\xHH` for
// everything else (and for a space at the end of the record).
// A note's text is escaped the same way. A record without a time is formatted without the field
// (`> AT\r`); `-` in its place is read as "no time" too. `"` is not escaped here (it is in event
// logs, see event_log.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bcconform/protocol/result.hpp"

namespace bcconform::protocol {

enum class direction : std::uint8_t { to_module, from_module, note };

struct transcript_record {
  std::optional<double> seconds;
  direction dir = direction::note;
  std::string bytes;  ///< unescaped; for notes, the note text
  friend bool operator==(const transcript_record&, const transcript_record&) = default;
};

/// Parses one text line (without its newline). A blank line or a line starting with `#` is a
/// note. Errors name the column: "column 14: \\x needs two hex digits".
result<transcript_record> parse_transcript_line(std::string_view line);

/// Formats a record as one text line, without the newline. Seconds are printed with six
/// decimals. parse_transcript_line(format_transcript_record(r)) == r up to that precision.
std::string format_transcript_record(const transcript_record& r);

/// The escaping used by transcripts and event logs.
std::string escape_bytes(std::string_view bytes);
result<std::string> unescape_bytes(std::string_view text);

/// The first line every transcript written by bcconform starts with.
inline constexpr std::string_view transcript_header = "# bcconform-transcript 1";

}  // namespace bcconform::protocol
