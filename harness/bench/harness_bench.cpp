// bcconform_harness_bench: what the scenario engine costs per step. One bcemu child (exec
// transport, `bcemu --stdio`) answers two loops of AT/OK round trips in the same run:
//   engine: a scenario of N `send: AT` / `expect: OK` pairs run by runner::run_case()
//   direct: the same N round trips written straight against the transport ("AT\r" out, read
//           until the echo and "\r\nOK\r\n" are in, every read with a deadline)
// A round trip through a child process costs tens of microseconds of pipe and scheduler time,
// so the engine is judged by the ratio of the per-step medians:
//   engine / direct <= 1.25
// Rounds alternate engine and direct, so a change in the machine's load hits both alike. Every
// engine run must pass and every direct answer is checked byte for byte; a wrong answer ends
// the run with an error instead of a timing.
//
// Options besides Google Benchmark's: --steps=N (round trips per loop, default 10000),
// --rounds=N (measurements of each loop, default 5), --bcemu=PATH to measure another build.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/runner/engine.hpp"
#include "bcconform/scenario/model.hpp"
#include "bcconform/transport/open.hpp"

namespace bcconform::bench {
namespace {

// Echo is on after boot (ATE1 is the module's default): the module repeats the command line,
// then answers. The engine skips the echo; the direct loop reads past it.
constexpr std::string_view echo_and_ok = "AT\r\r\nOK\r\n";
constexpr auto boot_timeout = std::chrono::seconds(10);
constexpr auto step_timeout = std::chrono::seconds(5);
constexpr std::size_t read_chunk = 4096;

struct options {
  std::size_t steps = 10000;
  int rounds = 5;
  std::string bcemu = BCEMU_PATH;
};

options& opts() {
  static options o;
  return o;
}

/// The one bcemu child both loops talk to, booted before anything is timed. A loop that fails
/// leaves the link in an unknown state, so every later measurement is skipped.
struct module {
  std::unique_ptr<transport::transport> link;
  std::string error;  // why the module is unusable; empty while it is fine
};

module& the_module() {
  static module m;
  return m;
}

std::string target_text() {
  return "exec:\"" + opts().bcemu + "\" --stdio --time-scale 0.01 --quiet";
}

// Reads until `want` has arrived; false (and `got` holds what came) on deadline or link error.
bool read_until(transport::transport& t, std::string_view want, std::string& got,
                transport::deadline until) {
  while (got.find(want) == std::string::npos) {
    if (!t.read(got, read_chunk, until)) return false;
  }
  return true;
}

/// Starts bcemu and waits for its boot line; on failure module::error says why.
void start_module(module& m) {
  auto target = transport::parse_target(target_text());
  if (!target) {
    m.error = "bad target " + target_text() + ": " + target.error().detail;
    return;
  }
  auto link = transport::open(*target);
  if (!link) {
    m.error = "cannot start " + target_text() + ": " + link.error().detail;
    return;
  }
  std::string got;
  if (!read_until(**link, "RDY\r\n", got, transport::steady().now() + boot_timeout)) {
    m.error = "bcemu sent no RDY: '" + got + "'";
    return;
  }
  m.link = std::move(*link);
}

transport::transport* usable_module(benchmark::State& state) {
  module& m = the_module();
  if (!m.link && m.error.empty()) start_module(m);
  if (!m.error.empty()) {
    state.SkipWithError(m.error.c_str());
    return nullptr;
  }
  return m.link.get();
}

void give_up(benchmark::State& state, std::string why) {
  module& m = the_module();
  m.error = std::move(why);
  state.SkipWithError(m.error.c_str());
}

scenario::scenario at_ok_scenario(std::size_t pairs) {
  scenario::scenario s;
  s.id = "at_ok_loop";
  s.title = "AT/OK round trips";
  s.pos = {"harness_bench", 1, 1};
  s.steps.reserve(2 * pairs);
  for (std::size_t i = 0; i < pairs; ++i) {
    const int line = static_cast<int>(2 * i + 2);
    s.steps.push_back({scenario::send_step{{"AT"}}, {"harness_bench", line, 3}, ""});
    scenario::line_matcher ok;
    ok.text = {"OK"};
    s.steps.push_back(
        {scenario::expect_step{{ok}, std::nullopt}, {"harness_bench", line + 1, 3}, ""});
  }
  return s;
}

const scenario::scenario& the_scenario() {
  static const scenario::scenario s = at_ok_scenario(opts().steps);
  return s;
}

using seconds = std::chrono::duration<double>;

void record(benchmark::State& state, double elapsed, double& per_step_us) {
  state.SetIterationTime(elapsed);
  per_step_us += elapsed * 1e6 / static_cast<double>(opts().steps);
}

void set_counters(benchmark::State& state, double per_step_us) {
  state.counters["us_per_step"] =
      benchmark::Counter(per_step_us, benchmark::Counter::kAvgIterations);
  state.counters["steps"] = static_cast<double>(opts().steps);
}

void bm_engine(benchmark::State& state) {
  transport::transport* link = usable_module(state);
  if (link == nullptr) return;
  const scenario::scenario& s = the_scenario();
  runner::case_context ctx;
  ctx.link = link;
  double per_step_us = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const runner::case_result r = runner::run_case(s, ctx);
    record(state, seconds(std::chrono::steady_clock::now() - start).count(), per_step_us);
    if (r.result != runner::verdict::pass) {
      const auto& f = r.failure;
      give_up(state, "engine verdict " + std::string(runner::to_string(r.result)) +
                         (f ? ": " + f->step + " " + f->kind + ": " + f->message : std::string()));
      return;
    }
  }
  set_counters(state, per_step_us);
}

// One round trip; false with `why` set when the answer is late or not exactly the expected.
bool direct_round_trip(transport::transport& link, std::string& got, std::string& why) {
  const auto until = link.clock().now() + step_timeout;
  got.clear();
  if (auto w = link.write("AT\r", until); !w) {
    why = "write: " + w.error().detail;
    return false;
  }
  while (got.size() < echo_and_ok.size()) {
    if (auto n = link.read(got, read_chunk, until); !n) {
      why = "read: " + n.error().detail + " after '" + got + "'";
      return false;
    }
  }
  if (got == echo_and_ok) return true;
  why = "answer '" + got + "', not '" + std::string(echo_and_ok) + "'";
  return false;
}

void bm_direct(benchmark::State& state) {
  transport::transport* link = usable_module(state);
  if (link == nullptr) return;
  std::string got, why;
  got.reserve(read_chunk);
  double per_step_us = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < opts().steps; ++i) {
      if (!direct_round_trip(*link, got, why)) {
        give_up(state, "direct step " + std::to_string(i + 1) + ": " + why);
        return;
      }
    }
    record(state, seconds(std::chrono::steady_clock::now() - start).count(), per_step_us);
  }
  set_counters(state, per_step_us);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/// Console output as usual; the per-step figure of every round kept by benchmark name.
