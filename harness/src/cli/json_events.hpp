// Turning parser events into JSON objects for `bcconform decode` (JSON Lines).
//
// Every object has `offset` and `kind`. Line events (all kinds but data) carry `text`, the
// line without its terminator, or `hex` when the bytes are not valid UTF-8 (an overflow keeps
// no bytes, so it has neither); data events carry `hex` (the payload), `format`, `connect_id`
// and `length`; overflow events `length`; info, urc and final events carry `name` and, when
// decode_line() knows the line, `fields`, or `decode_error` when a decoder exists for the
// prefix but refuses the line. `diag` appears when the parser attached a diagnostic. Keys are
// emitted in a fixed order so output is byte-for-byte reproducible.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/utf8.hpp"

namespace bcconform::cli {

using json = nlohmann::ordered_json;

/// Well-formed UTF-8 (protocol/utf8.hpp).
using protocol::is_valid_utf8;

/// Lower-case hex, two digits per byte.
std::string to_hex(std::string_view bytes);

/// The members of a decoded line as a JSON object.
json decoded_to_json(const protocol::decoded_line& value);

/// One event as a JSON object (see the header comment for its keys).
json event_to_json(const protocol::event& e);

/// Serialises one object on a single line. Strings inside `fields` that are not UTF-8 are
/// written with U+FFFD; the exact bytes are always in the event's `text`/`hex`.
std::string dump_line(const json& j);

}  // namespace bcconform::cli
