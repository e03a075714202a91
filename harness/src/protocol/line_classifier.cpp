// Builds the indexes over the command table that line_classifier.hpp looks lines up in. Every
// key comes from the table (command_table.cpp); nothing here names a command, URC or final
// result itself, except the generic syntax of extended result codes: `+NAME: params`
// (3GPP TS 27.007 §4.1) and the `+QIURC: "<type>"` envelope of the note's URCs (AN 2.2).
#include "line_classifier.hpp"

namespace bcconform::protocol::detail {
namespace {

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

// "+CME ERROR: " -> "CME ERROR"; "SEND OK" -> "SEND OK".
std::string_view final_name(const final_spec& f) noexcept {
  std::string_view n = f.text;
  if (!n.empty() && n.front() == '+') n.remove_prefix(1);
  while (!n.empty() && (n.back() == ' ' || n.back() == ':')) n.remove_suffix(1);
  return n;
}

}  // namespace

/// What the table says about one key, gathered before its meanings are decided.
struct line_index::raw_entry {
  std::string_view key;
  const final_spec* line_final = nullptr;    // OK, ERROR, SEND OK, ...
  const urc_spec* line_urc = nullptr;        // RDY, +QATSLEEP, ...
  const final_spec* prefix_final = nullptr;  // +CME ERROR
  const urc_spec* prefix_urc = nullptr;      // +QIOPEN, +QPING, ...
  const command_spec* info = nullptr;        // info prefix
  std::string_view info_name;                // display_name(*info)
  bool qiurc = false;                        // the +QIURC envelope
  std::size_t group = no_group;              // a quoted subtype: its index in subtypes_

  static constexpr std::size_t no_group = ~std::size_t{0};

  // Precedence: a final result, the URC envelope, a URC (the context may make a shared prefix
  // an answer), an info prefix (AN 2.1.5 for +QIRD), else nothing the table knows.
  line_meaning prefixed() const noexcept {
    line_meaning m;
    if (prefix_final != nullptr) return final_meaning(*prefix_final);
    if (qiurc) {
      m.action = line_action::qiurc;
      return m;
    }
    if (prefix_urc != nullptr) {
      m = urc_meaning(*prefix_urc);
      if (info != nullptr) {
        m.urc_unless_answer = m.action == line_action::done;  // not a payload header
        m.action = line_action::shared;
        m.answer = info;
        m.answer_name = info_name;
        m.qird = key == qird_prefix;
      }
      return m;
    }
    if (info != nullptr) {
      m.qird = key == qird_prefix;
      m.action = m.qird ? line_action::qird : line_action::done;
      m.kind = event_kind::info;
      m.name = info_name;
      m.command = info;
      return m;
    }
    m.action = line_action::unknown;
    return m;
  }

  line_meaning whole() const noexcept {
    if (line_final != nullptr) return final_meaning(*line_final);
    if (line_urc != nullptr) return urc_meaning(*line_urc);
    return {};
  }

  static line_meaning final_meaning(const final_spec& f) noexcept {
    line_meaning m;
    m.action = line_action::done;
    m.kind = event_kind::final;
    m.name = final_name(f);
    m.final = &f;
    return m;
  }

