// `bcconform fuzz-device` as main.cpp runs it (CLI11 parse, then run_fuzz_device), against the
// real bcemu: the 300-case run of seed 1, reproduction of one case, a module that stops
// answering, and usage errors.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "bcconform/fuzzdev/generator.hpp"
#include "bcconform/protocol/transcript.hpp"
#include "fuzz_device_command.hpp"

namespace bcconform::cli {
namespace {

namespace fs = std::filesystem;

struct outcome {
  int status = -1;
  std::string out;
};

outcome fuzz_device(std::vector<std::string> args) {
  CLI::App app{"bcconform", "bcconform"};
  app.require_subcommand(1);
  fuzz_device_options o;
  add_fuzz_device_command(app, o);
  args.insert(args.begin(), {"bcconform", "fuzz-device"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  outcome r;
  ::testing::internal::CaptureStdout();
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
    r.status = run_fuzz_device(o);
  } catch (const CLI::ParseError& e) {
    r.status = app.exit(e) == 0 ? 0 : 4;
  }
  r.out = ::testing::internal::GetCapturedStdout();
  return r;
}

std::string bcemu_target(const std::string& extra = {}) {
  return std::string("exec:") + BCEMU_PATH + " --stdio --time-scale 0.01 --quiet" + extra;
}

// bcemu's clock runs 100 times faster than real time: so do the documented limits.
const std::vector<std::string> bcemu_args(const std::string& extra = {}) {
  return {"--target", bcemu_target(extra), "--time-scale", "0.01"};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::size_t table_form_count() {
  std::size_t n = 0;
  for (const protocol::command_spec& c : protocol::commands()) n += c.forms.size();
  return n;
}

class FuzzDeviceCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("bcconform-fuzzdev-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const char* name) const { return (dir_ / name).string(); }
  static std::string read(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  fs::path dir_;
};

// The 300-case run of seed 1 against bcemu: bounded time, the report and the transcript
// written, and no finding. bcemu checks its arguments with the command table the oracles use, so
// the table oracles stay quiet. The summary and the report state the command-table coverage:
// every form of the table, in table order, with the cases it got; deny-listed forms get none.
TEST_F(FuzzDeviceCli, ThreeHundredCasesOfSeedOneAgainstBcemu) {
  const auto t0 = std::chrono::steady_clock::now();
  const outcome r =
      fuzz_device({"--target", bcemu_target(), "--count", "300", "--seed", "1", "--report",
                   path("report.json"), "--transcript", path("t.transcript"), "--quiet"});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(wall, 120.0);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("300 cases"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exec/s"), std::string::npos) << r.out;

  const auto report = nlohmann::json::parse(read(path("report.json")));
  EXPECT_EQ(report["seed"], 1);
  EXPECT_EQ(report["cases"], 300);
  EXPECT_EQ(report["end"], "completed");
  EXPECT_GT(report["lines_sent"].get<int>(), 600);
  EXPECT_GT(report["interleavings"].get<int>(), 10);
  EXPECT_EQ(report["interleavings_skipped"], 0);
  EXPECT_EQ(report["findings"].size(), 0u) << report["findings"].dump(2);
  EXPECT_NE(r.out.find("command table: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("AT&W  (not sent: deny-list"), std::string::npos) << r.out;

  const auto& coverage = report["coverage"];
  ASSERT_EQ(coverage.size(), table_form_count());
  EXPECT_EQ(coverage[0]["syntax"], "AT+QIOPEN=?");
  int cases = 0;
  for (const auto& row : coverage) {
    for (const auto& [kind, n] : row["cases"].items()) cases += n.get<int>();
    EXPECT_LE(row["params_bounded"].get<int>(), row["params"].get<int>()) << row.dump();
    if (row["syntax"] == "AT&W") {
      EXPECT_TRUE(row["cases"].empty()) << row.dump();
    }
  }
  EXPECT_EQ(cases, 300);

  const std::string transcript = read(path("t.transcript"));
  EXPECT_TRUE(transcript.starts_with(protocol::transcript_header));
  EXPECT_NE(transcript.find("> AT\\r"), std::string::npos);
  EXPECT_NE(transcript.find("< \\r\\nRDY\\r\\n"), std::string::npos);
}

TEST_F(FuzzDeviceCli, StartAndCountOneSendThatCaseAgain) {
  const outcome r =
      fuzz_device({"--target", bcemu_target(), "--seed", "7", "--start", "40", "--count", "1",
                   "--transcript", path("one.transcript"), "--quiet"});
  EXPECT_EQ(r.status, 0) << r.out;
  fuzzdev::generator_options g;
  g.seed = 7;
  const fuzzdev::fuzz_case c = fuzzdev::generator(g).generate(40);
  const std::string transcript = read(path("one.transcript"));
  std::string want = protocol::escape_bytes(c.bytes);
  if (want.ends_with("\\x20")) want.resize(want.size() - 4);  // a record's trailing space
  EXPECT_NE(transcript.find(want.substr(0, 60)), std::string::npos) << want << "\n" << transcript;
  EXPECT_NE(r.out.find("1 cases"), std::string::npos) << r.out;
}

// bcemu --stall-after: the module stops answering after N lines; the run ends with exit 3 and
// the finding names the line and how to send it again.
TEST_F(FuzzDeviceCli, AModuleThatStopsAnsweringExitsThree) {
  const auto t0 = std::chrono::steady_clock::now();
  const outcome r = fuzz_device(bcemu_args(" --stall-after 30") +
                                std::vector<std::string>{"--seed", "2", "--count", "100",
                                                         "--report", path("r.json"), "--quiet"});
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(60));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_NE(r.out.find("[no_answer]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("module stopped answering after"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reproduce: bcconform fuzz-device --seed 2 --start "), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("--time-scale 0.01"), std::string::npos) << r.out;
  const auto report = nlohmann::json::parse(read(path("r.json")));
  EXPECT_EQ(report["end"], "target_dead");
  EXPECT_EQ(report["findings_by_kind"]["no_answer"], 1);
}

TEST_F(FuzzDeviceCli, AnExitedChildExitsThree) {
  const outcome r = fuzz_device({"--target", "exec:/bin/true", "--count", "5", "--seed", "1"});
  EXPECT_EQ(r.status, 3) << r.out;
}

TEST_F(FuzzDeviceCli, UsageErrorsExitFour) {
  EXPECT_EQ(fuzz_device({"--only", "+NOSUCH"}).status, 4);
  EXPECT_EQ(fuzz_device({"--deny", "AT"}).status, 4);
  EXPECT_EQ(fuzz_device({"--only", "AT&W"}).status, 4);  // denied unless --allow-persistent
  EXPECT_EQ(fuzz_device({"--target", "nonsense:x"}).status, 4);
  EXPECT_EQ(fuzz_device({"--count", "0"}).status, 4);
  EXPECT_EQ(fuzz_device({"--no-such-flag"}).status, 4);
}

TEST_F(FuzzDeviceCli, HelpNamesTheDenyListAndTheExitCodes) {
  const outcome r = fuzz_device({"--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* s : {"AT&W", "AT+QICFG", "AT+QRST", "AT+IPR", "--allow-persistent",
                        "applies to the emulator", "--start", "3  the target died"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  }
}

}  // namespace
}  // namespace bcconform::cli
