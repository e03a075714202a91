// `bcconform decode` end to end: the real executable, fed the note's own examples, its JSON
// Lines parsed back and compared object by object.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace bcconform::cli::testing {
namespace {

using nlohmann::json;

struct decode_case {
  const char* name;
  std::vector<std::string> args;      // after `decode`, before the input
  std::string input;                  // module-to-host bytes
  std::vector<const char*> expected;  // one JSON object per output line
};

std::ostream& operator<<(std::ostream& os, const decode_case& c) {
  return os << c.name;
}

const decode_case decode_cases[] = {
    {"final_ok",  // AN 4.1.1
     {},
     "\r\nOK\r\n",
     {R"({"offset":2,"kind":"final","name":"OK","text":"OK"})"}},
    {"qiopen_urc",  // AN 4.1.1: the connection succeeded
     {},
     "\r\n+QIOPEN: 0,0\r\n",
     {R"({"offset":2,"kind":"urc","name":"QIOPEN","text":"+QIOPEN: 0,0",
          "fields":{"connect_id":0,"err":0}})"}},
    {"buffer_mode_recv_urc",  // AN 4.1.3: data waits in the buffer
     {},
     "\r\n+QIURC: \"recv\",0\r\n",
     {R"({"offset":2,"kind":"urc","name":"recv","text":"+QIURC: \"recv\",0",
          "fields":{"connect_id":0,"length":null,"buff_full":false}})"}},
    {"direct_push_payload",  // AN 4.2.3: header line, then exactly 5 payload bytes
     {"--push", "0"},
     "\r\n+QIURC: \"recv\",0,5\r\n12345\r\n",
     {R"({"offset":2,"kind":"urc","name":"recv","text":"+QIURC: \"recv\",0,5",
          "fields":{"connect_id":0,"length":5,"buff_full":false}})",
      R"({"offset":22,"kind":"data","hex":"3132333435","format":"text","connect_id":0,
          "length":5})"}},
    {"direct_push_viewmode_1",  // AN 4.2.3 after AT+QICFG="viewmode",1: header,data inline;
                                // the length is there because showlength is on (AN 2.1.11)
     {"--push", "0", "--viewmode", "1", "--showlength", "1"},
     "\r\n+QIURC: \"recv\",0,12,012345678901\r\n",
     {R"({"offset":2,"kind":"urc","name":"recv","text":"+QIURC: \"recv\",0,12",
          "fields":{"connect_id":0,"length":12,"buff_full":false}})",
      R"({"offset":22,"kind":"data","hex":"303132333435363738393031","format":"text",
          "connect_id":0,"length":12})"}},
    {"direct_push_hex_format",  // AN 2.1.11 dataformat 1: 2 bytes arrive as 4 hex digits
     {"--push", "0", "--recv-format", "hex"},
     "\r\n+QIURC: \"recv\",0,2\r\n3A4b\r\n",
     {R"({"offset":2,"kind":"urc","name":"recv","text":"+QIURC: \"recv\",0,2",
          "fields":{"connect_id":0,"length":2,"buff_full":false}})",
      R"({"offset":22,"kind":"data","hex":"3a4b","format":"hex","connect_id":0,"length":2})"}},
    {"not_utf8_gives_hex",
     {},
     "\r\n\xff\xfe"
     "AT\r\n",
     {R"({"offset":2,"kind":"noise","hex":"fffe4154"})"}},
    {"surrogate_is_not_utf8",  // U+D800 encoded: well-formed-looking, still invalid
     {},
     "\r\n\xed\xa0\x80\r\n",
     {R"({"offset":2,"kind":"noise","hex":"eda080"})"}},
    {"valid_utf8_gives_text",
     {},
     "\r\nr\xc3\xa9sum\xc3\xa9\r\n",
     {R"({"offset":2,"kind":"noise","text":"résumé"})"}},
    {"overlong_line",  // the limit is configuration; the line is reported, not dropped
     {"--max-line", "8"},
     "\r\n+QIURC: \"closed\",0\r\n",
     {R"({"offset":2,"kind":"overflow","length":18})"}},
    {"truncated_at_end_of_input",  // finish() reports the unterminated line
     {},
     "\r\nOK",
     {R"({"offset":2,"kind":"noise","text":"OK","diag":"truncated"})"}},
};

class decode_test : public ::testing::TestWithParam<decode_case> {};

