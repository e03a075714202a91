// junit_xml(): every document is validated with xmllint against specs/schema/junit.xsd and its
// counts are checked against its children.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "bcconform/report/junit.hpp"
#include "report_check.hpp"

namespace bcconform::report {
namespace {

using runner::case_result;
using runner::run_results;
using runner::verdict;
using testing::expect_valid_junit;
using testing::make_case;

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result r = doc.load_string(xml.c_str());
  EXPECT_TRUE(r) << r.description() << "\n" << xml;
  return doc;
}

std::vector<pugi::xml_node> testcases(const pugi::xml_document& doc) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node s : doc.child("testsuites").children("testsuite"))
    for (pugi::xml_node tc : s.children("testcase")) out.push_back(tc);
  return out;
}

run_results one_case(case_result c) {
  run_results r;
  r.info.started_utc = "2024-05-01T12:34:56Z";
  r.info.hostname = "lab-1";
  r.cases.push_back(std::move(c));
  return r;
}

runner::failure_info sample_failure() {
  return {"specs/tcp/open.yaml:12", "expect", "wrong final result", "OK", "ERROR"};
}

// ---- verdict -> element ---------------------------------------------------------------------

struct mapping_case {
  const char* name;
  verdict v;
  bool inconc_is_failure;
  bool with_failure;
  const char* element;  ///< "" for none
  const char* type;     ///< "" when the element has no type attribute
  const char* message;
};

std::ostream& operator<<(std::ostream& os, const mapping_case& c) {
  return os << c.name;
}

class verdict_mapping : public ::testing::TestWithParam<mapping_case> {};

TEST_P(verdict_mapping, GivesTheRightElement) {
  const mapping_case& m = GetParam();
  case_result c = make_case("tcp.open.1", m.v);
  if (m.with_failure) c.failure = sample_failure();
  if (m.v == verdict::not_applicable) c.reason = "ICS udp_service=false";
  if (m.v == verdict::interrupted) c.reason = "SIGINT";
  run_results r = one_case(c);
  r.info.inconc_is_failure = m.inconc_is_failure;
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);

  const pugi::xml_document doc = parse(xml);
  const auto cases = testcases(doc);
  ASSERT_EQ(cases.size(), 1u) << xml;
  const pugi::xml_node tc = cases[0];
  const std::vector<std::string> outcome_elements{"failure", "error", "skipped"};
  for (const std::string& e : outcome_elements)
    EXPECT_EQ(static_cast<bool>(tc.child(e.c_str())), e == m.element) << e << "\n" << xml;
  if (*m.element == '\0') return;
  const pugi::xml_node n = tc.child(m.element);
  EXPECT_STREQ(n.attribute("type").value(), m.type);
  EXPECT_EQ(static_cast<bool>(n.attribute("type")), *m.type != '\0');
  EXPECT_STREQ(n.attribute("message").value(), m.message);
}

const mapping_case mapping_cases[] = {
    {"pass", verdict::pass, false, false, "", "", ""},
    {"fail", verdict::fail, false, true, "failure", "fail", "wrong final result"},
    {"fail_without_detail", verdict::fail, false, false, "failure", "fail", "failed"},
    {"error", verdict::error, false, true, "error", "error", "wrong final result"},
    {"error_without_detail", verdict::error, false, false, "error", "error", "error"},
    {"inconc_skipped", verdict::inconc, false, true, "skipped", "",
     "inconclusive: wrong final result"},
    {"inconc_without_detail", verdict::inconc, false, false, "skipped", "", "inconclusive"},
    {"inconc_is_failure", verdict::inconc, true, true, "failure", "inconc",
     "inconclusive: wrong final result"},
    {"not_applicable", verdict::not_applicable, false, false, "skipped", "",
     "not applicable: ICS udp_service=false"},
    {"not_run", verdict::not_run, false, false, "skipped", "", "not run"},
    {"interrupted", verdict::interrupted, false, false, "skipped", "", "interrupted: SIGINT"},
    {"fail_under_inconc_is_failure", verdict::fail, true, true, "failure", "fail",
     "wrong final result"},
};

INSTANTIATE_TEST_SUITE_P(Verdicts, verdict_mapping, ::testing::ValuesIn(mapping_cases),
                         [](const ::testing::TestParamInfo<mapping_case>& i) {
                           return std::string(i.param.name);
                         });

