// The chapter-4 conversations of the note (corpus/transcripts/an_4_*.bctr, the same files the
// parser's golden tests decode) replayed by the fake link with the module's bytes cut into
// every chunk size from single bytes up: the engine must reach the same verdict, at the same
// step, with the same timings, however the bytes arrive.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "bcconform/protocol/transcript.hpp"
#include "scenario_builder.hpp"

namespace bcconform::runner_test {
namespace {

using runner::verdict;

// `>` records become exchanges; the `<` records after one are its answers, 5 ms apart.
void script_from_transcript(fake_transport& link, const std::string& name) {
  std::ifstream in(std::string(BCCONFORM_SOURCE_DIR) + "/corpus/transcripts/" + name);
  ASSERT_TRUE(in) << name;
  std::string text;
  bool any_exchange = false;
  ms after{0};
  while (std::getline(in, text)) {
    auto rec = protocol::parse_transcript_line(text);
    ASSERT_TRUE(rec) << name << ": " << text;
    if (rec->dir == protocol::direction::to_module) {
      link.on_write(rec->bytes, "");
      any_exchange = true;
      after = 0ms;
    } else if (rec->dir == protocol::direction::from_module) {
      after += 5ms;
      if (any_exchange) {
        link.then(rec->bytes, after);
      } else {
        link.deliver(rec->bytes, after);
      }
    }
  }
}

builder an_4_1_3() {
  builder b("an_4_1_3");
  b.send("ATE0").expect_lines({"OK"});
  b.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0").expect_lines({"OK"});
  b.urc(R"(\+QIOPEN: 0,0)").urc(R"(\+QIURC: "recv",0)");
  b.send("AT+QIRD=0,512").expect({exact("+QIRD: 10"), payload_text("1234567890"), exact("OK")});
  b.send("AT+QIRD=0,512").expect_lines({"+QIRD: 0", "OK"});
  b.send("AT+QICFG=\"showlength\",1").expect_lines({"+QICFG: \"showlength\",1", "OK"});
  b.urc(R"(\+QIURC: "recv",0,(?P<len>\d+))");
  b.send("AT+QIRD=0,10")
      .expect({re(R"(\+QIRD: 10,(?P<rest>\d+))"), payload_length(10), exact("OK")});
  b.urc(R"(\+QIURC: "recv",0,"buff full")");
  b.send("AT+QICFG=\"viewmode\",1").expect_lines({"+QICFG: \"viewmode\",1", "OK"});
  b.send("AT+QISEND=0,${len},\"012345678901\"").expect_lines({"OK", "SEND OK"});
  b.urc(R"(\+QIURC: "recv",0,12)");
  b.send("AT+QIRD=0,10").expect({exact("+QIRD: 10,${rest}"), payload_re("[0-9]{10}"), exact("OK")});
  return b;
}

builder an_4_1_2() {
  builder b("an_4_1_2");
  b.send("ATE0").expect_lines({"OK"});
  b.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0").expect_lines({"OK"});
  b.urc(R"(\+QIOPEN: 0,0)");
  b.send("AT+QISEND=0,10,\"1234567890\"").expect_lines({"OK"}).urc("SEND OK");
  b.send("AT+QISENDEX=0,5,\"3031323334\"").expect_lines({"OK", "SEND OK"});
  b.send("AT+QISEND=0,10,\"1234567890\"").expect_lines({"OK"});
  b.send("AT+QISEND=0,10,\"1234567890\"").expect_lines({"ERROR"}).urc("SEND OK");
  return b;
}

builder an_4_2_3() {
  builder b("an_4_2_3");
  sc::payload_step five, twelve;
  five.bytes = sc::bytes_spec{sc::bytes_spec::kind::text, {"12345"}};
  twelve.length = 12;
  twelve.pattern = sc::templated{"0123456789(?P<tail>..)"};
  b.send("ATE0").expect_lines({"OK"});
  b.send("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1").expect_lines({"OK"});
  b.urc(R"(\+QIOPEN: 0,0)");
  b.send("AT+QICFG=\"showlength\",1").expect_lines({"+QICFG: \"showlength\",1", "OK"});
  b.urc(R"(\+QIURC: "recv",0,5)").payload(five);
  b.send("AT+QICFG=\"viewmode\",1").expect_lines({"+QICFG: \"viewmode\",1", "OK"});
  b.send("AT+QISEND=0,12,\"012345678901\"").expect_lines({"OK"}).urc("SEND OK");
  b.urc(R"(\+QIURC: "recv",0,12)").payload(twelve);
  return b;
}

builder an_4_3_3() {
  builder b("an_4_3_3");
  b.send("ATE0").expect_lines({"OK"});
  b.send("AT+QIOPEN=1,0,\"TCP LISTENER\",\"127.0.0.1\",0,2020,0").expect_lines({"OK"});
  b.urc(R"(\+QIOPEN: 0,0)");
  b.urc(R"(\+QIURC: "incoming",(?P<id>\d),0,"127\.0\.0\.1",\d+)");
  b.urc(R"(\+QIURC: "recv",${id})");
  b.send("AT+QIRD=${id},512").expect({exact("+QIRD: 4"), payload_text("test"), any_final()});
  b.send("AT+QIRD=${id},512").expect_lines({"+QIRD: 0", "OK"});
  return b;
}

struct conversation {
  const char* transcript;
  builder (*scenario)();
};

class Chunking : public ::testing::TestWithParam<conversation> {};

struct outcome {
  verdict v;
  std::string step;
  std::size_t timings;
  ms elapsed;
  bool operator==(const outcome&) const = default;
};

outcome run_in_chunks(const conversation& c, std::size_t chunk, const sc::scenario& s) {
  engine_harness h;
  script_from_transcript(h.link, c.transcript);
  h.link.set_chunk(chunk);
  auto r = h.run(s);
  EXPECT_EQ(h.link.mismatch(), "") << c.transcript << " chunk " << chunk;
  return {r.result, r.failure ? r.failure->step + ": " + r.failure->message : "", r.timings.size(),
          h.link.time().elapsed()};
}

TEST_P(Chunking, EveryChunkSizeGivesThePassOfTheWholeDelivery) {
  const auto& c = GetParam();
  const sc::scenario s = c.scenario();
  const outcome whole = run_in_chunks(c, 1 << 16, s);
  EXPECT_EQ(whole.v, verdict::pass) << whole.step;
  EXPECT_EQ(whole.step, "");
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    EXPECT_EQ(run_in_chunks(c, chunk, s), whole) << c.transcript << " chunk " << chunk;
  }
}

// The same conversation with the last payload expectation broken: the failure is the same,
// at the same step, for every chunking.
TEST_P(Chunking, EveryChunkSizeGivesTheSameFailure) {
  const auto& c = GetParam();
  sc::scenario s = c.scenario();
  auto& last = s.steps.back();
  if (auto* e = std::get_if<sc::expect_step>(&last.body)) {
    e->lines.insert(e->lines.begin(), exact("+QIURC: \"recv\",0,99"));
  } else if (auto* u = std::get_if<sc::urc_step>(&last.body)) {
    u->pattern.text += "x";
    u->timeout = 1000ms;
  } else {
    std::get<sc::payload_step>(last.body).length = 99;
  }
  const outcome whole = run_in_chunks(c, 1 << 16, s);
  EXPECT_EQ(whole.v, verdict::fail);
  EXPECT_EQ(whole.step.rfind(at_line(last.pos.line), 0), 0u) << whole.step;
  for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
    EXPECT_EQ(run_in_chunks(c, chunk, s), whole) << c.transcript << " chunk " << chunk;
  }
}

INSTANTIATE_TEST_SUITE_P(Chapter4, Chunking,
                         ::testing::Values(conversation{"an_4_1_2_buffer_send.bctr", an_4_1_2},
                                           conversation{"an_4_1_3_buffer_receive.bctr", an_4_1_3},
                                           conversation{"an_4_2_3_push_receive.bctr", an_4_2_3},
                                           conversation{"an_4_3_3_tcp_server_receive.bctr",
                                                        an_4_3_3}),
                         [](const auto& param_info) {
                           std::string name = param_info.param.transcript;
                           name = name.substr(0, name.find('.'));
                           return name;
                         });

}  // namespace
}  // namespace bcconform::runner_test
