// Internal: classifies one complete module line using the command table only.
//
// One hash table holds every key a line can be looked up by: whole lines ("OK", "RDY"),
// prefixes before ':' ("+QIRD", "+QIOPEN", "+CME ERROR", "+QIURC") and the quoted subtypes of
// the +QIURC envelope ("\"recv\""). Keys are short, so a line's first 16 bytes are loaded as two
// words, masked to the key's length, hashed with two multiplications and compared as two
// words; the hash is perfect over the table's keys, so a lookup looks at one slot. Only a key
// longer than 15 bytes (none in the note) is looked up one by one. The lookup is inline: it
// runs once per line and the parser (parser_lines.cpp) consumes its result field by field.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/command_table.hpp"
#include "bcconform/protocol/parser.hpp"
#include "byte_scan.hpp"

namespace bcconform::protocol::detail {

/// The +QIRD header announces a payload by count (AN 2.1.5).
inline constexpr std::string_view qird_prefix = "+QIRD";

/// The envelope of the note's URCs: `+QIURC: "<type>"...` (AN 2.2).
inline constexpr std::string_view qiurc_envelope = "+QIURC: \"";

/// What the table alone says a line is; the parser applies the context (parser_lines.cpp).
enum class line_action : std::uint8_t {
  done,        ///< a final result, an info line or a URC: the event template says it all
  qird,        ///< +QIRD:, whose header may announce a payload (AN 2.1.5)
  shared,      ///< a URC prefix that is also a test answer's (+QIOPEN:, +QPING:): context
  qiurc,       ///< the +QIURC: envelope: the quoted subtype decides (AN 2.2)
  unknown,     ///< `+X:` that no table entry claims
  unprefixed,  ///< no key: an info line of the command in flight, or noise
};

/// A key's meaning for one way of reading a line (whole, or up to its first ':'): the fields of
/// the event it makes when nothing else is looked at, and what else to look at.
struct line_meaning {
  line_action action = line_action::unprefixed;
  event_kind kind = event_kind::noise;
  std::string_view name;                  ///< "OK", "CME ERROR", "QIRD", "QIOPEN"
  const final_spec* final = nullptr;      ///< final results
  const command_spec* command = nullptr;  ///< info lines
  const urc_spec* urc = nullptr;          ///< URCs
  const command_spec* answer = nullptr;   ///< shared: the command whose test answer it may be
  std::string_view answer_name;           ///< shared: display_name(*answer)
  bool qird = false;                      ///< the prefix is +QIRD (qird; shared as an answer)
  /// shared: without a range list and its test form not in flight, the line is the URC and
  /// the template says it all (no payload follows it).
  bool urc_unless_answer = false;
};

/// Where a line's key ends and what it means. Two words, returned in registers.
struct line_class {
  const line_meaning* meaning = nullptr;  ///< never nullptr once classified
  std::size_t colon = 0;                  ///< the line's first ':', or its size when none

  /// "+QIRD" for `+QIRD: 10`; "" without a colon or without a leading '+'.
  std::string_view prefix(std::string_view line) const noexcept {
    if (colon == line.size() || line.front() != '+') return {};
    return {line.data(), colon};
  }
  /// The text after "<prefix>:" and one optional space; "" without a colon.
  std::string_view params(std::string_view line) const noexcept {
    std::size_t at = colon < line.size() ? colon + 1 : line.size();
    if (at < line.size() && line[at] == ' ') ++at;
    return {line.data() + at, line.size() - at};
  }
};

/// What the +QIURC envelope says (AN 2.2). Two words, returned in registers.
struct qiurc_class {
  const urc_spec* urc = nullptr;  ///< the URC the subtype and the rest of the line name
  std::size_t close = 0;          ///< where the subtype's closing quote is; 0: no subtype

  static constexpr std::size_t subtype_at = 9;  ///< `+QIURC: "` (AN 2.2)
  /// The quoted token, `recv`; "" without the envelope.
  std::string_view subtype(std::string_view line) const noexcept {
    return close == 0 ? std::string_view() : line.substr(subtype_at, close - subtype_at);
  }
};

/// The first 16 bytes of a line (or a key) as two words; only a known number of them count.
struct line_head {
  std::uint64_t w0 = 0;
  std::uint64_t w1 = 0;

  static constexpr std::size_t size = block16::size;

  /// The head of `p`, of which `n` <= 16 bytes count. `readable` bytes from p may be read;
  /// with fewer than 16 the bytes past `n` are zero.
  static line_head load(const char* p, std::size_t n, std::size_t readable) noexcept {
    char bytes[size] = {};
    if (readable >= size) {
      std::memcpy(bytes, p, size);  // one unaligned load
    } else {
      std::memcpy(bytes, p, n);  // the end of a chunk or buffer: only what is there
    }
    line_head h;
    std::memcpy(&h.w0, bytes, 8);
    std::memcpy(&h.w1, bytes + 8, 8);
    return h;
  }

  /// Bit i set: byte i is `c`; only the first `n` bytes are looked at.
  unsigned mask_of(char c, std::size_t n) const noexcept {
    char bytes[size];
    std::memcpy(bytes, &w0, 8);
    std::memcpy(bytes + 8, &w1, 8);
    return block16(bytes).mask_of(c) & low_bits(n);
  }

