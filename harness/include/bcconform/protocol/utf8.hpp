// Well-formed UTF-8 (Unicode 15 table 3-7): no overlong forms, no UTF-16 surrogates, nothing
// above U+10FFFF, no truncated sequences. Module output is bytes; the tools that print it as
// text (JSON events, XML reports) decide with these which bytes may stay as they are.
#pragma once

#include <cstddef>
#include <string_view>

namespace bcconform::protocol {

/// The length of the well-formed sequence that starts at bytes[i]: 1 for ASCII, 2-4 for a
/// multi-byte sequence, 0 when the bytes from i on are not well-formed. Precondition: i < size.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i) noexcept;

/// Whether all of `bytes` is well-formed UTF-8.
bool is_valid_utf8(std::string_view bytes) noexcept;

}  // namespace bcconform::protocol
