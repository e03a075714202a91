// urc and payload: the asynchronous queue (AN 2.2), direct-push payloads (AN 2.2.2), and the
// end-of-case policy for lines no step claimed (TTCN-3 default handling).
#include <gtest/gtest.h>

#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

class EngineUrc : public ::testing::Test, protected engine_harness {};

TEST_F(EngineUrc, AUrcThatArrivedBeforeTheStepIsTakenFromTheQueue) {
  link.deliver("\r\n+QIURC: \"closed\",2\r\n", 1ms);
  link.on_write("AT\r", "\r\nOK\r\n", 10ms).on_write("AT+QICLOSE=2\r", "\r\nOK\r\n");
  auto r = run(builder()
                   .send("AT")
                   .expect_lines({"OK"})
                   .urc(R"(\+QIURC: "closed",(?P<id>\d))")
                   .send("AT+QICLOSE=${id}")
                   .expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message : "");
  EXPECT_EQ(link.mismatch(), "");
}

TEST_F(EngineUrc, AUrcArrivingInTheMiddleOfAResponseIsQueuedNotMatched) {
  link.on_write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0\r",
                "\r\nOK\r\n\r\n+QIURC: \"recv\",1\r\n")
      .on_write("AT+QISTATE?\r", "\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",8062,1024,2,1,0\r\n")
      .then("\r\n+QIOPEN: 0,0\r\n", 6ms)
      .then("\r\nOK\r\n", 7ms);
  auto r = run(builder()
                   .send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0")
                   .expect_lines({"OK"})
                   .send("AT+QISTATE?")
                   .expect({re(R"(\+QISTATE: 0,.*)"), exact("OK")})
                   .urc(R"(\+QIOPEN: 0,0)")
                   .urc(R"(\+QIURC: "recv",1)"));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
}

TEST_F(EngineUrc, TheOldestMatchingUrcIsClaimedFirst) {
  link.deliver("\r\n+QIURC: \"recv\",0,3\r\n\r\n+QIURC: \"recv\",0,7\r\n", 1ms);
  auto r = run(builder().urc(R"(\+QIURC: "recv",0,(?P<n>\d+))").urc(R"(\+QIURC: "recv",0,${n})"));
  EXPECT_EQ(r.result, verdict::fail);  // the second one says 7, not 3
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(3));
  EXPECT_EQ(r.failure->got, "unclaimed: +QIURC: \"recv\",0,7");
}

TEST_F(EngineUrc, ATimeoutListsTheUnclaimedUrcs) {
  link.deliver("\r\n+QIURC: \"closed\",1\r\n", 3ms);
  auto r = run(builder().urc(R"(\+QIOPEN: 0,0)", 2000ms));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "urc");
  EXPECT_EQ(r.failure->message, "no line matching /\\+QIOPEN: 0,0/ within 2 s");
  EXPECT_EQ(r.failure->got, "unclaimed: +QIURC: \"closed\",1");
  EXPECT_EQ(link.time().elapsed(), 2000ms);
}

// AN 2.1.1: +QIOPEN within the command's deferred budget (E7: 176 s for a domain name).
TEST_F(EngineUrc, TheDefaultBudgetIsTheDeferredTimeOfTheLastCommandThatHasOne) {
  link.on_write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0\r", "\r\nOK\r\n")
      .on_write("AT\r", "\r\nOK\r\n");
  auto r = run(builder()
                   .send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0")
                   .expect_lines({"OK"})
                   .send("AT")
                   .expect_lines({"OK"})
                   .urc(R"(\+QIOPEN: 0,0)"));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 10ms + 176000ms);
}

TEST_F(EngineUrc, WithoutSuchACommandTheBudgetIsSixtySeconds) {
  auto r = run(builder().urc("RDY"));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 60000ms);
}

// Direct push (AN 2.2.2, E2): the data follows the header; it is claimed with the header and
// matched by a `payload` step. CR, LF and NUL inside are data, delimited by the length.
class DirectPush : public EngineUrc {
 protected:
  builder opened() {
    link.on_write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1\r",
                  "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n");
    builder b;
    b.setup()
        .send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1")
        .expect_lines({"OK"})
        .urc(R"(\+QIOPEN: 0,0)")
        .steps();
    return b;
  }
  static sc::payload_step bytes(std::string b) {
    sc::payload_step p;
    p.bytes = sc::bytes_spec{sc::bytes_spec::kind::text, {std::move(b)}};
    return p;
  }
};

const std::string push_urc = bin("\r\n+QIURC: \"recv\",0,7\r\na\r\n\0b\r\n\r\n");

TEST_F(DirectPush, ThePayloadMatchesExactBytesWithCrLfNul) {
  link.deliver(push_urc, 50ms);
  auto r =
      run(opened().urc(R"(\+QIURC: "recv",0,(?P<len>\d+))").payload(bytes(bin("a\r\n\0b\r\n"))));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
}

TEST_F(DirectPush, ThePayloadMatchesByLengthAndPattern) {
  link.deliver(push_urc, 50ms);
  sc::payload_step p;
  p.length = 7;
  p.pattern = sc::templated{R"((?s)a\r\n\x00(?P<letter>.)\r\n)"};
  auto r = run(opened().urc(R"(\+QIURC: "recv",0,7)").payload(p).send("AT+QICLOSE=${letter}"));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
  EXPECT_TRUE(link.written().ends_with("AT+QICLOSE=b\r"));
}