  /// The first min(n, 16) bits, without a branch (line lengths are random).
  static unsigned low_bits(std::size_t n) noexcept {
    const auto k = static_cast<unsigned>(n < size ? n : size);
    return (1u << k) - 1u;
  }
};

/// A URC in the +QIURC envelope (AN 2.2), as its subtype's group sees it.
struct qiurc_member {
  const urc_spec* urc;
  std::string_view tail;     ///< its match after the subtype: `",` of `+QIURC: "recv",`
  std::string_view literal;  ///< quoted literal its format ends with ("\"buff full\""), or ""
  bool whole_line;           ///< the match is the whole line (`+QIURC: "incoming full"`)
};

/// The URCs of one +QIURC subtype ("recv": recv and buff full). Entries that share a subtype
/// (recv / buff full, E50) are told apart by the quoted literal their documented format ends
/// with or by being the whole line; those decide at once, in table order. Otherwise the first
/// generic one (in table order) whose tail fits is the line's.
struct qiurc_group {
  std::string_view key;                ///< the subtype, `recv`
  std::vector<qiurc_member> decisive;  ///< whole-line matches and those with a literal
  std::vector<qiurc_member> generic;   ///< the others
};

/// The two ways a line is looked up, as indexes (chosen by arithmetic, not by a branch).
struct reading {
  static constexpr unsigned prefix = 0;
  static constexpr unsigned whole = 1;
};

/// One key of the table and what it means.
struct line_entry {
  std::string_view key;
  line_head packed;  // key, zero-padded; meaningful when key.size() < line_head::size
  // [reading::prefix]: the key is a line's text before its first ':' (+QIRD, +CME ERROR);
  // [reading::whole]: the key is a whole line without ':' (OK, RDY).
  std::array<line_meaning, 2> meaning;
  const qiurc_group* group = nullptr;  // the key is a quoted +QIURC subtype, `"recv"`
};

/// The indexes over the command table (line_classifier.cpp builds them).
class line_index {
 public:
  static constexpr std::size_t max_packed = line_head::size - 1;  // longest key kept as words

  line_index();

  /// The line's class: a whole line without ':' ("OK") is looked up whole, else the text
  /// before the first ':' of a line that starts with '+' (3GPP TS 27.007 §4.1). `head` holds
  /// the line's first bytes; `colon` is where its first ':' is, or line.size().
  line_class classify(std::string_view line, const line_head& head,
                      std::size_t colon) const noexcept {
    // Whether a line is read whole or up to its colon is as random as the lines are, so that
    // choice is arithmetic (an index); whether its key is found is not, and may branch.
    const unsigned read = opaque(colon == line.size() ? 1u : 0u);  // reading::whole or prefix
    const unsigned plus = line.front() == '+' ? 1u : 0u;
    // Whole lines have keys up to max_whole bytes; prefixes need a leading '+'.
    const std::size_t limit = max_whole_ | (std::size_t{read} - 1);  // whole: max; prefix: all
    const unsigned keyed = (colon <= limit ? 1u : 0u) & (read | plus);
    if (keyed == 0) return {&missing_[reading::whole], colon};
    const line_entry* e =
        colon <= max_packed ? find(head, colon) : find_long(line.substr(0, colon));
    if (e == nullptr) return {&missing_[read], colon};
    return {&e->meaning[read], colon};
  }

  /// `+QIURC: "<subtype>"...` (AN 2.2). `readable` as for classify_line().
  qiurc_class classify_qiurc(std::string_view line, std::size_t readable) const noexcept;

  std::size_t max_whole() const noexcept { return max_whole_; }
  std::string_view display(const command_spec& spec) const noexcept;

 private:
  /// The entry whose key is the first `len` (1 to max_packed) bytes of `head`, or nullptr.
  /// The hash is perfect over the table's keys (fill_slots), so one slot is all there is to
  /// look at; slot 0 names an entry with an empty key, which no line matches.
  const line_entry* find(const line_head& head, std::size_t len) const noexcept {
    const line_head& mask = masks_[len];
    const std::uint64_t w0 = head.w0 & mask.w0;
    const std::uint64_t w1 = head.w1 & mask.w1;
    const line_entry& e = entries_[slot_[hash(w0, w1, len)]];
    return e.packed.w0 == w0 && e.packed.w1 == w1 && e.key.size() == len ? &e : nullptr;
  }

  std::size_t hash(std::uint64_t w0, std::uint64_t w1, std::size_t len) const noexcept {
    // Multiplicative hashing: the high bits of the product depend on every byte of the key.
    const std::uint64_t x = (w0 ^ (w1 + len) * 0xC2B2AE3D27D4EB4FULL) * seed_;
    return static_cast<std::size_t>(x >> shift_);
  }

  const line_entry* find_long(std::string_view key) const noexcept;
  const qiurc_group* subtype(std::string_view key) const noexcept;

  const qiurc_group* quoted_subtype(std::string_view line, std::size_t len,
                                    std::size_t readable) const noexcept;

