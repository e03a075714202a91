// results_json(): parses back with nlohmann, agrees with the XML, never throws on bad bytes,
// and matches specs/schema/results.schema.json (when python3 with jsonschema is available).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "bcconform/report/junit.hpp"
#include "report_check.hpp"

namespace bcconform::report {
namespace {

using json = nlohmann::json;
using runner::case_result;
using runner::run_results;
using runner::verdict;
using testing::make_case;

const std::string bad_bytes = std::string("a\xff\xc3(") + '\0' + "\x1b]]><&\"\xed\xa0\x80";
const std::string bad_shown = "a<FF><C3>(<NUL><ESC>]]><&\"<ED><A0><80>";

run_results mixed_run(bool inconc_is_failure) {
  run_results r;
  r.info = {"0.1.0", "exec:bcemu",           "BC25", "Quectel",        "BC25JAR01",
            "7",     "2024-05-01T12:34:56Z", "lab",  inconc_is_failure};
  const verdict all[] = {verdict::pass,    verdict::pass,     verdict::inconc,
                         verdict::fail,    verdict::error,    verdict::not_applicable,
                         verdict::not_run, verdict::filtered, verdict::interrupted,
                         verdict::fail};
  int i = 0;
  for (verdict v : all) {
    case_result c = make_case("case." + std::to_string(i % 7), v, i % 3 == 0 ? "a/x" : "b/y");
    if (v == verdict::fail || v == verdict::inconc || v == verdict::error)
      c.failure = runner::failure_info{"f.yaml:1", "expect", "m", "OK", "ERROR"};
    c.timings = {{"AT+CSQ", 0.1 * i, 0.3}};
    c.transcript_tail = {{0.01 * i, protocol::direction::from_module, "\r\nOK\r\n"},
                         {std::nullopt, protocol::direction::note, "n"}};
    r.cases.push_back(c);
    ++i;
  }
  return r;
}

json parsed(const run_results& r) {
  const std::string text = results_json(r);
  json j = json::parse(text, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

class json_vs_xml : public ::testing::TestWithParam<bool> {};

TEST_P(json_vs_xml, TotalsAndNamesAgreeWithTheXml) {
  const run_results r = mixed_run(GetParam());
  const json j = parsed(r);
  const std::string xml = junit_xml(r);
  testing::expect_valid_junit(xml);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  const pugi::xml_node root = doc.child("testsuites");
  for (const char* k : {"tests", "failures", "errors", "skipped"})
    EXPECT_EQ(j["totals"]["junit"][k].get<int>(), root.attribute(k).as_int(-1)) << k;
  EXPECT_NEAR(j["totals"]["seconds"].get<double>(), root.attribute("time").as_double(), 0.001);

  // Every written case appears in the XML under the same name; filtered ones only in JSON.
  std::set<std::string> xml_names;
  for (pugi::xml_node s : root.children("testsuite"))
    for (pugi::xml_node tc : s.children("testcase")) xml_names.insert(tc.attribute("name").value());
  std::set<std::string> json_names;
  for (const json& c : j["cases"])
    if (c["verdict"] != "filtered") json_names.insert(c["name"].get<std::string>());
  EXPECT_EQ(json_names, xml_names);
  EXPECT_EQ(j["cases"].size(), r.cases.size());
  EXPECT_EQ(j["totals"]["cases"].get<int>(), 10);
  EXPECT_EQ(j["totals"]["pass"].get<int>(), 2);
  EXPECT_EQ(j["totals"]["fail"].get<int>(), 2);
  EXPECT_EQ(j["totals"]["filtered"].get<int>(), 1);
  EXPECT_EQ(j["run"]["inconc_is_failure"].get<bool>(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(InconcPolicy, json_vs_xml, ::testing::Bool());

TEST(results_json, CaseFieldsCarryTheData) {
  case_result c = make_case("tcp.open.1", verdict::fail);
  c.title = "Open";
  c.spec = {"AN 2.1.4"};
  c.failure = runner::failure_info{"f.yaml:12", "expect", "wrong", "OK", "ERROR"};
  c.timings = {{"AT+QIOPEN", 0.5, 0.3}};
  c.transcript_tail = {{0.25, protocol::direction::to_module, "AT\r"}};
  c.transcript_file = "t/a.bctr";
  c.attempt = 3;
  run_results r;
  r.cases.push_back(c);
  const json j = parsed(r)["cases"][0];
  EXPECT_EQ(j["id"], "tcp.open.1");
  EXPECT_EQ(j["classname"], "bcconform.tcp.open");
  EXPECT_EQ(j["verdict"], "fail");
  EXPECT_EQ(j["failure"]["step"], "f.yaml:12");
  EXPECT_EQ(j["failure"]["got"], "ERROR");
  EXPECT_EQ(j["spec"], json::array({"AN 2.1.4"}));
  EXPECT_EQ(j["timings"][0]["within_limit"], false);
  EXPECT_EQ(j["transcript_tail"][0]["direction"], "to_module");
  EXPECT_EQ(j["transcript_tail"][0]["bytes"], "AT<CR>");
  EXPECT_EQ(j["transcript_file"], "t/a.bctr");
  EXPECT_EQ(j["attempt"], 3);
  EXPECT_TRUE(parsed(run_results{})["cases"].empty());
}

TEST(results_json, InvalidUtf8EverywhereDoesNotThrowAndIsShownVisibly) {
  case_result c = make_case(bad_bytes, verdict::error, bad_bytes);
  c.title = bad_bytes;
  c.reason = bad_bytes;
  c.spec = {bad_bytes};
  c.failure = runner::failure_info{bad_bytes, bad_bytes, bad_bytes, bad_bytes, bad_bytes};
  c.timings = {{bad_bytes, 1, 0}};
  c.transcript_tail = {{1.0, protocol::direction::from_module, bad_bytes}};
  c.transcript_file = bad_bytes;
  run_results r;
  r.info = {bad_bytes, bad_bytes, bad_bytes, bad_bytes, bad_bytes,
            bad_bytes, bad_bytes, bad_bytes, false};
  r.cases.push_back(c);
  std::string text;
  ASSERT_NO_THROW(text = results_json(r));
  const json j = json::parse(text, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["run"]["hostname"], bad_shown);
  EXPECT_EQ(j["cases"][0]["id"], bad_shown);
  EXPECT_EQ(j["cases"][0]["failure"]["got"], bad_shown);
  EXPECT_EQ(j["cases"][0]["transcript_tail"][0]["bytes"], bad_shown);
  EXPECT_EQ(j["cases"][0]["spec"][0], bad_shown);
}

TEST(results_json, SameResultsGiveTheSameBytes) {
  const run_results r = mixed_run(false);
  EXPECT_EQ(results_json(r), results_json(r));
}

TEST(results_json, MatchesItsSchema) {
  const std::string python = testing::python_with_jsonschema();
  if (python.empty()) GTEST_SKIP() << "python3 with jsonschema not available";
  testing::scratch_dir dir;
  run_results r = mixed_run(true);
  r.cases.push_back(make_case(bad_bytes, verdict::not_applicable));
  std::ofstream(dir.file("results.json")) << results_json(r);
  std::ofstream(dir.file("empty.json")) << results_json(run_results{});
  const std::string script =
      "import json, sys, jsonschema\n"
      "schema = json.load(open(sys.argv[1]))\n"
      "jsonschema.Draft7Validator.check_schema(schema)\n"
      "for f in sys.argv[2:]:\n"
      "    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft7Validator)\n";
  const testing::command_output out =
      testing::run_program({python, "-c", script,
                            std::string(BCCONFORM_SOURCE_DIR) + "/specs/schema/results.schema.json",
                            dir.file("results.json"), dir.file("empty.json")});
  EXPECT_EQ(out.exit_status, 0) << out.output;
}

}  // namespace
}  // namespace bcconform::report
