// `bcconform decode --transcript`: both sides of a conversation replayed, so the context the
// module's bytes need comes from the host's commands; malformed files are refused with
// FILE:LINE:COL and exit 4, never skipped.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace bcconform::cli::testing {
namespace {

using nlohmann::json;

// AN 4.1.3: buffer access mode; the read payload is attributed to the socket named in the
// AT+QIRD the host sent, which only the host side of the transcript says.
constexpr const char* an_4_1_3_read = R"(# bcconform-transcript 1
- # AN 4.1.3
0.000000 < \r\n+QIURC: "recv",0\r\n
0.100000 > AT+QIRD=0,512\r
0.118320 < AT+QIRD=0,512\r\r\n+QIRD: 10\r\n1234567890\r\n\r\nOK\r\n
)";

const char* const an_4_1_3_events[] = {
    R"({"offset":2,"kind":"urc","name":"recv","text":"+QIURC: \"recv\",0",
        "fields":{"connect_id":0,"length":null,"buff_full":false}})",
    R"({"offset":20,"kind":"echo","text":"AT+QIRD=0,512"})",
    R"({"offset":36,"kind":"info","name":"QIRD","text":"+QIRD: 10",
        "fields":{"read_length":10,"remaining":null}})",
    R"({"offset":47,"kind":"data","hex":"31323334353637383930","format":"text","connect_id":0,
        "length":10})",
    R"({"offset":61,"kind":"final","name":"OK","text":"OK"})",
};

void expect_an_4_1_3(const cli_result& r) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), std::size(an_4_1_3_events)) << r.out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(json::parse(lines[i]), json::parse(an_4_1_3_events[i])) << "event " << i;
  }
}

TEST(decode_transcript, from_a_file) {
  const std::string path = make_temp_dir() + "/an_4_1_3.bctr";
  write_file(path, an_4_1_3_read);
  expect_an_4_1_3(run_cli({"decode", "--transcript", path}));
}

TEST(decode_transcript, from_standard_input) {
  expect_an_4_1_3(run_cli({"decode", "--transcript", "-"}, an_4_1_3_read));
}

// Record boundaries mean nothing: the module's answer split mid-line gives the same events.
TEST(decode_transcript, record_boundaries_do_not_matter) {
  const std::string split = R"(0.000000 < \r\n+QIURC: "re
0.000001 < cv",0\r\n
> AT+QIRD=0,512\r
< AT+QIRD=0,512\r\r\n+QI
< RD: 10\r\n12345
- < 67890\r\n\r\nOK\r\n
)";
  expect_an_4_1_3(run_cli({"decode", "--transcript", "-"}, split));
}

struct malformed_case {
  const char* name;
  std::string transcript;
  int line;
  int column;
  const char* message;
};

std::ostream& operator<<(std::ostream& os, const malformed_case& c) {
  return os << c.name;
}

const malformed_case malformed_cases[] = {
    {"bad_hex_escape", "# bcconform-transcript 1\n0.1 > AT\\r\n0.2 < \\r\\n+QIOPEN: 0,0\\x4\n", 3,
     23, "\\x needs two hex digits"},
    {"unknown_direction", "# bcconform-transcript 1\n0.1 ? AT\\r\n", 2, 5,
     "expected a direction '>', '<' or '#'"},
    {"raw_control_byte", "0.1 < OK\r\n", 1, 9, "raw byte 0x0D must be escaped"},
    {"unsupported_version", "# bcconform-transcript 2\n0.1 < \\r\\nOK\\r\\n\n", 1, 24,
     "unsupported transcript version"},
};

class malformed_test : public ::testing::TestWithParam<malformed_case> {};

TEST_P(malformed_test, is_refused_with_file_line_column) {
  const malformed_case& c = GetParam();
  const std::string path = make_temp_dir() + "/bad.bctr";
  write_file(path, c.transcript);
  const cli_result r = run_cli({"decode", "--transcript", path});
  EXPECT_EQ(r.exit_code, 4);
  const std::string expected = path + ":" + std::to_string(c.line) + ":" +
                               std::to_string(c.column) + ": " + c.message + "\n";
  EXPECT_EQ(r.err, expected);
}

INSTANTIATE_TEST_SUITE_P(files, malformed_test, ::testing::ValuesIn(malformed_cases),
                         [](const auto& tc) { return std::string(tc.param.name); });

TEST(decode_transcript, error_on_standard_input_names_it) {
  const cli_result r = run_cli({"decode", "--transcript"}, "0.1 < \\q\n");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_TRUE(r.err.starts_with("<stdin>:1:7: ")) << r.err;
}

// The chapter-4 transcripts decode through the executable exactly as the golden replay of the
// protocol tests expects: the CLI adds no framing of its own.
std::vector<std::string> corpus_transcripts() {
  namespace fs = std::filesystem;
  std::vector<std::string> stems;
  for (const auto& entry :
       fs::directory_iterator(fs::path(BCCONFORM_SOURCE_DIR) / "corpus" / "transcripts")) {
    if (entry.path().extension() == ".bctr") stems.push_back(entry.path().stem().string());
  }
  std::sort(stems.begin(), stems.end());
  return stems;
}

class corpus_test : public ::testing::TestWithParam<std::string> {};

TEST_P(corpus_test, log_format_matches_the_golden_event_log) {
  const std::string source = BCCONFORM_SOURCE_DIR;
  const std::string transcript = source + "/corpus/transcripts/" + GetParam() + ".bctr";
  const std::string golden = source + "/harness/tests/protocol/golden/" + GetParam() + ".events";
  const cli_result r = run_cli({"decode", "--format", "log", "--transcript", transcript});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(golden));
}

INSTANTIATE_TEST_SUITE_P(chapter_4, corpus_test, ::testing::ValuesIn(corpus_transcripts()),
                         [](const auto& tc) { return tc.param; });

TEST(decode_transcript, missing_file_is_an_io_error) {
  const cli_result r = run_cli({"decode", "--transcript", "/nonexistent/session.bctr"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent/session.bctr"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace bcconform::cli::testing
