// The sign-off report: section verdicts, timing figures, the baseline difference, waivers,
// escaping of hostile strings in both documents, well-formed HTML (pugixml as XML, xmllint as
// HTML) and byte-for-byte determinism.
#include "bcconform/report/signoff.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "report_check.hpp"

namespace bcconform::report {
namespace {

using runner::case_result;
using runner::run_results;
using runner::verdict;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_case;
using ::testing::Not;

std::string read_errata() {
  std::ifstream in(std::string(BCCONFORM_SOURCE_DIR) + "/specs/ERRATA.md");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

case_result spec_case(std::string id, verdict v, std::vector<std::string> spec) {
  case_result c = make_case(std::move(id), v);
  c.spec = std::move(spec);
  return c;
}

run_results sample_run() {
  run_results r;
  r.info.harness_version = "0.1.0";
  r.info.target = "serial:/dev/ttyUSB0";
  r.info.model = "BC25";
  r.info.module_identity = "Quectel; BC25";
  r.info.firmware = "BC25JAR01A05";
  r.info.started_utc = "2024-05-01T12:34:56Z";
  r.info.seed = "42";
  r.info.hostname = "lab-1";
  case_result open = spec_case("tcp.open", verdict::pass, {"AN 2.1.1", "AN 4.1.1"});
  open.timings = {{"AT+QIOPEN", 0.120, 0.3}, {"AT+QISTATE", 0.010, 0.3}};
  case_result send = spec_case("tcp.send", verdict::fail, {"AN 2.1.4", "AN 4.1.2"});
  send.failure = runner::failure_info{"specs/tcp/send.yaml:12", "expect", "wrong final result",
                                      "SEND OK", "SEND FAIL"};
  send.transcript_file = "transcripts/tcp.send.log";
  send.errata = {"E15"};
  send.timings = {{"AT+QIOPEN", 0.400, 0.3}};
  case_result sleep = spec_case("udp.sleep", verdict::not_applicable, {"AN 4.4"});
  sleep.reason = "target lacks deep-sleep";
  case_result state = spec_case("tcp.state", verdict::inconc, {"AN 2.1.3"});
  r.cases = {open, send, sleep, state};
  return r;
}

const section_result& section(const signoff_model& m, const std::string& name) {
  for (const section_result& s : m.sections)
    if (s.section == name) return s;
  ADD_FAILURE() << "no section " << name;
  static const section_result none;
  return none;
}

// ---- section verdicts -------------------------------------------------------------------------

struct verdict_row {
  const char* name;
  verdict_counts counts;
  section_status want;
};

verdict_counts counts(int pass, int fail, int waived, int inconc, int error, int na,
                      int not_run = 0, int filtered = 0, int interrupted = 0) {
  verdict_counts c;
  c.pass = pass;
  c.fail = fail;
  c.waived = waived;
  c.inconc = inconc;
  c.error = error;
  c.not_applicable = na;
  c.not_run = not_run;
  c.filtered = filtered;
  c.interrupted = interrupted;
  return c;
}

class SectionVerdict : public ::testing::TestWithParam<verdict_row> {};

TEST_P(SectionVerdict, Table) {
  EXPECT_EQ(section_verdict(GetParam().counts), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Signoff, SectionVerdict,
    ::testing::Values(
        verdict_row{"no_cases", counts(0, 0, 0, 0, 0, 0), section_status::not_tested},
        verdict_row{"all_pass", counts(3, 0, 0, 0, 0, 0), section_status::conforms},
        verdict_row{"pass_and_not_applicable", counts(1, 0, 0, 0, 0, 2), section_status::conforms},
        verdict_row{"only_not_applicable", counts(0, 0, 0, 0, 0, 2), section_status::not_tested},
        verdict_row{"only_not_run", counts(0, 0, 0, 0, 0, 0, 1), section_status::not_tested},
        verdict_row{"only_filtered", counts(0, 0, 0, 0, 0, 0, 0, 3), section_status::not_tested},
        verdict_row{"one_fail", counts(5, 1, 0, 0, 0, 0), section_status::deviates},
        verdict_row{"fail_beats_error", counts(0, 1, 0, 0, 1, 0), section_status::deviates},
        verdict_row{"fail_beats_waived", counts(0, 1, 1, 0, 0, 0), section_status::deviates},
        verdict_row{"waived_only", counts(0, 0, 1, 0, 0, 0), section_status::waived},
        verdict_row{"waived_and_pass", counts(2, 0, 1, 0, 0, 1), section_status::waived},
        verdict_row{"inconc", counts(2, 0, 0, 1, 0, 0), section_status::incomplete},
        verdict_row{"error", counts(0, 0, 0, 0, 1, 0), section_status::incomplete},
        verdict_row{"interrupted", counts(1, 0, 0, 0, 0, 0, 0, 0, 1), section_status::incomplete},
        verdict_row{"inconc_beats_waived", counts(0, 0, 1, 1, 0, 0), section_status::incomplete}),
    [](const ::testing::TestParamInfo<verdict_row>& i) { return std::string(i.param.name); });

TEST(Signoff, SectionsCoverTheTableAndTheCases) {
  const run_results r = sample_run();
  const signoff_model m = build_signoff(signoff_input(r));
  EXPECT_EQ(section(m, "AN 2.1.1").status, section_status::conforms);
  EXPECT_EQ(section(m, "AN 2.1.1").title, "Open a socket");
  EXPECT_EQ(section(m, "AN 2.1.4").status, section_status::deviates);
  EXPECT_THAT(section(m, "AN 2.1.4").failing, ElementsAre(1u));
  EXPECT_EQ(section(m, "AN 2.1.3").status, section_status::incomplete);
  EXPECT_EQ(section(m, "AN 2.1.3").reason, "1 inconclusive case");
  const section_result& sleep = section(m, "AN 4.4");
  EXPECT_EQ(sleep.status, section_status::not_tested);
  EXPECT_EQ(sleep.reason, "1 case not applicable (target lacks deep-sleep)");
  EXPECT_EQ(sleep.title, "UDP client with deep-sleep wake-up");
  const section_result& recv = section(m, "AN 2.2.2");  // a URC of the table, no case
  EXPECT_EQ(recv.status, section_status::not_tested);
  EXPECT_EQ(recv.reason, "no case cites it");
  EXPECT_EQ(recv.title, "URC +QIURC: \"recv\"");
  EXPECT_EQ(section(m, "AN 4.1.1").title, "TCP client, buffer access mode: open a connection");
  EXPECT_EQ(m.overall, section_status::deviates);
  EXPECT_EQ(m.totals.pass, 1);
  EXPECT_EQ(m.totals.fail, 1);
  EXPECT_EQ(m.totals.not_applicable, 1);
  EXPECT_EQ(m.totals.inconc, 1);
}

TEST(Signoff, SectionsInNumericOrder) {
  run_results r;
  r.cases = {spec_case("a", verdict::pass, {"AN 2.1.10", "AN 2.1.2", "AN 9", "X 1", "AN 2.1x"})};
  const signoff_model m = build_signoff(signoff_input(r));
  std::vector<std::string> names;
  for (const section_result& s : m.sections) names.push_back(s.section);
  const auto at = [&names](const std::string& s) {
    return std::find(names.begin(), names.end(), s) - names.begin();
  };
  EXPECT_LT(at("AN 2.1.2"), at("AN 2.1.10"));
  EXPECT_LT(at("AN 2.1.14"), at("AN 2.2.1"));
  EXPECT_LT(at("AN 4.8"), at("AN 9"));
  EXPECT_LT(at("AN 9"), at("AN 2.1x"));  // not AN sections: after them, in byte order
  EXPECT_EQ(names.back(), "X 1");
  EXPECT_EQ(std::count(names.begin(), names.end(), "AN 2.1.1"), 1);
}

// ---- timings ----------------------------------------------------------------------------------

TEST(Signoff, TimingFiguresAreExact) {
  // 1..20 in shuffled order: median (10 + 11) / 2, p95 the 19th value (ceil(0.95 * 20) = 19).
  std::vector<double> twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back((i * 7) % 20 + 1);  // a permutation of 1..20
  timing_stats t = compute_timing("AT+QIRD", twenty, 18.5);
  EXPECT_EQ(t.samples, 20u);
  EXPECT_DOUBLE_EQ(t.median, 10.5);
  EXPECT_DOUBLE_EQ(t.p95, 19.0);
  EXPECT_DOUBLE_EQ(t.max, 20.0);
  EXPECT_EQ(t.over_limit, 2u);

  t = compute_timing("AT", {0.3, 0.1, 0.2}, 0);
  EXPECT_DOUBLE_EQ(t.median, 0.2);
  EXPECT_DOUBLE_EQ(t.p95, 0.3);  // ceil(2.85) = 3
  EXPECT_EQ(t.over_limit, 0u);   // no limit documented

  t = compute_timing("AT", {0.25}, 0.3);
  EXPECT_DOUBLE_EQ(t.median, 0.25);
  EXPECT_DOUBLE_EQ(t.p95, 0.25);

  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i / 100.0);
  t = compute_timing("AT", hundred, 0.3);
  EXPECT_DOUBLE_EQ(t.p95, 0.95);
  EXPECT_DOUBLE_EQ(t.median, (0.50 + 0.51) / 2);
  EXPECT_EQ(t.over_limit, 70u);

  // A clock fault never reaches the figures as a negative or NaN time.
  t = compute_timing("AT", {-1.0, std::numeric_limits<double>::quiet_NaN(), 0.5}, 0.3);
  EXPECT_DOUBLE_EQ(t.median, 0.0);
  EXPECT_DOUBLE_EQ(t.max, 0.5);
  EXPECT_EQ(compute_timing("AT", {}, 0.3).samples, 0u);
}

TEST(Signoff, TimingsGroupedByCommandWithTheTableLimit) {
  run_results r = sample_run();
  r.cases[3].timings = {{"AT+QIRD", 0.05, 0}};  // no limit from the runner: the table's 300 ms
  const signoff_model m = build_signoff(signoff_input(r));
  ASSERT_EQ(m.timings.size(), 3u);
  EXPECT_EQ(m.timings[0].command, "AT+QIOPEN");
  EXPECT_EQ(m.timings[0].samples, 2u);
  EXPECT_DOUBLE_EQ(m.timings[0].median, 0.26);
  EXPECT_DOUBLE_EQ(m.timings[0].max, 0.4);
  EXPECT_EQ(m.timings[0].over_limit, 1u);
  EXPECT_EQ(m.timings[1].command, "AT+QIRD");
  EXPECT_DOUBLE_EQ(m.timings[1].limit, 0.3);
  EXPECT_EQ(m.timings[2].command, "AT+QISTATE");
}

// ---- baseline ---------------------------------------------------------------------------------

TEST(Signoff, BaselineDifference) {
  run_results r;
  r.cases = {make_case("a.still_pass", verdict::pass),   make_case("b.new_fail", verdict::fail),
             make_case("c.fixed", verdict::pass),        make_case("d.error", verdict::error),
             make_case("e.added", verdict::pass),        make_case("f.added_fail", verdict::fail),
             make_case("g.filtered", verdict::filtered), make_case("h.still_fail", verdict::fail),
             make_case("i.repeat", verdict::pass),       make_case("i.repeat", verdict::fail)};
  r.cases[9].attempt = 2;
  const std::map<std::string, verdict> before = {
      {"a.still_pass", verdict::pass}, {"b.new_fail", verdict::pass},
      {"c.fixed", verdict::fail},      {"d.error", verdict::pass},
      {"g.filtered", verdict::pass},   {"h.still_fail", verdict::fail},
      {"i.repeat", verdict::pass},     {"z.removed", verdict::pass}};
  const baseline_diff d = diff_baseline(r, before);
  auto ids = [](const std::vector<verdict_change>& v) {
    std::vector<std::string> out;
    for (const verdict_change& c : v) out.push_back(c.id);
    return out;
  };
  EXPECT_THAT(ids(d.newly_failing), ElementsAre("b.new_fail", "f.added_fail", "i.repeat"));
  EXPECT_THAT(ids(d.newly_passing), ElementsAre("c.fixed"));
  EXPECT_THAT(ids(d.changed), ElementsAre("d.error"));
  EXPECT_THAT(ids(d.added), ElementsAre("e.added"));
  EXPECT_THAT(ids(d.removed), ElementsAre("z.removed"));
  EXPECT_FALSE(d.newly_failing[1].before.has_value());
  EXPECT_EQ(d.changed[0].before, verdict::pass);
  EXPECT_EQ(d.changed[0].after, verdict::error);
  EXPECT_FALSE(d.removed[0].after.has_value());
}

TEST(Signoff, BaselineInTheDocuments) {
  const run_results r = sample_run();
  signoff_input in(r);
  in.baseline =
      std::map<std::string, verdict>{{"tcp.send", verdict::pass}, {"tcp.gone", verdict::pass}};
  in.baseline_label = "BC25JAR01A04";
  const std::string md = signoff_markdown(in);
  EXPECT_THAT(md, HasSubstr("Baseline: BC25JAR01A04, 2 cases."));
  EXPECT_THAT(md, HasSubstr("### Newly failing (1)\n\n- [tcp.send](transcripts/tcp.send.log)"
                            ": pass → fail\n"));
  EXPECT_THAT(md, HasSubstr("### Not in this run (1)\n\n- tcp.gone: pass → absent\n"));
  EXPECT_THAT(signoff_markdown(signoff_input(r)), Not(HasSubstr("baseline")));
}

// ---- waivers ----------------------------------------------------------------------------------

struct glob_row {
  const char* pattern;
  const char* id;
  bool match;
};

class Glob : public ::testing::TestWithParam<glob_row> {};

TEST_P(Glob, Table) {
  EXPECT_EQ(glob_match(GetParam().pattern, GetParam().id), GetParam().match)
      << GetParam().pattern << " " << GetParam().id;
}

INSTANTIATE_TEST_SUITE_P(
    Signoff, Glob,
    ::testing::Values(glob_row{"tcp.send", "tcp.send", true},
                      glob_row{"tcp.send", "tcp.sends", false}, glob_row{"tcp.*", "tcp.send", true},
                      glob_row{"tcp.*", "udp.send", false}, glob_row{"*", "", true},
                      glob_row{"", "", true}, glob_row{"", "a", false},
                      glob_row{"t?p.*", "tcp.x", true}, glob_row{"*.send", "tcp.send", true},
                      glob_row{"*a*b", "xaxxab", true}, glob_row{"*a*b", "xaxxa", false},
                      glob_row{"a**b", "ab", true}, glob_row{"?", "", false},
                      glob_row{"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false}));

TEST(Signoff, WaivedFailuresDoNotDeviate) {
  const run_results r = sample_run();
  signoff_input in(r);
  in.waivers = {{"udp.*", "not this one"}, {"tcp.s*", "vendor ticket 1234"}, {"tcp.send", "x"}};
  const signoff_model m = build_signoff(in);
  EXPECT_TRUE(m.deviations.empty());
  EXPECT_THAT(m.waived, ElementsAre(1u));
  EXPECT_EQ(m.waiver_reasons[1], "vendor ticket 1234");  // the first matching waiver
  EXPECT_EQ(m.waiver_reasons[2], "");  // not applicable is not a failure: nothing to waive
  EXPECT_EQ(section(m, "AN 2.1.4").status, section_status::waived);
  EXPECT_THAT(section(m, "AN 2.1.4").waived, ElementsAre(1u));
  EXPECT_TRUE(section(m, "AN 2.1.4").failing.empty());
  EXPECT_EQ(m.totals.fail, 0);
  EXPECT_EQ(m.totals.waived, 1);
  EXPECT_EQ(m.overall, section_status::incomplete);  // tcp.state is still inconclusive

  const std::string md = signoff_markdown(in);
  EXPECT_THAT(md, HasSubstr("None: no case failed without a waiver."));
  EXPECT_THAT(md, HasSubstr("| [tcp.send](transcripts/tcp.send.log) | AN 2.1.4, AN 4.1.2 | "
                            "vendor ticket 1234 |"));
  EXPECT_THAT(md, HasSubstr("| AN 2.1.4 | Send text data | waived | 1 waived | waived: "
                            "[tcp.send](transcripts/tcp.send.log) |"));
  const std::string html = signoff_html(in);
  EXPECT_THAT(html, HasSubstr("<span class=\"status s-waived\">waived</span>"));
  EXPECT_THAT(html, HasSubstr("vendor ticket 1234"));
}

TEST(Signoff, ParseWaivers) {
  const auto w = parse_waivers(
      "# accepted for A05\n\ntcp.send  vendor ticket 1234\r\n"
      "\tudp.*\tdeep sleep not wired  \n");
  ASSERT_TRUE(w) << w.error().detail;
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0].pattern, "tcp.send");
  EXPECT_EQ((*w)[0].reason, "vendor ticket 1234");
  EXPECT_EQ((*w)[1].pattern, "udp.*");
  EXPECT_EQ((*w)[1].reason, "deep sleep not wired");
  const auto bad = parse_waivers("ok reason\ntcp.send\n");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().detail, HasSubstr("waiver line 2"));
  EXPECT_TRUE(parse_waivers("")->empty());
}

// ---- the documents ----------------------------------------------------------------------------

TEST(Signoff, MarkdownContents) {
  const run_results r = sample_run();
  signoff_input in(r);
  in.errata_markdown = read_errata();
  const std::string md = signoff_markdown(in);
  EXPECT_THAT(md, HasSubstr("# Sign-off report BC25 firmware BC25JAR01A05\n"));
  EXPECT_THAT(md, HasSubstr("| Module | Quectel; BC25 |\n"));
  EXPECT_THAT(md, HasSubstr("| Started (UTC) | 2024-05-01T12:34:56Z |\n"));
  EXPECT_THAT(md, HasSubstr("**Result:** **deviates**. 1 deviation to fix, 0 waived.\n"));
  EXPECT_THAT(md, HasSubstr("| 1 | 1 | 0 | 1 | 0 | 1 | 0 | 0 | 0 |\n"));
  EXPECT_THAT(md, HasSubstr("1. [tcp.send](transcripts/tcp.send.log)\n"
                            "   - spec: AN 2.1.4, AN 4.1.2\n"
                            "   - step: specs/tcp/send.yaml:12 (expect)\n"
                            "   - message: wrong final result\n"
                            "   - expected: SEND OK\n"
                            "   - got: SEND FAIL\n"));
  EXPECT_THAT(md, HasSubstr("| AN 2.1.4 | Send text data | **deviates** | 1 fail | failing: "
                            "[tcp.send](transcripts/tcp.send.log) |\n"));
  EXPECT_THAT(md, HasSubstr("| AN 4.4 | UDP client with deep-sleep wake-up | not tested | 1 not "
                            "applicable | 1 case not applicable (target lacks deep-sleep) |\n"));
  EXPECT_THAT(md, HasSubstr("| AT+QIOPEN | 2 | 0.260 s | 0.400 s | 0.400 s | 0.300 s | **1** |\n"));
  EXPECT_THAT(md, HasSubstr("| E15 | SEND OK is asynchronous | "
                            "[tcp.send](transcripts/tcp.send.log) |\n"));
}

TEST(Signoff, CasesWithoutTranscriptLinkToTheJunitFile) {
  run_results r;
  r.cases = {spec_case("x.fail", verdict::fail, {"AN 2.1.5"})};
  signoff_input in(r);
  EXPECT_THAT(signoff_markdown(in), HasSubstr("[x.fail](junit.xml)"));
  in.junit_file = "junit results.xml";
  EXPECT_THAT(signoff_markdown(in), HasSubstr("[x.fail](junit%20results.xml)"));
  EXPECT_THAT(signoff_html(in), HasSubstr("<a href=\"junit%20results.xml\">x.fail</a>"));
  EXPECT_THAT(signoff_markdown(in), HasSubstr("no failure details were recorded"));
}

// A case whose id, title, failure, identity, transcript path and errata carry markup, a
// scheme, table separators, line breaks and terminal controls.
const std::string evil =
    "<script>alert('x')</script> | *b* [l](javascript:alert(1)) &amp;\r\n\x1b[2J\x01\xff";

run_results hostile_run() {
  run_results r = sample_run();
  r.info.module_identity = evil;
  r.info.firmware = "</title><b>";
  r.cases[1].id = "tcp.send" + evil;
  r.cases[1].title = evil;
  r.cases[1].failure->expected = evil;
  r.cases[1].failure->got = std::string("OK\r\n\x1a") + evil;
  r.cases[1].transcript_file = "javascript:alert(1)\" onclick=\"x";
  r.cases[1].spec.push_back("AN 2.1.4" + evil);
  r.cases[1].errata.push_back(evil);
  r.cases[2].reason = evil;
  r.cases[0].timings.push_back({evil, 0.1, 0.3});
  r.cases.push_back(spec_case("waived.case", verdict::fail, {"AN 2.1.5"}));
  return r;
}

// The waiver reason is untrusted too (a waiver file).
signoff_input hostile_input(const run_results& r) {
  signoff_input in(r);
  in.waivers = {{"waived.*", evil}};
  return in;
}

TEST(Signoff, HostileStringsAreEscapedInMarkdown) {
  const run_results r = hostile_run();
  const std::string md = signoff_markdown(hostile_input(r));
  EXPECT_THAT(md, Not(HasSubstr("<script>")));
  EXPECT_THAT(md, Not(HasSubstr("[l](javascript")));
  EXPECT_THAT(md, Not(HasSubstr("\x1b")));
  EXPECT_THAT(md, Not(HasSubstr("\r")));
  EXPECT_THAT(md, HasSubstr("\\<script\\>alert('x')\\</script\\> \\| \\*b\\* \\[l\\](javascript:"
                            "alert(1)) \\&amp;\\<CR\\>\\<LF\\>\\<ESC\\>\\[2J\\<01\\>\\<FF\\>"));
  EXPECT_THAT(md, HasSubstr("(javascript%3Aalert%281%29%22%20onclick%3D%22x)"));
  // No line of a table has more unescaped cell separators than its header.
  std::size_t start = 0;
  std::size_t header_bars = 0;
  while (start < md.size()) {
    const std::size_t end = md.find('\n', start);
    const std::string line = md.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("|")) {
      header_bars = 0;
      continue;
    }
    std::size_t bars = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\')
        ++i;
      else if (line[i] == '|')
        ++bars;
    }
    if (header_bars == 0) header_bars = bars;
    EXPECT_EQ(bars, header_bars) << line;
  }
  for (char c : md) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u < 0x7f)) << static_cast<int>(u);
  }
}

