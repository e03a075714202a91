#include "interrupts.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace bcconform::cli {
namespace {

// State the handler touches: lock-free atomics and a pipe's write end only
// (async-signal-safe operations, POSIX.1-2017 §2.4.3).
std::atomic<bool> interrupted{false};
std::atomic<int> received{0};
std::atomic<int> first{0};
int pipe_fds[2] = {-1, -1};
struct sigaction previous_int, previous_term;

constexpr char signal_byte = 's';
constexpr char stop_byte = 'q';

extern "C" void on_signal(int sig) {
  const int saved = errno;
  interrupted.store(true);
  int expected = 0;
  first.compare_exchange_strong(expected, sig);
  received.fetch_add(1);
  [[maybe_unused]] const auto n = ::write(pipe_fds[1], &signal_byte, 1);
  errno = saved;
}

}  // namespace

interrupt_guard::interrupt_guard(std::function<void()> on_second, int exit_status)
    : on_second_(std::move(on_second)), exit_status_(exit_status) {
  interrupted.store(false);
  received.store(0);
  first.store(0);
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &sa, &previous_int);
  ::sigaction(SIGTERM, &sa, &previous_term);
  watcher_ = std::thread([this] { watch(); });
}

interrupt_guard::~interrupt_guard() {
  ::sigaction(SIGINT, &previous_int, nullptr);
  ::sigaction(SIGTERM, &previous_term, nullptr);
  [[maybe_unused]] const auto n = ::write(pipe_fds[1], &stop_byte, 1);
  if (watcher_.joinable()) watcher_.join();
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  pipe_fds[0] = pipe_fds[1] = -1;
}

const std::atomic<bool>& interrupt_guard::flag() const noexcept {
  return interrupted;
}

int interrupt_guard::first_signal() const noexcept {
  return first.load();
}

void interrupt_guard::watch() {
  pollfd p{pipe_fds[0], POLLIN, 0};
  while (true) {
    if (::poll(&p, 1, -1) < 0 && errno != EINTR) return;
    char c = 0;
    while (::read(pipe_fds[0], &c, 1) == 1) {
      if (c == stop_byte) return;
      if (received.load() >= 2) {
        if (on_second_) on_second_();
        ::_exit(exit_status_);
      }
    }
  }
}

}  // namespace bcconform::cli
