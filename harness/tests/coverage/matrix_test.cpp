// compute_coverage() and coverage_regressions() on small suites built in memory, and one
// loaded from YAML by the scenario loader.
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bcconform/coverage/coverage.hpp"
#include "bcconform/protocol/command_table.hpp"
#include "bcconform/scenario/loader.hpp"

namespace bcconform::coverage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string read_errata() {
  std::ifstream in(std::string(BCCONFORM_SOURCE_DIR) + "/specs/ERRATA.md");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- suite builders ---------------------------------------------------------------------------

int next_line = 1;

scenario::source_pos at() {
  return {"suite.yaml", next_line++, 5};
}

scenario::step send(std::string line) {
  return {scenario::send_step{{std::move(line)}}, at(), ""};
}

scenario::line_matcher exact(std::string text) {
  scenario::line_matcher m;
  m.text.text = std::move(text);
  return m;
}

scenario::line_matcher re(std::string pattern) {
  scenario::line_matcher m;
  m.match = scenario::line_matcher::kind::regex;
  m.text.text = std::move(pattern);
  return m;
}

scenario::step expect(std::vector<scenario::line_matcher> lines) {
  scenario::expect_step e;
  e.lines = std::move(lines);
  return {std::move(e), at(), ""};
}

scenario::step urc(std::string pattern) {
  scenario::urc_step u;
  u.pattern.text = std::move(pattern);
  return {std::move(u), at(), ""};
}

scenario::scenario make(std::string id, std::vector<scenario::step> steps) {
  scenario::scenario s;
  s.id = std::move(id);
  s.title = "t";
  s.steps = std::move(steps);
  return s;
}

std::vector<scenario::suite_file> suite(std::vector<scenario::scenario> scenarios) {
  scenario::suite_file f;
  f.path = "suite.yaml";
  f.scenarios = std::move(scenarios);
  return {std::move(f)};
}

const item& row(const matrix& m, item_kind k, const std::string& key) {
  for (const item& it : m.items)
    if (it.kind == k && it.key == key) return it;
  ADD_FAILURE() << "no row " << to_string(k) << " " << key;
  static const item none;
  return none;
}

std::size_t covered_count(const matrix& m, item_kind k) {
  return std::count_if(m.items.begin(), m.items.end(),
                       [k](const item& it) { return it.kind == k && it.covered(); });
}

// ---- rows -------------------------------------------------------------------------------------

TEST(Matrix, OneRowPerTableEntryInKindOrder) {
  const matrix m = compute_coverage({});
  std::size_t forms = 0;
  for (const auto& c : protocol::commands()) forms += c.forms.size();
  std::vector<std::size_t> per_kind(5);
  for (std::size_t i = 0; i < m.items.size(); ++i) {
    ++per_kind[static_cast<std::size_t>(m.items[i].kind)];
    if (i > 0) {
      EXPECT_LE(m.items[i - 1].kind, m.items[i].kind) << i;
    }
  }
  EXPECT_EQ(per_kind[0], forms);
  EXPECT_EQ(per_kind[1], protocol::urcs().size());
  EXPECT_EQ(per_kind[2], 25u);  // AN 3 table 1: 550-574
  EXPECT_EQ(per_kind[3], protocol::examples().size());
  EXPECT_EQ(per_kind[4], 0u);  // no ERRATA text, no scenario naming a ruling
  EXPECT_EQ(m.scenarios, 0u);
  EXPECT_EQ(m.files, 0u);
  for (const item& it : m.items) EXPECT_FALSE(it.covered());
}

TEST(Matrix, FormKeysAreUnique) {
  const matrix m = compute_coverage({});
  std::vector<std::string> keys;
  for (const item& it : m.items)
    if (it.kind == item_kind::command_form) keys.push_back(it.key);
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end());
}

