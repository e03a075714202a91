// What the sign-off report says, in which order: the model (signoff_model.cpp) laid out as a
// document tree. The Markdown and HTML writers only render this tree.
#include <map>
#include <string>
#include <vector>

#include "report_detail.hpp"
#include "signoff_doc.hpp"
#include "signoff_text.hpp"

namespace bcconform::report::detail {
namespace {

using runner::case_result;
using runner::verdict;

// Expected and got come from the module and can be long; the JUnit report has them whole.
constexpr std::size_t evidence_bytes = 1000;

block heading(int level, std::string s) {
  block b;
  b.type = block::kind::heading;
  b.level = level;
  b.text = {text(std::move(s))};
  return b;
}

block paragraph(inline_text t) {
  block b;
  b.type = block::kind::paragraph;
  b.text = std::move(t);
  return b;
}

block table(std::vector<std::string> header) {
  block b;
  b.type = block::kind::table;
  b.header = std::move(header);
  return b;
}

block list(bool ordered) {
  block b;
  b.type = block::kind::list;
  b.ordered = ordered;
  return b;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class layout {
 public:
  explicit layout(const signoff_input& in) : in_(in), r_(in.results), m_(build_signoff(in)) {
    for (std::size_t i = 0; i < r_.cases.size(); ++i) first_case_.try_emplace(r_.cases[i].id, i);
  }

  signoff_document build() {
    signoff_document d;
    d.title = document_title(r_);
    doc_.push_back(heading(1, d.title));
    identity();
    totals();
    deviations();
    sections();
    waived();
    baseline();
    timings();
    errata();
    d.blocks = std::move(doc_);
    return d;
  }

 private:
  span case_link(std::size_t i) const {
    const case_result& c = r_.cases[i];
    const std::string side = case_side_file(in_, c);
    return side.empty() ? text(case_name(c)) : link(case_name(c), side);
  }

  // Cases as "a, b, c" with each one a link.
  inline_text case_links(const std::vector<std::size_t>& cases) const {
    inline_text t;
    for (std::size_t i : cases) {
      if (!t.empty()) t.push_back(text(", "));
      t.push_back(case_link(i));
    }
    return t;
  }

  void identity();
  void totals();
  void deviations();
  list_item deviation_item(std::size_t i) const;
  void sections();
  void waived();
  void baseline();
  void change_list(const std::string& title, const std::vector<verdict_change>& changes);
  void timings();
  void errata();

  const signoff_input& in_;
  const runner::run_results& r_;
  const signoff_model m_;
  std::map<std::string, std::size_t> first_case_;  // id -> first case with it
  document doc_;
};

void layout::identity() {
  const runner::run_info& i = r_.info;
  block facts = table({"Fact", "Value"});
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"Module", i.module_identity},
      {"Model", i.model},
      {"Firmware", i.firmware},
      {"Target", i.target},
      {"Started (UTC)", i.started_utc},
      {"Harness version", i.harness_version},
      {"Seed", i.seed},
      {"Host", i.hostname}};
  for (const auto& [name, value] : rows)
    facts.rows.push_back({{text(name)}, {text(value.empty() ? "(unknown)" : value)}});
  doc_.push_back(std::move(facts));

