// The JSON results file: the same facts as the JUnit XML, structured for programs (the sign-off
// summary, --rerun-failed, dashboards). Schema: specs/schema/results.schema.json.
//
// Strings: every untrusted string goes through visible_bytes() exactly as in the XML, so both
// files show the same text for the same bytes, and what is dumped is always valid UTF-8. The
// dump still uses error_handler_t::replace so that no input can ever make it throw.
#include <string>

#include <nlohmann/json.hpp>

#include "bcconform/report/junit.hpp"
#include "report_detail.hpp"

namespace bcconform::report {
namespace {

using json = nlohmann::ordered_json;  // keys in the order written: deterministic, readable
using runner::case_result;
using runner::run_results;

json visible_list(const std::vector<std::string>& items) {
  json a = json::array();
  for (const std::string& s : items) a.push_back(visible_bytes(s));
  return a;
}

std::string_view direction_name(protocol::direction d) noexcept {
  switch (d) {
    case protocol::direction::to_module:
      return "to_module";
    case protocol::direction::from_module:
      return "from_module";
    case protocol::direction::note:
      return "note";
  }
  return "note";
}

json run_json(const run_results& r) {
  const runner::run_info& i = r.info;
  return json{{"harness_version", visible_bytes(i.harness_version)},
              {"target", visible_bytes(i.target)},
              {"model", visible_bytes(i.model)},
              {"module_identity", visible_bytes(i.module_identity)},
              {"firmware", visible_bytes(i.firmware)},
              {"seed", visible_bytes(i.seed)},
              {"started_utc", visible_bytes(i.started_utc)},
              {"hostname", visible_bytes(i.hostname)},
              {"inconc_is_failure", i.inconc_is_failure},
              {"interrupted", r.interrupted}};
}

json totals_json(const run_results& r) {
  json t = json::object();
  t["cases"] = r.cases.size();
  for (int v = 0; v <= static_cast<int>(runner::verdict::interrupted); ++v)
    t[std::string(runner::to_string(static_cast<runner::verdict>(v)))] = 0;
  for (const case_result& c : r.cases) {
    json& n = t[std::string(runner::to_string(c.result))];
    n = n.get<int>() + 1;
  }
  // The JUnit counts, equal to the XML's <testsuites> attributes.
  const detail::counts junit = detail::run_totals(r);
  t["junit"] = json{{"tests", junit.tests},
                    {"failures", junit.failures},
                    {"errors", junit.errors},
                    {"skipped", junit.skipped}};
  t["seconds"] = junit.seconds;
  return t;
}

json failure_json(const case_result& c) {
  if (!c.failure) return nullptr;
  const runner::failure_info& f = *c.failure;
  return json{{"step", visible_bytes(f.step)},
              {"kind", visible_bytes(f.kind)},
              {"message", visible_bytes(f.message)},
              {"expected", visible_bytes(f.expected)},
              {"got", visible_bytes(f.got)}};
}

json timings_json(const case_result& c) {
  json a = json::array();
  for (const runner::command_timing& t : c.timings)
    a.push_back(json{{"command", visible_bytes(t.command)},
                     {"seconds", detail::clean_seconds(t.seconds)},
                     {"limit_seconds", detail::clean_seconds(t.limit_seconds)},
                     {"within_limit", t.within_limit()}});
  return a;
}

json tail_json(const case_result& c) {
  json a = json::array();
  for (const protocol::transcript_record& rec : c.transcript_tail)
    a.push_back(json{{"seconds", rec.seconds ? json(detail::clean_seconds(*rec.seconds)) : json()},
                     {"direction", direction_name(rec.dir)},
                     {"bytes", visible_bytes(rec.bytes)}});
  return a;
}

json case_json(const case_result& c, const std::string& name) {
  return json{{"id", visible_bytes(c.id)},
              {"name", name},
              {"title", visible_bytes(c.title)},
              {"file", visible_bytes(c.file)},
              {"line", c.line},
              {"suite", visible_bytes(c.suite)},
              {"classname", detail::junit_classname(c.suite)},
              {"spec", visible_list(c.spec)},
              {"tags", visible_list(c.tags)},
              {"errata", visible_list(c.errata)},
              {"verdict", runner::to_string(c.result)},
              {"failure", failure_json(c)},
              {"reason", visible_bytes(c.reason)},
              {"seconds", detail::clean_seconds(c.seconds)},
              {"attempt", c.attempt},
              {"timings", timings_json(c)},
              {"transcript_tail", tail_json(c)},
              {"transcript_file", visible_bytes(c.transcript_file)}};
}

}  // namespace

std::string results_json(const run_results& r) {
  json doc = json::object();
  doc["format"] = "bcconform-results";
  doc["version"] = 1;
  doc["run"] = run_json(r);
  doc["totals"] = totals_json(r);
  const std::vector<std::string> names = detail::unique_names(r);
  json cases = json::array();
  for (std::size_t i = 0; i < r.cases.size(); ++i) cases.push_back(case_json(r.cases[i], names[i]));
  doc["cases"] = std::move(cases);
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bcconform::report
