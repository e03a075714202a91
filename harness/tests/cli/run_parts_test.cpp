// The OS-facing parts of `bcconform run`, called directly: lab hooks as shell command lines with
// a deadline, and the results and baseline files read back.
#include <chrono>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "hook_process.hpp"
#include "results_file.hpp"
#include "run_cli.hpp"

namespace bcconform::cli::testing {
namespace {

using namespace std::chrono_literals;
using runner::verdict;

TEST(cli_hook, success_and_output) {
  const hook_outcome r = run_hook_command("echo one; echo two >&2", 10s);
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.output, "one\ntwo\n");
}

TEST(cli_hook, failure_names_the_exit_status) {
  const hook_outcome r = run_hook_command("echo no relay; exit 7", 10s);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "exit status 7");
  EXPECT_EQ(r.output, "no relay\n");
}

TEST(cli_hook, a_signal_is_named) {
  const hook_outcome r = run_hook_command("kill -9 $$", 10s);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "killed by signal 9");
}

// The deadline ends the hook and whatever it started, even with its output still open.
TEST(cli_hook, the_deadline_kills_the_whole_group) {
  const std::string dir = make_temp_dir();
  const std::string marker = dir + "/late";
  const auto started = std::chrono::steady_clock::now();
  const hook_outcome r =
      run_hook_command("(sleep 30; touch " + marker + ") & echo started; wait", 300ms);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.message, "killed after 300 ms (hook timeout)");
  EXPECT_EQ(r.output, "started\n");
  EXPECT_LT(took, 10s);
  // The background sleep was in the hook's process group: it is gone, so nothing touches the
  // marker; its absence right now is all a test can check without waiting 30 s.
  EXPECT_FALSE(std::filesystem::exists(marker));
  std::filesystem::remove_all(dir);
}

TEST(cli_hook, keeps_only_the_end_of_long_output) {
  const hook_outcome r = run_hook_command("head -c 100000 /dev/zero | tr '\\0' x; echo END", 10s);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.output.size(), 4096u);
  EXPECT_EQ(r.output.substr(r.output.size() - 4), "END\n");
}

struct cli_results_files : ::testing::Test {
  std::string dir = make_temp_dir();
  ~cli_results_files() override { std::filesystem::remove_all(dir); }
  std::string file(const std::string& name, const std::string& text) {
    write_file(dir + "/" + name, text);
    return dir + "/" + name;
  }
};

constexpr const char* results_text = R"({"format": "bcconform-results", "version": 1, "cases": [
  {"id": "a", "verdict": "pass"}, {"id": "b", "verdict": "fail"},
  {"id": "c", "verdict": "inconc"}, {"id": "d", "verdict": "error"},
  {"id": "e", "verdict": "interrupted"}, {"id": "f", "verdict": "not_applicable"},
  {"id": "g", "verdict": "filtered"}, {"id": "b", "verdict": "fail"},
  {"id": "a", "verdict": "error"}]})";

TEST_F(cli_results_files, failed_ids_lists_each_failure_once_in_order) {
  auto ids = failed_ids(file("r.json", results_text));
  ASSERT_TRUE(ids) << ids.error().detail;
  EXPECT_EQ(*ids, (std::vector<std::string>{"b", "c", "d", "e", "a"}));
}

TEST_F(cli_results_files, failed_ids_refuses_other_files) {
  for (const char* text :
       {"", "[]", "{\"format\": \"bcconform-baseline\"}", "{\"format\": \"bcconform-results\"}",
        "{\"format\": \"bcconform-results\", \"cases\": [{\"id\": 1}]}",
        "{\"format\": \"bcconform-results\", \"cases\": [{\"id\": \"x\", "
        "\"verdict\": \"great\"}]}"}) {
    auto ids = failed_ids(file("bad.json", text));
    EXPECT_FALSE(ids) << text;
    if (!ids) {
      EXPECT_EQ(ids.error().detail.rfind(dir + "/bad.json: ", 0), 0u) << ids.error().detail;
    }
  }
  EXPECT_FALSE(failed_ids(dir + "/missing.json"));
}

TEST_F(cli_results_files, a_baseline_file_maps_ids_to_verdicts) {
  auto b = load_baseline(file("b.json", R"({"format": "bcconform-baseline", "version": 1,
    "expected": {"x": "fail", "y": {"verdict": "error", "reason": "E40"}}})"));
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ(b->expected,
            (std::map<std::string, verdict>{{"x", verdict::fail}, {"y", verdict::error}}));
}

TEST_F(cli_results_files, a_results_file_is_a_baseline_of_each_ids_worst_verdict) {
  auto b = load_baseline(file("r.json", results_text));
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ(b->expected.at("a"), verdict::error);
  EXPECT_EQ(b->expected.at("b"), verdict::fail);
  EXPECT_EQ(b->expected.at("g"), verdict::filtered);
}

TEST_F(cli_results_files, bad_baselines_are_refused_with_the_reason) {
  struct bad {
    const char* text;
    const char* reason;
  };
  for (const bad& c : {
           bad{R"({"expected": {}})", "neither a baseline"},
           bad{R"({"format": "bcconform-baseline", "version": 2, "expected": {}})",
               "version is not 1"},
           bad{R"({"format": "bcconform-baseline", "version": 1})", "no \"expected\" object"},
           bad{R"({"format": "bcconform-baseline", "version": 1, "expected": {"x": "meh"}})",
               "\"x\": unknown verdict \"meh\""},
           bad{R"({"format": "bcconform-baseline", "version": 1, "expected": {"x": {}}})",
               "\"x\": no \"verdict\""},
       }) {
    auto b = load_baseline(file("b.json", c.text));
    ASSERT_FALSE(b) << c.text;
    EXPECT_NE(b.error().detail.find(c.reason), std::string::npos) << b.error().detail;
  }
}

TEST(cli_verdict_names, round_trip) {
  for (int i = 0; i <= static_cast<int>(verdict::interrupted); ++i) {
    const auto v = static_cast<verdict>(i);
    EXPECT_EQ(verdict_from_string(runner::to_string(v)), v);
  }
  EXPECT_FALSE(verdict_from_string("PASS"));
}

}  // namespace
}  // namespace bcconform::cli::testing