  inline_text result = {strong("Result:"), text(" "), status(m_.overall), text(". ")};
  result.push_back(text(std::to_string(m_.deviations.size()) + " deviation" +
                        (m_.deviations.size() == 1 ? "" : "s") + " to fix, " +
                        std::to_string(m_.waived.size()) + " waived."));
  if (r_.interrupted) result.push_back(text(" The run was interrupted."));
  if (r_.info.inconc_is_failure) result.push_back(text(" Inconclusive cases count as failures."));
  doc_.push_back(paragraph(std::move(result)));
}

void layout::totals() {
  doc_.push_back(heading(2, "Verdicts"));
  const verdict_counts& c = m_.totals;
  block t = table({"pass", "fail", "waived", "inconc", "error", "not applicable", "interrupted",
                   "not run", "filtered"});
  std::vector<inline_text> row;
  for (int n : {c.pass, c.fail, c.waived, c.inconc, c.error, c.not_applicable, c.interrupted,
                c.not_run, c.filtered})
    row.push_back({text(std::to_string(n))});
  t.rows.push_back(std::move(row));
  doc_.push_back(std::move(t));
}

list_item layout::deviation_item(std::size_t i) const {
  const case_result& c = r_.cases[i];
  list_item item;
  item.text = {case_link(i)};
  if (!c.title.empty()) item.text.push_back(text(": " + c.title));
  item.details.push_back({text("spec: " + (c.spec.empty() ? "(none)" : joined(c.spec)))});
  if (!c.failure) {
    item.details.push_back({text("no failure details were recorded")});
    return item;
  }
  const runner::failure_info& f = *c.failure;
  item.details.push_back({text("step: " + f.step + (f.kind.empty() ? "" : " (" + f.kind + ")"))});
  if (!f.message.empty()) item.details.push_back({text("message: " + f.message)});
  item.details.push_back({text("expected: " + clipped(f.expected, evidence_bytes))});
  item.details.push_back({text("got: " + clipped(f.got, evidence_bytes))});
  return item;
}

void layout::deviations() {
  doc_.push_back(heading(2, "Deviations to fix"));
  if (m_.deviations.empty()) {
    doc_.push_back(paragraph({text("None: no case failed without a waiver.")}));
    return;
  }
  block l = list(true);
  for (std::size_t i : m_.deviations) l.items.push_back(deviation_item(i));
  doc_.push_back(std::move(l));
}

void layout::sections() {
  doc_.push_back(heading(2, "Sections"));
  block t = table({"Section", "Title", "Verdict", "Cases", "Notes"});
  for (const section_result& s : m_.sections) {
    inline_text notes;
    if (!s.failing.empty()) {
      notes.push_back(text("failing: "));
      for (span& sp : case_links(s.failing)) notes.push_back(std::move(sp));
    }
    if (!s.waived.empty()) {
      notes.push_back(text(notes.empty() ? "waived: " : "; waived: "));
      for (span& sp : case_links(s.waived)) notes.push_back(std::move(sp));
    }
    if (!s.reason.empty()) notes.push_back(text(s.reason));
    t.rows.push_back({{text(s.section)},
                      {text(s.title)},
                      {status(s.status)},
                      {text(counts_text(s.counts))},
                      std::move(notes)});
  }
  doc_.push_back(std::move(t));
}

void layout::waived() {
  doc_.push_back(heading(2, "Waived deviations"));
  if (m_.waived.empty()) {
    doc_.push_back(paragraph({text("None.")}));
    return;
  }
  block t = table({"Case", "Spec", "Reason"});
  for (std::size_t i : m_.waived)
    t.rows.push_back(
        {{case_link(i)}, {text(joined(r_.cases[i].spec))}, {text(m_.waiver_reasons[i])}});
  doc_.push_back(std::move(t));
}

void layout::change_list(const std::string& title, const std::vector<verdict_change>& changes) {
  doc_.push_back(heading(3, title + " (" + std::to_string(changes.size()) + ")"));
  if (changes.empty()) {
    doc_.push_back(paragraph({text("None.")}));
    return;
  }
  block l = list(false);
  for (const verdict_change& ch : changes) {
    list_item item;
    const auto it = first_case_.find(ch.id);
    item.text.push_back(it == first_case_.end() ? text(ch.id) : case_link(it->second));
    item.text.push_back(text(": " + verdict_text(ch.before) + " → " + verdict_text(ch.after)));
    l.items.push_back(std::move(item));
  }
  doc_.push_back(std::move(l));
}

void layout::baseline() {
  if (!m_.diff) return;
  doc_.push_back(heading(2, "Against the baseline"));
  doc_.push_back(paragraph(
      {text("Baseline: " + (in_.baseline_label.empty() ? "(unnamed)" : in_.baseline_label) + ", " +
            std::to_string(in_.baseline->size()) + " cases.")}));
  change_list("Newly failing", m_.diff->newly_failing);
  change_list("Newly passing", m_.diff->newly_passing);
  change_list("Changed", m_.diff->changed);
  change_list("New cases", m_.diff->added);
  change_list("Not in this run", m_.diff->removed);
}

void layout::timings() {
  doc_.push_back(heading(2, "Response times"));
  if (m_.timings.empty()) {
    doc_.push_back(paragraph({text("No command timings were recorded.")}));
    return;
  }
  block t = table({"Command", "Samples", "Median", "p95", "Max", "Limit", "Over limit"});
  for (const timing_stats& s : m_.timings) {
    const std::string limit = s.limit > 0 ? seconds_text(s.limit) : "none documented";
    t.rows.push_back({{text(s.command)},
                      {text(std::to_string(s.samples))},
                      {text(seconds_text(s.median))},
                      {text(seconds_text(s.p95))},
                      {text(seconds_text(s.max))},
                      {text(limit)},
                      {s.over_limit > 0 ? strong(std::to_string(s.over_limit))
                                        : text(std::to_string(s.over_limit))}});
  }
  doc_.push_back(std::move(t));
}

void layout::errata() {
  doc_.push_back(heading(2, "Errata rulings applied"));
  if (m_.errata.empty()) {
    doc_.push_back(paragraph({text("No case named a ruling of specs/ERRATA.md.")}));
    return;
  }
  block t = table({"Ruling", "Title", "Cases"});
  for (const erratum_use& e : m_.errata)
    t.rows.push_back({{text(e.id)},
                      {text(!e.title.empty()              ? e.title
                            : in_.errata_markdown.empty() ? ""
                                                          : "(not in specs/ERRATA.md)")},
                      case_links(e.cases)});
  doc_.push_back(std::move(t));
}

}  // namespace

signoff_document layout_signoff(const signoff_input& in) {
  return layout(in).build();
}

}  // namespace bcconform::report::detail
