// bcemu_bench: AT/OK round trips per second through bcemu, and through a trivial responder
// (tools/bcemu/trivial_responder.c: answers every CR with "\r\nOK\r\n") with the same loop in the
// same run. A round trip through any process costs tens of microseconds of pipe or pty and
// scheduler time on these machines, so the emulator is judged by the ratio:
//   stdio: bcemu >= 0.80 x trivial responder
//   pty:   reported for information (both ends of a pty add the line discipline's cost)
// The loop writes "AT\r" and reads until "\r\nOK\r\n" (bcemu with echo off: ATE0 first); every
// answer is checked byte for byte. A watchdog (SIGALRM) bounds every measurement, so a child
// that stops answering ends the run with an error instead of a hang.
//
// Options besides Google Benchmark's: --bcemu=PATH and --trivial=PATH to measure other builds.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace bcconform::bench {
namespace {

constexpr std::string_view ok_answer = "\r\nOK\r\n";
constexpr unsigned watchdog_seconds = 60;  // per measurement; a healthy one takes ~1 s
constexpr int setup_timeout_ms = 10000;    // boot, "pty: PATH", ATE0

std::string bcemu_path = BCEMU_PATH;
std::string trivial_path = TRIVIAL_RESPONDER_PATH;

enum class program { bcemu, trivial };
enum class line { stdio, pty };

/// Reads until `want` has arrived (poll with a deadline); false on timeout, EOF or error.
bool read_until(int fd, std::string_view want, std::string& got) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(setup_timeout_ms);
  while (got.find(want) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buf[512];
    const auto n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return true;
}

bool make_raw(int fd) {
  termios t{};
  if (::tcgetattr(fd, &t) != 0) return false;
  ::cfmakeraw(&t);
  return ::tcsetattr(fd, TCSANOW, &t) == 0;
}

/// A child process and the two descriptors the loop uses (the same one for a pty).
class responder {
 public:
  ~responder() {
    for (int fd : {write_fd_, read_fd_ == write_fd_ ? -1 : read_fd_}) {
      if (fd >= 0) ::close(fd);
    }
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 200 && ::waitpid(pid_, nullptr, WNOHANG) == 0; ++i) {
      pollfd none{-1, 0, 0};
      ::poll(&none, 1, 10);  // up to 2 s to exit after SIGTERM (end of the run only)
    }
    if (::waitpid(pid_, nullptr, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  /// Starts the program on the line and brings it to the state the loop expects; empty and
  /// `error` set on failure.
  static std::unique_ptr<responder> start(program p, line l, std::string& error);

  int write_fd() const { return write_fd_; }
  int read_fd() const { return read_fd_; }
  /// CPU seconds (user + system) the child has used so far, from /proc; -1 if unreadable.
  double cpu_seconds() const;

 private:
  bool spawn(const std::vector<std::string>& args, int child_in, int child_out);
  bool start_stdio(const std::string& path, const std::vector<std::string>& args);
  bool start_bcemu_pty(std::string& error);
  bool start_trivial_pty();
  bool bcemu_ready(std::string& error);

  pid_t pid_ = -1;
  int write_fd_ = -1, read_fd_ = -1;
};

bool responder::spawn(const std::vector<std::string>& args, int child_in, int child_out) {
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  if (child_in >= 0) {
    ::posix_spawn_file_actions_adddup2(&actions, child_in, STDIN_FILENO);
  } else {
    ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  ::posix_spawn_file_actions_adddup2(&actions, child_out, STDOUT_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) pid_ = -1;
  return rc == 0;
}

bool responder::start_stdio(const std::string& path, const std::vector<std::string>& extra) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) return false;
  std::vector<std::string> args{path};
  args.insert(args.end(), extra.begin(), extra.end());
  const bool ok = spawn(args, in[0], out[1]);
  ::close(in[0]);
  ::close(out[1]);
  write_fd_ = in[1];
  read_fd_ = out[0];
  return ok;
}

// bcemu makes the pty and keeps the master; the loop talks to the slave, as a driver would.
bool responder::start_bcemu_pty(std::string& error) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return false;
  const bool ok = spawn({bcemu_path, "--pty", "--quiet", "--time-scale", "0.01"}, -1, out[1]);
  ::close(out[1]);
  std::string printed;
  const bool named = ok && read_until(out[0], "\n", printed);
  ::close(out[0]);
  if (!named || !printed.starts_with("pty: ")) {
    error = "bcemu --pty printed no path: " + printed;
    return false;
  }
  const std::string path = printed.substr(5, printed.find('\n') - 5);
  write_fd_ = read_fd_ = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
  return write_fd_ >= 0 && make_raw(write_fd_);
}

// The baseline through a pty too: the responder's stdin and stdout are the slave, the loop
// talks to the master.
bool responder::start_trivial_pty() {
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) return false;
  write_fd_ = read_fd_ = master;
  char name[128] = {};
  if (::grantpt(master) != 0 || ::unlockpt(master) != 0 ||
      ::ptsname_r(master, name, sizeof name) != 0) {
    return false;
  }
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) return false;
  const bool ok = make_raw(slave) && spawn({trivial_path}, slave, slave);
  ::close(slave);
  return ok;
}

