// Hostile host bytes (the "Robustness"): 1 MB without a line end, NUL bytes, Ctrl+Z
// and Esc in command mode, a CR flood. None may grow memory past a bound, and the module must
// answer AT with OK afterwards. This file replaces the global allocation functions to track
// the bytes the interpreter holds while it is fed.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "core_fixture.hpp"

namespace {

// Each block carries its size in a header so that live bytes can be counted.
constexpr std::size_t header = alignof(std::max_align_t);
std::atomic<long long> live_bytes{0};
std::atomic<long long> peak_bytes{0};

void* counted_alloc(std::size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n + header));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, &n, sizeof n);
  const long long now = live_bytes.fetch_add(static_cast<long long>(n)) + static_cast<long long>(n);
  long long peak = peak_bytes.load();
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
  return p + header;
}

void counted_free(void* q) noexcept {
  if (q == nullptr) return;
  auto* p = static_cast<unsigned char*>(q) - header;
  std::size_t n = 0;
  std::memcpy(&n, p, sizeof n);
  live_bytes.fetch_sub(static_cast<long long>(n));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) {
  return counted_alloc(n);
}
void* operator new[](std::size_t n) {
  return counted_alloc(n);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace bcconform::emulator::testing {
namespace {

/// Most the interpreter may hold on top of its state while fed hostile input: the line
/// buffer (4 KiB), the output batch (4 KiB) and slack for the allocator's rounding.
constexpr long long memory_bound = 64 * 1024;

/// Feeds `input` in `chunk`-sized pieces and returns the growth of live heap bytes at the peak.
long long peak_growth(module& m, const std::string& input, std::size_t chunk) {
  m.host.keep_output = false;
  const long long base = live_bytes.load();
  peak_bytes.store(base);
  for (std::size_t i = 0; i < input.size(); i += chunk) {
    m.it.on_host_bytes(m.now, std::string_view(input).substr(i, chunk));
  }
  const long long growth = peak_bytes.load() - base;
  m.host.keep_output = true;
  m.host.take();
  return growth;
}

struct hostile_case {
  const char* name;
  std::string input;
  std::size_t chunk;
};

std::string megabyte_of(char c) {
  return std::string(1 << 20, c);
}

std::string with_nuls() {
  std::string s;
  for (int i = 0; i < 10000; ++i) s += std::string("\0A\0T\0\r", 6);
  return s;
}

class Hostile : public ::testing::TestWithParam<hostile_case> {};

// Issue "Robustness": bounded memory, then AT still answers OK.
TEST_P(Hostile, BoundedAndStillAnswers) {
  module m;
  m.at("ATE0");
  const long long growth = peak_growth(m, GetParam().input, GetParam().chunk);
  EXPECT_LT(growth, memory_bound) << GetParam().name;
  // Whatever line was pending is ended (and refused) by the first CR; the next AT answers.
  m.send("\r");
  EXPECT_EQ(m.at("AT"), ok) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    Robustness, Hostile,
    ::testing::Values(hostile_case{"mb_without_cr_one_call", megabyte_of('A'), 1 << 20},
                      hostile_case{"mb_without_cr_chunked", megabyte_of('x'), 4096},
                      hostile_case{"mb_of_nul", megabyte_of('\0'), 65536},
                      hostile_case{"nul_lines", with_nuls(), 1000},
                      hostile_case{"ctrl_z_flood", megabyte_of('\x1a'), 65536},
                      hostile_case{"esc_flood", megabyte_of('\x1b'), 65536},
                      hostile_case{"cr_flood", megabyte_of('\r'), 65536},
                      hostile_case{"lf_flood", megabyte_of('\n'), 65536},
                      hostile_case{"crlf_flood", std::string(1 << 19, '\r') + megabyte_of('\n'),
                                   65536},
                      hostile_case{"ff_bytes", megabyte_of('\xff'), 65536}),
    [](const auto& p) { return std::string(p.param.name); });

// The same hostile input with echo on: every echoed byte goes out, none is kept.
TEST(Hostile, EchoOfAMegabyteIsNotKept) {
  module m;
  const long long growth = peak_growth(m, megabyte_of('A'), 1 << 20);
  EXPECT_LT(growth, memory_bound);
  EXPECT_GE(m.host.written, std::size_t{1} << 20);  // echoed as typed
  EXPECT_EQ(m.send("\r"), "\r" + error);            // overlong: refused at its CR
  EXPECT_EQ(m.at("AT"), "AT\r" + ok);
}

// A host that pipelines commands while every answer is delayed (profile.response_delay):
// pending answers are bounded, the excess lines are dropped, and the module recovers.
TEST(Hostile, PipelinedFloodWithDelayedAnswers) {
  profile p = test_profile();
  p.response_delay = 100ms;
  module m(p);
  m.at("ATE0");
  m.wait(1s);
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += "AT\r";
  const long long growth = peak_growth(m, flood, 65536);
  EXPECT_LT(growth, 4 * memory_bound);
  const std::string answers = m.wait(1s);
  EXPECT_GT(answers.size(), 0u);
  EXPECT_LE(answers.size(), 256 * ok.size());
  EXPECT_EQ(m.at("AT"), "");
  EXPECT_EQ(m.wait(100ms), ok);
}

// An overlong line is refused with ERROR at its CR, however long it was (interpreter.cpp
// bound); a line at the bound is still a command.
TEST(Hostile, OverlongLineIsError) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at("AT+CGMR" + std::string(5000, ' ')), error);
  EXPECT_EQ(m.at("AT+CGMR" + std::string(4000, ' ')), framed("Revision: BC25PAR01A06") + ok);
}

// NUL bytes inside a command make it a syntax error, not a crash or a truncated command.
TEST(Hostile, NulInsideCommandIsError) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.at(std::string("AT\0", 3)), error);
  EXPECT_EQ(m.at(std::string("\0", 1)), error);
  EXPECT_EQ(m.at("AT"), ok);
}

// emulator.md §1.1: Ctrl+Z and Esc in command mode are ignored (not echoed, not in the line).
TEST(Hostile, CtrlZAndEscIgnoredInCommandMode) {
  module m;
  EXPECT_EQ(m.send("\x1a\x1b"
                   "A\x1aT\x1b\r"),
            "AT\r" + ok);
}

// Garbage between commands: each garbage line is refused, the commands still answer.
TEST(Hostile, GarbageBetweenCommands) {
  module m;
  m.at("ATE0");
  EXPECT_EQ(m.send("\x01\x02\x03\rAT\r+++\rAT+CGATT?\r"),
            error + ok + error + framed("+CGATT: 1") + ok);
}

}  // namespace
}  // namespace bcconform::emulator::testing
