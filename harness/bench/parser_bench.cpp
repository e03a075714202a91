// bcconform_bench: throughput of the streaming parser against a plain memchr line scan over the
// same bytes. The ratio, not the absolute figure, is what must hold across machines:
//   lines: parser >= 0.50 x memchr  (every byte is looked at, every line classified)
//   mixed: parser >= 1.00 x memchr  (payloads are skipped by their announced length, so the
//                                    parser should beat a scan that still looks at every byte)
// Before timing anything, the parser's event counts are checked against what the generator put
// in each stream: a benchmark of a parser that mis-frames is worthless.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

#include "bcconform/protocol/parser.hpp"
#include "streams.hpp"

namespace bcconform::bench {
namespace {

using protocol::event_kind;

constexpr std::size_t uart_chunk = 4096;  // what a UART driver typically hands over at once
constexpr std::size_t kinds = static_cast<std::size_t>(event_kind::overflow) + 1;

/// Counts events by kind; nothing is allocated per event.
class counting_sink final : public protocol::event_sink {
 public:
  void on_event(const protocol::event& e) override {
    ++by_kind[static_cast<std::size_t>(e.kind)];
    if (e.kind == event_kind::data) data_bytes += e.bytes.size();
    if (e.diag != protocol::diagnostic::none) ++diagnostics;
  }
  std::uint64_t count(event_kind k) const { return by_kind[static_cast<std::size_t>(k)]; }

  std::array<std::uint64_t, kinds> by_kind{};
  std::uint64_t data_bytes = 0;
  std::uint64_t diagnostics = 0;
};

/// Feeds the whole stream in `chunk`-byte pieces, then finish().
counting_sink parse(const generated_stream& s, std::size_t chunk) {
  counting_sink sink;
  protocol::stream_parser parser(s.context, sink);
  const std::string_view all = s.bytes;
  for (std::size_t at = 0; at < all.size(); at += chunk) parser.feed(all.substr(at, chunk));
  parser.finish();
  return sink;
}

std::uint64_t count_newlines(std::string_view bytes) {
  std::uint64_t n = 0;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  while (p != end) {
    const void* hit = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (hit == nullptr) break;
    ++n;
    p = static_cast<const char*>(hit) + 1;
  }
  return n;
}

void run_parser(benchmark::State& state, const generated_stream& s, std::size_t chunk) {
  for (auto _ : state) {
    counting_sink sink = parse(s, chunk);
    benchmark::DoNotOptimize(sink.by_kind.data());
    benchmark::DoNotOptimize(sink.data_bytes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.bytes.size()));
}

void run_memchr(benchmark::State& state, const generated_stream& s) {
  for (auto _ : state) {
    std::uint64_t n = count_newlines(s.bytes);
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * s.bytes.size()));
}

void BM_parse_lines(benchmark::State& st) {
  run_parser(st, line_stream(), uart_chunk);
}
void BM_parse_lines_whole(benchmark::State& st) {
  run_parser(st, line_stream(), line_stream().bytes.size());
}
void BM_memchr_lines_baseline(benchmark::State& st) {
  run_memchr(st, line_stream());
}
void BM_parse_mixed_stream(benchmark::State& st) {
  run_parser(st, mixed_stream(), uart_chunk);
}
void BM_parse_mixed_stream_whole(benchmark::State& st) {
  run_parser(st, mixed_stream(), mixed_stream().bytes.size());
}
void BM_memchr_mixed_baseline(benchmark::State& st) {
  run_memchr(st, mixed_stream());
}

BENCHMARK(BM_parse_lines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_parse_lines_whole)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_memchr_lines_baseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_parse_mixed_stream)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_parse_mixed_stream_whole)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_memchr_mixed_baseline)->Unit(benchmark::kMillisecond);

// One expectation about a parse; prints a line per mismatch and reports whether all held.
bool expect_equal(const char* stream, const char* what, std::uint64_t got, std::uint64_t want) {
  if (got == want) return true;
  std::cerr << "bcconform_bench: " << stream << " stream: parser reports " << got << ' ' << what
            << ", the generator put in " << want << '\n';
  return false;
}

bool check_counts(const generated_stream& s, std::size_t chunk) {
  const counting_sink c = parse(s, chunk);
  const char* n = chunk == uart_chunk ? "(4 KiB chunks)" : "(whole)";
  const std::string name = s.name + " " + n;
  bool ok = expect_equal(name.c_str(), "payload bytes", c.data_bytes, s.payload_bytes);
  ok &= expect_equal(name.c_str(), "payloads", c.count(event_kind::data), s.payloads());
  ok &= expect_equal(name.c_str(), "finals", c.count(event_kind::final), s.finals);
  ok &= expect_equal(name.c_str(), "info lines and URCs",
                     c.count(event_kind::info) + c.count(event_kind::urc), s.infos + s.urcs);
  ok &= expect_equal(name.c_str(), "noise lines", c.count(event_kind::noise), 0);
  ok &= expect_equal(name.c_str(), "overflows", c.count(event_kind::overflow), 0);
  ok &= expect_equal(name.c_str(), "echoes", c.count(event_kind::echo), 0);
  ok &= expect_equal(name.c_str(), "prompts", c.count(event_kind::prompt), 0);
  ok &= expect_equal(name.c_str(), "events with a diagnostic", c.diagnostics, 0);
  return ok;
}

/// Console output as usual, and the bytes/s of every benchmark kept by name.
class rate_collector final : public benchmark::ConsoleReporter {
 public:
  explicit rate_collector(OutputOptions o) : ConsoleReporter(o) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "mean") continue;
      const auto it = r.counters.find("bytes_per_second");
      if (it != r.counters.end()) rates_[r.run_name.function_name] = it->second.value;
    }
  }

  void print_ratio(const char* label, const std::string& parser, const std::string& baseline,
                   double target) const {
    const auto p = rates_.find(parser);
    const auto b = rates_.find(baseline);
    if (p == rates_.end() || b == rates_.end() || b->second <= 0) {
      std::printf("ratio %s: n/a (%s or %s not run) (target >= %.2f)\n", label, parser.c_str(),
                  baseline.c_str(), target);
      return;
    }
    const double ratio = p->second / b->second;
    std::printf("ratio %s: %.2f (target >= %.2f)%s\n", label, ratio, target,
                ratio >= target ? "" : "  BELOW TARGET");
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace
}  // namespace bcconform::bench

int main(int argc, char** argv) {
  using namespace bcconform::bench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  print_composition(std::cout, line_stream());
  print_composition(std::cout, mixed_stream());
  bool ok = true;
  for (const generated_stream* s : {&line_stream(), &mixed_stream()}) {
    ok &= check_counts(*s, uart_chunk);
    ok &= check_counts(*s, s->bytes.size());
  }
  if (!ok) {
    std::cerr << "bcconform_bench: the parser does not frame the generated streams as generated;"
                 " not measuring it\n";
    return EXIT_FAILURE;
  }
  std::cout << "event counts agree with the generator (4 KiB chunks and whole)\n" << std::flush;

  rate_collector reporter(isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_Color
                                                     : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::fflush(stdout);
  reporter.print_ratio("lines", "BM_parse_lines", "BM_memchr_lines_baseline", 0.50);
  reporter.print_ratio("mixed", "BM_parse_mixed_stream", "BM_memchr_mixed_baseline", 1.00);
  return EXIT_SUCCESS;
}