TEST_F(DirectPush, AWrongPayloadFails) {
  link.deliver(push_urc, 50ms);
  sc::payload_step p;
  p.length = 6;
  auto r = run(opened().urc(R"(\+QIURC: "recv",0,7)").payload(p));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "payload");
  EXPECT_EQ(r.failure->message, "payload of 7 bytes, expected 6");
  EXPECT_EQ(r.failure->got, "payload: a\\r\\n\\x00b\\r\\n");
}

TEST_F(DirectPush, APayloadStepAfterALineWithoutPayloadFails) {
  link.deliver("\r\n+QIURC: \"closed\",0\r\n", 50ms);
  auto r = run(opened().urc(R"(\+QIURC: "closed",0)").payload(bytes("x")));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->got, "+QIURC: \"closed\",0");
}

TEST_F(DirectPush, APayloadIsTakenOnlyOnce) {
  link.deliver(push_urc, 50ms);
  sc::payload_step any;
  auto r = run(opened().urc(R"(\+QIURC: "recv",0,7)").payload(any).payload(any));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, at_line(7));  // setup is lines 2-4
}

TEST_F(DirectPush, APayloadStepWithoutAClaimedLineIsAnError) {
  auto r = run(builder().payload(bytes("x")));
  EXPECT_EQ(r.result, verdict::error);
}

// Buffer mode (AN 2.1.5): the payload of +QIRD is matched inside the response.
TEST_F(EngineUrc, AQirdPayloadIsMatchedInTheResponse) {
  link.on_write("AT+QIRD=0,512\r", bin("\r\n+QIRD: 5\r\n\r\n\0\xff\n\r\n\r\nOK\r\n"));
  auto r = run(builder()
                   .send("AT+QIRD=0,512")
                   .expect({exact("+QIRD: 5"), payload_hex("0d 0a 00 ff 0a"), exact("OK")}));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message + r.failure->got : "");
}

TEST_F(EngineUrc, AQirdPayloadMismatchShowsThePayload) {
  link.on_write("AT+QIRD=0,512\r", "\r\n+QIRD: 3\r\nabc\r\n\r\nOK\r\n");
  auto r = run(builder()
                   .send("AT+QIRD=0,512")
                   .expect({exact("+QIRD: 3"), payload_text("abd"), exact("OK")}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->got, "+QIRD: 3 | payload: abc | OK");
  EXPECT_EQ(r.failure->expected, "+QIRD: 3 | payload \"abd\" | OK");
}

// ---- unclaimed lines at the end of the case -----------------------------------------------------

class Unclaimed : public EngineUrc {
 protected:
  runner::case_result with_closed_urc(builder b) {
    link.deliver("\r\n+QIURC: \"closed\",1\r\n", 1ms);
    return run(b.wait(10ms));
  }
};

TEST_F(Unclaimed, FailByDefault) {
  auto r = with_closed_urc(builder());
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "unclaimed");
  EXPECT_EQ(r.failure->step, "t.yaml:1");
  EXPECT_EQ(r.failure->got, "+QIURC: \"closed\",1");
}

TEST_F(Unclaimed, InconcByPolicy) {
  auto r = with_closed_urc(builder().unclaimed(sc::unclaimed_policy::inconc));
  EXPECT_EQ(r.result, verdict::inconc);
}

TEST_F(Unclaimed, IgnoredByPolicy) {
  auto r = with_closed_urc(builder().unclaimed(sc::unclaimed_policy::ignore));
  EXPECT_EQ(r.result, verdict::pass);
  EXPECT_FALSE(r.failure);
}

TEST_F(Unclaimed, CoveredByAScenarioPattern) {
  auto r = with_closed_urc(builder().ignore(R"(\+QIURC: "closed",\d)"));
  EXPECT_EQ(r.result, verdict::pass);
}

TEST_F(Unclaimed, CoveredByARunPattern) {
  ctx.ignore_urcs = {R"(\+QIURC: .*)"};
  auto r = with_closed_urc(builder());
  EXPECT_EQ(r.result, verdict::pass);
}

TEST_F(Unclaimed, PatternsMatchWholeLines) {
  auto r = with_closed_urc(builder().ignore(R"(\+QIURC)"));
  EXPECT_EQ(r.result, verdict::fail);
}

TEST_F(Unclaimed, ABadIgnorePatternIsAnError) {
  auto r = with_closed_urc(builder().ignore("(unclosed"));
  EXPECT_EQ(r.result, verdict::error);
}

TEST_F(Unclaimed, NoiseFailsWhateverThePolicy) {
  link.deliver("\r\ngarbage\r\n", 1ms);
  auto r = run(builder().unclaimed(sc::unclaimed_policy::ignore).wait(10ms));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "noise");
  EXPECT_EQ(r.failure->got, "noise: garbage (while no command was waiting)");
}

// While a command is in flight an unprefixed line is its information line (like ATI's): an
// unexpected one fails the expect, shown escaped.
TEST_F(Unclaimed, ControlBytesInsideAResponseFailTheExpect) {
  link.on_write("AT\r", "\r\n\x01\x02\r\n\r\nOK\r\n");
  auto r = run(builder().send("AT").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->got, "\\x01\\x02 | OK");
}

TEST_F(Unclaimed, ClaimedUrcsAreNotReported) {
  link.deliver("\r\n+QIURC: \"closed\",1\r\n", 1ms);
  auto r = run(builder().urc(R"(\+QIURC: "closed",1)"));
  EXPECT_EQ(r.result, verdict::pass);
}

}  // namespace
}  // namespace bcconform::runner_test
