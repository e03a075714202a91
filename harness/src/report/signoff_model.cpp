// The facts of a sign-off report, computed once and written twice (Markdown and HTML): section
// verdicts, waivers, the baseline difference, response-time figures and the errata rulings.
// Everything is ordered by a total order on values (ids, section numbers, names), never by
// container iteration over pointers or hashes, so the same results give the same report.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "bcconform/coverage/coverage.hpp"
#include "bcconform/coverage/errata.hpp"
#include "bcconform/protocol/command_table.hpp"
#include "bcconform/report/junit.hpp"
#include "bcconform/report/signoff.hpp"

namespace bcconform::report {
namespace {

using runner::case_result;
using runner::verdict;
using sv = std::string_view;

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// "AN 2.1.4" at the start of `s` (followed by the end or a non-section character), with at
// least `min_parts` numbers; "" when there is none.
std::string an_section(sv s, std::size_t min_parts) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  if (!s.starts_with("AN ")) return {};
  std::size_t i = 3, parts = 0;
  while (i < s.size() && is_digit(s[i])) {
    while (i < s.size() && is_digit(s[i])) ++i;
    ++parts;
    if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) ++i;
  }
  if (parts < min_parts || parts == 0) return {};
  if (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
    return {};  // "AN 2.1x" is not a section reference
  return std::string(s.substr(0, i));
}

// A case's spec entry as a section name: its AN section, else the entry as written (trimmed).
std::string section_of_spec(sv spec) {
  std::string s = an_section(spec, 1);
  if (!s.empty()) return s;
  while (!spec.empty() && (spec.front() == ' ' || spec.front() == '\t')) spec.remove_prefix(1);
  while (!spec.empty() && (spec.back() == ' ' || spec.back() == '\t')) spec.remove_suffix(1);
  return std::string(spec);
}

// Numeric order: AN sections by their numbers ("AN 2.1.2" < "AN 2.1.10"), other texts after
// them in byte order.
struct section_key {
  bool is_an;
  std::vector<unsigned long> numbers;
  std::string text;
  friend bool operator<(const section_key& a, const section_key& b) {
    if (a.is_an != b.is_an) return a.is_an;
    if (a.numbers != b.numbers) return a.numbers < b.numbers;
    return a.text < b.text;
  }
};

section_key key_of(const std::string& section) {
  section_key k{false, {}, section};
  if (an_section(section, 1) != section) return k;
  k.is_an = true;
  for (std::size_t i = 3; i < section.size();) {
    unsigned long n = 0;
    for (; i < section.size() && is_digit(section[i]); ++i)
      n = std::min<unsigned long>(n * 10 + static_cast<unsigned long>(section[i] - '0'), 1u << 30);
    k.numbers.push_back(n);
    ++i;  // the '.'
  }
  return k;
}

std::string urc_title(const protocol::urc_spec& u) {
  std::string m(u.match);
  while (!m.empty() && (m.back() == ',' || m.back() == ':')) m.pop_back();
  return "URC " + m;
}

// Every section the report gives a verdict to, with its title: the chapter 4 examples, the
// AN sections of the command table (commands, forms, URCs), then the cases' spec entries.
// The first title given to a section stays.
std::map<section_key, section_result> all_sections(const runner::run_results& r) {
  std::map<section_key, section_result> out;
  auto add = [&out](const std::string& section, sv title) {
    if (section.empty()) return;
    auto [it, fresh] = out.try_emplace(key_of(section));
    if (fresh) it->second.section = section;
    if (it->second.title.empty()) it->second.title = std::string(title);
  };
  for (const protocol::example_spec& e : protocol::examples()) add(std::string(e.section), e.title);
  for (const protocol::command_spec& c : protocol::commands()) {
    add(an_section(c.section, 2), c.title);
    for (const protocol::form_spec& f : c.forms) add(an_section(f.section, 2), c.title);
  }
  for (const protocol::urc_spec& u : protocol::urcs()) add(an_section(u.section, 2), urc_title(u));
  for (const case_result& c : r.cases)
    for (const std::string& s : c.spec) add(section_of_spec(s), "");
  return out;
}

// Case indexes ordered by id, then attempt, then position in the run.
void sort_cases(std::vector<std::size_t>& idx, const runner::run_results& r) {
  std::sort(idx.begin(), idx.end(), [&r](std::size_t a, std::size_t b) {
    return std::tie(r.cases[a].id, r.cases[a].attempt, a) <
           std::tie(r.cases[b].id, r.cases[b].attempt, b);
  });
}

std::string plural(int n, sv one, sv many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string join(const std::vector<std::string>& parts, sv sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

std::string not_tested_reason(const verdict_counts& c, const std::set<std::string>& na_reasons) {
  if (c.total() == 0) return "no case cites it";
  std::vector<std::string> parts;
  if (c.not_applicable != 0) {
    std::string p = plural(c.not_applicable, "case not applicable", "cases not applicable");
    std::vector<std::string> reasons(na_reasons.begin(), na_reasons.end());
    if (!reasons.empty()) p += " (" + join(reasons, "; ") + ")";
    parts.push_back(p);
  }
  if (c.not_run != 0) parts.push_back(plural(c.not_run, "case not run", "cases not run"));
  if (c.filtered != 0)
    parts.push_back(plural(c.filtered, "case filtered out", "cases filtered out"));
  return join(parts, ", ");
}

std::string incomplete_reason(const verdict_counts& c) {
  std::vector<std::string> parts;
  if (c.inconc != 0) parts.push_back(plural(c.inconc, "inconclusive case", "inconclusive cases"));
  if (c.error != 0)
    parts.push_back(plural(c.error, "case with a harness error", "cases with a harness error"));
  if (c.interrupted != 0)
    parts.push_back(plural(c.interrupted, "interrupted case", "interrupted cases"));
  return join(parts, ", ");
}

const waiver* find_waiver(const std::vector<waiver>& waivers, sv id) {
  for (const waiver& w : waivers)
    if (glob_match(w.pattern, id)) return &w;
  return nullptr;
}

void fill_sections(signoff_model& m, const runner::run_results& r) {
  std::map<section_key, section_result> sections = all_sections(r);
  std::map<section_key, std::set<std::string>> na_reasons;
  for (std::size_t i = 0; i < r.cases.size(); ++i) {
    const case_result& c = r.cases[i];
    const bool waived = !m.waiver_reasons[i].empty();
    std::set<section_key> seen;  // a spec list naming one section twice counts the case once
    for (const std::string& s : c.spec) {
      const section_key k = key_of(section_of_spec(s));
      if (k.text.empty() || !seen.insert(k).second) continue;
      section_result& sec = sections.at(k);
      sec.counts.add(c.result, waived);
      if (c.result == verdict::fail) (waived ? sec.waived : sec.failing).push_back(i);
      if (c.result == verdict::not_applicable && !c.reason.empty())
        na_reasons[k].insert(visible_bytes(c.reason));
    }
  }
  for (auto& [k, sec] : sections) {
    sec.status = section_verdict(sec.counts);
    if (sec.status == section_status::not_tested)
      sec.reason = not_tested_reason(sec.counts, na_reasons[k]);
    if (sec.status == section_status::incomplete) sec.reason = incomplete_reason(sec.counts);
    sort_cases(sec.failing, r);
    sort_cases(sec.waived, r);
    m.sections.push_back(std::move(sec));
  }
}

double table_limit(sv command) {
  if (command.size() >= 2 && (command[0] == 'A' || command[0] == 'a') &&
      (command[1] == 'T' || command[1] == 't'))
    command.remove_prefix(2);
  const protocol::command_spec* spec = protocol::find_command(command);
  return spec == nullptr ? 0.0 : static_cast<double>(spec->max_response.count()) / 1000.0;
}

void fill_timings(signoff_model& m, const runner::run_results& r) {
  std::map<std::string, std::pair<std::vector<double>, double>> by_command;
  for (const case_result& c : r.cases) {
    for (const runner::command_timing& t : c.timings) {
      auto& [samples, limit] = by_command[t.command];
      samples.push_back(t.seconds);
      if (std::isfinite(t.limit_seconds)) limit = std::max(limit, t.limit_seconds);
    }
  }
  for (auto& [command, data] : by_command) {
    const double limit = data.second > 0 ? data.second : table_limit(command);
    m.timings.push_back(compute_timing(command, std::move(data.first), limit));
  }
}

bool ran(verdict v) noexcept {
  return v != verdict::filtered && v != verdict::not_run;
}

void fill_errata(signoff_model& m, const signoff_input& in) {
  const coverage::errata_document doc = coverage::parse_errata(in.errata_markdown);
  // Rulings by number; names that are not `E<n>` after them, by text.
  std::map<std::pair<long, std::string>, erratum_use> uses;
  for (std::size_t i = 0; i < in.results.cases.size(); ++i) {
    const case_result& c = in.results.cases[i];
    if (!ran(c.result)) continue;
    std::set<std::string> seen;
    for (const std::string& e : c.errata) {
      const std::string id = coverage::normalize_erratum_id(e);
      const std::string name = id.empty() ? e : id;
      if (!seen.insert(name).second) continue;
      const long number = id.empty() ? 1L << 30 : std::stol(id.substr(1));
      erratum_use& use = uses[{number, name}];
      use.id = name;
      if (const coverage::erratum* found = doc.find(name)) use.title = found->title;
      use.cases.push_back(i);
    }
  }
  for (auto& [k, use] : uses) {
    sort_cases(use.cases, in.results);
    m.errata.push_back(std::move(use));
  }
}

}  // namespace

void verdict_counts::add(verdict v, bool is_waived) noexcept {
  switch (v) {
    case verdict::pass:
      ++pass;
      return;
    case verdict::fail:
      ++(is_waived ? waived : fail);
      return;
    case verdict::inconc:
      ++inconc;
      return;
    case verdict::error:
      ++error;
      return;
    case verdict::not_applicable:
      ++not_applicable;
      return;
    case verdict::not_run:
      ++not_run;
      return;
    case verdict::filtered:
      ++filtered;
      return;
    case verdict::interrupted:
      ++interrupted;
      return;
  }
  ++error;  // an out-of-range verdict is a harness fault
}

int verdict_counts::total() const noexcept {
  return pass + fail + waived + inconc + error + not_applicable + not_run + filtered + interrupted;
}

std::string_view to_string(section_status s) noexcept {
  switch (s) {
    case section_status::conforms:
      return "conforms";
    case section_status::waived:
      return "waived";
    case section_status::deviates:
      return "deviates";
    case section_status::incomplete:
      return "incomplete";
    case section_status::not_tested:
      return "not tested";
  }
  return "not tested";
}

section_status section_verdict(const verdict_counts& c) noexcept {
  if (c.fail > 0) return section_status::deviates;
  if (c.inconc + c.error + c.interrupted > 0) return section_status::incomplete;
  if (c.waived > 0) return section_status::waived;
  if (c.pass > 0) return section_status::conforms;
  return section_status::not_tested;
}

timing_stats compute_timing(std::string command, std::vector<double> seconds, double limit) {
  timing_stats t;
  t.command = std::move(command);
  t.limit = std::isfinite(limit) && limit > 0 ? limit : 0.0;
  t.samples = seconds.size();
  for (double& s : seconds) s = std::isfinite(s) && s > 0 ? s : 0.0;
  if (seconds.empty()) return t;
  std::sort(seconds.begin(), seconds.end());
  const std::size_t n = seconds.size();
  t.median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
  const std::size_t rank = (95 * n + 99) / 100;  // ceil(0.95 n), exact in integers
  t.p95 = seconds[rank - 1];
  t.max = seconds.back();
  if (t.limit > 0)
    t.over_limit = static_cast<std::size_t>(
        std::count_if(seconds.begin(), seconds.end(), [&t](double s) { return s > t.limit; }));
  return t;
}

baseline_diff diff_baseline(const runner::run_results& r,
                            const std::map<std::string, verdict>& baseline) {
  std::map<std::string, verdict> now;
  for (const case_result& c : r.cases) {
    auto [it, fresh] = now.try_emplace(c.id, c.result);
    if (!fresh) it->second = runner::worsen(it->second, c.result);
  }
  baseline_diff d;
  for (const auto& [id, after] : now) {
    if (!ran(after)) continue;  // not run now: nothing to compare
    const auto b = baseline.find(id);
    const std::optional<verdict> before =
        b == baseline.end() ? std::nullopt : std::optional<verdict>(b->second);
    const verdict_change change{id, before, after};
    if (after == verdict::fail && before != verdict::fail)
      d.newly_failing.push_back(change);
    else if (!before)
      d.added.push_back(change);
    else if (after == verdict::pass && *before != verdict::pass)
      d.newly_passing.push_back(change);
    else if (after != *before)
      d.changed.push_back(change);
  }
  for (const auto& [id, before] : baseline)
    if (now.count(id) == 0) d.removed.push_back({id, before, std::nullopt});
  return d;
}

bool glob_match(std::string_view pattern, std::string_view id) noexcept {
  // Iterative matching with one backtrack point (the last `*`): linear in practice, and never
  // exponential on hostile patterns such as "*a*a*a*a*b".
  std::size_t p = 0, s = 0, star = sv::npos, resume = 0;
  while (s < id.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == id[s])) {
      ++p;
      ++s;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = s;
    } else if (star != sv::npos) {
      p = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

signoff_model build_signoff(const signoff_input& in) {
  const runner::run_results& r = in.results;
  signoff_model m;
  m.waiver_reasons.resize(r.cases.size());
  for (std::size_t i = 0; i < r.cases.size(); ++i) {
    const case_result& c = r.cases[i];
    const waiver* w = c.result == verdict::fail ? find_waiver(in.waivers, c.id) : nullptr;
    // A waiver with an empty reason still waives; the report says that none was given.
    if (w != nullptr) m.waiver_reasons[i] = w->reason.empty() ? "(no reason given)" : w->reason;
    m.totals.add(c.result, w != nullptr);
    if (c.result == verdict::fail) (w != nullptr ? m.waived : m.deviations).push_back(i);
  }
  sort_cases(m.deviations, r);
  sort_cases(m.waived, r);
  m.overall = section_verdict(m.totals);
  fill_sections(m, r);
  if (in.baseline) m.diff = diff_baseline(r, *in.baseline);
  fill_timings(m, r);
  fill_errata(m, in);
  return m;
}

}  // namespace bcconform::report