  struct raw_entry;
  void add_finals(std::vector<raw_entry>& raw);
  void add_urcs(std::vector<raw_entry>& raw);
  void add_commands(std::vector<raw_entry>& raw);
  void fill_slots();

  // No entry: [prefix] a `+X:` that no entry claims; [whole] an unprefixed line.
  std::array<line_meaning, 2> missing_{};

  std::vector<line_entry> entries_;                 // [0]: the empty sentinel
  std::vector<std::uint16_t> slot_;                 // index into entries_, by hash
  std::uint64_t seed_ = 0;                          // the multiplier that makes the hash perfect
  unsigned shift_ = 0;                              // 64 - log2(slot_.size())
  std::array<line_head, line_head::size> masks_{};  // masks_[k] keeps the first k bytes
  std::vector<std::size_t> long_keys_;              // entries whose key is longer than max_packed
  std::vector<qiurc_group> subtypes_;               // "recv", "closed", "incoming", "dnsgip"
  std::vector<std::string> display_;                // parallel to commands()
  std::size_t max_whole_ = 0;
};

// The group of the subtype of `line`, `len` bytes after the envelope's quote: one lookup of
// the quoted subtype when it fits the packed keys, else (or when that finds none) a search by
// name.
BCCONFORM_HOT_INLINE const qiurc_group* line_index::quoted_subtype(
    std::string_view line, std::size_t len, std::size_t readable) const noexcept {
  const std::size_t at = qiurc_class::subtype_at - 1;  // the opening quote
  const std::size_t key = len + 2;
  if (key <= max_packed) {
    const line_entry* e = find(line_head::load(line.data() + at, key, readable - at), key);
    if (e != nullptr && e->group != nullptr) return e->group;
  }
  return subtype(line.substr(at + 1, len));  // long, or a group whose matches lack the quote
}

// `+QIURC: "recv",0` -> subtype "recv"; the subtype is the whole quoted token, so "incoming"
// never matches "incoming full" (parsers.md case 39). Within a subtype's group the line already
// starts with each match up to the token, so only the match's tail is left to compare. Inline:
// the parser runs it once for every +QIURC line, from one place.
BCCONFORM_HOT_INLINE qiurc_class line_index::classify_qiurc(std::string_view line,
                                                            std::size_t readable) const noexcept {
  qiurc_class out;
  const std::size_t at = qiurc_class::subtype_at;
  if (line.size() <= at || !same_bytes(line.data(), qiurc_envelope.data(), at)) return out;
  const std::size_t len = find_byte(line.data() + at, line.size() - at, readable - at, '"');
  if (len == line.size() - at) return out;
  out.close = at + len;
  const qiurc_group* g = quoted_subtype(line, len, readable);
  if (g == nullptr) return out;
  const std::string_view rest = line.substr(out.close);
  for (const qiurc_member& k : g->decisive) {
    const bool fits = k.whole_line ? same_text(rest, k.tail)
                                   : starts_with(rest, k.tail) && ends_with(line, k.literal);
    if (fits) {
      out.urc = k.urc;
      return out;
    }
  }
  for (const qiurc_member& k : g->generic) {
    if (starts_with(rest, k.tail)) {
      out.urc = k.urc;
      return out;
    }
  }
  return out;
}

/// The indexes, built on first use (the parser's constructor), so feed() never allocates.
const line_index& classifier() noexcept;

/// The first ':' of `line`, or line.size(); `in_head` marks the colons among its first
/// min(16, size) bytes (3GPP TS 27.007 §4.1: the prefix ends at the first colon).
inline std::size_t first_colon(std::string_view line, unsigned in_head) noexcept {
  // Whether a line has a colon is as random as the lines are: chosen without a branch. With
  // no colon in the head the sentinel bit gives 16, the line's size unless it is longer.
  const std::size_t at = lowest_bit(in_head | 1u << line_head::size);
  // No colon in the head of a longer line: min(at + 1, size) > 16 says that in one compare,
  // which compilers keep as one rarely taken branch.
  const std::size_t reach = at + 1 < line.size() ? at + 1 : line.size();
  if (reach > line_head::size) [[unlikely]] {
    const void* p = std::memchr(line.data() + line_head::size, ':', line.size() - line_head::size);
    return p == nullptr ? line.size()
                        : static_cast<std::size_t>(static_cast<const char*>(p) - line.data());
  }
  return at < line.size() ? at : line.size();
}

/// Looks the line up in `ix` (line_index::classify). `readable` is how many bytes from
/// line.data() may be read (at least line.size()); with 16 or more the head is one load.
inline line_class classify_line(const line_index& ix, std::string_view line,
                                std::size_t readable) noexcept {
  const std::size_t n = line.size() < line_head::size ? line.size() : line_head::size;
  const line_head head = line_head::load(line.data(), n, readable);
  return ix.classify(line, head, first_colon(line, head.mask_of(':', n)));
}

/// "QIRD" for +QIRD, "ATI" for ATI, "AT" for AT: a stable display name for a command.
std::string_view display_name(const command_spec& spec) noexcept;

}  // namespace bcconform::protocol::detail
