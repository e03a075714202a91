// The JUnit XML writer. The dialect (specs/schema/junit.xsd) is the Ant/Jenkins one:
// <testsuites> root, one <testsuite> per scenario file with the run's facts as <properties>
// (Jenkins reads testsuite-level properties), one <testcase> per written case with at most
// one of <failure>/<error>/<skipped>, then <system-out>.
//
// Every string that comes from a scenario file, the module or the transport goes through
// visible_bytes() before it reaches pugixml, attributes included; pugixml then escapes the
// XML metacharacters. Nothing is wrapped in CDATA.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "bcconform/report/junit.hpp"
#include "report_detail.hpp"

namespace bcconform::report {
namespace {

using detail::junit_outcome;
using runner::case_result;
using runner::run_results;
using runner::verdict;

void set_attr(pugi::xml_node n, const char* name, const std::string& value) {
  n.append_attribute(name).set_value(value.c_str());
}

void set_counts(pugi::xml_node n, const detail::counts& c) {
  set_attr(n, "tests", std::to_string(c.tests));
  set_attr(n, "failures", std::to_string(c.failures));
  set_attr(n, "errors", std::to_string(c.errors));
  set_attr(n, "skipped", std::to_string(c.skipped));
  set_attr(n, "time", detail::fixed(c.seconds, 3));
}

struct suite_group {
  std::string suite;
  std::vector<std::size_t> cases;  ///< indexes into run_results::cases
};

// Written cases grouped by suite, suites in the order they are first seen.
std::vector<suite_group> group_by_suite(const run_results& r) {
  std::vector<suite_group> groups;
  for (std::size_t i = 0; i < r.cases.size(); ++i) {
    const case_result& c = r.cases[i];
    if (detail::classify(c.result, r.info.inconc_is_failure) == junit_outcome::omitted) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const suite_group& g) { return g.suite == c.suite; });
    if (it == groups.end()) it = groups.insert(groups.end(), suite_group{c.suite, {}});
    it->cases.push_back(i);
  }
  return groups;
}

void add_property(pugi::xml_node props, const char* name, const std::string& value) {
  pugi::xml_node p = props.append_child("property");
  set_attr(p, "name", name);
  set_attr(p, "value", value);
}

// The same set in every suite and every run, empty values included, so consumers can rely
// on the names being there.
void add_properties(pugi::xml_node suite, const run_results& r) {
  const runner::run_info& i = r.info;
  pugi::xml_node props = suite.append_child("properties");
  add_property(props, "module_identity", visible_bytes(i.module_identity));
  add_property(props, "firmware", visible_bytes(i.firmware));
  add_property(props, "model", visible_bytes(i.model));
  add_property(props, "transport", visible_bytes(i.target));
  add_property(props, "seed", visible_bytes(i.seed));
  add_property(props, "harness_version", visible_bytes(i.harness_version));
  add_property(props, "started_utc", visible_bytes(i.started_utc));
  add_property(props, "inconc_is_failure", i.inconc_is_failure ? "true" : "false");
  add_property(props, "interrupted", r.interrupted ? "true" : "false");
}

void add_line(std::string& text, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  text.append(label).append(": ").append(visible_bytes(value)).append("\n");
}

// The body of <failure>/<error>/<skipped>: where and what, one fact per line.
std::string failure_text(const case_result& c) {
  std::string text;
  if (!c.failure) return text;
  add_line(text, "step", c.failure->step);
  add_line(text, "kind", c.failure->kind);
  add_line(text, "message", c.failure->message);
  add_line(text, "expected", c.failure->expected);
  add_line(text, "got", c.failure->got);
  return text;
}

// `prefix: message` (or just `prefix`) for message attributes built from a reason text.
std::string with_reason(std::string_view prefix, const std::string& reason) {
  std::string m(prefix);
  if (!reason.empty()) m.append(": ").append(visible_bytes(reason));
  return m;
}

std::string failure_message(const case_result& c, std::string_view fallback) {
  if (!c.failure || c.failure->message.empty()) return std::string(fallback);
  return visible_bytes(c.failure->message);
}

void add_child(pugi::xml_node tc, const char* element, const char* type, const std::string& message,
               const std::string& body) {
  pugi::xml_node n = tc.append_child(element);
  if (type != nullptr) set_attr(n, "type", type);
  set_attr(n, "message", message);
  if (!body.empty()) n.append_child(pugi::node_pcdata).set_value(body.c_str());
}

// fail -> <failure type="fail">, error -> <error type="error">. inconc -> <skipped
// message="inconclusive: ..."> (TTCN-3 inconc is "no verdict could be reached", not a
// failure), or <failure type="inconc"> under --inconc-is-failure. not_applicable, not_run and
// interrupted -> <skipped>: none of them says anything about the module, and the run's exit
// status already reports an interrupt. A failure_info, if any, is the body in every case.
void add_outcome(pugi::xml_node tc, const case_result& c, bool inconc_is_failure) {
  const std::string inconc_message =
      "inconclusive" +
      (c.failure && !c.failure->message.empty() ? ": " + visible_bytes(c.failure->message) : "");
  switch (c.result) {
    case verdict::fail:
      return add_child(tc, "failure", "fail", failure_message(c, "failed"), failure_text(c));
    case verdict::error:
      return add_child(tc, "error", "error", failure_message(c, "error"), failure_text(c));
    case verdict::inconc:
      if (inconc_is_failure)
        return add_child(tc, "failure", "inconc", inconc_message, failure_text(c));
      return add_child(tc, "skipped", nullptr, inconc_message, failure_text(c));
    case verdict::not_applicable:
      return add_child(tc, "skipped", nullptr, with_reason("not applicable", c.reason),
                       failure_text(c));
    case verdict::not_run:
      return add_child(tc, "skipped", nullptr, with_reason("not run", c.reason), failure_text(c));
    case verdict::interrupted:
      return add_child(tc, "skipped", nullptr, with_reason("interrupted", c.reason),
                       failure_text(c));
    case verdict::pass:
    case verdict::filtered:
      return;
  }
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out.append(out.empty() ? "" : ", ").append(s);
  return out;
}

