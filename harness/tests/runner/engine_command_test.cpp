// send / expect: responses matched line by line, echo skipped, regex captures, deadlines from
// the command table, response-time limits, deferred results (AN 2.1.2, 2.1.4, E15).
#include <gtest/gtest.h>

#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

class EngineCommand : public ::testing::Test, protected engine_harness {};

TEST_F(EngineCommand, PassesWhenTheResponseIsAsListedAndRecordsItsTiming) {
  link.on_write("AT+QISTATE?\r",
                "\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,1024,2,1,0\r\n\r\nOK\r\n", 20ms);
  auto r = run(builder().send("AT+QISTATE?").expect({re(R"(\+QISTATE: 0,"TCP",.*)"), exact("OK")}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message : "");
  ASSERT_EQ(r.timings.size(), 1u);
  EXPECT_EQ(r.timings[0].command, "AT+QISTATE");
  EXPECT_DOUBLE_EQ(r.timings[0].seconds, 0.020);
  EXPECT_DOUBLE_EQ(r.timings[0].limit_seconds, 0.300);
  EXPECT_EQ(link.mismatch(), "");
  EXPECT_EQ(r.id, "case");
  EXPECT_EQ(r.file, "t.yaml");
  EXPECT_DOUBLE_EQ(r.seconds, 0.020);
}

TEST_F(EngineCommand, TheEchoOfTheCommandIsSkipped) {
  link.on_write("AT\r", "AT\r\r\nOK\r\n");
  auto r = run(builder().send("AT").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->got : "");
}

TEST_F(EngineCommand, AWrongLineFailsWithExpectedAndGot) {
  link.on_write("AT\r", "\r\nERROR\r\n");
  builder b;
  b.send("AT").expect_lines({"OK"});
  auto r = run(b);
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_EQ(r.failure->kind, "expect");
  EXPECT_NE(r.failure->message.find("line 1 differs"), std::string::npos) << r.failure->message;
  EXPECT_EQ(r.failure->expected, "OK");
  EXPECT_EQ(r.failure->got, "ERROR");
}

TEST_F(EngineCommand, AnExtraLineFails) {
  link.on_write("AT+CGATT?\r", "\r\n+CGATT: 1\r\n\r\nOK\r\n");
  auto r = run(builder().send("AT+CGATT?").expect_lines({"+CGATT: 1"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_NE(r.failure->message.find("1 unexpected line(s)"), std::string::npos);
  EXPECT_EQ(r.failure->got, "+CGATT: 1 | OK");
}

TEST_F(EngineCommand, AMissingLineFails) {
  link.on_write("AT+CGATT?\r", "\r\nOK\r\n");
  auto r = run(builder().send("AT+CGATT?").expect_lines({"+CGATT: 1", "OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->expected, "+CGATT: 1 | OK");
  EXPECT_EQ(r.failure->got, "OK");
}

// A command without a documented second-stage result cannot have lines after its final.
TEST_F(EngineCommand, LinesListedAfterTheFinalOfAPlainCommandFailAtOnce) {
  link.on_write("AT\r", "\r\nOK\r\n");
  auto r = run(builder().send("AT").expect_lines({"OK", "OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_NE(r.failure->message.find("missing after the final"), std::string::npos);
  EXPECT_EQ(link.time().elapsed(), 5ms);
}

TEST_F(EngineCommand, NoFinalWithinTheTablesMaximumResponseTimeFails) {
  link.on_write("AT+QISTATE?\r", "\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,1024,2,1,0\r\n");
  auto r = run(builder().send("AT+QISTATE?").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->message, "no final result to AT+QISTATE? within 300 ms");
  EXPECT_EQ(r.failure->got, "+QISTATE: 0,\"TCP\",\"127.0.0.1\",80,1024,2,1,0");
  EXPECT_EQ(link.time().elapsed(), 300ms);
  EXPECT_TRUE(r.timings.empty());
}

TEST_F(EngineCommand, AnUnknownCommandWaitsTheDefaultFiveSeconds) {
  auto r = run(builder().send("AT+XYZ").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 5000ms);
}

TEST_F(EngineCommand, AnExplicitTimeoutOverridesTheTable) {
  auto r = run(builder().send("AT").expect_lines({"OK"}, 1234ms));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 1234ms);
}

TEST_F(EngineCommand, RegexCapturesAreUsedInALaterSend) {
  link.on_write("AT+QISTATE?\r",
                "\r\n+QISTATE: 3,\"TCP\",\"127.0.0.1\",8062,1024,2,1,0\r\n\r\nOK\r\n")
      .on_write("AT+QICLOSE=3\r", "\r\nOK\r\n");
  auto r =
      run(builder()
              .send("AT+QISTATE?")
              .expect({re(R"re(\+QISTATE: (?P<cid>\d),"TCP","(?P<ip>[0-9.]+)",.*)re"), exact("OK")})
              .send("AT+QICLOSE=${cid}")
              .expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message : "");
  EXPECT_EQ(link.mismatch(), "");
  EXPECT_EQ(link.pending_exchanges(), 0u);
}

TEST_F(EngineCommand, ScenarioAndRunVariablesAreSubstitutedRunVarsWinning) {
  link.on_write("AT+QIRD=1,512\r", "\r\n+QIRD: 0\r\n\r\nOK\r\n");
  ctx.vars["id"] = "1";
  auto r = run(builder()
                   .var("id", "0")
                   .var("len", "512")
                   .send("AT+QIRD=${id},${len}")
                   .expect_lines({"+QIRD: 0", "OK"}));
  EXPECT_EQ(r.result, verdict::pass);
  EXPECT_EQ(link.mismatch(), "");
}

TEST_F(EngineCommand, DollarDollarIsALiteralDollar) {
  link.on_write("AT+QICFG=\"x$\"\r", "\r\nERROR\r\n");
  auto r = run(builder().send("AT+QICFG=\"x$$\"").expect_lines({"ERROR"}));
  EXPECT_EQ(r.result, verdict::pass);
  EXPECT_EQ(link.written(), "AT+QICFG=\"x$\"\r");
}

TEST_F(EngineCommand, AnUndefinedVariableIsAnError) {
  auto r = run(builder().send("AT+QICLOSE=${nope}"));
  EXPECT_EQ(r.result, verdict::error);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "send");
  EXPECT_NE(r.failure->message.find("undefined variable 'nope'"), std::string::npos)
      << r.failure->message;
  EXPECT_EQ(link.written(), "");
}

TEST_F(EngineCommand, AnyFinalAcceptsEveryFinalResultButNoOtherLine) {
  link.on_write("AT+QIGETERROR\r", "\r\n+CME ERROR: 3\r\n")
      .on_write("AT+QIGETERROR\r", "\r\n+QIGETERROR: 0,operation successful\r\n\r\nOK\r\n");
  auto r = run(builder()
                   .send("AT+QIGETERROR")
                   .expect({any_final()})
                   .send("AT+QIGETERROR")
                   .expect({any_final(), any_final()}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(5));
  EXPECT_NE(r.failure->message.find("expected {final: any}, got +QIGETERROR"), std::string::npos)
      << r.failure->message;
}

// Alone, `{final: any}` is the outcome whatever came before it: a restoring teardown such as
// AT+QICFG="showlength",0 need not know that the module echoes the setting (E30).
TEST_F(EngineCommand, ALoneAnyFinalTakesTheInformationLinesBeforeIt) {
  link.on_write("AT+QICFG=\"showlength\",0\r", "\r\n+QICFG: \"showlength\",0\r\n\r\nOK\r\n")
      .on_write("AT+QICFG=\"showlength\",0\r", "\r\n+QICFG: \"showlength\",0\r\n\r\nOK\r\n");
  auto r = run(builder()
                   .send("AT+QICFG=\"showlength\",0")
                   .expect({any_final()})
                   .send("AT+QICFG=\"showlength\",0")
                   .expect({exact("OK")}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(5));  // only the second, exact expectation fails
}

TEST_F(EngineCommand, AResponseSlowerThanTheTableAllowsFailsWithTheTimingRecorded) {
  link.on_write("AT\r", "\r\nOK\r\n", 400ms);
  auto r = run(builder().send("AT").expect_lines({"OK"}, 1000ms));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "timing");
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_NE(r.failure->message.find("AT answered in 0.400 s"), std::string::npos)
      << r.failure->message;
  ASSERT_EQ(r.timings.size(), 1u);
  EXPECT_FALSE(r.timings[0].within_limit());
  EXPECT_DOUBLE_EQ(r.timings[0].seconds, 0.4);
}

TEST_F(EngineCommand, ExpectWithoutACommandInFlightIsAnError) {
  auto r = run(builder().expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::error);
}

// AN 4.1.2: OK, then SEND OK at any later time (E15). Both ways of writing it pass.
TEST_F(EngineCommand, ADeferredResultMayBeListedAfterTheFinal) {
  link.on_write("AT+QISEND=0,5,\"hello\"\r", "\r\nOK\r\n").then("\r\nSEND OK\r\n", 900ms);
  link.on_write("AT+QICLOSE=0\r", "\r\nOK\r\n").then("\r\nCLOSE OK\r\n", 30ms);
  auto r = run(builder()
                   .send("AT+QISEND=0,5,\"hello\"")
                   .expect_lines({"OK", "SEND OK"})
                   .send("AT+QICLOSE=0")
                   .expect({exact("OK"), any_final()}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
  ASSERT_EQ(r.timings.size(), 2u);
  EXPECT_DOUBLE_EQ(r.timings[0].seconds, 0.005);  // to OK, not to SEND OK
}

// `{final: any}` is the command's outcome: after OK, a documented deferred result is awaited
// and taken too, so a cleanup close leaves nothing unclaimed; after ERROR nothing is awaited.
TEST_F(EngineCommand, AnyFinalTakesTheDeferredResultThatFollowsAnOk) {
  link.on_write("AT+QICLOSE=0\r", "\r\nOK\r\n").then("\r\nCLOSE OK\r\n", 30ms);
  link.on_write("AT+QICLOSE=1\r", "\r\nERROR\r\n");
  auto r = run(builder()
                   .send("AT+QICLOSE=0")
                   .expect({any_final()})
                   .send("AT+QICLOSE=1")
                   .expect({any_final()}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
  EXPECT_GE(link.time().elapsed(), 5ms + 30ms);  // it waited for CLOSE OK
}

TEST_F(EngineCommand, AnyFinalAfterOkFailsWhenTheDeferredResultNeverComes) {
  link.on_write("AT+QICLOSE=0\r", "\r\nOK\r\n");
  auto r = run(builder().send("AT+QICLOSE=0").expect({any_final()}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_NE(r.failure->message.find("OK without its deferred result"), std::string::npos)
      << r.failure->message;
}

TEST_F(EngineCommand, ADeferredResultMayBeClaimedAsAUrc) {
  link.on_write("AT+QISEND=0,5,\"hello\"\r", "\r\nOK\r\n").then("\r\nSEND OK\r\n", 900ms);
  auto r = run(builder().send("AT+QISEND=0,5,\"hello\"").expect_lines({"OK"}).urc("SEND OK"));
  EXPECT_EQ(r.result, verdict::pass);
}

TEST_F(EngineCommand, AMissingDeferredResultFailsAfterTheTablesDeferredBudget) {
  link.on_write("AT+QISEND=0,5,\"hello\"\r", "\r\nOK\r\n");
  auto r = run(builder().send("AT+QISEND=0,5,\"hello\"").expect_lines({"OK", "SEND OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 5ms + 10000ms);  // AT+QISEND: max_deferred 10 s
}

// AN 4.1.2 / E15: a second send while SEND OK is pending is refused; the SEND OK that follows
// belongs to the first one and is asynchronous.
TEST_F(EngineCommand, TheRefusedSecondSendOfAn412GetsErrorAndSendOkStaysQueued) {
  link.on_write("AT+QISEND=0,10,\"1234567890\"\r", "\r\nOK\r\n")
      .on_write("AT+QISEND=0,10,\"1234567890\"\r", "\r\nERROR\r\n")
      .then("\r\nSEND OK\r\n", 10ms);
  auto r = run(builder()
                   .send("AT+QISEND=0,10,\"1234567890\"")
                   .expect_lines({"OK"})
                   .send("AT+QISEND=0,10,\"1234567890\"")
                   .expect_lines({"ERROR"})
                   .urc("SEND OK"));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
}

// Commands sent back to back are answered in order; each expect takes the oldest.
// The second command's time starts when the first has its final result.
TEST_F(EngineCommand, PipelinedCommandsAreAnsweredInOrder) {
  link.on_write("AT\rAT+CGATT?\r", "\r\nOK\r\n", 200ms).then("\r\n+CGATT: 1\r\n\r\nOK\r\n", 400ms);
  link.set_chunk(1);
  auto r = run(builder()
                   .send("AT")
                   .send("AT+CGATT?")
                   .expect_lines({"OK"})
                   .expect_lines({"+CGATT: 1", "OK"}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
  ASSERT_EQ(r.timings.size(), 2u);
  EXPECT_DOUBLE_EQ(r.timings[0].seconds, 0.2);
  EXPECT_DOUBLE_EQ(r.timings[1].seconds, 0.2);
}

TEST_F(EngineCommand, AFinalWhileNoCommandWaitsIsUnclaimed) {
  link.on_write("AT\r", "\r\nOK\r\n").then("\r\nOK\r\n", 10ms);
  auto r = run(builder().send("AT").expect_lines({"OK"}).wait(50ms));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "unclaimed");
  EXPECT_EQ(r.failure->got, "OK (while no command was waiting)");
}

TEST_F(EngineCommand, AResponseNoStepExpectedIsUnclaimed) {
  link.on_write("AT\r", "\r\nOK\r\n");
  auto r = run(builder().send("AT").wait(50ms));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "unclaimed");
}

}  // namespace
}  // namespace bcconform::runner_test
