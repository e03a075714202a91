// The repository's own suite (specs/) against the command table: every worked example of
// chapter 4 keeps a scenario, and nothing listed in specs/coverage-floor.txt (the command
// forms, URCs and error codes the suite covered when the file was last updated) loses its last
// scenario. A scenario that covers something new is welcome; add its line to the floor so the
// gain cannot be lost silently (this test prints the lines to add).
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "bcconform/coverage/coverage.hpp"
#include "bcconform/scenario/loader.hpp"

namespace bcconform::coverage {
namespace {

const std::string source_dir = BCCONFORM_SOURCE_DIR;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string line_of(const item& i) {
  return std::string(to_string(i.kind)) + " " + i.key;
}

class Suite : public ::testing::Test {
 protected:
  void SetUp() override {
    scenario::load_options o;
    o.defined = scenario::builtin_variables();
    auto loaded = scenario::load_paths({source_dir + "/specs"}, o);
    for (const auto& e : loaded.errors) ADD_FAILURE() << e.to_string();
    coverage_options c;
    c.errata_markdown = read(source_dir + "/specs/ERRATA.md");
    m_ = compute_coverage(loaded.files, c);
  }
  matrix m_;
};

TEST_F(Suite, EveryChapter4ExampleHasAScenario) {
  for (const auto& i : m_.items) {
    if (i.kind == item_kind::example) {
      EXPECT_TRUE(i.covered()) << i.key << " " << i.detail;
    }
  }
}

TEST_F(Suite, NothingOnTheFloorLosesItsLastScenario) {
  std::set<std::string> covered;
  for (const auto& i : m_.items) {
    if (i.covered()) covered.insert(line_of(i));
  }
  std::istringstream floor(read(source_dir + "/specs/coverage-floor.txt"));
  std::set<std::string> listed;
  for (std::string line; std::getline(floor, line);) {
    if (line.empty() || line[0] == '#') continue;
    listed.insert(line);
    EXPECT_TRUE(covered.count(line)) << "no scenario covers it any more: " << line;
  }
  EXPECT_GT(listed.size(), 19u) << "the floor lists the examples and more";
  for (const auto& c : covered) {
    if (!listed.count(c)) std::cout << "covered, not yet on the floor: " << c << "\n";
  }
}

// A line the table cannot place is a mistake unless the scenario sends it on purpose and
// expects it refused (a boundary case); those must still be there (the suite has them).
TEST_F(Suite, EverySendLineIsPlacedOrExpectedRefused) {
  std::size_t refused = 0;
  for (const auto& u : m_.unplaced) {
    if (u.expected_refused) {
      ++refused;
      continue;
    }
    ADD_FAILURE() << u.pos.to_string() << ": " << u.text << ": " << u.why;
  }
  EXPECT_GT(refused, 10u);
}

}  // namespace
}  // namespace bcconform::coverage
