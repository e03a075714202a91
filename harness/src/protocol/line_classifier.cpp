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
constexpr std::size_t slots = 256;  // a power of two, several times the number of keys

struct entry {
  std::string_view key;
  const final_spec* final = nullptr;   // whole-line final, or the +CME ERROR prefix
  const urc_spec* urc = nullptr;       // whole-line URC, or a prefix URC (+QIOPEN)
  const command_spec* info = nullptr;  // info prefix
  bool qiurc = false;                  // the +QIURC envelope: look at the subtype
};

struct keyed_urc {
  std::string_view key;  // subtype ("recv")
  const urc_spec* urc;
};

struct indexes {
  std::array<entry, slots> table{};
  std::vector<keyed_urc> subtype_urcs;  // "recv", "closed", "incoming", "dnsgip"
  std::vector<std::string> display;     // parallel to commands()
  std::size_t max_whole = 0;
};

std::size_t hash(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return (h ^ (h >> 16)) & (slots - 1);
}

// Keys are a few bytes long: an inline loop beats a call to memcmp.
bool same(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
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
      ix.subtype_urcs.push_back({subtype_key(u.match), &u});
      slot_for(ix, before_colon(u.match)).qiurc = true;
    } else if (u.whole_line) {
      slot_for(ix, u.match).urc = &u;
      if (u.match.size() > ix.max_whole) ix.max_whole = u.match.size();
    } else {
      slot_for(ix, before_colon(u.match)).urc = &u;
    }
  }
  for (const command_spec& c : commands()) {
    if (!c.info_prefix.empty()) slot_for(ix, c.info_prefix).info = &c;
    const bool extended = !c.name.empty() && c.name.front() == '+';
    ix.display.push_back(extended ? std::string(c.name.substr(1)) : "AT" + std::string(c.name));
  }
  return ix;
}

const indexes& index() {
  static const indexes ix = build();
  return ix;
}

// The quoted literal a format ends with (`"buff full"` of `...,<connectID>,"buff full"`), or "".
std::string_view trailing_literal(std::string_view format) noexcept {
  if (format.size() < 2 || format.back() != '"') return {};
  const std::size_t open = format.rfind('"', format.size() - 2);
  return open == std::string_view::npos ? std::string_view() : format.substr(open);
}

// Whether the URC `u` fits the line. Entries that share a subtype (recv / buff full, E50) are
// told apart by the quoted literal their documented format ends with.
bool fits(const urc_spec& u, std::string_view line) noexcept {
  if (u.whole_line) return line == u.match;
  if (line.substr(0, u.match.size()) != u.match) return false;
  const std::string_view lit = trailing_literal(u.format);
  return lit.empty() || (line.size() >= lit.size() && line.substr(line.size() - lit.size()) == lit);
}

// `+QIURC: "recv",0` -> subtype "recv"; the subtype is the whole quoted token, so "incoming"
// never matches "incoming full" (parsers.md case 39). Entries with a trailing literal are
// tried first, being the more specific.
void classify_qiurc(const indexes& ix, std::string_view line, line_class& out) noexcept {
  if (line.substr(0, qiurc_envelope.size()) != qiurc_envelope) return;
  std::string_view rest = line.substr(qiurc_envelope.size());
  const std::size_t close = rest.find('"');
  if (close == std::string_view::npos) return;
  out.qiurc_subtype = rest.substr(0, close);
  const urc_spec* generic = nullptr;
  for (const keyed_urc& k : ix.subtype_urcs) {
    if (k.key != out.qiurc_subtype || !fits(*k.urc, line)) continue;
    if (!trailing_literal(k.urc->format).empty()) {
      out.urc = k.urc;
      return;
    }
    if (generic == nullptr) generic = k.urc;
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
  return out;
}

std::string_view display_name(const command_spec& spec) noexcept {
  const indexes& ix = index();
  const auto all = commands();
  const auto i = static_cast<std::size_t>(&spec - all.data());
  return i < ix.display.size() ? std::string_view(ix.display[i]) : spec.name;
}

}  // namespace bcconform::protocol::detail