TEST(Signoff, HostileStringsAreEscapedInHtml) {
  const run_results r = hostile_run();
  const std::string html = signoff_html(hostile_input(r));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>")));
  EXPECT_THAT(html, Not(HasSubstr("href=\"javascript:")));
  EXPECT_THAT(html, Not(HasSubstr("onclick=\"")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | *b* "
                              "[l](javascript:alert(1)) &amp;amp;&lt;CR&gt;&lt;LF&gt;&lt;ESC&gt;"));
  EXPECT_THAT(html, HasSubstr("<title>Sign-off report BC25 firmware &lt;/title&gt;&lt;b&gt;"
                              "</title>"));
  // Parsed as XML: one html root, no element the report does not write.
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_string(html.c_str());
  ASSERT_TRUE(parsed) << parsed.description() << " at " << parsed.offset;
  EXPECT_STREQ(doc.document_element().name(), "html");
  const std::vector<std::string> allowed = {
      "html",  "head",  "meta", "title", "style", "body", "h1", "h2", "h3", "p",    "table",
      "thead", "tbody", "tr",   "th",    "td",    "ol",   "ul", "li", "a",  "span", "strong"};
  struct walker : pugi::xml_tree_walker {
    const std::vector<std::string>* allowed = nullptr;
    std::vector<std::string> unexpected;
    bool for_each(pugi::xml_node& n) override {
      if (n.type() != pugi::node_element) return true;
      if (std::find(allowed->begin(), allowed->end(), n.name()) == allowed->end())
        unexpected.push_back(n.name());
      for (pugi::xml_attribute a : n.attributes()) {
        const std::string name = a.name();
        if (name != "href" && name != "class" && name != "lang" && name != "charset")
          unexpected.push_back(name);
        if (name == "href" && std::string(a.value()).find(':') != std::string::npos)
          unexpected.push_back(a.value());
      }
      return true;
    }
  } w;
  w.allowed = &allowed;
  doc.traverse(w);
  EXPECT_TRUE(w.unexpected.empty()) << w.unexpected.front();
}