// After the boot URC, echo off: the answer to AT is then exactly "\r\nOK\r\n".
bool responder::bcemu_ready(std::string& error) {
  std::string got;
  if (!read_until(read_fd_, "RDY\r\n", got)) {
    error = "bcemu sent no RDY: '" + got + "'";
    return false;
  }
  got.clear();
  if (::write(write_fd_, "ATE0\r", 5) != 5 || !read_until(read_fd_, "OK\r\n", got)) {
    error = "bcemu did not answer ATE0: '" + got + "'";
    return false;
  }
  return true;
}

double responder::cpu_seconds() const {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid_));
  std::FILE* f = std::fopen(path, "r");
  if (f == nullptr) return -1;
  char text[1024] = {};
  const std::size_t n = std::fread(text, 1, sizeof text - 1, f);
  std::fclose(f);
  // Fields 14 and 15 (utime, stime) follow the command name, which ends with the last ')'.
  const char* p = std::strrchr(text, ')');
  unsigned long long utime = 0, stime = 0;
  if (n == 0 || p == nullptr ||
      std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                  &stime) != 2) {
    return -1;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::unique_ptr<responder> responder::start(program p, line l, std::string& error) {
  auto r = std::make_unique<responder>();
  bool ok = false;
  if (p == program::trivial) {
    ok = l == line::stdio ? r->start_stdio(trivial_path, {}) : r->start_trivial_pty();
  } else {
    ok = l == line::stdio ? r->start_stdio(bcemu_path, {"--quiet", "--time-scale", "0.01"})
                          : r->start_bcemu_pty(error);
    ok = ok && r->bcemu_ready(error);
  }
  if (!ok) {
    if (error.empty()) error = std::string("cannot start the responder: ") + std::strerror(errno);
    return nullptr;
  }
  return r;
}

/// One child per (program, line), started on first use and kept for the whole run: Google
/// Benchmark calls a benchmark several times while it sizes the iteration count.
std::map<std::pair<program, line>, std::unique_ptr<responder>>& responders() {
  static std::map<std::pair<program, line>, std::unique_ptr<responder>> all;
  return all;
}

void on_watchdog(int) {}  // only interrupts the blocking read()

/// One round trip: "AT\r" out, "\r\nOK\r\n" back (blocking descriptors; the watchdog bounds it).
bool round_trip(int out, int in, char (&buf)[64], std::size_t& got) {
  if (::write(out, "AT\r", 3) != 3) return false;
  got = 0;
  while (got < ok_answer.size()) {
    const auto n = ::read(in, buf + got, sizeof buf - got);
    if (n <= 0) return false;
    got += static_cast<std::size_t>(n);
  }
  return std::string_view(buf, got) == ok_answer;
}

void bm_at_ok(benchmark::State& state, program p, line l) {
  auto& slot = responders()[{p, l}];
  if (!slot) {
    std::string error;
    slot = responder::start(p, l, error);
    if (!slot) {
      state.SkipWithError(error.c_str());
      return;
    }
  }
  char buf[64];
  std::size_t got = 0;
  const double cpu_before = slot->cpu_seconds();
  ::alarm(watchdog_seconds);
  for (auto _ : state) {
    if (!round_trip(slot->write_fd(), slot->read_fd(), buf, got)) {
      static std::string why;
      why = "no \\r\\nOK\\r\\n: got '" + std::string(buf, std::min<std::size_t>(got, 64)) + "' (" +
            std::strerror(errno) + ")";
      state.SkipWithError(why.c_str());
      break;
    }
  }
  ::alarm(0);
  state.counters["round_trips_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // What the responder itself spends per round trip (clock-tick resolution: meaningful only
  // over runs of a second or so); the rest of a round trip is the kernel's and the loop's.
  const double cpu_after = slot->cpu_seconds();
  if (cpu_before >= 0 && cpu_after >= 0 && state.iterations() > 0) {
    state.counters["child_cpu_us"] =
        (cpu_after - cpu_before) * 1e6 / static_cast<double>(state.iterations());
  }
}

/// Console output as usual; round trips per real second kept per benchmark (all repetitions).
class rate_collector final : public benchmark::ConsoleReporter {
 public:
  explicit rate_collector(OutputOptions o) : ConsoleReporter(o) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred) failed_ = true;
      if (r.error_occurred) continue;
      const std::string name = r.run_name.function_name;
      if (r.run_type == Run::RT_Aggregate) {
        // With --benchmark_report_aggregates_only only these come: keep the mean.
        const auto it = r.counters.find("round_trips_per_second");
        if (r.aggregate_name == "mean" && it != r.counters.end()) means_[name] = it->second.value;
        continue;
      }
      auto& t = totals_[name];
      t.first += static_cast<double>(r.iterations);
      t.second += r.real_accumulated_time;
    }
  }

  /// Round trips per real second over every repetition, or the reported mean.
  double rate(const std::string& name) const {
    if (const auto it = totals_.find(name); it != totals_.end() && it->second.second > 0) {
      return it->second.first / it->second.second;
    }
    const auto m = means_.find(name);
    return m == means_.end() ? 0 : m->second;
  }

  void print_summary() const {
    for (const char* name : {"trivial_stdio", "bcemu_stdio", "trivial_pty", "bcemu_pty"}) {
      if (rate(name) <= 0) continue;
      std::printf("round trips/s %-14s %10.0f  (%.1f us each)\n", name, rate(name),
                  1e6 / rate(name));
    }
    print_ratio("stdio", 0.80);
    print_ratio("pty", 0.0);
  }

  bool failed() const { return failed_; }

 private:
  void print_ratio(const char* l, double target) const {
    const double emu = rate(std::string("bcemu_") + l);
    const double base = rate(std::string("trivial_") + l);
    if (emu <= 0 || base <= 0) {
      std::printf("ratio %s bcemu / trivial: n/a (not run)\n", l);
      return;
    }
    const double ratio = emu / base;
    if (target <= 0) {
      std::printf("ratio %s bcemu / trivial: %.2f (for information)\n", l, ratio);
      return;
    }
    std::printf("ratio %s bcemu / trivial: %.2f (target >= %.2f)%s\n", l, ratio, target,
                ratio >= target ? "" : "  BELOW TARGET");
  }

  std::map<std::string, std::pair<double, double>> totals_;  // iterations, real seconds
  std::map<std::string, double> means_;
  bool failed_ = false;
};

