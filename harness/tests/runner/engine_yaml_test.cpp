// Scenarios written as YAML (specs/formats/scenario.md), loaded by the scenario library and
// run by the engine against the fake link: the two agree on steps, variables and positions.
#include <gtest/gtest.h>

#include "bcconform/scenario/loader.hpp"
#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

sc::scenario load(const std::string& yaml) {
  auto r = sc::load_text(yaml, "suite/t.yaml");
  EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors.front().to_string());
  if (!r.ok() || r.file.scenarios.empty()) return {};
  return r.file.scenarios.front();
}

class EngineYaml : public ::testing::Test, protected engine_harness {};

// AN 4.1.3: buffer-mode receive, with showlength and a capture reused later.
const char* const buffer_receive = R"(title: buffer receive
unclaimed_urcs: fail
ignore_urcs: ['\+QIURC: "recv",0,"buff full"']
scenarios:
  - id: an.4.1.3
    title: read what the server sent
    spec: [AN 4.1.3]
    setup:
      - send: AT+QIOPEN=1,0,"TCP","127.0.0.1",8062,0,0
      - expect: OK
      - urc: '\+QIOPEN: (?P<cid>\d),0'
    steps:
      - urc: '\+QIURC: "recv",${cid}'
      - send: AT+QIRD=${cid},512
      - expect: ['+QIRD: 10', {payload: "1234567890"}, OK]
      - send: AT+QICFG="showlength",1
      - expect: ['+QICFG: "showlength",1', OK]
      - urc: '\+QIURC: "recv",0,(?P<n>\d+)'
      - send: AT+QIRD=0,10
      - expect:
          - {re: '\+QIRD: 10,(?P<rest>\d+)'}
          - {payload: {length: 10}}
          - {final: any}
        timeout: 1s
    teardown:
      - send: AT+QICLOSE=0
      - expect: [OK, CLOSE OK]
)";

TEST_F(EngineYaml, AChapter4ConversationPasses) {
  link.on_write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0\r", "\r\nOK\r\n")
      .then("\r\n+QIOPEN: 0,0\r\n", 30ms)
      .then("\r\n+QIURC: \"recv\",0\r\n", 60ms)
      .on_write("AT+QIRD=0,512\r", "\r\n+QIRD: 10\r\n1234567890\r\n\r\nOK\r\n")
      .on_write("AT+QICFG=\"showlength\",1\r", "\r\n+QICFG: \"showlength\",1\r\n\r\nOK\r\n")
      .then("\r\n+QIURC: \"recv\",0,12\r\n", 20ms)
      .on_write("AT+QIRD=0,10\r", "\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n")
      .then("\r\n+QIURC: \"recv\",0,\"buff full\"\r\n", 10ms)
      .on_write("AT+QICLOSE=0\r", "\r\nOK\r\n\r\nCLOSE OK\r\n");
  const auto s = load(buffer_receive);
  auto r = run(s);
  EXPECT_EQ(r.result, verdict::pass)
      << (r.failure ? r.failure->step + ": " + r.failure->message + " got " + r.failure->got : "");
  EXPECT_EQ(r.id, "an.4.1.3");
  EXPECT_EQ(r.spec, std::vector<std::string>{"AN 4.1.3"});
  EXPECT_EQ(link.pending_exchanges(), 0u);
  EXPECT_EQ(link.mismatch(), "");
  EXPECT_EQ(r.timings.size(), 5u);
  EXPECT_TRUE(noted("step suite/t.yaml:13 urc"));
}

TEST_F(EngineYaml, FailuresNameTheYamlLineOfTheStep) {
  link.on_write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0\r", "\r\nOK\r\n")
      .then("\r\n+QIOPEN: 0,0\r\n", 30ms)
      .then("\r\n+QIURC: \"recv\",0\r\n", 60ms)
      .on_write("AT+QIRD=0,512\r", "\r\n+QIRD: 10\r\n1234567899\r\n\r\nOK\r\n")
      .on_write("AT+QICLOSE=0\r", "\r\nOK\r\n\r\nCLOSE OK\r\n");
  auto r = run(load(buffer_receive));
  EXPECT_EQ(r.result, verdict::fail);
  ASSERT_TRUE(r.failure);
  EXPECT_EQ(r.failure->step, "suite/t.yaml:15");
  EXPECT_EQ(r.failure->kind, "expect");
  EXPECT_EQ(r.failure->got, "+QIRD: 10 | payload: 1234567899 | OK");
  EXPECT_EQ(link.pending_exchanges(), 0u);  // teardown ran
}

// The data-mode example of the format description, with the response the module gives for a
// fixed-length send (AN 2.1.4: OK, then SEND OK).
TEST_F(EngineYaml, DataModeWithPromptAndData) {
  link.on_write("AT+QISEND=0,5\r", "\r\n> ").on_write("hello", "\r\nOK\r\n\r\nSEND OK\r\n");
  auto r = run(load(R"(scenarios:
  - id: send
    title: data mode
    steps:
      - send: AT+QISEND=0,5
      - prompt: true
      - data: "hello"
      - expect: [OK, SEND OK]
)"));
  EXPECT_EQ(r.result, verdict::pass) << (r.failure ? r.failure->message : "");
  EXPECT_EQ(link.written(), "AT+QISEND=0,5\rhello");
}

}  // namespace
}  // namespace bcconform::runner_test