TEST(Matrix, ChapterFourExamples) {
  const auto ex = protocol::examples();
  ASSERT_EQ(ex.size(), 19u);
  EXPECT_EQ(ex.front().section, "AN 4.1.1");
  EXPECT_EQ(ex[12].section, "AN 4.4");
  EXPECT_EQ(ex.back().section, "AN 4.8");
}

// ---- command forms ----------------------------------------------------------------------------

TEST(Matrix, SendsCoverTheirFormsOncePerScenarioSorted) {
  auto s1 = make("b.second", {send("AT+QIRD=?"), expect({exact("OK")}), send("at+qird=?")});
  auto s2 = make("a.first", {send("AT+QIRD=?")});
  s2.teardown = {send("AT+QICLOSE=${cid}")};
  const matrix m = compute_coverage(suite({s1, s2}));
  EXPECT_THAT(row(m, item_kind::command_form, "AT+QIRD=?").scenarios,
              ElementsAre("a.first", "b.second"));
  EXPECT_THAT(row(m, item_kind::command_form, "AT+QICLOSE=<connectID>").scenarios,
              ElementsAre("a.first"));
  EXPECT_EQ(row(m, item_kind::command_form, "AT+QICLOSE=<connectID>").reason, "");
  EXPECT_EQ(row(m, item_kind::command_form, "AT+QIRD=<connectID>,<read_length>").reason,
            "no scenario sends it");
  EXPECT_EQ(covered_count(m, item_kind::command_form), 2u);
  EXPECT_EQ(m.scenarios, 2u);
}

TEST(Matrix, LinesThatCannotBePlacedAreListedOnceWithTheirPosition) {
  scenario::step shared = send("AT+NOPE");  // a file's setup: the same step in each scenario
  auto s1 = make("one", {send("garbage")});
  auto s2 = make("two", {send("AT+QIRD?")});
  s1.setup = {shared};
  s2.setup = {shared};
  const matrix m = compute_coverage(suite({s1, s2}));
  ASSERT_EQ(m.unplaced.size(), 3u);
  EXPECT_EQ(m.unplaced[0].scenario, "one");
  EXPECT_EQ(m.unplaced[0].text, "AT+NOPE");
  EXPECT_EQ(m.unplaced[0].pos, shared.pos);
  EXPECT_THAT(m.unplaced[0].why, HasSubstr("unknown command AT+NOPE"));
  EXPECT_THAT(m.unplaced[1].why, HasSubstr("not an AT command line"));
  EXPECT_THAT(m.unplaced[2].why, HasSubstr("has no query form"));
  EXPECT_EQ(covered_count(m, item_kind::command_form), 0u);
  for (const unplaced_line& u : m.unplaced) EXPECT_FALSE(u.expected_refused) << u.text;
}

// A malformed line followed by an expected ERROR is a boundary case written on purpose.
TEST(Matrix, MalformedLinesExpectedRefusedAreMarked) {
  auto s = make("refusals", {send("AT+QICFG=\"nope\",1"), expect({exact("ERROR")}), send("ATEx"),
                             expect({exact("OK")}), send("AT+QIRD?")});
  const matrix m = compute_coverage(suite({s}));
  ASSERT_EQ(m.unplaced.size(), 3u);
  EXPECT_TRUE(m.unplaced[0].expected_refused);
  EXPECT_FALSE(m.unplaced[1].expected_refused);  // it expects OK: a mistake, not a boundary
  EXPECT_FALSE(m.unplaced[2].expected_refused);  // nothing follows
}

// ---- URCs -------------------------------------------------------------------------------------