std::string find_xmllint() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    const std::string candidate = dirs.substr(start, end - start) + "/xmllint";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

TEST(Signoff, HtmlIsWellFormedForXmllint) {
  const std::string xmllint = find_xmllint();
  ASSERT_FALSE(xmllint.empty()) << "xmllint not found (Debian libxml2-utils)";
  testing::scratch_dir dir;
  const run_results r = hostile_run();
  signoff_input in(r);
  in.errata_markdown = read_errata();
  in.baseline = std::map<std::string, verdict>{{"tcp.open", verdict::fail}};
  ASSERT_TRUE(write_signoff(in, dir.path()));
  EXPECT_THAT(dir.entries(), ElementsAre("signoff.html", "signoff.md"));
  for (const std::vector<std::string>& mode :
       {std::vector<std::string>{"--html"}, std::vector<std::string>{}}) {
    std::vector<std::string> argv = {xmllint, "--noout"};
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.push_back(dir.file("signoff.html"));
    const testing::command_output out = testing::run_program(argv);
    EXPECT_EQ(out.exit_status, 0) << out.output;
    EXPECT_EQ(out.output, "") << (mode.empty() ? "as XML" : "as HTML");
  }
}

TEST(Signoff, SameInputSameBytes) {
  const run_results r = hostile_run();
  signoff_input in(r);
  in.errata_markdown = read_errata();
  in.baseline = std::map<std::string, verdict>{{"tcp.open", verdict::fail}};
  in.waivers = {{"udp.*", "sleep"}};
  EXPECT_EQ(signoff_markdown(in), signoff_markdown(in));
  EXPECT_EQ(signoff_html(in), signoff_html(in));

  // The order cases ran in does not change the report.
  run_results reversed = r;
  std::reverse(reversed.cases.begin(), reversed.cases.end());
  signoff_input rev(reversed);
  rev.errata_markdown = in.errata_markdown;
  rev.baseline = in.baseline;
  rev.waivers = in.waivers;
  EXPECT_EQ(signoff_markdown(in), signoff_markdown(rev));
  EXPECT_EQ(signoff_html(in), signoff_html(rev));
}

}  // namespace
}  // namespace bcconform::report
