// Indexes over the command table for the parser's hot path. Every key comes from the table
// (command_table.cpp); nothing here names a command, URC or final result itself, except the
// generic syntax of extended result codes: `+NAME: params` (3GPP TS 27.007 §4.1) and the
// `+QIURC: "<type>"` envelope of the note's URCs (AN 2.2).
//
// One small open-addressing hash table holds every key a line can be looked up by: whole lines
// ("OK", "RDY") and prefixes before ':' ("+QIRD", "+QIOPEN", "+CME ERROR", "+QIURC"). A line
// costs one hash of its prefix and, on a hit, one comparison.
#include "line_classifier.hpp"

#include <array>
#include <cstring>
#include <string>
#include <vector>

namespace bcconform::protocol::detail {
namespace {

constexpr std::string_view qiurc_envelope = "+QIURC: \"";
constexpr std::size_t slot_bits = 9;
constexpr std::size_t slots = std::size_t{1} << slot_bits;  // ~10x the number of keys

struct entry {
  std::string_view key;
  const final_spec* final = nullptr;   // whole-line final, or the +CME ERROR prefix
  const urc_spec* urc = nullptr;       // whole-line URC, or a prefix URC (+QIOPEN)
  const command_spec* info = nullptr;  // info prefix
  std::string_view info_name;          // display_name(*info)
  bool qiurc = false;                  // the +QIURC envelope: look at the subtype
};

struct keyed_urc {
  std::string_view key;  // subtype ("recv")
  const urc_spec* urc;
  std::string_view literal;  // quoted literal its format ends with ("\"buff full\""), or ""
};

struct indexes {
  std::array<entry, slots> table{};
  std::vector<keyed_urc> subtype_urcs;  // "recv", "closed", "incoming", "dnsgip"
  std::vector<std::string> display;     // parallel to commands()
  std::size_t max_whole = 0;
};

// Keys differ in length and in their third, middle and last bytes (most start "+Q"): those
// spread them over the table without a loop over the key.
std::size_t hash(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const auto mid = static_cast<unsigned char>(s[s.size() / 2]);
  const auto last = static_cast<unsigned char>(s.back());
  const auto first = static_cast<unsigned char>(s[s.size() > 2 ? 2 : 0]);
  const std::uint32_t h =
      static_cast<std::uint32_t>(s.size() << 24 | first << 16 | mid << 8 | last);
  return (h * 0x9E3779B1u) >> (32 - slot_bits);  // Fibonacci hashing: the high bits mix well
}

bool same(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && a.front() == b.front() &&
         std::memcmp(a.data(), b.data(), a.size()) == 0;
}

entry& slot_for(indexes& ix, std::string_view key) {
  std::size_t i = hash(key);
  while (!ix.table[i].key.empty() && ix.table[i].key != key) i = (i + 1) & (slots - 1);
  ix.table[i].key = key;
  return ix.table[i];
}

const entry* find(const indexes& ix, std::string_view key) noexcept {
  for (std::size_t i = hash(key);; i = (i + 1) & (slots - 1)) {
    const entry& e = ix.table[i];
    if (e.key.empty()) return nullptr;
    if (same(e.key, key)) return &e;
  }
}

bool enveloped(std::string_view match) noexcept {
  return match.substr(0, qiurc_envelope.size()) == qiurc_envelope;
}

// "+QIURC: \"recv\"," -> "recv".
std::string_view subtype_key(std::string_view match) {
  match.remove_prefix(qiurc_envelope.size());
  return match.substr(0, match.find('"'));
}

std::string_view before_colon(std::string_view s) {
  return s.substr(0, s.find(':'));
}

// The quoted literal a format ends with (`"buff full"` of `...,<connectID>,"buff full"`), or "".
std::string_view trailing_literal(std::string_view format) noexcept {
  if (format.size() < 2 || format.back() != '"') return {};
  const std::size_t open = format.rfind('"', format.size() - 2);
  return open == std::string_view::npos ? std::string_view() : format.substr(open);
}

indexes build() {
  indexes ix;
  for (const final_spec& f : finals()) {
    // "+CME ERROR: " is a prefix; the others are whole lines (never substrings).
    const std::string_view key = f.id == final_id::cme_error ? before_colon(f.text) : f.text;
    slot_for(ix, key).final = &f;
    if (f.id != final_id::cme_error && f.text.size() > ix.max_whole) ix.max_whole = f.text.size();
  }
  for (const urc_spec& u : urcs()) {
    if (enveloped(u.match)) {
      ix.subtype_urcs.push_back({subtype_key(u.match), &u, trailing_literal(u.format)});
      slot_for(ix, before_colon(u.match)).qiurc = true;
    } else if (u.whole_line) {
      slot_for(ix, u.match).urc = &u;
      if (u.match.size() > ix.max_whole) ix.max_whole = u.match.size();
    } else {
      slot_for(ix, before_colon(u.match)).urc = &u;
    }
  }
  for (const command_spec& c : commands()) {
    const bool extended = !c.name.empty() && c.name.front() == '+';
    ix.display.push_back(extended ? std::string(c.name.substr(1)) : "AT" + std::string(c.name));
  }
  // After the vector is complete: the views below point into its strings.
  const auto all = commands();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].info_prefix.empty()) continue;
    entry& e = slot_for(ix, all[i].info_prefix);
    e.info = &all[i];
    e.info_name = ix.display[i];
  }
  return ix;
}

