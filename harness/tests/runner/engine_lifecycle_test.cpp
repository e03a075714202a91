// The case around the steps: setup/teardown verdict rules, a link that dies, interrupts, the
// first reason kept, notes, and the misc steps (wait, hook, control).
#include <gtest/gtest.h>

#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

class EngineLifecycle : public ::testing::Test, protected engine_harness {
 protected:
  // A teardown whose command the fake answers, so that "teardown ran" shows in the script.
  builder& with_teardown(builder& b) {
    link.on_write("AT+QICLOSE=0\r", "\r\nOK\r\n");
    return b.teardown().send("AT+QICLOSE=0").expect_lines({"OK"}).steps();
  }
  bool teardown_ran() const { return link.written().ends_with("AT+QICLOSE=0\r"); }
};

TEST_F(EngineLifecycle, ATransportDyingMidStepIsAnErrorAndTeardownStillRuns) {
  link.on_write("AT+QIRD=0,512\r", "\r\n+QIRD: 4\r\nab");
  link.fail_at(50ms, transport::errc::process_exited, "bcemu exited with status 3");
  builder b;
  b.send("AT+QIRD=0,512").expect_lines({"+QIRD: 4", "OK"}, 10000ms);
  auto r = run(b.teardown().send("AT+QICLOSE=0").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "transport");
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_NE(r.failure->message.find("bcemu exited with status 3"), std::string::npos)
      << r.failure->message;
  EXPECT_EQ(link.time().elapsed(), 50ms);
  EXPECT_TRUE(noted("step t.yaml:4 send"));  // teardown ran and failed fast
  EXPECT_TRUE(noted("teardown problem at t.yaml:4"));
}

TEST_F(EngineLifecycle, RemainingStepsAreSkippedAfterTheLinkDies) {
  link.fail_at(0ms, transport::errc::end_of_stream, "EOF");
  auto r = run(builder().wait(10ms).send("AT").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(2));
  EXPECT_FALSE(noted("step t.yaml:3"));
}

TEST_F(EngineLifecycle, AnInterruptStopsAWaitPromptlyAndRunsTeardown) {
  link.at(250ms, [this] { interrupt = true; });
  builder b;
  b.wait(60000ms).send("AT");
  auto r = run(with_teardown(b));
  EXPECT_EQ(r.result, verdict::interrupted);
  EXPECT_EQ(r.reason, "interrupted during step t.yaml:2 (wait)");
  EXPECT_LE(link.time().elapsed(), 350ms);
  EXPECT_TRUE(teardown_ran());
  EXPECT_EQ(link.written(), "AT+QICLOSE=0\r");  // the send after the wait was skipped
  EXPECT_FALSE(r.failure);
}

TEST_F(EngineLifecycle, AnInterruptBetweenStepsSkipsTheRest) {
  link.on_write("AT\r", "\r\nOK\r\n").and_do([this] { interrupt = true; });
  builder b;
  b.send("AT").expect_lines({"OK"}).send("AT+CGATT?");
  auto r = run(with_teardown(b));
  EXPECT_EQ(r.result, verdict::interrupted);
  EXPECT_EQ(r.reason, "interrupted before step t.yaml:3 (expect)");
  EXPECT_EQ(link.written(), "AT\rAT+QICLOSE=0\r");
  EXPECT_TRUE(teardown_ran());
}

// The step running when the interrupt comes finishes with what has arrived: its failure stands.
TEST_F(EngineLifecycle, AnInterruptDoesNotHideAFailure) {
  link.on_write("AT\r", "\r\nERROR\r\n");
  link.at(5ms, [this] { interrupt = true; });
  builder b;
  b.send("AT").expect_lines({"OK"});
  auto r = run(with_teardown(b));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_TRUE(teardown_ran());
}

TEST_F(EngineLifecycle, InterruptedBeforeTheCaseStartsRunsNothing) {
  interrupt = true;
  builder b;
  b.send("AT");
  auto r = run(with_teardown(b));
  EXPECT_EQ(r.result, verdict::interrupted);
  EXPECT_EQ(link.written(), "");
}

TEST_F(EngineLifecycle, TeardownIsNotInterruptible) {
  interrupt = false;
  link.at(10ms, [this] { interrupt = true; });
  link.deliver("\r\n+QIURC: \"closed\",0\r\n", 500ms);
  auto r = run(builder().wait(100ms).teardown().urc(R"(\+QIURC: "closed",0)"));
  EXPECT_EQ(r.result, verdict::interrupted);
  EXPECT_EQ(link.time().elapsed(), 500ms);  // the teardown waited for its URC
}

TEST_F(EngineLifecycle, ASetupFailureIsInconcAndSkipsTheSteps) {
  link.on_write("AT+CGATT?\r", "\r\n+CGATT: 0\r\n\r\nOK\r\n");
  builder b;
  b.setup().send("AT+CGATT?").expect_lines({"+CGATT: 1", "OK"}).steps().send("AT+QISTATE?");
  auto r = run(with_teardown(b));
  EXPECT_EQ(r.result, verdict::inconc);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_EQ(r.failure->message.rfind("setup: ", 0), 0u) << r.failure->message;
  EXPECT_EQ(link.written(), "AT+CGATT?\rAT+QICLOSE=0\r");
}

TEST_F(EngineLifecycle, ASetupErrorStaysAnError) {
  auto r = run(builder().setup().hook("reset"));
  EXPECT_EQ(r.result, verdict::error);
}