void expect_events(const cli_result& r, const decode_case& c) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), c.expected.size()) << r.out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(json::parse(lines[i]), json::parse(c.expected[i])) << "event " << i;
  }
}

TEST_P(decode_test, from_standard_input) {
  const decode_case& c = GetParam();
  std::vector<std::string> args{"decode"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  args.push_back("-");
  expect_events(run_cli(args, c.input), c);
}

TEST_P(decode_test, from_a_file) {
  const decode_case& c = GetParam();
  const std::string path = make_temp_dir() + "/input.bin";
  write_file(path, c.input);
  std::vector<std::string> args{"decode"};
  args.insert(args.end(), c.args.begin(), c.args.end());
  args.push_back(path);
  expect_events(run_cli(args), c);
}

INSTANTIATE_TEST_SUITE_P(an_examples, decode_test, ::testing::ValuesIn(decode_cases),
                         [](const auto& tc) { return std::string(tc.param.name); });

TEST(decode, no_file_argument_reads_standard_input) {
  const cli_result r = run_cli({"decode"}, "\r\nOK\r\n");
  EXPECT_EQ(r.exit_code, 0);
  ASSERT_EQ(lines_of(r.out).size(), 1u);
  EXPECT_EQ(json::parse(r.out)["kind"], "final");
}

TEST(decode, log_format_is_the_event_log) {
  const cli_result r = run_cli({"decode", "--format", "log"}, "\r\nOK\r\n");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "2 final OK \"OK\"\n");
}

// More than one 64 KiB read: offsets keep counting across chunk boundaries.
TEST(decode, input_larger_than_a_chunk_streams) {
  constexpr std::size_t count = 20000;  // 120000 bytes
  std::string input;
  for (std::size_t i = 0; i < count; ++i) input += "\r\nOK\r\n";
  const cli_result r = run_cli({"decode"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), count);
  for (std::size_t i = 0; i < count; i += 997) {
    EXPECT_EQ(json::parse(lines[i])["offset"], 6 * i + 2) << "event " << i;
  }
  EXPECT_EQ(json::parse(lines.back())["offset"], 6 * (count - 1) + 2);
}

TEST(decode, missing_file_is_an_io_error) {
  const cli_result r = run_cli({"decode", "/nonexistent/bcconform/capture.bin"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("/nonexistent/bcconform/capture.bin"), std::string::npos) << r.err;
}

TEST(decode, unreadable_input_is_an_io_error) {
  const cli_result r = run_cli({"decode", make_temp_dir()});  // a directory cannot be read
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
}

TEST(decode, failed_write_is_an_io_error) {
  const cli_result r = run_cli({"decode"}, "\r\nOK\r\n", "/dev/full");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot write standard output"), std::string::npos) << r.err;
}

struct usage_case {
  const char* name;
  std::vector<std::string> args;
};

std::ostream& operator<<(std::ostream& os, const usage_case& c) {
  return os << c.name;
}

const usage_case usage_cases[] = {
    {"viewmode_out_of_range", {"decode", "--viewmode", "2"}},
    {"showlength_out_of_range", {"decode", "--showlength", "-1"}},
    {"connect_id_out_of_range", {"decode", "--push", "0,6"}},  // AN 2.1.1: 0-5
    {"unknown_recv_format", {"decode", "--recv-format", "base64"}},
    {"unknown_echo_value", {"decode", "--echo", "maybe"}},
    {"zero_max_line", {"decode", "--max-line", "0"}},
    {"unknown_format", {"decode", "--format", "xml"}},
    {"unknown_option", {"decode", "--frobnicate"}},
    {"two_inputs", {"decode", "a.bin", "b.bin"}},
};

class usage_test : public ::testing::TestWithParam<usage_case> {};

TEST_P(usage_test, exits_4_with_a_message) {
  const cli_result r = run_cli(GetParam().args, "\r\nOK\r\n");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err, "");
}

INSTANTIATE_TEST_SUITE_P(bad_options, usage_test, ::testing::ValuesIn(usage_cases),
                         [](const auto& tc) { return std::string(tc.param.name); });

TEST(decode, accepted_option_values) {
  const cli_result r =
      run_cli({"decode", "--push", "1,5", "--viewmode", "0", "--showlength", "1", "--echo", "off",
               "--recv-format", "text", "--max-line", "64", "--format", "jsonl", "-"},
              "\r\nOK\r\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 1u);
}

}  // namespace
}  // namespace bcconform::cli::testing
