// `bcconform run` and `bcconform lint` end to end, against the default target (bcemu beside the
// executable, restarted per case): verdicts, exit codes, reports valid at every point, sharding,
// --list, --rerun-failed, --baseline, variables, identity, and what a dead emulator or a signal
// does to a run. Waits are on files (inotify) and processes (pidfd) with deadlines, never sleeps.
#include <csignal>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"
#include "run_support.hpp"

namespace bcconform::cli::testing {
namespace {

using namespace std::chrono_literals;
using verdict_map = std::map<std::string, std::string>;

struct cli_run : ::testing::Test {
  std::string dir = make_temp_dir();
  std::string reports = dir + "/reports";
  ~cli_run() override { std::filesystem::remove_all(dir); }

  cli_result run(std::vector<std::string> args) {
    args.insert(args.begin(), {"run", "--report-dir", reports});
    return run_cli(args);
  }
  verdict_map results() const { return verdicts(reports + "/results.json"); }
  std::vector<std::string> watched() const { return {dir, reports, reports + "/transcripts"}; }
  void expect_valid_reports() const {
    EXPECT_EQ(junit_problems(reports + "/junit.xml"), "");
    EXPECT_NO_THROW(nlohmann::json::parse(read_file(reports + "/results.json")));
  }
};

TEST_F(cli_run, passing_cases_exit_0) {
  const cli_result r = run({cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results(), (verdict_map{{"pass.at", "pass"},
                                    {"pass.revision", "pass"},
                                    {"pass.udp-service", "not_applicable"},
                                    {"pass.control", "pass"}}));
  EXPECT_NE(r.out.find("not_applicable pass.udp-service: target lacks capability udp-service"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("4 cases: 3 pass, 1 not_applicable"), std::string::npos) << r.out;
  expect_valid_reports();
}

TEST_F(cli_run, each_case_has_its_transcript) {
  ASSERT_EQ(run({cli_data("run/pass.yaml")}).exit_code, 0);
  const auto doc = nlohmann::json::parse(read_file(reports + "/results.json"));
  const auto& first = doc.at("cases").at(0);
  EXPECT_EQ(first.at("transcript_file"), "transcripts/0000.bctr");
  const std::string text = read_file(reports + "/transcripts/0000.bctr");
  EXPECT_EQ(text.rfind("# bcconform-transcript 1\n", 0), 0u) << text;
  EXPECT_NE(text.find("> AT\\r"), std::string::npos) << text;
  EXPECT_FALSE(first.at("transcript_tail").empty());
  // The not-applicable case never touched the module.
  EXPECT_FALSE(std::filesystem::exists(reports + "/transcripts/0002.bctr"));
  EXPECT_EQ(doc.at("run").at("firmware"), "BC25PAR01A06");
  EXPECT_EQ(doc.at("run").at("inconc_is_failure"), true);
}

TEST_F(cli_run, a_failing_case_exits_1_and_the_next_case_still_runs) {
  const cli_result r = run({cli_data("run/fail.yaml")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(results(), (verdict_map{{"fail.revision", "fail"}, {"fail.then-pass", "pass"}}));
  EXPECT_NE(r.out.find("fail.yaml:7: expect:"), std::string::npos) << r.out;
  expect_valid_reports();
}

TEST_F(cli_run, quiet_prints_only_the_summary) {
  const cli_result r = run({"--quiet", cli_data("run/fail.yaml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.find("fail.revision"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.rfind("2 cases: 1 pass, 1 fail in ", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "colour on a file";
}

TEST_F(cli_run, nothing_selected_exits_5) {
  const cli_result r = run({"--filter", "no.such.*", cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_NE(r.err.find("no scenario"), std::string::npos);
}

TEST_F(cli_run, usage_errors_exit_4) {
  EXPECT_EQ(run({"--shard", "4/3", cli_data("run/pass.yaml")}).exit_code, 4);
  EXPECT_EQ(run({"--var", "novalue", cli_data("run/pass.yaml")}).exit_code, 4);
  EXPECT_EQ(run({"--target", "carrier-pigeon:x", cli_data("run/pass.yaml")}).exit_code, 4);
  EXPECT_EQ(run({"--rerun-failed", dir + "/missing.json", cli_data("run/pass.yaml")}).exit_code, 4);
  EXPECT_EQ(run({cli_data("lint/two_errors.yaml")}).exit_code, 4);
}

TEST_F(cli_run, filters_and_tags_select) {
  EXPECT_EQ(run({"--filter", "pass.r*", "--tag", "identity", cli_data("run/pass.yaml")}).exit_code,
            0);
  EXPECT_EQ(results(), (verdict_map{{"pass.at", "filtered"},
                                    {"pass.revision", "pass"},
                                    {"pass.udp-service", "filtered"},
                                    {"pass.control", "filtered"}}));
}

TEST_F(cli_run, variables_come_from_the_command_line_and_built_ins) {
  const cli_result r = run({"--var", "command=AT", cli_data("run/vars.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results(), (verdict_map{{"vars.command", "pass"}, {"vars.model", "pass"}}));
  // The model variable follows --model (BC32's ATI says Quectel_BC32).
  EXPECT_EQ(run({"--model", "BC32", "--var", "command=AT", cli_data("run/vars.yaml")}).exit_code,
            0);
}

TEST_F(cli_run, command_line_variables_win_over_the_lab_file) {
  const std::string lab = dir + "/lab.yaml";
  write_file(lab, "vars: {command: 'AT+NOSUCHCOMMAND'}\n");
  EXPECT_EQ(run({"--lab", lab, "--filter", "vars.command", cli_data("run/vars.yaml")}).exit_code,
            1);
  EXPECT_EQ(run({"--lab", lab, "--var", "command=AT", "--filter", "vars.command",
                 cli_data("run/vars.yaml")})
                .exit_code,
            0);
}

TEST_F(cli_run, list_prints_the_selection) {
  const cli_result r =
      run({"--list", "--tag", "smoke", "--tag", "identity", cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string file = cli_data("run/pass.yaml");
  EXPECT_EQ(r.out, "pass.at  " + file + ":5  smoke\npass.revision  " + file + ":11  identity\n");
  EXPECT_FALSE(std::filesystem::exists(reports)) << "--list writes nothing";
  EXPECT_EQ(run({"--list", "--filter", "x*", cli_data("run/pass.yaml")}).exit_code, 5);
}

TEST_F(cli_run, shards_run_every_case_exactly_once) {
  std::multiset<std::string> ran;
  for (int i = 1; i <= 3; ++i) {
    const std::string shard = std::to_string(i) + "/3";
    const cli_result r = run({"--quiet", "--shard", shard, cli_data("run/shard.yaml")});
    ASSERT_EQ(r.exit_code, 0) << shard << r.out << r.err;
    const std::string json = reports + "/results-" + std::to_string(i) + "-of-3.json";
    for (const auto& [id, v] : verdicts(json)) {
      if (v != "filtered") ran.insert(id);
      EXPECT_TRUE(v == "pass" || v == "filtered") << id << " " << v;
    }
    EXPECT_EQ(junit_problems(reports + "/junit-" + std::to_string(i) + "-of-3.xml"), "");
  }
  std::multiset<std::string> all;
  for (int i = 1; i <= 7; ++i) all.insert("shard.case" + std::to_string(i));
  EXPECT_EQ(ran, all);
}

TEST_F(cli_run, gtest_sharding_variables_are_honoured) {
  const std::string status = dir + "/shard-status";
  ::setenv("GTEST_TOTAL_SHARDS", "2", 1);
  ::setenv("GTEST_SHARD_INDEX", "1", 1);
  ::setenv("GTEST_SHARD_STATUS_FILE", status.c_str(), 1);
  const cli_result r = run({"--quiet", cli_data("run/shard.yaml")});
  ::unsetenv("GTEST_TOTAL_SHARDS");
  ::unsetenv("GTEST_SHARD_INDEX");
  ::unsetenv("GTEST_SHARD_STATUS_FILE");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(status));
  const auto v = verdicts(reports + "/results-2-of-2.json");
  EXPECT_EQ(v.at("shard.case1"), "filtered");
  EXPECT_EQ(v.at("shard.case2"), "pass");
}

TEST_F(cli_run, rerun_failed_runs_only_what_failed) {
  ASSERT_EQ(run({cli_data("run/fail.yaml")}).exit_code, 1);
  const std::string previous = dir + "/previous.json";
  std::filesystem::copy_file(reports + "/results.json", previous);
  const cli_result r = run({"--rerun-failed", previous, cli_data("run/fail.yaml")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(results(), (verdict_map{{"fail.revision", "fail"}, {"fail.then-pass", "filtered"}}));
}

TEST_F(cli_run, repeat_runs_each_case_n_times) {
  const cli_result r = run({"--repeat", "3", "--filter", "pass.at", cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 0);
  const auto doc = nlohmann::json::parse(read_file(reports + "/results.json"));
  int attempts = 0;
  for (const auto& c : doc.at("cases")) {
    if (c.at("id") == "pass.at") ++attempts;
  }
  EXPECT_EQ(attempts, 3);
  EXPECT_TRUE(std::filesystem::exists(reports + "/transcripts/0000-3.bctr"));
}

TEST_F(cli_run, a_baseline_turns_known_failures_into_success) {
  const std::string baseline = dir + "/baseline.json";
  write_file(baseline, R"({"format": "bcconform-baseline", "version": 1, "expected": {
    "fail.revision": {"verdict": "fail", "reason": "known: the revision differs"},
    "fail.then-pass": "fail"}})");
  const cli_result r = run({"--baseline", baseline, cli_data("run/fail.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("newly passing (against the baseline):\n  fail.then-pass: fail -> pass"),
            std::string::npos)
      << r.out;
  write_file(baseline, R"({"format": "bcconform-baseline", "version": 1, "expected": {}})");
  const cli_result worse = run({"--baseline", baseline, cli_data("run/fail.yaml")});
  EXPECT_EQ(worse.exit_code, 1);
  EXPECT_NE(worse.out.find("fail.revision: pass -> fail"), std::string::npos) << worse.out;
}

TEST_F(cli_run, a_lab_identity_that_does_not_match_refuses_the_run) {
  const std::string lab = dir + "/lab.yaml";
  write_file(lab, "model: BC25\nidentity: {model: 'Quectel_BC32'}\n");
  const cli_result r = run({"--lab", lab, cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("model 'Quectel_BC25' does not match 'Quectel_BC32'"), std::string::npos)
      << r.err;
  expect_valid_reports();
  write_file(lab, "model: BC25\nidentity: {model: 'Quectel_BC25', revision: 'BC25.*'}\n");
  EXPECT_EQ(run({"--lab", lab, cli_data("run/pass.yaml")}).exit_code, 0);
}

TEST_F(cli_run, a_lab_capability_list_replaces_the_emulators) {
  const std::string lab = dir + "/lab.yaml";
  write_file(lab, "capabilities: [network, udp-service]\n");
  const cli_result r = run({"--lab", lab, cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results().at("pass.udp-service"), "pass");
  EXPECT_EQ(results().at("pass.control"), "not_applicable");
}

// The emulator killed while a step waits: that case is `error` (exit 3), the report is valid,
// and the next case runs on a freshly started emulator.
TEST_F(cli_run, a_dead_emulator_is_an_error_and_the_run_goes_on) {
  background bc({BCCONFORM_CLI_PATH, "run", "--report-dir", reports, cli_data("run/slow.yaml")},
                dir);
  const std::string transcript = reports + "/transcripts/0001.bctr";
  ASSERT_TRUE(wait_for([&] { return read_file(transcript).find(" urc") != std::string::npos; },
                       watched(), steady::now() + 60s))
      << "the second case never reached its urc step";
  const std::vector<pid_t> children = children_of(bc.pid());
  ASSERT_EQ(children.size(), 1u);
  ::kill(children[0], SIGKILL);
  EXPECT_EQ(bc.wait(steady::now() + 60s), 3) << bc.out() << bc.err();
  EXPECT_EQ(results(),
            (verdict_map{{"slow.first", "pass"}, {"slow.wait", "error"}, {"slow.last", "pass"}}));
  EXPECT_NE(bc.out().find("SIGKILL"), std::string::npos) << bc.out();
  expect_valid_reports();
}

// SIGINT while the second case waits: it ends `interrupted` after its step, the third is marked
// interrupted without running, reports are complete, exit 2.
TEST_F(cli_run, sigint_interrupts_gracefully) {
  background bc({BCCONFORM_CLI_PATH, "run", "--report-dir", reports, cli_data("run/slow.yaml")},
                dir);
  const std::string transcript = reports + "/transcripts/0001.bctr";
  ASSERT_TRUE(wait_for([&] { return read_file(transcript).find(" urc") != std::string::npos; },
                       watched(), steady::now() + 60s));
  bc.signal(SIGINT);
  EXPECT_EQ(bc.wait(steady::now() + 60s), 2) << bc.out() << bc.err();
  EXPECT_EQ(results(), (verdict_map{{"slow.first", "pass"},
                                    {"slow.wait", "interrupted"},
                                    {"slow.last", "interrupted"}}));
  const auto doc = nlohmann::json::parse(read_file(reports + "/results.json"));
  EXPECT_EQ(doc.at("run").at("interrupted"), true);
  expect_valid_reports();
}

// Ctrl+C in a terminal signals the whole process group, the emulator included: the case is
// still `interrupted`, not an error of an emulator that died of the signal.
TEST_F(cli_run, sigint_to_the_process_group_interrupts_gracefully) {
  background bc({BCCONFORM_CLI_PATH, "run", "--report-dir", reports, cli_data("run/slow.yaml")},
                dir, /*own_group=*/true);
  const std::string transcript = reports + "/transcripts/0001.bctr";
  ASSERT_TRUE(wait_for([&] { return read_file(transcript).find(" urc") != std::string::npos; },
                       watched(), steady::now() + 60s));
  ::kill(-bc.pid(), SIGINT);
  EXPECT_EQ(bc.wait(steady::now() + 60s), 2) << bc.out() << bc.err();
  EXPECT_EQ(results(), (verdict_map{{"slow.first", "pass"},
                                    {"slow.wait", "interrupted"},
                                    {"slow.last", "interrupted"}}));
}

// A second signal while the teardown still runs: exit at once, reports still valid.
TEST_F(cli_run, a_second_signal_stops_at_once) {
  background bc({BCCONFORM_CLI_PATH, "run", "--report-dir", reports, cli_data("run/teardown.yaml")},
                dir);
  const std::string transcript = reports + "/transcripts/0000.bctr";
  ASSERT_TRUE(wait_for([&] { return read_file(transcript).find(" urc") != std::string::npos; },
                       watched(), steady::now() + 60s));
  bc.signal(SIGTERM);
  // The teardown's urc step starts once the interrupted step has ended.
  ASSERT_TRUE(wait_for(
      [&] {
        const std::string t = read_file(transcript);
        return t.find(" urc") != t.rfind(" urc");
      },
      watched(), steady::now() + 60s));
  bc.signal(SIGTERM);
  EXPECT_EQ(bc.wait(steady::now() + 30s), 2) << bc.out() << bc.err();
  EXPECT_EQ(results(),
            (verdict_map{{"teardown.wait", "interrupted"}, {"teardown.next", "interrupted"}}));
  expect_valid_reports();
}

TEST_F(cli_run, help_documents_the_exit_codes) {
  const cli_result r = run_cli({"run", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"--shard", "--rerun-failed", "--baseline", "--repeat", "--list",
                           "Exit status:", "5  no scenario matched"}) {
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

// ---- lint
// ----------------------------------------------------------------------------------------

TEST(cli_lint, prints_every_error_with_its_position_and_exits_4) {
  const cli_result r = run_cli({"lint", cli_data("lint")});
  EXPECT_EQ(r.exit_code, 4);
  const std::vector<std::string> lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 3u) << r.err;
  const std::regex located(R"(^/.*\.yaml:\d+:\d+: .+$)");
  for (const auto& l : lines) EXPECT_TRUE(std::regex_match(l, located)) << l;
  EXPECT_NE(r.err.find("another.yaml:5:12: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("two_errors.yaml:6:9: unknown step kind 'sendd'"), std::string::npos);
  EXPECT_NE(r.err.find("two_errors.yaml:10:15: undefined variable 'nobody'"), std::string::npos);
}

TEST(cli_lint, clean_files_exit_0) {
  const cli_result r = run_cli({"lint", cli_data("lint/good.yaml"), cli_data("run/pass.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2 files, 5 scenarios: no errors\n");
}

TEST(cli_lint, var_defines_a_name) {
  EXPECT_EQ(run_cli({"lint", cli_data("run/vars.yaml")}).exit_code, 4);
  EXPECT_EQ(run_cli({"lint", "--var", "command=AT", cli_data("run/vars.yaml")}).exit_code, 0);
}

}  // namespace
}  // namespace bcconform::cli::testing