const indexes& index() {
  static const indexes ix = build();
  return ix;
}

bool ends_with(std::string_view s, std::string_view tail) noexcept {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// `+QIURC: "recv",0` -> subtype "recv"; the subtype is the whole quoted token, so "incoming"
// never matches "incoming full" (parsers.md case 39). Entries that share a subtype (recv /
// buff full, E50) are told apart by the quoted literal their documented format ends with;
// those are tried first, being the more specific.
void classify_qiurc(const indexes& ix, std::string_view line, line_class& out) noexcept {
  if (line.substr(0, qiurc_envelope.size()) != qiurc_envelope) return;
  const std::string_view rest = line.substr(qiurc_envelope.size());
  const std::size_t close = rest.find('"');
  if (close == std::string_view::npos) return;
  out.qiurc_subtype = rest.substr(0, close);
  const urc_spec* generic = nullptr;
  for (const keyed_urc& k : ix.subtype_urcs) {
    if (!same(k.key, out.qiurc_subtype)) continue;
    if (k.urc->whole_line) {
      if (line != k.urc->match) continue;
      out.urc = k.urc;
      return;
    }
    if (line.substr(0, k.urc->match.size()) != k.urc->match) continue;
    if (!k.literal.empty()) {
      if (ends_with(line, k.literal)) {
        out.urc = k.urc;
        return;
      }
    } else if (generic == nullptr) {
      generic = k.urc;
    }
  }
  out.urc = generic;
}

}  // namespace

void warm_up_classifier() {
  (void)index();
}

line_class classify_line(std::string_view line) noexcept {
  const indexes& ix = index();
  line_class out;
  const void* colon = std::memchr(line.data(), ':', line.size());
  if (colon == nullptr) {  // whole-line keys have no colon: finals, RDY, +QATSLEEP, ...
    if (line.size() > ix.max_whole) return out;
    const entry* e = find(ix, line);
    if (e == nullptr) return out;
    if (e->final != nullptr && e->final->id != final_id::cme_error) out.final = e->final;
    if (e->urc != nullptr && e->urc->whole_line) out.urc = e->urc;
    return out;
  }
  if (line.front() != '+') return out;
  const auto colon_at = static_cast<std::size_t>(static_cast<const char*>(colon) - line.data());
  out.prefix = line.substr(0, colon_at);
  out.params = line.substr(colon_at + 1);
  if (!out.params.empty() && out.params.front() == ' ') out.params.remove_prefix(1);
  const entry* e = find(ix, out.prefix);
  if (e == nullptr) return out;
  if (e->final != nullptr) {  // +CME ERROR: <n>
    out.final = e->final;
    return out;
  }
  if (e->qiurc) {
    classify_qiurc(ix, line, out);
    return out;
  }
  if (e->urc != nullptr && !e->urc->whole_line) out.urc = e->urc;
  out.info = e->info;
  out.info_name = e->info_name;
  return out;
}

std::string_view display_name(const command_spec& spec) noexcept {
  const indexes& ix = index();
  const auto all = commands();
  const auto i = static_cast<std::size_t>(&spec - all.data());
  return i < ix.display.size() ? std::string_view(ix.display[i]) : spec.name;
}

}  // namespace bcconform::protocol::detail
