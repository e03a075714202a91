// Indexes over the command table for the parser's hot path. Every key comes from the table
// (command_table.cpp); nothing here names a command, URC or final result itself, except the
// generic syntax of extended result codes: `+NAME: params` (3GPP TS 27.007 §4.1) and the
// `+QIURC: "<type>"` envelope of the note's URCs (AN 2.2).
#include "line_classifier.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace bcconform::protocol::detail {
namespace {

constexpr std::string_view qiurc_envelope = "+QIURC: \"";

struct keyed_urc {
  std::string_view key;  // prefix before ':' ("+QIOPEN"), subtype ("recv"), or whole line
  const urc_spec* urc;
};

struct indexes {
  std::vector<const final_spec*> whole_finals;  // "OK", "SEND OK", ...
  const final_spec* cme = nullptr;              // "+CME ERROR: " prefix
  std::vector<keyed_urc> whole_urcs;            // "RDY", "+QATSLEEP", "+QIURC: \"incoming full\""
  std::vector<keyed_urc> prefix_urcs;           // "+QIOPEN", "+QPING", ...
  std::vector<keyed_urc> subtype_urcs;          // "recv", "closed", "incoming", "dnsgip"
  std::vector<const command_spec*> info;        // by info_prefix
  std::vector<std::string> display;             // parallel to commands()
  std::size_t max_whole = 0;
};

// "+QIURC: \"recv\"," -> "recv"; "+QIOPEN:" -> "+QIOPEN"; anything else -> as is.
std::string_view urc_key(const urc_spec& u) {
  std::string_view m = u.match;
  if (m.substr(0, qiurc_envelope.size()) == qiurc_envelope) {
    m.remove_prefix(qiurc_envelope.size());
    return m.substr(0, m.find('"'));
  }
  if (!m.empty() && m.back() == ':') m.remove_suffix(1);
  return m;
}

indexes build() {
  indexes ix;
  for (const final_spec& f : finals()) {
    if (f.id == final_id::cme_error) {
      ix.cme = &f;
    } else {
      ix.whole_finals.push_back(&f);
      ix.max_whole = std::max(ix.max_whole, f.text.size());
    }
  }
  for (const urc_spec& u : urcs()) {
    const bool enveloped = u.match.substr(0, qiurc_envelope.size()) == qiurc_envelope;
    if (u.whole_line && !enveloped) {
      ix.whole_urcs.push_back({u.match, &u});
      ix.max_whole = std::max(ix.max_whole, u.match.size());
    } else if (enveloped) {
      ix.subtype_urcs.push_back({urc_key(u), &u});
    } else {
      ix.prefix_urcs.push_back({urc_key(u), &u});
    }
  }
  for (const command_spec& c : commands()) {
    if (!c.info_prefix.empty()) ix.info.push_back(&c);
    const bool extended = !c.name.empty() && c.name.front() == '+';
    ix.display.push_back(extended ? std::string(c.name.substr(1)) : "AT" + std::string(c.name));
  }
  return ix;
}

const indexes& index() {
  static const indexes ix = build();
  return ix;
}

const urc_spec* find_key(const std::vector<keyed_urc>& v, std::string_view key) noexcept {
  for (const keyed_urc& k : v) {
    if (k.key == key) return k.urc;
  }
  return nullptr;
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
  if (line.size() <= ix.max_whole) {
    for (const final_spec* f : ix.whole_finals) {
      if (f->text == line) {
        out.final = f;
        return out;
      }
    }
    if (const urc_spec* u = find_key(ix.whole_urcs, line)) {
      out.urc = u;
      return out;
    }
  }
  if (line.empty() || line.front() != '+') return out;
  const void* colon = std::memchr(line.data(), ':', line.size());
  if (colon == nullptr) return out;
  const auto colon_at = static_cast<std::size_t>(static_cast<const char*>(colon) - line.data());
  out.prefix = line.substr(0, colon_at);
  out.params = line.substr(colon_at + 1);
  if (!out.params.empty() && out.params.front() == ' ') out.params.remove_prefix(1);
  if (ix.cme != nullptr && line.substr(0, ix.cme->text.size()) == ix.cme->text) {
    out.final = ix.cme;
    return out;
  }
  if (line.substr(0, qiurc_envelope.size()) == qiurc_envelope) {
    classify_qiurc(ix, line, out);
    return out;
  }
  out.urc = find_key(ix.prefix_urcs, out.prefix);
  for (const command_spec* c : ix.info) {
    if (c->info_prefix == out.prefix) {
      out.info = c;
      break;
    }
  }
  return out;
}

std::string_view display_name(const command_spec& spec) noexcept {
  const indexes& ix = index();
  const auto all = commands();
  const auto i = static_cast<std::size_t>(&spec - all.data());
  return i < ix.display.size() ? std::string_view(ix.display[i]) : spec.name;
}

}  // namespace bcconform::protocol::detail