class step_collector final : public benchmark::ConsoleReporter {
 public:
  explicit step_collector(OutputOptions o) : ConsoleReporter(o) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) failed_ = true;
      if (r.error_occurred || r.run_type == Run::RT_Aggregate) continue;
      const auto it = r.counters.find("us_per_step");
      if (it != r.counters.end()) per_step_[r.run_name.function_name].push_back(it->second.value);
    }
  }

  void print_summary() const {
    for (const char* name : {"engine", "direct"}) {
      const auto it = per_step_.find(name);
      if (it == per_step_.end()) continue;
      std::printf("median per step %-6s %8.2f us  (%zu rounds of %zu steps)\n", name,
                  median(it->second), it->second.size(), opts().steps);
    }
    const auto e = per_step_.find("engine");
    const auto d = per_step_.find("direct");
    if (e == per_step_.end() || d == per_step_.end() || median(d->second) <= 0) {
      std::printf("ratio engine/direct: n/a (not run) (target <= 1.25)\n");
      return;
    }
    const double ratio = median(e->second) / median(d->second);
    std::printf("ratio engine/direct: %.2f (target <= 1.25)%s\n", ratio,
                ratio <= 1.25 ? "" : "  ABOVE TARGET");
  }

  bool failed() const { return failed_; }

 private:
  std::map<std::string, std::vector<double>> per_step_;
  bool failed_ = false;
};

// "--name=V" or "--name V"; advances `i` past a separate value.
bool take_value(std::string_view name, int& i, int argc, char** argv, std::string& value) {
  const std::string_view a = argv[i];
  if (a.size() > name.size() && a.starts_with(name) && a[name.size()] == '=') {
    value = std::string(a.substr(name.size() + 1));
    return true;
  }
  if (a != name || i + 1 >= argc) return false;
  value = argv[++i];
  return true;
}

bool positive(const std::string& text, long& out) {
  char* end = nullptr;
  out = std::strtol(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' && out > 0;
}

/// Takes --steps, --rounds and --bcemu out of argv; false on a bad value.
bool take_own_flags(int& argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    std::string value;
    long n = 0;
    if (take_value("--steps", i, argc, argv, value)) {
      if (!positive(value, n)) return false;
      opts().steps = static_cast<std::size_t>(n);
    } else if (take_value("--rounds", i, argc, argv, value)) {
      if (!positive(value, n)) return false;
      opts().rounds = static_cast<int>(n);
    } else if (take_value("--bcemu", i, argc, argv, value)) {
      opts().bcemu = value;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return true;
}

}  // namespace
}  // namespace bcconform::bench

int main(int argc, char** argv) {
  using namespace bcconform::bench;
  if (!take_own_flags(argc, argv)) {
    std::fprintf(stderr, "bcconform_harness_bench: --steps and --rounds take a positive number\n");
    return EXIT_FAILURE;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return EXIT_FAILURE;

  // One full loop per measurement; rounds alternate, so load changes hit both loops alike.
  for (int round = 0; round < opts().rounds; ++round) {
    benchmark::RegisterBenchmark("engine", bm_engine)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("direct", bm_direct)
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  std::printf("target: %s\nsteps per loop: %zu (send AT / expect OK)\n", target_text().c_str(),
              opts().steps);
  std::fflush(stdout);

  step_collector reporter(isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_Color
                                                     : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  the_module().link.reset();  // SIGTERM to bcemu, reaped
  std::fflush(stdout);
  reporter.print_summary();
  return reporter.failed() ? EXIT_FAILURE : EXIT_SUCCESS;
}