TEST(junit_xml, FilteredCasesAreNotWritten) {
  run_results r = one_case(make_case("a", verdict::pass, "x/one"));
  r.cases.push_back(make_case("b", verdict::filtered, "x/two"));
  r.cases.push_back(make_case("c", verdict::filtered, "x/one"));
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  const auto cases = testcases(doc);
  ASSERT_EQ(cases.size(), 1u);
  EXPECT_STREQ(cases[0].attribute("name").value(), "a");
  EXPECT_EQ(doc.child("testsuites").attribute("tests").as_int(), 1);
  // A suite holding only filtered cases does not appear.
  EXPECT_FALSE(doc.child("testsuites").find_child_by_attribute("testsuite", "name", "x/two"));
}

TEST(junit_xml, FailureBodyHoldsStepExpectedAndGot) {
  case_result c = make_case("a", verdict::fail);
  c.failure = sample_failure();
  const std::string xml = junit_xml(one_case(c));
  const pugi::xml_document doc = parse(xml);
  EXPECT_STREQ(testcases(doc)[0].child("failure").text().get(),
               "step: specs/tcp/open.yaml:12\nkind: expect\nmessage: wrong final result\n"
               "expected: OK\ngot: ERROR\n");
}

// ---- empty and not-run reports --------------------------------------------------------------

TEST(junit_xml, ZeroCasesIsAValidEmptyReport) {
  const run_results r;
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  const pugi::xml_node root = doc.child("testsuites");
  ASSERT_TRUE(root);
  EXPECT_STREQ(root.attribute("name").value(), "bcconform");
  EXPECT_EQ(root.attribute("tests").as_int(-1), 0);
  EXPECT_STREQ(root.attribute("time").value(), "0.000");
  EXPECT_FALSE(root.child("testsuite"));
}

TEST(junit_xml, EveryCaseNotRunIsValidAndAllSkipped) {
  run_results r;
  r.info.started_utc = "2024-05-01T12:34:56Z";
  for (int i = 0; i < 5; ++i) {
    case_result c = make_case("case." + std::to_string(i), verdict::not_run,
                              i % 2 == 0 ? "tcp/open" : "udp/send");
    c.seconds = 0;
    r.cases.push_back(c);
  }
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  const pugi::xml_node root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), 5);
  EXPECT_EQ(root.attribute("skipped").as_int(), 5);
  EXPECT_EQ(root.attribute("failures").as_int(), 0);
  EXPECT_EQ(root.attribute("errors").as_int(), 0);
}

// ---- grouping, names, classnames, attributes ------------------------------------------------

TEST(junit_xml, OneSuitePerFileInFirstSeenOrderWithCounts) {
  run_results r = one_case(make_case("b1", verdict::fail, "b/file"));
  r.cases.push_back(make_case("a1", verdict::pass, "a/file"));
  r.cases.push_back(make_case("b2", verdict::error, "b/file"));
  r.cases.push_back(make_case("c1", verdict::not_applicable, "c"));
  r.cases.push_back(make_case("b3", verdict::inconc, "b/file"));
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  std::vector<std::string> names;
  for (pugi::xml_node s : doc.child("testsuites").children("testsuite"))
    names.push_back(s.attribute("name").value());
  EXPECT_EQ(names, (std::vector<std::string>{"b/file", "a/file", "c"}));
  const pugi::xml_node b = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(b.attribute("tests").value(), "3");
  EXPECT_STREQ(b.attribute("failures").value(), "1");
  EXPECT_STREQ(b.attribute("errors").value(), "1");
  EXPECT_STREQ(b.attribute("skipped").value(), "1");
  EXPECT_STREQ(b.attribute("time").value(), "0.750");
  EXPECT_STREQ(b.attribute("timestamp").value(), "2024-05-01T12:34:56");
  EXPECT_STREQ(b.attribute("hostname").value(), "lab-1");
}

struct classname_case {
  const char* suite;
  const char* classname;
};

class classname : public ::testing::TestWithParam<classname_case> {};

TEST_P(classname, FromSuite) {
  const std::string xml = junit_xml(one_case(make_case("x", verdict::pass, GetParam().suite)));
  expect_valid_junit(xml);
  EXPECT_STREQ(testcases(parse(xml))[0].attribute("classname").value(), GetParam().classname);
}

INSTANTIATE_TEST_SUITE_P(
    Suites, classname,
    ::testing::Values(classname_case{"tcp/open", "bcconform.tcp.open"},
                      classname_case{"tcp/open-close_2", "bcconform.tcp.open-close_2"},
                      classname_case{"a b/c.d", "bcconform.a_b.c_d"},
                      classname_case{"win\\path", "bcconform.win.path"},
                      classname_case{"/lead//x/", "bcconform.lead.x"},
                      classname_case{"", "bcconform"}, classname_case{"../up", "bcconform.__.up"},
                      classname_case{"caf\xC3\xA9/\xFF", "bcconform.caf__._"},
                      classname_case{"a<&\">/b\x1b", "bcconform.a____.b_"}));

