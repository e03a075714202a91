// parse_errata(): the repository's specs/ERRATA.md read back, and the parser's tolerance of
// text that is not quite in shape.
#include "bcconform/coverage/errata.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "bcconform/protocol/command_table.hpp"

namespace bcconform::coverage {
namespace {

std::string read_errata() {
  std::ifstream in(std::string(BCCONFORM_SOURCE_DIR) + "/specs/ERRATA.md");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Errata, TheRepositoryFileHasEveryRulingInOrder) {
  const errata_document doc = parse_errata(read_errata());
  ASSERT_GE(doc.rulings.size(), 64u);
  for (std::size_t i = 0; i < doc.rulings.size(); ++i) {
    EXPECT_EQ(doc.rulings[i].number, static_cast<int>(i + 1));
    EXPECT_EQ(doc.rulings[i].id, "E" + std::to_string(i + 1));
    EXPECT_FALSE(doc.rulings[i].title.empty()) << doc.rulings[i].id;
  }
  EXPECT_EQ(doc.rulings[11].title, "QISEND variable-length data mode has no stated maximum");
  EXPECT_EQ(doc.rulings[12].ruling.substr(0, 25), "knob; BC25 default: `ERRO");
}

TEST(Errata, RulingsWithNothingToDecide) {
  const errata_document doc = parse_errata(read_errata());
  ASSERT_NE(doc.find("E6"), nullptr);
  EXPECT_TRUE(doc.find("E6")->nothing_to_test());   // duplicated word
  EXPECT_TRUE(doc.find("E10")->nothing_to_test());  // wording
  EXPECT_FALSE(doc.find("E12")->nothing_to_test());
  EXPECT_FALSE(doc.find("E1")->nothing_to_test());  // a naming ruling, still a ruling
}

// The table must agree with the command table's `provokable` flags (ERRATA.md says a test
// checks it; this one checks what the coverage matrix relies on).
TEST(Errata, UnprovokableTableAgreesWithTheCommandTable) {
  const errata_document doc = parse_errata(read_errata());
  ASSERT_EQ(doc.unprovokable.size(), 11u);
  for (const protocol::error_code_spec& e : protocol::error_codes()) {
    const unprovokable_code* row = doc.find_unprovokable(e.code);
    EXPECT_EQ(row == nullptr, e.provokable) << e.code;
    if (row != nullptr) {
      EXPECT_EQ(row->description, e.description) << e.code;
      EXPECT_FALSE(row->reason.empty()) << e.code;
    }
  }
  EXPECT_EQ(doc.find_unprovokable(553)->reason,
            "module memory exhaustion; no command controls the heap");
}

TEST(Errata, FindAcceptsSpellingsOfAnId) {
  const errata_document doc = parse_errata("## E7 Seven\n- **Ruling**: x\n## E12 Twelve\n");
  ASSERT_EQ(doc.rulings.size(), 2u);
  for (const char* id : {"E12", "e12", "E012", " E12 "}) {
    ASSERT_NE(doc.find(id), nullptr) << id;
    EXPECT_EQ(doc.find(id)->title, "Twelve");
  }
  EXPECT_EQ(doc.find("E13"), nullptr);
  EXPECT_EQ(doc.find("12"), nullptr);
  EXPECT_EQ(doc.find(""), nullptr);
}

struct id_case {
  const char* text;
  const char* normalized;
};

class NormalizeId : public ::testing::TestWithParam<id_case> {};

TEST_P(NormalizeId, Table) {
  EXPECT_EQ(normalize_erratum_id(GetParam().text), GetParam().normalized);
}

INSTANTIATE_TEST_SUITE_P(Errata, NormalizeId,
                         ::testing::Values(id_case{"E1", "E1"}, id_case{"e64", "E64"},
                                           id_case{"E007", "E7"}, id_case{"  E5\t", "E5"},
                                           id_case{"E", ""}, id_case{"E1a", ""}, id_case{"X1", ""},
                                           id_case{"E-1", ""}, id_case{"E1234567890", ""},
                                           id_case{"", ""}));

TEST(Errata, OddTextIsSkippedNotRefused) {
  const std::string text =
      "## E\n## Ex Title\n## E5Title\n##E6 no space\n- **Ruling**: orphan\n"
      "## E9999999999 too large\n| 550 | a | b |\n## E3 Three\r\n- **Ruling**:\r\n"
      "## Error codes the AT interface cannot provoke\n| Code | Description | Why |\n"
      "|---|---|---|\n| 551 | Blocked | stack |\n| x | y | z |\n| 552 | short |\n";
  const errata_document doc = parse_errata(text);
  ASSERT_EQ(doc.rulings.size(), 1u);
  EXPECT_EQ(doc.rulings[0].id, "E3");
  EXPECT_EQ(doc.rulings[0].title, "Three");
  EXPECT_EQ(doc.rulings[0].ruling, "");
  ASSERT_EQ(doc.unprovokable.size(), 1u);  // 550 is outside the section, 552 lacks a column
  EXPECT_EQ(doc.unprovokable[0].code, 551);
  EXPECT_EQ(doc.unprovokable[0].reason, "stack");
}

TEST(Errata, EmptyAndBinaryInput) {
  EXPECT_TRUE(parse_errata("").rulings.empty());
  std::string junk;
  for (int i = 0; i < 512; ++i) junk += static_cast<char>(i * 37);
  junk += "\n## E2 \xff\xfe\n";
  const errata_document doc = parse_errata(junk);
  ASSERT_EQ(doc.rulings.size(), 1u);
  EXPECT_EQ(doc.rulings[0].title, "\xff\xfe");
}

}  // namespace
}  // namespace bcconform::coverage