TEST(Matrix, UrcStepsAndExpectLinesCoverUrcs) {
  auto s1 = make("recv", {urc("\\+QIURC: \"recv\",(?P<cid>\\d),\\d+")});
  auto s2 =
      make("closed", {send("AT+QICLOSE=0"), expect({exact("OK"), exact("+QIURC: \"closed\",0")})});
  auto s3 = make("full", {urc("\\+QIURC: \"recv\",0,\"buff full\"")});
  const matrix m = compute_coverage(suite({s1, s2, s3}));
  EXPECT_THAT(row(m, item_kind::urc, "recv").scenarios, ElementsAre("recv"));
  EXPECT_THAT(row(m, item_kind::urc, "buff full").scenarios, ElementsAre("full"));
  EXPECT_THAT(row(m, item_kind::urc, "closed").scenarios, ElementsAre("closed"));
  EXPECT_EQ(covered_count(m, item_kind::urc), 3u);
}

// AT+QIOPEN=? answers `+QIOPEN: (1-3),...` (AN 2.1.1): an information line, not the URC.
TEST(Matrix, InformationLinesOfTestFormsAreNotUrcs) {
  auto test_form =
      make("test", {send("AT+QIOPEN=?"), expect({re("\\+QIOPEN: \\(1-3\\).*"), exact("OK")})});
  const matrix none = compute_coverage(suite({test_form}));
  EXPECT_FALSE(row(none, item_kind::urc, "QIOPEN").covered());

  auto set_form = make("set", {send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8000"),
                               expect({exact("OK"), re("\\+QIOPEN: 0,0")})});
  const matrix one = compute_coverage(suite({set_form}));
  EXPECT_THAT(row(one, item_kind::urc, "QIOPEN").scenarios, ElementsAre("set"));
  // A urc step claims a URC whatever was sent before it.
  auto urc_after_test = make("claim", {send("AT+QIOPEN=?"), urc("\\+QIOPEN: 0,0")});
  const matrix claimed = compute_coverage(suite({urc_after_test}));
  EXPECT_THAT(row(claimed, item_kind::urc, "QIOPEN").scenarios, ElementsAre("claim"));
}

TEST(Matrix, PatternsThatDoNotCompileAreListed) {
  auto s = make("bad", {urc("\\+QIURC: (")});
  const matrix m = compute_coverage(suite({s}));
  ASSERT_EQ(m.unplaced.size(), 1u);
  EXPECT_THAT(m.unplaced[0].why, HasSubstr("does not compile"));
  EXPECT_EQ(covered_count(m, item_kind::urc), 0u);
}

// ---- error codes ------------------------------------------------------------------------------

TEST(Matrix, ErrorCodesPinnedByExpectLines) {
  auto s1 =
      make("closed", {send("AT+QIGETERROR"),
                      expect({exact("+QIGETERROR: 567,socket has been closed"), exact("OK")})});
  auto s2 = make("cme", {send("AT+QIRD=0,1"), expect({exact("+CME ERROR: 572")})});
  auto s3 = make("vague", {send("AT+QIGETERROR"), expect({re("\\+QIGETERROR: 56\\d,.*")})});
  auto s4 = make("urc", {urc("\\+QIGETERROR: 568,.*")});  // not an expect line
  const matrix m = compute_coverage(suite({s1, s2, s3, s4}), {read_errata()});
  EXPECT_THAT(row(m, item_kind::error_code, "567").scenarios, ElementsAre("closed"));
  EXPECT_THAT(row(m, item_kind::error_code, "572").scenarios, ElementsAre("cme"));
  EXPECT_EQ(covered_count(m, item_kind::error_code), 2u);
  const item& busy = row(m, item_kind::error_code, "568");
  EXPECT_TRUE(busy.coverable);
  EXPECT_THAT(busy.reason, HasSubstr("no scenario expects +QIGETERROR: 568"));
  EXPECT_THAT(busy.reason, HasSubstr("AT+QISEND before the previous SEND OK"));
}