TEST(junit_xml, RepeatedIdsGetNumberedUniqueNames) {
  run_results r = one_case(make_case("tcp.open", verdict::pass));
  r.cases.push_back(make_case("tcp.open", verdict::fail, "other/file"));
  r.cases.push_back(make_case("tcp.open #2", verdict::pass));
  r.cases.push_back(make_case("tcp.open", verdict::pass));
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);  // the XSD has a uniqueness constraint on testcase names
  std::vector<std::string> names;
  const pugi::xml_document doc = parse(xml);
  for (pugi::xml_node tc : testcases(doc)) names.push_back(tc.attribute("name").value());
  std::sort(names.begin(), names.end());
  // In selection order the cases get "tcp.open", "tcp.open #2", then the literal id
  // "tcp.open #2" is taken and becomes "tcp.open #2 #2", then "tcp.open #3".
  EXPECT_EQ(names,
            (std::vector<std::string>{"tcp.open", "tcp.open #2", "tcp.open #2 #2", "tcp.open #3"}))
      << xml;
}

TEST(junit_xml, TimesHaveThreeDecimalsAndNeverGoNegative) {
  case_result a = make_case("a", verdict::pass);
  a.seconds = 1.23456;
  case_result b = make_case("b", verdict::pass);
  b.seconds = -4;
  case_result c = make_case("c", verdict::pass);
  c.seconds = std::numeric_limits<double>::quiet_NaN();
  run_results r = one_case(a);
  r.cases.push_back(b);
  r.cases.push_back(c);
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  const auto cases = testcases(doc);
  EXPECT_STREQ(cases[0].attribute("time").value(), "1.235");
  EXPECT_STREQ(cases[1].attribute("time").value(), "0.000");
  EXPECT_STREQ(cases[2].attribute("time").value(), "0.000");
  EXPECT_STREQ(cases[0].attribute("file").value(), "specs/tcp/open.yaml");
  EXPECT_STREQ(cases[0].attribute("line").value(), "3");
}

TEST(junit_xml, TimestampOnlyWhenStartedUtcIsIso8601) {
  run_results r = one_case(make_case("a", verdict::pass));
  r.info.started_utc = "2024-05-01T12:34:56.789+00:00";
  EXPECT_STREQ(
      parse(junit_xml(r)).child("testsuites").child("testsuite").attribute("timestamp").value(),
      "2024-05-01T12:34:56");
  r.info.started_utc = "yesterday";
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  EXPECT_FALSE(parse(xml).child("testsuites").child("testsuite").attribute("timestamp"));
}

