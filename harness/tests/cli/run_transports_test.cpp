// The same scenarios through every way of reaching a module: bcemu over TCP (--listen) and over
// a pseudo-terminal (--pty), each started here with a control socket, and a recorded case
// transcript replayed. The verdicts must be the ones the default target gives.
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_cli.hpp"
#include "run_support.hpp"

namespace bcconform::cli::testing {
namespace {

using namespace std::chrono_literals;
using verdict_map = std::map<std::string, std::string>;

const verdict_map fail_verdicts = {{"fail.revision", "fail"}, {"fail.then-pass", "pass"}};
const verdict_map pass_verdicts = {{"pass.at", "pass"},
                                   {"pass.revision", "pass"},
                                   {"pass.udp-service", "not_applicable"},
                                   {"pass.control", "pass"}};

struct cli_run_transports : ::testing::Test {
  std::string dir = make_temp_dir();
  std::string reports = dir + "/reports";
  std::string emulator_dir = dir + "/emulator";
  std::string control = dir + "/control.sock";
  ~cli_run_transports() override { std::filesystem::remove_all(dir); }

  cli_run_transports() { std::filesystem::create_directories(emulator_dir); }

  std::string start_emulator(std::unique_ptr<background>& emu, std::vector<std::string> mode,
                             const std::string& prefix) {
    return start_bcemu(emu, emulator_dir, control, std::move(mode), prefix);
  }

  cli_result run(const std::string& target, const std::string& file,
                 std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run", "--report-dir", reports, "--target", target};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(cli_data(file));
    return run_cli(args);
  }
  verdict_map results() const { return verdicts(reports + "/results.json"); }
};

TEST_F(cli_run_transports, tcp_gives_the_same_verdicts) {
  std::unique_ptr<background> emu;
  const std::string address = start_emulator(emu, {"--listen", "127.0.0.1:0"}, "listen: ");
  ASSERT_FALSE(address.empty());
  cli_result r = run("tcp:" + address, "run/fail.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(results(), fail_verdicts);
  // The control channel of an emulator started elsewhere makes control steps applicable.
  r = run("tcp:" + address, "run/pass.yaml", {"--control", control});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results(), pass_verdicts);
  EXPECT_EQ(junit_problems(reports + "/junit.xml"), "");
}

TEST_F(cli_run_transports, tcp_without_a_control_socket_cannot_run_control_steps) {
  std::unique_ptr<background> emu;
  const std::string address = start_emulator(emu, {"--listen", "127.0.0.1:0"}, "listen: ");
  const cli_result r = run("tcp:" + address, "run/pass.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results().at("pass.control"), "not_applicable");
  // Not the emulator this run started: inconc is not a failure unless asked.
  EXPECT_NE(read_file(reports + "/results.json").find("\"inconc_is_failure\": false"),
            std::string::npos);
}

// A lab module: the reset hook runs before every case (the link closed around it), a hook step
// runs the lab's command line, a failing hook is an error naming its exit status.
TEST_F(cli_run_transports, lab_hooks_run_before_each_case_and_in_steps) {
  std::unique_ptr<background> emu;
  const std::string address = start_emulator(emu, {"--listen", "127.0.0.1:0"}, "listen: ");
  const std::string log = dir + "/hooks.log", lab = dir + "/lab.yaml";
  write_file(lab, "target: tcp:" + address + "\nhooks: {reset: 'echo reset >> " + log +
                      "', wake: 'echo wake >> " + log + "'}\n");
  cli_result r =
      run_cli({"run", "--report-dir", reports, "--lab", lab, cli_data("run/hooks.yaml")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results(), (verdict_map{{"hooks.wake", "pass"}, {"hooks.plain", "pass"}}));
  EXPECT_EQ(read_file(log), "reset\nwake\nreset\n");

  write_file(lab, "target: tcp:" + address + "\nhooks: {wake: 'echo broken; exit 3'}\n");
  r = run_cli({"run", "--report-dir", reports, "--lab", lab, cli_data("run/hooks.yaml")});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(results(), (verdict_map{{"hooks.wake", "error"}, {"hooks.plain", "pass"}}));
  EXPECT_NE(r.out.find("hook 'wake': exit status 3: broken"), std::string::npos) << r.out;
}

TEST_F(cli_run_transports, pty_gives_the_same_verdicts) {
  std::unique_ptr<background> emu;
  const std::string pty = start_emulator(emu, {"--pty"}, "pty: ");
  ASSERT_FALSE(pty.empty());
  cli_result r = run("pty:" + pty, "run/fail.yaml");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(results(), fail_verdicts);
  r = run("pty:" + pty, "run/pass.yaml", {"--control", control});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results(), pass_verdicts);
}

TEST_F(cli_run_transports, a_recorded_transcript_replays_to_the_same_verdict) {
  cli_result r = run_cli({"run", "--report-dir", dir + "/recorded", cli_data("run/fail.yaml")});
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string recorded = dir + "/recorded/transcripts/";
  r = run("replay:" + recorded + "0000.bctr", "run/fail.yaml", {"--filter", "fail.revision"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(results().at("fail.revision"), "fail");
  r = run("replay:" + recorded + "0001.bctr", "run/fail.yaml", {"--filter", "fail.then-pass"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(results().at("fail.then-pass"), "pass");
  // A recording of another conversation does not pass for this one.
  r = run("replay:" + recorded + "0001.bctr", "run/fail.yaml", {"--filter", "fail.revision"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(results().at("fail.revision"), "error");
}

}  // namespace
}  // namespace bcconform::cli::testing