TEST(Matrix, UnprovokableCodesCarryTheErrataReason) {
  const matrix with = compute_coverage({}, {read_errata()});
  const item& memory = row(with, item_kind::error_code, "553");
  EXPECT_FALSE(memory.coverable);
  EXPECT_EQ(memory.reason,
            "cannot be provoked from the AT interface: module memory exhaustion; no command "
            "controls the heap");
  EXPECT_EQ(memory.detail, "Memory not enough");
  std::size_t not_coverable = 0;
  for (const item& it : with.items)
    if (it.kind == item_kind::error_code && !it.coverable) ++not_coverable;
  EXPECT_EQ(not_coverable, 11u);

  // Without ERRATA.md the command table's flag and note stand in.
  const matrix without = compute_coverage({});
  const item& fallback = row(without, item_kind::error_code, "553");
  EXPECT_FALSE(fallback.coverable);
  EXPECT_EQ(fallback.reason, "cannot be provoked from the AT interface: module memory exhaustion");
}

// ---- examples and rulings -----------------------------------------------------------------------

TEST(Matrix, ExamplesAndRulingsFromScenarioLists) {
  auto s1 = make("send", {send("AT")});
  s1.spec = {"AN 2.1.4", "AN 4.1.2"};
  s1.errata = {"E12", "e13", "E99"};
  auto s2 = make("sleep", {send("AT")});
  s2.spec = {"AN 4.4"};
  const matrix m = compute_coverage(suite({s1, s2}), {read_errata()});
  EXPECT_THAT(row(m, item_kind::example, "AN 4.1.2").scenarios, ElementsAre("send"));
  EXPECT_THAT(row(m, item_kind::example, "AN 4.4").scenarios, ElementsAre("sleep"));
  EXPECT_EQ(row(m, item_kind::example, "AN 4.1.3").reason, "no scenario cites AN 4.1.3");
  EXPECT_THAT(row(m, item_kind::erratum, "E12").scenarios, ElementsAre("send"));
  EXPECT_THAT(row(m, item_kind::erratum, "E13").scenarios, ElementsAre("send"));
  const item& unknown = row(m, item_kind::erratum, "E99");
  EXPECT_THAT(unknown.scenarios, ElementsAre("send"));
  EXPECT_EQ(unknown.detail, "not in specs/ERRATA.md");
  const item& cosmetic = row(m, item_kind::erratum, "E6");
  EXPECT_FALSE(cosmetic.coverable);
  EXPECT_THAT(cosmetic.reason, HasSubstr("nothing to test"));
  // Rulings in numeric order, the unknown E99 after E64.
  std::vector<std::string> order;
  for (const item& it : m.items)
    if (it.kind == item_kind::erratum) order.push_back(it.key);
  ASSERT_GE(order.size(), 65u);
  EXPECT_EQ(order[0], "E1");
  EXPECT_EQ(order[9], "E10");
  EXPECT_EQ(order.back(), "E99");
}

// ---- regressions ------------------------------------------------------------------------------

TEST(Regressions, ListUncoveredFormsUrcsAndExamplesOnly) {
  const matrix empty = compute_coverage({}, {read_errata()});
  std::size_t expected = protocol::examples().size() + protocol::urcs().size();
  for (const auto& c : protocol::commands()) expected += c.forms.size();
  const std::vector<std::string> all = coverage_regressions(empty);
  EXPECT_EQ(all.size(), expected);
  EXPECT_THAT(all, ::testing::Contains("command form AT+QIRD=? (AN 2.1.5): no scenario"));
  EXPECT_THAT(
      all,
      ::testing::Contains(
          "chapter 4 example AN 4.1.2 (TCP client, buffer access mode: send data): no scenario"));
  EXPECT_THAT(all, ::testing::Contains("URC +QIURC: \"recv\" (AN 2.2.2): no scenario"));

  auto s = make("x", {send("AT+QIRD=?")});
  s.spec = {"AN 4.1.2"};
  const std::vector<std::string> fewer = coverage_regressions(compute_coverage(suite({s})));
  EXPECT_EQ(fewer.size(), expected - 2);
  EXPECT_THAT(fewer, ::testing::Not(::testing::Contains(HasSubstr("AT+QIRD=?"))));
  EXPECT_THAT(fewer, ::testing::Not(::testing::Contains(HasSubstr("AN 4.1.2 "))));
}

