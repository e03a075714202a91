// The conformance suite itself (specs/) as the README's main command runs it: every case passes
// against bcemu on both profiles (a case may be not_applicable only through `requires`), and the
// same files give the same verdicts over the serial transport against `bcemu --pty`, which is one
// process for the whole run like a real module: there only the cases' teardowns keep them
// independent, so a case that leaves state behind shows up here.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_cli.hpp"
#include "run_support.hpp"

namespace bcconform::cli::testing {
namespace {

using verdict_map = std::map<std::string, std::string>;

const std::string specs = std::string(BCCONFORM_SOURCE_DIR) + "/specs";

struct suite_run : ::testing::Test {
  std::string dir = make_temp_dir();
  ~suite_run() override { std::filesystem::remove_all(dir); }

  cli_result run(const std::string& reports, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run", "--report-dir", reports};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(specs);
    return run_cli(args);
  }
};

// The verdicts that are not pass, for a readable failure message.
std::string not_passing(const verdict_map& v) {
  std::string out;
  for (const auto& [id, verdict] : v) {
    if (verdict != "pass") out += id + ": " + verdict + "\n";
  }
  return out;
}

class suite_on_model : public suite_run, public ::testing::WithParamInterface<const char*> {};

TEST_P(suite_on_model, passes_against_bcemu) {
  const std::string reports = dir + "/reports";
  const cli_result r = run(reports, {"--model", GetParam()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const verdict_map v = verdicts(reports + "/results.json");
  EXPECT_GT(v.size(), 30u);
  for (const auto& [id, verdict] : v) {
    EXPECT_TRUE(verdict == "pass" || verdict == "not_applicable") << id << ": " << verdict << "\n"
                                                                  << r.out;
  }
  EXPECT_EQ(junit_problems(reports + "/junit.xml"), "");
}

INSTANTIATE_TEST_SUITE_P(models, suite_on_model, ::testing::Values("BC25", "BC32"));

TEST_F(suite_run, a_pty_gives_the_verdicts_of_the_default_target) {
  const cli_result fresh = run(dir + "/default", {"--model", "BC25"});
  ASSERT_EQ(fresh.exit_code, 0) << fresh.out << fresh.err;
  const verdict_map expected = verdicts(dir + "/default/results.json");

  const std::string emulator_dir = dir + "/emulator", control = dir + "/control.sock";
  std::filesystem::create_directories(emulator_dir);
  std::unique_ptr<background> emu;
  const std::string pty =
      start_bcemu(emu, emulator_dir, control, {"--pty", "--model", "BC25"}, "pty: ");
  ASSERT_FALSE(pty.empty());
  // What the default target derives from bcemu's BC25 profile, stated as a lab would.
  const cli_result serial =
      run(dir + "/pty", {"--target", "pty:" + pty, "--control", control, "--time-scale", "0.01",
                         "--model", "BC25", "--capability", "network", "--capability", "deep-sleep",
                         "--capability", "control-channel", "--capability", "no-udp-service"});
  const verdict_map got = verdicts(dir + "/pty/results.json");
  EXPECT_EQ(got, expected) << "over the pty:\n" << not_passing(got) << serial.out << serial.err;
  EXPECT_EQ(serial.exit_code, 0) << serial.out << serial.err;
}

}  // namespace
}  // namespace bcconform::cli::testing
