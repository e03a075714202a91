// The parser's contract says feed(), finish() and reset() never allocate (parser.hpp). This file
// replaces the global allocation functions to count allocations while the parser runs.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "bcconform/protocol/parser.hpp"

namespace {

std::atomic<bool> counting{false};
std::atomic<long> allocations{0};

}  // namespace

void* operator new(std::size_t n) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// The operator new above allocates with malloc, so free() is its match; GCC sees only that
// free() meets a pointer from an operator new, and warns.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop
void* operator new[](std::size_t n) {
  return operator new(n);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

namespace bcconform::protocol {
namespace {

class counting_sink : public event_sink {
 public:
  void on_event(const event& e) override {
    ++events;
    bytes += e.bytes.size();
  }
  long events = 0;
  std::size_t bytes = 0;
};

// A session touching every parser state: lines, prompt, counted and inline payloads (both
// viewmodes through the context), direct push, an overlong line, noise, a truncated tail.
std::string session_bytes() {
  std::string s = "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n";
  s += "\r\n> \r\n+QIURC: \"recv\",1,5\r\nab\r\nc\r\n\r\n+QIURC: \"recv\",1\r\nline data\r\n";
  s += std::string(3000, 'x') + "\r\n\r\nSEND OK\r\n";
  s += std::string("\x00\xff garbage\r\n", 12) + "\r\n+CME ERROR: 50\r\n\r\n+QIRD: 12\r\nabc";
  return s;
}

TEST(ParserAllocation, FeedFinishAndResetNeverAllocate) {
  stream_context ctx;
  ctx.access[1] = access_mode::direct_push;
  counting_sink sink;
  stream_parser parser(ctx, sink);
  const std::string input = session_bytes();
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, input.size()}) {
    allocations = 0;
    counting = true;
    for (std::size_t i = 0; i < input.size(); i += chunk) {
      parser.feed(std::string_view(input).substr(i, chunk));
    }
    parser.finish();
    parser.reset();
    ctx.viewmode = 1 - ctx.viewmode;  // the second pass runs the inline-header path
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << "chunk size " << chunk;
  }
  EXPECT_GT(sink.events, 30);
}

}  // namespace
}  // namespace bcconform::protocol
