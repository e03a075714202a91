// Building the coverage matrix: one row per command form, URC, error code 550-574, chapter 4
// example and ruling, then every scenario's steps walked once to tick the rows it exercises.
#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "bcconform/coverage/coverage.hpp"
#include "bcconform/coverage/errata.hpp"
#include "coverage_detail.hpp"

namespace bcconform::coverage {
namespace {

using protocol::form;
using sv = std::string_view;

// AN 3 table 1: the codes the TCP/IP commands report, excluding 0 ("Operation successful").
constexpr int first_error_code = 550;
constexpr int last_error_code = 574;

constexpr sv geterror_prefix = "+QIGETERROR: ";  // AN 2.1.12
constexpr sv cme_prefix = "+CME ERROR: ";        // 3GPP TS 27.007 §9.2

std::string form_detail(const protocol::form_spec& f) {
  std::string d(protocol::to_string(f.kind));
  if (f.data == protocol::data_mode::until_ctrl_z) d += ", data mode until Ctrl+Z";
  if (f.data == protocol::data_mode::fixed_length) d += ", fixed-length data mode";
  return d;
}

// The AN section of a form: its own when it is one, else its command's ("AN 4.1.1 (example)"
// and foreign references such as "V.250 §6.2.4" kept as written).
std::string form_section(const protocol::command_spec& c, const protocol::form_spec& f) {
  return std::string(f.section.starts_with("AN ") || c.section.empty() ? f.section : c.section);
}

std::string urc_label(const protocol::urc_spec& u) {
  std::string label(u.match);
  while (!label.empty() && (label.back() == ',' || label.back() == ':')) label.pop_back();
  if (u.id == protocol::urc_id::buff_full) label += ",...,\"buff full\"";  // E50
  return label;
}

std::string trimmed(sv s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Row indexes by what identifies them, so a step can tick a row in O(log n).
struct row_index {
  std::map<const protocol::form_spec*, std::size_t> forms;
  std::map<protocol::urc_id, std::size_t> urcs;
  std::map<int, std::size_t> codes;
  std::map<std::string, std::size_t> examples;
  std::map<std::string, std::size_t> errata;
};

class builder {
 public:
  explicit builder(const coverage_options& o)
      : doc_(parse_errata(o.errata_markdown)), have_errata_(!o.errata_markdown.empty()) {
    add_forms();
    add_urcs();
    add_codes();
    add_examples();
    add_rulings();
  }

  void add_scenario(const scenario::scenario& s);
  matrix finish(std::size_t files, std::size_t scenarios);

 private:
  void add_forms();
  void add_urcs();
  void add_codes();
  void add_examples();
  void add_rulings();
  std::size_t add_row(item it) {
    items_.push_back(std::move(it));
    return items_.size() - 1;
  }
  void tick(std::size_t row) { ticked_.insert(row); }
  void walk(const scenario::scenario& s, const std::vector<scenario::step>& steps);
  void on_send(const scenario::scenario& s, const scenario::step& st, sv line,
               const scenario::step* next);
  void on_pattern(const scenario::scenario& s, const scenario::step& st, sv text,
                  const std::string& pattern, bool expect_line);
  bool info_line_of_inflight(protocol::urc_id u) const;
  void unplace(const scenario::scenario& s, const scenario::source_pos& pos, sv text,
               std::string why, bool expected_refused = false);
  std::size_t erratum_row(const std::string& id);

  errata_document doc_;
  bool have_errata_;
  std::vector<item> items_;
  row_index index_;
  std::vector<unplaced_line> unplaced_;
  std::set<std::pair<std::string, std::string>> unplaced_seen_;  // position, text
  std::set<std::size_t> ticked_;  // rows the current scenario exercises
  detail::placement inflight_;    // the last command sent
};

void builder::add_forms() {
  for (const protocol::command_spec& c : protocol::commands()) {
    for (const protocol::form_spec& f : c.forms) {
      item it;
      it.kind = item_kind::command_form;
      it.key = it.label = std::string(f.syntax);
      it.detail = form_detail(f);
      it.section = form_section(c, f);
      it.reason = "no scenario sends it";
      index_.forms[&f] = add_row(std::move(it));
    }
  }
}

void builder::add_urcs() {
  for (const protocol::urc_spec& u : protocol::urcs()) {
    item it;
    it.kind = item_kind::urc;
    it.key = std::string(u.name);
    it.label = urc_label(u);
    it.detail = std::string(u.format);
    it.section = std::string(u.section);
    it.reason = "no scenario expects it";
    index_.urcs[u.id] = add_row(std::move(it));
  }
}

void builder::add_codes() {
  for (int code = first_error_code; code <= last_error_code; ++code) {
    const protocol::error_code_spec* spec = protocol::find_error_code(code);
    if (spec == nullptr) continue;
    item it;
    it.kind = item_kind::error_code;
    it.key = it.label = std::to_string(code);
    it.detail = std::string(spec->description);
    it.section = "AN 3";
    const unprovokable_code* listed = doc_.find_unprovokable(code);
    if (listed != nullptr || (!have_errata_ && !spec->provokable)) {
      it.coverable = false;
      it.reason = "cannot be provoked from the AT interface: " +
                  (listed != nullptr ? listed->reason : std::string(spec->note));
    } else {
      it.reason = "no scenario expects +QIGETERROR: " + it.key + " or +CME ERROR: " + it.key +
                  " (provoke: " + std::string(spec->note) + ")";
    }
    index_.codes[code] = add_row(std::move(it));
  }
}

void builder::add_examples() {
  for (const protocol::example_spec& e : protocol::examples()) {
    item it;
    it.kind = item_kind::example;
    it.key = it.label = it.section = std::string(e.section);
    it.detail = std::string(e.title);
    it.reason = "no scenario cites " + it.key;
    const std::string key = it.key;  // `it` is moved from before the map is indexed
    index_.examples[key] = add_row(std::move(it));
  }
}

void builder::add_rulings() {
  for (const erratum& e : doc_.rulings) {
    if (index_.errata.count(e.id) != 0) continue;  // a duplicate heading: the first one counts
    item it;
    it.kind = item_kind::erratum;
    it.key = it.label = e.id;
    it.detail = e.title;
    if (e.nothing_to_test()) {
      it.coverable = false;
      it.reason = "nothing to test: " + e.ruling;
    } else {
      it.reason = "no scenario lists it";
    }
    index_.errata[e.id] = add_row(std::move(it));
  }
}

// A ruling a scenario names: its row, made on first sight when specs/ERRATA.md lacks it.
std::size_t builder::erratum_row(const std::string& id) {
  if (auto it = index_.errata.find(id); it != index_.errata.end()) return it->second;
  item row;
  row.kind = item_kind::erratum;
  row.key = row.label = id;
  row.detail = have_errata_ ? "not in specs/ERRATA.md" : "";
  row.reason = "no scenario lists it";
  return index_.errata[id] = add_row(std::move(row));
}

void builder::unplace(const scenario::scenario& s, const scenario::source_pos& pos, sv text,
                      std::string why, bool expected_refused) {
  // A file's setup is copied into each of its scenarios: report each line once.
  if (!unplaced_seen_.insert({pos.to_string(), std::string(text)}).second) return;
  unplaced_.push_back({s.id, pos, std::string(text), std::move(why), expected_refused});
}

// Whether `st` is an expect step whose first line is a refusal: ERROR (V.250 §5.7.1) or
// +CME ERROR (3GPP TS 27.007 §9.2), written exactly or as a pattern.
bool expects_refusal(const scenario::step* st) {
  const auto* e = st != nullptr ? std::get_if<scenario::expect_step>(&st->body) : nullptr;
  if (e == nullptr || e->lines.empty()) return false;
  const scenario::line_matcher& m = e->lines.front();
  using kind = scenario::line_matcher::kind;
  if (m.match != kind::exact && m.match != kind::regex) return false;
  const std::string& t = m.text.text;
  return t == "ERROR" || t.starts_with("+CME ERROR") || t.starts_with("\\+CME ERROR");
}

void builder::on_send(const scenario::scenario& s, const scenario::step& st, sv line,
                      const scenario::step* next) {
  inflight_ = detail::place_send(line);
  if (inflight_.form == nullptr) {
    return unplace(s, st.pos, line, inflight_.why, expects_refusal(next));
  }
  tick(index_.forms.at(inflight_.form));
}

// `AT+QIOPEN=?` answers `+QIOPEN: (1-3),...`: after a test or query form, an expect line with
// the command's information prefix is that information response, not the URC.
bool builder::info_line_of_inflight(protocol::urc_id u) const {
  if (inflight_.form == nullptr || inflight_.command->info_prefix.empty()) return false;
  if (inflight_.kind != form::test && inflight_.kind != form::query) return false;
  const std::string prefix = std::string(inflight_.command->info_prefix) + ":";
  return protocol::urc(u).match.starts_with(prefix);
}

void builder::on_pattern(const scenario::scenario& s, const scenario::step& st, sv text,
                         const std::string& pattern, bool expect_line) {
  std::string error;
  const auto bounds = detail::bounds_of(pattern, error);
  if (!bounds) {
    // A pattern RE2 cannot bound (`.*foo`) is legal, it just pins nothing; only a pattern that
    // does not compile is worth a line.
    if (error.starts_with("pattern does not compile")) unplace(s, st.pos, text, error);
    return;
  }
  for (protocol::urc_id u : detail::urcs_matched(*bounds, text))
    if (!expect_line || !info_line_of_inflight(u)) tick(index_.urcs.at(u));
  if (!expect_line) return;
  for (sv prefix : {geterror_prefix, cme_prefix}) {
    const auto code = detail::pinned_code(*bounds, prefix);
    if (!code) continue;
    if (auto it = index_.codes.find(*code); it != index_.codes.end()) tick(it->second);
  }
}

void builder::walk(const scenario::scenario& s, const std::vector<scenario::step>& steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const scenario::step& st = steps[i];
    if (const auto* send = std::get_if<scenario::send_step>(&st.body)) {
      on_send(s, st, send->line.text, i + 1 < steps.size() ? &steps[i + 1] : nullptr);
    } else if (const auto* expect = std::get_if<scenario::expect_step>(&st.body)) {
      for (const scenario::line_matcher& m : expect->lines) {
        if (m.match == scenario::line_matcher::kind::exact)
          on_pattern(s, st, m.text.text, detail::exact_to_pattern(m.text.text), true);
        else if (m.match == scenario::line_matcher::kind::regex)
          on_pattern(s, st, m.text.text, detail::regex_to_pattern(m.text.text), true);
      }
    } else if (const auto* urc = std::get_if<scenario::urc_step>(&st.body)) {
      on_pattern(s, st, urc->pattern.text, detail::regex_to_pattern(urc->pattern.text), false);
    }
  }
}

void builder::add_scenario(const scenario::scenario& s) {
  ticked_.clear();
  inflight_ = {};
  walk(s, s.setup);
  walk(s, s.steps);
  walk(s, s.teardown);
  for (const std::string& spec : s.spec) {
    if (auto it = index_.examples.find(trimmed(spec)); it != index_.examples.end())
      tick(it->second);
  }
  for (const std::string& e : s.errata) {
    const std::string id = normalize_erratum_id(e);
    tick(erratum_row(id.empty() ? trimmed(e) : id));
  }
  for (std::size_t row : ticked_) items_[row].scenarios.push_back(s.id);
}

// Rulings by number (rows made for unknown names included), the rest in table order.
bool erratum_before(const item& a, const item& b) {
  const std::string na = normalize_erratum_id(a.key), nb = normalize_erratum_id(b.key);
  if (na.empty() != nb.empty()) return !na.empty();
  if (na.empty()) return a.key < b.key;
  return std::stoi(na.substr(1)) < std::stoi(nb.substr(1));
}

matrix builder::finish(std::size_t files, std::size_t scenarios) {
  for (item& it : items_) {
    std::sort(it.scenarios.begin(), it.scenarios.end());
    it.scenarios.erase(std::unique(it.scenarios.begin(), it.scenarios.end()), it.scenarios.end());
    if (it.covered()) it.reason.clear();
  }
  std::stable_sort(items_.begin(), items_.end(), [](const item& a, const item& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.kind == item_kind::erratum && erratum_before(a, b);
  });
  matrix m;
  m.items = std::move(items_);
  m.unplaced = std::move(unplaced_);
  m.files = files;
  m.scenarios = scenarios;
  m.have_errata = have_errata_;
  return m;
}

}  // namespace

std::string_view to_string(item_kind k) noexcept {
  switch (k) {
    case item_kind::command_form:
      return "command_form";
    case item_kind::urc:
      return "urc";
    case item_kind::error_code:
      return "error_code";
    case item_kind::example:
      return "example";
    case item_kind::erratum:
      return "erratum";
  }
  return "unknown";
}

matrix compute_coverage(const std::vector<scenario::suite_file>& suite, const coverage_options& o) {
  builder b(o);
  std::size_t scenarios = 0;
  for (const scenario::suite_file& f : suite) {
    for (const scenario::scenario& s : f.scenarios) {
      b.add_scenario(s);
      ++scenarios;
    }
  }
  return b.finish(suite.size(), scenarios);
}

std::vector<std::string> coverage_regressions(const matrix& m) {
  std::vector<std::string> out;
  for (const item& it : m.items) {
    if (it.covered() || !it.coverable) continue;
    std::string what;
    if (it.kind == item_kind::command_form) what = "command form ";
    if (it.kind == item_kind::urc) what = "URC ";
    if (it.kind == item_kind::example) what = "chapter 4 example ";
    if (what.empty()) continue;
    // An example's label is its section: its title says more.
    const std::string& where = it.section == it.label ? it.detail : it.section;
    out.push_back(what + it.label + (where.empty() ? "" : " (" + where + ")") + ": no scenario");
  }
  return out;
}

}  // namespace bcconform::coverage
