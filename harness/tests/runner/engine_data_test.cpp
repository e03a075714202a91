// prompt and data: data mode of AT+QISEND / AT+QISENDEX (AN 2.1.4, 2.1.6): the terminator the
// form needs, Esc to cancel (E13), SEND FAIL without OK for empty data (AN 2.1.4 note 4), echo.
#include <gtest/gtest.h>

#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;
using end = sc::data_step::end;

class EngineData : public ::testing::Test, protected engine_harness {
 protected:
  std::string why(const runner::case_result& r) const {
    return r.failure ? r.failure->message + " / got: " + r.failure->got : "";
  }
};

TEST_F(EngineData, TheCtrlZFormGetsCtrlZAutomatically) {
  link.on_write("AT+QISEND=0\r", "\r\n> ")
      .on_write("hello\x1A", "\r\nOK\r\n")
      .then("\r\nSEND OK\r\n", 40ms);
  auto r =
      run(builder().send("AT+QISEND=0").prompt().data("hello").expect_lines({"OK"}).urc("SEND OK"));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  EXPECT_EQ(link.written(), "AT+QISEND=0\rhello\x1A");
  EXPECT_EQ(link.mismatch(), "");
}

TEST_F(EngineData, TheFixedLengthFormGetsNoTerminator) {
  link.on_write("AT+QISEND=0,5\r", "\r\n> ").on_write("hello", "\r\nOK\r\n\r\nSEND OK\r\n");
  auto r =
      run(builder().send("AT+QISEND=0,5").prompt().data("hello").expect_lines({"OK", "SEND OK"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  EXPECT_EQ(link.written(), "AT+QISEND=0,5\rhello");
}

TEST_F(EngineData, HexDataForQisendexWithCtrlZ) {
  link.on_write("AT+QISENDEX=0\r", "\r\n> ").on_write("3031\x1A", "\r\nOK\r\n\r\nSEND OK\r\n");
  auto r = run(builder()
                   .send("AT+QISENDEX=0")
                   .prompt()
                   .data("3031", end::ctrl_z)
                   .expect_lines({"OK", "SEND OK"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
}

TEST_F(EngineData, HexBytesAreDecoded) {
  link.on_write("AT+QISEND=0,3\r", "\r\n> ").on_write(bin("\0\r\n"), "\r\nOK\r\n");
  auto r = run(builder().send("AT+QISEND=0,3").prompt().data_hex("00 0D 0a").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
}

// E13: Esc cancels; the module answers ERROR (571) by default.
TEST_F(EngineData, EscCancels) {
  link.on_write("AT+QISEND=0\r", "\r\n> ").on_write("hel\x1B", "\r\nERROR\r\n");
  auto r =
      run(builder().send("AT+QISEND=0").prompt().data("hel", end::esc).expect_lines({"ERROR"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  EXPECT_EQ(link.written(), "AT+QISEND=0\rhel\x1B");
}

TEST_F(EngineData, NoneWritesOnlyTheBytes) {
  link.on_write("AT+QISEND=0\r", "\r\n> ").on_write("abc", "");
  auto r = run(builder().send("AT+QISEND=0").prompt().data("abc", end::none));
  EXPECT_EQ(link.written(), "AT+QISEND=0\rabc");
  EXPECT_EQ(r.result, verdict::pass);
}

// AN 2.1.4 note 4: empty data and Ctrl+Z give SEND FAIL at once, with no OK: it is the final
// result of the command in flight.
TEST_F(EngineData, SendFailAloneEndsTheResponse) {
  link.on_write("AT+QISEND=0\r", "\r\n> ").on_write("\x1A", "\r\nSEND FAIL\r\n");
  auto r = run(builder().send("AT+QISEND=0").prompt().data("").expect_lines({"SEND FAIL"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  ASSERT_EQ(r.timings.size(), 1u);
  EXPECT_EQ(r.timings[0].command, "AT+QISEND");
}

// The response time of a data-mode command runs from the end of its data, not of its line.
TEST_F(EngineData, TheResponseTimeStartsAfterTheData) {
  link.on_write("AT+QISEND=0\r", "\r\n> ").on_write("x\x1A", "\r\nOK\r\n", 250ms);
  auto r = run(builder().send("AT+QISEND=0").prompt().wait(1000ms).data("x").expect_lines({"OK"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
  ASSERT_EQ(r.timings.size(), 1u);
  EXPECT_DOUBLE_EQ(r.timings[0].seconds, 0.25);
}

TEST_F(EngineData, EchoOfLineAndDataIsSkipped) {
  link.on_write("AT+QISEND=0\r", "AT+QISEND=0\r\r\n> ")
      .on_write("\r\nOK\r\n\x1A", "\r\nOK\r\n\r\nOK\r\n\r\nSEND OK\r\n");
  link.set_chunk(1);
  auto r = run(
      builder().send("AT+QISEND=0").prompt().data("\r\nOK\r\n").expect_lines({"OK", "SEND OK"}));
  EXPECT_EQ(r.result, verdict::pass) << why(r);
}

TEST_F(EngineData, AnErrorInsteadOfThePromptFails) {
  link.on_write("AT+QISEND=0\r", "\r\nERROR\r\n");
  auto r = run(builder().send("AT+QISEND=0").prompt().data("x"));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->kind, "prompt");
  EXPECT_EQ(r.failure->expected, "> ");
  EXPECT_EQ(r.failure->got, "ERROR");
  EXPECT_EQ(link.written(), "AT+QISEND=0\r");  // the data step did not run
}

TEST_F(EngineData, NoPromptWithinTheDeadlineFails) {
  auto r = run(builder().send("AT+QISEND=0").prompt(700ms));
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 700ms);
}

TEST_F(EngineData, ThePromptDefaultsToFiveSeconds) {
  auto r = run(builder().send("AT+QISEND=0").prompt());
  EXPECT_EQ(r.result, verdict::fail);
  EXPECT_EQ(link.time().elapsed(), 5000ms);
}

}  // namespace
}  // namespace bcconform::runner_test