/// Takes --bcemu=PATH and --trivial=PATH out of argv.
void take_own_flags(int& argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--bcemu=")) {
      bcemu_path = std::string(a.substr(8));
    } else if (a.starts_with("--trivial=")) {
      trivial_path = std::string(a.substr(10));
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
}

}  // namespace
}  // namespace bcconform::bench

int main(int argc, char** argv) {
  using namespace bcconform::bench;
  take_own_flags(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  struct sigaction sa {};
  sa.sa_handler = on_watchdog;  // no SA_RESTART: the blocked read() returns EINTR
  ::sigaction(SIGALRM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a dead child is an error result, not our death

  // Interleaved, so that a change in the machine's load hits both sides of a ratio alike.
  const std::pair<const char*, std::pair<program, line>> cases[] = {
      {"trivial_stdio", {program::trivial, line::stdio}},
      {"bcemu_stdio", {program::bcemu, line::stdio}},
      {"trivial_pty", {program::trivial, line::pty}},
      {"bcemu_pty", {program::bcemu, line::pty}},
  };
  for (const auto& [name, what] : cases) {
    benchmark::RegisterBenchmark(name, bm_at_ok, what.first, what.second)->UseRealTime();
  }
  std::printf("bcemu: %s\ntrivial responder: %s\n", bcemu_path.c_str(), trivial_path.c_str());
  std::fflush(stdout);

  rate_collector reporter(isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_Color
                                                     : benchmark::ConsoleReporter::OO_None);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  responders().clear();
  std::fflush(stdout);
  reporter.print_summary();
  return reporter.failed() ? EXIT_FAILURE : EXIT_SUCCESS;
}
