// SIGINT / SIGTERM during a run. The first signal asks the run to stop gracefully: the engine
// finishes the current step and the case's teardown, the remaining cases become `interrupted`,
// the reports are written. A second signal stops at once: `on_second` runs (it writes what is
// known; every report write is atomic, so the files stay valid) and the process exits with 2.
//
// Signal handlers are process-wide by nature, so at most one interrupt_guard may exist at a
// time. The handler only sets an atomic flag and writes one byte to a pipe; the work happens on
// a watcher thread.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace bcconform::cli {

class interrupt_guard {
 public:
  /// Installs the handlers. `on_second` runs on the watcher thread, then `_exit(exit_status)`.
  interrupt_guard(std::function<void()> on_second, int exit_status);
  /// Restores the previous handlers and stops the watcher.
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;

  /// Set by the first signal; what the runner polls.
  const std::atomic<bool>& flag() const noexcept;
  /// The number of the first signal received (SIGINT, SIGTERM), 0 if none.
  int first_signal() const noexcept;

 private:
  void watch();

  std::function<void()> on_second_;
  int exit_status_;
  std::thread watcher_;
};

}  // namespace bcconform::cli