// ---- with the loader --------------------------------------------------------------------------

TEST(Matrix, SuiteLoadedFromYaml) {
  const std::string yaml = R"(title: TCP client
spec: [AN 2.1.4]
setup:
  - peer: {tcp_listen: srv}
scenarios:
  - id: tcp.client.send
    title: data sent in data mode reaches the server
    spec: [AN 4.1.2]
    errata: [E15]
    steps:
      - send: AT+QIOPEN=1,0,"TCP","${srv.address}",${srv.port},0,0
      - expect: OK
      - urc: '\+QIOPEN: (?P<cid>\d),0'
      - peer: {accept: srv, as: conn}
      - send: AT+QISEND=${cid},5
      - prompt: true
      - data: "hello"
      - expect: SEND OK
    teardown:
      - send: AT+QICLOSE=0
      - expect: {final: any}
  - id: tcp.client.error
    title: closing a closed socket reports 567
    steps:
      - send: AT+QICLOSE=5
      - expect: ERROR
      - send: AT+QIGETERROR
      - expect: ['+QIGETERROR: 567,socket has been closed', OK]
)";
  const scenario::load_result r = scenario::load_text(yaml, "tcp/client.yaml");
  ASSERT_TRUE(r.ok()) << r.errors.front().to_string();
  const matrix m = compute_coverage({r.file}, {read_errata()});
  EXPECT_EQ(m.scenarios, 2u);
  EXPECT_THAT(m.unplaced, IsEmpty());
  EXPECT_THAT(row(m, item_kind::command_form,
                  "AT+QIOPEN=<contextID>,<connectID>,<service_type>,<IP_address>/<domain_name>,"
                  "<remote_port>[,<local_port>[,<access_mode>[,<protocol_type>]]]")
                  .scenarios,
              ElementsAre("tcp.client.send"));
  EXPECT_THAT(row(m, item_kind::command_form, "AT+QISEND=<connectID>,<send_length>").scenarios,
              ElementsAre("tcp.client.send"));
  EXPECT_THAT(row(m, item_kind::command_form, "AT+QICLOSE=<connectID>").scenarios,
              ElementsAre("tcp.client.error", "tcp.client.send"));
  EXPECT_THAT(row(m, item_kind::urc, "QIOPEN").scenarios, ElementsAre("tcp.client.send"));
  EXPECT_THAT(row(m, item_kind::error_code, "567").scenarios, ElementsAre("tcp.client.error"));
  EXPECT_THAT(row(m, item_kind::example, "AN 4.1.2").scenarios, ElementsAre("tcp.client.send"));
  EXPECT_THAT(row(m, item_kind::erratum, "E15").scenarios, ElementsAre("tcp.client.send"));
}

TEST(Matrix, SuiteLoadedFromDirectory) {
  std::string name =
      (std::filesystem::temp_directory_path() / "bcconform-coverage-XXXXXX").string();
  ASSERT_NE(::mkdtemp(name.data()), nullptr);
  const std::filesystem::path dir(name);
  std::filesystem::create_directories(dir / "general");
  {
    std::ofstream f(dir / "general" / "at.yaml");
    f << "scenarios:\n  - id: at.basic\n    title: AT answers OK\n    spec: [AN 4.8]\n"
         "    steps:\n      - send: AT\n      - expect: OK\n";
  }
  const scenario::load_set_result r = scenario::load_paths({dir.string()});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r.ok()) << r.errors.front().to_string();
  const matrix m = compute_coverage(r.files);
  EXPECT_EQ(m.files, 1u);
  EXPECT_THAT(row(m, item_kind::command_form, "AT").scenarios, ElementsAre("at.basic"));
  EXPECT_THAT(row(m, item_kind::example, "AN 4.8").scenarios, ElementsAre("at.basic"));
}

}  // namespace
}  // namespace bcconform::coverage