  // A URC whose header announces a payload (recv, buff full) takes the envelope's path; one
  // outside it would need its parameters read, as a shared prefix does.
  static line_meaning urc_meaning(const urc_spec& u) noexcept {
    line_meaning m;
    const bool header = u.id == urc_id::recv || u.id == urc_id::buff_full;
    m.action = header ? line_action::shared : line_action::done;
    m.kind = event_kind::urc;
    m.name = u.name;
    m.urc = &u;
    return m;
  }
};

namespace {

// One entry per key: a prefix may be a URC's and a command's at once (+QIOPEN, +QPING).
template <typename Entry>
Entry& entry_for(std::vector<Entry>& raw, std::string_view key) {
  for (Entry& e : raw) {
    if (e.key == key) return e;
  }
  Entry& e = raw.emplace_back();
  e.key = key;
  return e;
}

}  // namespace

line_index::line_index() {
  missing_[reading::prefix].action = line_action::unknown;
  std::vector<raw_entry> raw;
  entries_.emplace_back();  // the sentinel: an empty key, never a line's
  add_finals(raw);
  add_urcs(raw);
  add_commands(raw);
  for (const raw_entry& r : raw) {
    if (r.key.empty()) continue;  // no line is looked up by an empty key
    line_entry& e = entries_.emplace_back();
    e.key = r.key;
    const std::size_t n = r.key.size() < line_head::size ? r.key.size() : line_head::size;
    e.packed = line_head::load(r.key.data(), n, n);
    e.meaning[reading::whole] = r.whole();
    e.meaning[reading::prefix] = r.prefixed();
    if (r.group != raw_entry::no_group) e.group = &subtypes_[r.group];  // subtypes_ is complete
  }
  for (std::size_t k = 0; k < masks_.size(); ++k) {
    char bytes[line_head::size] = {};
    std::memset(bytes, 0xff, k);
    masks_[k] = line_head::load(bytes, line_head::size, line_head::size);
  }
  fill_slots();
}

void line_index::add_finals(std::vector<raw_entry>& raw) {
  for (const final_spec& f : finals()) {
    // "+CME ERROR: " is a prefix; the others are whole lines (never substrings).
    if (f.id == final_id::cme_error) {
      entry_for(raw, before_colon(f.text)).prefix_final = &f;
    } else {
      entry_for(raw, f.text).line_final = &f;
      if (f.text.size() > max_whole_) max_whole_ = f.text.size();
    }
  }
}

void line_index::add_urcs(std::vector<raw_entry>& raw) {
  for (const urc_spec& u : urcs()) {
    if (enveloped(u.match)) {
      const std::string_view key = subtype_key(u.match);
      auto g = subtypes_.begin();
      while (g != subtypes_.end() && g->key != key) ++g;
      if (g == subtypes_.end()) g = subtypes_.insert(g, qiurc_group{key, {}, {}});
      const std::string_view tail = u.match.substr(qiurc_envelope.size() + key.size());
      const qiurc_member m{&u, tail, trailing_literal(u.format), u.whole_line};
      (m.whole_line || !m.literal.empty() ? g->decisive : g->generic).push_back(m);
      entry_for(raw, before_colon(u.match)).qiurc = true;
      // The subtype with its quotes is a key too, so a line's subtype is found by one lookup.
      if (!tail.empty() && tail.front() == '"') {
        const std::string_view quoted = u.match.substr(qiurc_envelope.size() - 1, key.size() + 2);
        entry_for(raw, quoted).group = static_cast<std::size_t>(g - subtypes_.begin());
      }
    } else if (u.whole_line) {
      entry_for(raw, u.match).line_urc = &u;
      if (u.match.size() > max_whole_) max_whole_ = u.match.size();
    } else {
      entry_for(raw, before_colon(u.match)).prefix_urc = &u;
    }
  }
}

void line_index::add_commands(std::vector<raw_entry>& raw) {
  for (const command_spec& c : commands()) {
    const bool extended = !c.name.empty() && c.name.front() == '+';
    display_.push_back(extended ? std::string(c.name.substr(1)) : "AT" + std::string(c.name));
  }
  // After display_ is complete: the views below point into its strings.
  const auto all = commands();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].info_prefix.empty()) continue;
    raw_entry& e = entry_for(raw, all[i].info_prefix);
    e.info = &all[i];
    e.info_name = display_[i];
  }
}

// Looks for a multiplier under which every packed key has a slot of its own, doubling the
// table whenever many tries fail; with a table 8 times the number of keys a few dozen tries
// suffice.
void line_index::fill_slots() {
  std::vector<std::size_t> packed;
  for (std::size_t i = 1; i < entries_.size(); ++i) {
    if (entries_[i].key.size() > max_packed) {
      long_keys_.push_back(i);
    } else {
      packed.push_back(i);
    }
  }
  unsigned bits = 6;
  while ((std::size_t{1} << bits) < 8 * packed.size()) ++bits;
  std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
  for (unsigned tries = 0;; ++tries) {
    if (tries == 1000) {
      ++bits;
      tries = 0;
    }
    seed_ = seed | 1;
    shift_ = 64 - bits;
    slot_.assign(std::size_t{1} << bits, 0);
    bool perfect = true;
    for (const std::size_t i : packed) {
      const line_entry& e = entries_[i];
      std::uint16_t& s = slot_[hash(e.packed.w0, e.packed.w1, e.key.size())];
      perfect = perfect && s == 0;
      s = static_cast<std::uint16_t>(i);
    }
    if (perfect) return;
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;  // next candidate (LCG)
  }
}

const line_entry* line_index::find_long(std::string_view key) const noexcept {
  for (const std::size_t i : long_keys_) {
    if (same_text(entries_[i].key, key)) return &entries_[i];
  }
  return nullptr;
}

const qiurc_group* line_index::subtype(std::string_view key) const noexcept {
  for (const qiurc_group& g : subtypes_) {
    if (same_text(g.key, key)) return &g;
  }
  return nullptr;
}

std::string_view line_index::display(const command_spec& spec) const noexcept {
  const auto i = static_cast<std::size_t>(&spec - commands().data());
  return i < display_.size() ? std::string_view(display_[i]) : spec.name;
}

const line_index& classifier() noexcept {
  static const line_index ix;
  return ix;
}

std::string_view display_name(const command_spec& spec) noexcept {
  return classifier().display(spec);
}

}  // namespace bcconform::protocol::detail
