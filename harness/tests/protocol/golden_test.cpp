// Golden event logs: every transcript (.bctr) under corpus/transcripts/ and
// harness/tests/protocol/golden/ is replayed through session_tracker + stream_parser and must
// give exactly its .events file (describe() lines, event_log.hpp), whole, split at every offset
// of the module-side stream and in every chunk size 1..16, with the span invariant holding.
//
// The chapter-4 transcripts (corpus/transcripts/an_4_*.bctr) follow the note's worked examples
// (AN 4.1.1-4.8); their expected logs live in harness/tests/protocol/golden/. The other pairs in
// golden/ cover the module side of the chapter-2 formats.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bcconform/protocol/transcript.hpp"
#include "replay_support.hpp"

namespace bcconform::protocol::test {
namespace {

namespace fs = std::filesystem;

const fs::path source_dir{BCCONFORM_SOURCE_DIR};
const fs::path transcripts_dir = source_dir / "corpus" / "transcripts";
const fs::path golden_dir = source_dir / "harness" / "tests" / "protocol" / "golden";

struct golden_pair {
  std::string name;
  fs::path transcript;
  fs::path events;
};

std::vector<golden_pair> find_pairs() {
  std::vector<golden_pair> out;
  for (const fs::path& dir : {transcripts_dir, golden_dir}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() != ".bctr") continue;
      const std::string stem = entry.path().stem().string();
      out.push_back({stem, entry.path(), golden_dir / (stem + ".events")});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const golden_pair& a, const golden_pair& b) { return a.name < b.name; });
  return out;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads a transcript into a conversation; notes are skipped. Fails the test on a bad line.
conversation load_transcript(const fs::path& p) {
  conversation c;
  std::istringstream in(read_file(p));
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    // A later version of the format must not be misread as this one (transcript.md).
    if (number == 1 && line.rfind("# bcconform-transcript ", 0) == 0 && line != transcript_header) {
      ADD_FAILURE() << p.string() << ":1: unknown transcript version: " << line;
      return {};
    }
    auto r = parse_transcript_line(line);
    if (!r) {
      ADD_FAILURE() << p.string() << ":" << number << ": " << r.error().detail;
      continue;
    }
    if (r->dir == direction::to_module) c.steps.push_back(host(std::move(r->bytes)));
    if (r->dir == direction::from_module) c.steps.push_back(module(std::move(r->bytes)));
  }
  return c;
}

void PrintTo(const golden_pair& g, std::ostream* os) {
  *os << g.name;
}

class golden_test : public testing::TestWithParam<golden_pair> {};

TEST_P(golden_test, replays_to_the_expected_log_in_every_chunking) {
  const golden_pair& g = GetParam();
  ASSERT_TRUE(fs::exists(g.events)) << "no expected log " << g.events.string();
  const conversation c = load_transcript(g.transcript);
  ASSERT_FALSE(c.steps.empty()) << g.transcript.string() << " has no records";
  const std::string expected = read_file(g.events);
  ASSERT_FALSE(expected.empty()) << g.events.string() << " is empty";
  expect_log_in_every_chunking(c, expected);
}

std::string test_name(const testing::TestParamInfo<golden_pair>& info) {
  std::string s = info.param.name;
  std::replace_if(
      s.begin(), s.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); },
      '_');
  return s;
}

INSTANTIATE_TEST_SUITE_P(pairs, golden_test, testing::ValuesIn(find_pairs()), test_name);

// Every worked example of the note's chapter 4 has its transcript, and no expected log is left
// without a transcript (a renamed file would otherwise silently drop out of the suite).
TEST(golden_files, every_chapter_4_example_has_a_transcript) {
  const std::vector<std::string> sections = {
      "4_1_1", "4_1_2", "4_1_3", "4_1_4", "4_2_1", "4_2_2", "4_2_3", "4_2_4", "4_3_1", "4_3_2",
      "4_3_3", "4_3_4", "4_4",   "4_5_1", "4_5_2", "4_5_3", "4_6",   "4_7",   "4_8"};
  const auto pairs = find_pairs();
  for (const std::string& s : sections) {
    const std::string prefix = "an_" + s + "_";
    const bool found = std::any_of(pairs.begin(), pairs.end(), [&](const golden_pair& g) {
      return g.name.rfind(prefix, 0) == 0 && g.transcript.parent_path() == transcripts_dir;
    });
    EXPECT_TRUE(found) << "no corpus/transcripts/" << prefix << "<slug>.bctr";
  }
}

TEST(golden_files, every_expected_log_has_a_transcript) {
  const auto pairs = find_pairs();
  ASSERT_TRUE(fs::is_directory(golden_dir));
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    if (entry.path().extension() != ".events") continue;
    const std::string stem = entry.path().stem().string();
    const bool found = std::any_of(pairs.begin(), pairs.end(),
                                   [&](const golden_pair& g) { return g.name == stem; });
    EXPECT_TRUE(found) << entry.path().string() << " has no .bctr";
  }
}

TEST(golden_files, transcripts_start_with_the_header_line) {
  for (const golden_pair& g : find_pairs()) {
    const std::string text = read_file(g.transcript);
    EXPECT_EQ(text.substr(0, transcript_header.size()), transcript_header) << g.transcript.string();
  }
}

}  // namespace
}  // namespace bcconform::protocol::test