char direction_char(protocol::direction d) noexcept {
  switch (d) {
    case protocol::direction::to_module:
      return '>';
    case protocol::direction::from_module:
      return '<';
    case protocol::direction::note:
      return '#';
  }
  return '#';
}

// `0.012345 < <CR><LF>OK<CR><LF>`: the transcript record layout with visible_bytes() instead
// of the transcript escaping, so the tail reads like the rest of the report.
std::string tail_line(const protocol::transcript_record& rec) {
  std::string line = rec.seconds ? detail::fixed(*rec.seconds, 6) : "-";
  line.append(" ").push_back(direction_char(rec.dir));
  if (!rec.bytes.empty()) line.append(" ").append(visible_bytes(rec.bytes));
  return line.append("\n");
}

// Command timings go first: Jenkins shows <system-out>, not testcase properties, and keeps
// the head of a passing test's output when it trims it.
std::string timing_lines(const case_result& c) {
  std::string text;
  for (const runner::command_timing& t : c.timings) {
    text.append("timing: ").append(visible_bytes(t.command)).append(" ");
    text.append(detail::fixed(t.seconds, 3)).append(" s");
    if (t.limit_seconds > 0)
      text.append(" (limit ").append(detail::fixed(t.limit_seconds, 3)).append(" s)");
    else
      text.append(" (no documented limit)");
    text.append(t.within_limit() ? "\n" : " OVER LIMIT\n");
  }
  return text;
}

std::string system_out(const case_result& c) {
  std::string text;
  add_line(text, "title", c.title);
  add_line(text, "spec", joined(c.spec));
  add_line(text, "tags", joined(c.tags));
  add_line(text, "errata", joined(c.errata));
  if (c.attempt != 1) text.append("attempt: ").append(std::to_string(c.attempt)).append("\n");
  text += timing_lines(c);
  if (!c.transcript_tail.empty()) {
    const std::size_t n = c.transcript_tail.size();
    text.append("transcript tail (").append(std::to_string(n));
    text.append(n == 1 ? " record):\n" : " records):\n");
    for (const auto& rec : c.transcript_tail) text += tail_line(rec);
  }
  if (!c.transcript_file.empty()) {
    const std::string file = visible_bytes(c.transcript_file);
    text.append("full transcript: ").append(file).append("\n");
    text.append("[[ATTACHMENT|").append(file).append("]]\n");  // GitLab, Testmo
  }
  return text;
}

void add_testcase(pugi::xml_node suite, const case_result& c, const std::string& name,
                  bool inconc_is_failure) {
  pugi::xml_node tc = suite.append_child("testcase");
  set_attr(tc, "name", name);
  set_attr(tc, "classname", detail::junit_classname(c.suite));
  set_attr(tc, "time", detail::fixed(c.seconds, 3));
  if (!c.file.empty()) set_attr(tc, "file", visible_bytes(c.file));
  if (c.line > 0) set_attr(tc, "line", std::to_string(c.line));
  add_outcome(tc, c, inconc_is_failure);
  const std::string out = system_out(c);
  if (!out.empty())
    tc.append_child("system-out").append_child(pugi::node_pcdata).set_value(out.c_str());
}

detail::counts add_suite(pugi::xml_node root, const suite_group& g, const run_results& r,
                         const std::vector<std::string>& names) {
  detail::counts n;
  for (std::size_t i : g.cases)
    n.add(detail::classify(r.cases[i].result, r.info.inconc_is_failure), r.cases[i].seconds);
  pugi::xml_node suite = root.append_child("testsuite");
  set_attr(suite, "name", g.suite.empty() ? "bcconform" : visible_bytes(g.suite));
  set_counts(suite, n);
  const std::string timestamp = detail::junit_timestamp(r.info.started_utc);
  if (!timestamp.empty()) set_attr(suite, "timestamp", timestamp);
  set_attr(suite, "hostname", visible_bytes(r.info.hostname));
  add_properties(suite, r);
  for (std::size_t i : g.cases) add_testcase(suite, r.cases[i], names[i], r.info.inconc_is_failure);
  return n;
}

}  // namespace

std::string junit_xml(const run_results& r) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  set_attr(decl, "version", "1.0");
  set_attr(decl, "encoding", "UTF-8");
  pugi::xml_node root = doc.append_child("testsuites");
  set_attr(root, "name", "bcconform");

  const std::vector<std::string> names = detail::unique_names(r);
  detail::counts total;
  for (const suite_group& g : group_by_suite(r)) total += add_suite(root, g, r, names);
  set_counts(root, total);  // appended after `name`: attribute order is kept

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

}  // namespace bcconform::report