TEST(junit_xml, EverySuiteCarriesTheRunProperties) {
  run_results r = one_case(make_case("a", verdict::pass, "one"));
  r.cases.push_back(make_case("b", verdict::pass, "two"));
  r.info = {"0.1.0",
            "serial:/dev/ttyUSB0",
            "BC25",
            "Quectel; BC25",
            "BC25JAR01A04",
            "42",
            "2024-05-01T12:34:56Z",
            "lab-1",
            true};
  r.interrupted = true;
  const std::string xml = junit_xml(r);
  expect_valid_junit(xml);
  const pugi::xml_document doc = parse(xml);
  const std::vector<std::pair<std::string, std::string>> want{
      {"module_identity", "Quectel; BC25"},
      {"firmware", "BC25JAR01A04"},
      {"model", "BC25"},
      {"transport", "serial:/dev/ttyUSB0"},
      {"seed", "42"},
      {"harness_version", "0.1.0"},
      {"started_utc", "2024-05-01T12:34:56Z"},
      {"inconc_is_failure", "true"},
      {"interrupted", "true"}};
  int suites = 0;
  for (pugi::xml_node s : doc.child("testsuites").children("testsuite")) {
    ++suites;
    std::vector<std::pair<std::string, std::string>> got;
    for (pugi::xml_node p : s.child("properties").children("property"))
      got.emplace_back(p.attribute("name").value(), p.attribute("value").value());
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(suites, 2);
}

// ---- system-out -----------------------------------------------------------------------------

TEST(junit_xml, SystemOutHasTimingsTailAndTranscriptFile) {
  case_result c = make_case("a", verdict::pass);
  c.title = "Open a TCP client";
  c.spec = {"AN 2.1.4", "AN 4.1"};
  c.tags = {"tcp"};
  c.attempt = 2;
  c.timings = {{"AT+QIOPEN", 0.5231, 150}, {"AT+QIRD", 0.4, 0.3}, {"AT+CSQ", 0.1, 0}};
  c.transcript_tail = {{0.0, protocol::direction::to_module, "AT+QIOPEN=1,0\r"},
                       {0.012345, protocol::direction::from_module, "\r\nOK\r\n"},
                       {std::nullopt, protocol::direction::note, "peer closed"},
                       {1.5, protocol::direction::from_module, ""}};
  c.transcript_file = "transcripts/a.bctr";
  const std::string xml = junit_xml(one_case(c));
  expect_valid_junit(xml);
  EXPECT_STREQ(testcases(parse(xml))[0].child("system-out").text().get(),
               "title: Open a TCP client\n"
               "spec: AN 2.1.4, AN 4.1\n"
               "tags: tcp\n"
               "attempt: 2\n"
               "timing: AT+QIOPEN 0.523 s (limit 150.000 s)\n"
               "timing: AT+QIRD 0.400 s (limit 0.300 s) OVER LIMIT\n"
               "timing: AT+CSQ 0.100 s (no documented limit)\n"
               "transcript tail (4 records):\n"
               "0.000000 > AT+QIOPEN=1,0<CR>\n"
               "0.012345 < <CR><LF>OK<CR><LF>\n"
               "- # peer closed\n"
               "1.500000 <\n"
               "full transcript: transcripts/a.bctr\n"
               "[[ATTACHMENT|transcripts/a.bctr]]\n");
}

TEST(junit_xml, NoSystemOutWhenThereIsNothingToSay) {
  const std::string xml = junit_xml(one_case(make_case("a", verdict::pass)));
  EXPECT_FALSE(testcases(parse(xml))[0].child("system-out"));
}

// ---- hostile input --------------------------------------------------------------------------

// Bytes that break XML or CDATA, control bytes, and invalid UTF-8, and how they must appear.
const std::string hostile =
    std::string("x]]><&\"'") + '\0' + "\x1b\x1a\xff\xc3(\xc2\x85\xef\xbf\xbe";
const std::string hostile_shown = "x]]><&\"'<NUL><ESC><1A><FF><C3>(<C2><85><EF><BF><BE>";

case_result hostile_case(verdict v) {
  case_result c = make_case(hostile + "id", v, hostile + "/suite");
  c.title = hostile;
  c.file = hostile + ".yaml";
  c.reason = hostile;
  c.spec = {hostile};
  c.tags = {hostile};
  c.errata = {hostile};
  c.failure = runner::failure_info{hostile, hostile, hostile, hostile, hostile};
  c.timings = {{hostile, 1, 2}};
  c.transcript_tail = {{0.5, protocol::direction::from_module, hostile}};
  c.transcript_file = hostile;
  return c;
}

run_results hostile_run() {
  run_results r;
  r.info = {hostile, hostile, hostile, hostile, hostile, hostile, hostile, hostile, false};
  for (verdict v : {verdict::pass, verdict::inconc, verdict::fail, verdict::error,
                    verdict::not_applicable, verdict::not_run, verdict::interrupted})
    r.cases.push_back(hostile_case(v));
  return r;
}

TEST(junit_xml, HostileStringsGiveValidXmlWithVisibleForms) {
  const std::string xml = junit_xml(hostile_run());
  expect_valid_junit(xml);
  // No raw control byte (other than the newlines between lines), no CDATA, no raw 0xFF.
  for (char ch : xml) {
    const auto b = static_cast<unsigned char>(ch);
    ASSERT_TRUE(b >= 0x20 || b == '\n') << "raw byte " << int(b);
    ASSERT_NE(b, 0xff);
  }
  EXPECT_EQ(xml.find("CDATA"), std::string::npos);

  const pugi::xml_document doc = parse(xml);
  const pugi::xml_node suite = doc.child("testsuites").child("testsuite");
  EXPECT_EQ(std::string(suite.attribute("name").value()), hostile_shown + "/suite");
  EXPECT_EQ(std::string(suite.attribute("hostname").value()), hostile_shown);
  for (pugi::xml_node p : suite.child("properties").children("property")) {
    const std::string name = p.attribute("name").value();
    if (name != "inconc_is_failure" && name != "interrupted") {
      EXPECT_EQ(std::string(p.attribute("value").value()), hostile_shown) << name;
    }
  }
  const auto cases = testcases(doc);
  ASSERT_EQ(cases.size(), 7u);
  EXPECT_EQ(std::string(cases[0].attribute("name").value()), hostile_shown + "id");
  EXPECT_EQ(std::string(cases[0].attribute("file").value()), hostile_shown + ".yaml");
  EXPECT_EQ(std::string(cases[2].child("failure").attribute("message").value()), hostile_shown);
  EXPECT_EQ(std::string(cases[4].child("skipped").attribute("message").value()),
            "not applicable: " + hostile_shown);
  const std::string body = cases[2].child("failure").text().get();
  EXPECT_NE(body.find("expected: " + hostile_shown + "\n"), std::string::npos) << body;
  EXPECT_NE(body.find("got: " + hostile_shown + "\n"), std::string::npos) << body;
  const std::string out = cases[0].child("system-out").text().get();
  for (const std::string& line :
       {"title: " + hostile_shown, "spec: " + hostile_shown, "0.500000 < " + hostile_shown,
        "timing: " + hostile_shown + " 1.000 s", "full transcript: " + hostile_shown}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << "\n" << out;
  }
}

TEST(junit_xml, EveryByteValueInTheTranscriptTailIsValid) {
  case_result c = make_case("all-bytes", verdict::fail);
  std::string all;
  for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
  c.transcript_tail = {{0.1, protocol::direction::from_module, all},
                       {0.2, protocol::direction::to_module, all + all}};
  c.failure = runner::failure_info{"s:1", "expect", all, all, all};
  expect_valid_junit(junit_xml(one_case(c)));
}

TEST(junit_xml, SameResultsGiveTheSameBytes) {
  const run_results r = hostile_run();
  EXPECT_EQ(junit_xml(r), junit_xml(r));
}

// The checks above must be able to fail: a document outside the dialect, with a raw control
// byte, or with wrong counts is refused.
TEST(report_checks, RefuseBrokenDocuments) {
  const std::string head = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  const std::string good_case =
      R"(<testcase name="a" classname="bcconform.x" time="0.250"><skipped message="not run"/></testcase>)";
  const std::string suite_open =
      R"(<testsuite name="x" tests="1" failures="0" errors="0" skipped="1" time="0.250" hostname="">)"
      R"(<properties>)" +
      [] {
        std::string p;
        for (const char* n : {"module_identity", "firmware", "model", "transport", "seed",
                              "harness_version", "started_utc", "inconc_is_failure", "interrupted"})
          p += std::string(R"(<property name=")") + n + R"(" value=""/>)";
        return p;
      }() +
      "</properties>";
  const std::string root_open =
      R"(<testsuites name="bcconform" tests="1" failures="0" errors="0" skipped="1" time="0.250">)";
  const std::string good = head + root_open + suite_open + good_case + "</testsuite></testsuites>";
  EXPECT_EQ(testing::validate_junit(good).exit_status, 0) << testing::validate_junit(good).output;
  EXPECT_EQ(testing::count_mismatches(good), "");

  std::string raw_control = good;
  raw_control.replace(raw_control.find("name=\"a\""), 8, "name=\"a\x01\"");
  EXPECT_NE(testing::validate_junit(raw_control).exit_status, 0);

  std::string cdata = good;
  cdata.replace(cdata.find("</testcase>"), 0, "<system-out><![CDATA[x]]></system-out>");
  EXPECT_EQ(testing::validate_junit(cdata).exit_status, 0);  // CDATA is legal XML...
  case_result c = make_case("a", verdict::pass);
  c.title = "a]]>";
  const std::string written = junit_xml(one_case(c));
  EXPECT_NE(written.find("title: a]]&gt;"), std::string::npos) << written;  // ...but not used
  EXPECT_EQ(written.find("CDATA"), std::string::npos);

  std::string foreign = good;
  foreign.replace(foreign.find("<skipped"), 0, "<rerunFailure/>");
  EXPECT_NE(testing::validate_junit(foreign).exit_status, 0);

  std::string bad_class = good;
  bad_class.replace(bad_class.find("bcconform.x"), 11, "bcconform.x y");
  EXPECT_NE(testing::validate_junit(bad_class).exit_status, 0);

  std::string twice = good;
  twice.replace(twice.find("\"seed\""), 6, "\"model\"");
  EXPECT_NE(testing::validate_junit(twice).exit_status, 0);

  std::string wrong_count = good;
  wrong_count.replace(wrong_count.find("skipped=\"1\" time=\"0.250\" hostname"), 11,
                      "skipped=\"0\"");
  EXPECT_EQ(testing::validate_junit(wrong_count).exit_status, 0);  // the schema cannot see it
  EXPECT_NE(testing::count_mismatches(wrong_count), "");
}

}  // namespace
}  // namespace bcconform::report