TEST_F(EngineLifecycle, ATeardownFailureMakesAPassingCaseInconc) {
  link.on_write("AT\r", "\r\nOK\r\n").on_write("AT+QICLOSE=0\r", "\r\nERROR\r\n");
  auto r = run(builder()
                   .send("AT")
                   .expect_lines({"OK"})
                   .teardown()
                   .send("AT+QICLOSE=0")
                   .expect_lines({"OK"})
                   .send("AT")
                   .expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::inconc);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->message.rfind("teardown: ", 0), 0u);
  EXPECT_EQ(r.failure->step, at_line(5));
  EXPECT_TRUE(link.written().ends_with("AT+QICLOSE=0\rAT\r"));  // teardown went on
}

TEST_F(EngineLifecycle, TheFirstReasonIsKeptAndTheVerdictOnlyWorsens) {
  link.on_write("AT\r", "\r\nERROR\r\n").on_write("AT+QICLOSE=0\r", "\r\nERROR\r\n");
  link.deliver("\r\n+QIURC: \"closed\",0\r\n", 1ms);
  auto r = run(builder()
                   .unclaimed(sc::unclaimed_policy::inconc)
                   .send("AT")
                   .expect_lines({"OK"})
                   .teardown()
                   .send("AT+QICLOSE=0")
                   .expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_EQ(r.failure->got, "ERROR");
}

TEST_F(EngineLifecycle, AnErrorOutranksAnEarlierInconc) {
  link.on_write("AT\r", "\r\nOK\r\n");
  link.deliver("\r\n+QIURC: \"closed\",0\r\n", 1ms);
  ctx.ignore_urcs = {"("};  // a broken run-level pattern: error at the end
  auto r = run(builder().unclaimed(sc::unclaimed_policy::inconc).send("AT").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::error);
}

TEST_F(EngineLifecycle, EveryStepIsNoted) {
  link.on_write("AT\r", "\r\nOK\r\n");
  run(builder().send("AT").expect_lines({"OK"}).wait(1ms));
  ASSERT_GE(notes.size(), 3u);
  EXPECT_EQ(notes[0], "step t.yaml:2 send");
  EXPECT_EQ(notes[1], "step t.yaml:3 expect");
  EXPECT_EQ(notes[2], "step t.yaml:4 wait");
}

TEST_F(EngineLifecycle, AWaitQueuesUrcsThatArriveMeanwhile) {
  link.deliver("\r\n+QATSLEEP\r\n", 30000ms);
  link.deliver("\r\n+QATWAKEUP\r\n", 40000ms);
  auto r = run(builder().wait(45000ms).urc(R"(\+QATSLEEP)", 0ms).urc(R"(\+QATWAKEUP)", 0ms));
  EXPECT_EQ(r.result, verdict::pass);
  EXPECT_EQ(link.time().elapsed(), 45000ms);
}

TEST_F(EngineLifecycle, HooksRunByName) {
  std::vector<std::string> ran;
  ctx.hook = [&ran](const std::string& name) {
    ran.push_back(name);
    return name == "power-cycle" ? std::string("relay did not answer") : std::string();
  };
  auto r = run(builder().hook("reset").hook("power-cycle").hook("wake"));
  EXPECT_EQ(ran, (std::vector<std::string>{"reset", "power-cycle"}));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->message, "hook `power-cycle` failed: relay did not answer");
}

TEST_F(EngineLifecycle, AMissingHookRunnerIsAnError) {
  auto r = run(builder().hook("reset"));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "hook");
}

TEST_F(EngineLifecycle, ControlRepliesMustMatch) {
  std::vector<std::string> lines;
  ctx.control = [&lines](const std::string& line, std::string& reply, std::string&) {
    lines.push_back(line);
    reply = line == "drop 3" ? "ok dropped" : "err unknown";
    return true;
  };
  auto r = run(builder().var("n", "3").control("drop ${n}").control("explode"));
  EXPECT_EQ(lines, (std::vector<std::string>{"drop 3", "explode"}));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_EQ(r.failure->got, "err unknown");
}

TEST_F(EngineLifecycle, ControlWithAnExpectedReplyPattern) {
  ctx.control = [](const std::string&, std::string& reply, std::string&) {
    reply = "value 42";
    return true;
  };
  link.on_write("AT+QICLOSE=42\r", "\r\nOK\r\n");
  auto r = run(
      builder().control("get", R"(value (?P<v>\d+))").send("AT+QICLOSE=${v}").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass);
}

TEST_F(EngineLifecycle, AControlChannelFailureOrAbsenceIsAnError) {
  auto absent = run(builder().control("x"));
  EXPECT_EQ(absent.result, verdict::error);
  ctx.control = [](const std::string&, std::string&, std::string& error) {
    error = "connection refused";
    return false;
  };
  auto broken = run(builder().control("x"));
  EXPECT_EQ(broken.result, verdict::error);
  ASSERT_TRUE(broken.failure);
  EXPECT_EQ(broken.failure->message, "control channel: connection refused");
}

TEST_F(EngineLifecycle, NoLinkIsAnError) {
  ctx.link = nullptr;
  auto r = run(builder().send("AT"));
  EXPECT_EQ(r.result, verdict::error);
}

}  // namespace
}  // namespace bcconform::runner_test
