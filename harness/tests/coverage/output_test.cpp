// to_text(), to_markdown(), to_json(): the same matrix in three media, hostile scenario text
// escaped in each, the same bytes for the same input.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "bcconform/coverage/coverage.hpp"

namespace bcconform::coverage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An id no loader would accept, as an in-memory suite or a later loader change could carry:
// Markdown and HTML metacharacters, a table separator, a newline, an escape sequence.
const std::string hostile_id = "x|y *z* [l](http://e.example) <b>\n\x1b[31m_";

std::vector<scenario::suite_file> suite() {
  scenario::scenario s;
  s.id = hostile_id;
  s.title = "t";
  s.spec = {"AN 4.1.2"};
  s.steps.push_back({scenario::send_step{{"AT+QIRD=?"}}, {"a.yaml", 3, 7}, ""});
  s.steps.push_back({scenario::send_step{{"AT+NOPE|\x07"}}, {"a.yaml", 4, 7}, ""});
  scenario::suite_file f;
  f.path = "a.yaml";
  f.scenarios.push_back(s);
  return {f};
}

TEST(Output, TextShowsControlBytesVisibly) {
  const std::string text = to_text(compute_coverage(suite()));
  EXPECT_THAT(text, HasSubstr("Spec coverage of 1 scenario in 1 file\n"));
  EXPECT_THAT(text, HasSubstr("  [x] AT+QIRD=?"));
  EXPECT_THAT(text, HasSubstr("x|y *z* [l](http://e.example) <b>\\x0a\\x1b[31m_"));
  EXPECT_THAT(text, HasSubstr("a.yaml:4:7: "));
  EXPECT_THAT(text, HasSubstr("AT+NOPE|\\x07: bad extended command name"));
  EXPECT_THAT(text, HasSubstr("Command forms: 1 of "));
  EXPECT_THAT(text, HasSubstr("Error codes 550-574: 0 of 14 covered, 11 not coverable"));
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_TRUE(c == '\n' || (u >= 0x20 && u != 0x7f)) << static_cast<int>(u);
  }
}

TEST(Output, MarkdownEscapesScenarioText) {
  const std::string md = to_markdown(compute_coverage(suite()));
  const std::string escaped =
      "x\\|y \\*z\\* \\[l\\](http\\://e.example) \\<b\\>\\\\x0a\\\\x1b\\[31m\\_";
  EXPECT_THAT(md, HasSubstr(escaped));
  EXPECT_THAT(md, Not(HasSubstr("<b>")));
  EXPECT_THAT(md, Not(HasSubstr("[l](")));
  EXPECT_THAT(md, HasSubstr("| yes | AT+QIRD=? | AN 2.1.5 | test | " + escaped + " |\n"));
  EXPECT_THAT(md, HasSubstr("## Lines not placed"));
  // Every table row has the same number of unescaped cell separators as its header.
  std::size_t start = 0;
  while (start < md.size()) {
    const std::size_t end = md.find('\n', start);
    const std::string line = md.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("|")) continue;
    std::size_t bars = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] == '|') ++bars;
    }
    EXPECT_TRUE(bars == 6 || bars == 5) << line;
  }
}

TEST(Output, JsonHasTheMatrix) {
  const matrix m = compute_coverage(suite());
  const auto doc = nlohmann::json::parse(to_json(m));
  EXPECT_EQ(doc["format"], "bcconform-coverage");
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["scenarios"], 1);
  EXPECT_EQ(doc["items"].size(), m.items.size());
  EXPECT_EQ(doc["totals"]["command_form"]["covered"], 1);
  EXPECT_EQ(doc["totals"]["example"]["covered"], 1);
  EXPECT_EQ(doc["totals"]["error_code"]["not_coverable"], 11);
  bool found = false;
  for (const auto& it : doc["items"]) {
    if (it["key"] != "AT+QIRD=?") continue;
    found = true;
    EXPECT_EQ(it["kind"], "command_form");
    EXPECT_EQ(it["section"], "AN 2.1.5");
    EXPECT_EQ(it["covered"], true);
    EXPECT_EQ(it["scenarios"], nlohmann::json::array({hostile_id}));
  }
  EXPECT_TRUE(found);
  ASSERT_EQ(doc["unplaced"].size(), 1u);
  EXPECT_EQ(doc["unplaced"][0]["line"], 4);
  EXPECT_EQ(doc["unplaced"][0]["text"], "AT+NOPE|\x07");
}

TEST(Output, InvalidUtf8DoesNotThrow) {
  auto s = suite();
  s[0].scenarios[0].id = "bad\xff\xfe";
  const matrix m = compute_coverage(s);
  std::string json;
  EXPECT_NO_THROW(json = to_json(m));
  EXPECT_NO_THROW(EXPECT_TRUE(nlohmann::json::parse(json).is_object()));
}

TEST(Output, SameInputSameBytes) {
  const matrix a = compute_coverage(suite());
  const matrix b = compute_coverage(suite());
  EXPECT_EQ(to_text(a), to_text(b));
  EXPECT_EQ(to_markdown(a), to_markdown(b));
  EXPECT_EQ(to_json(a), to_json(b));
}

}  // namespace
}  // namespace bcconform::coverage
