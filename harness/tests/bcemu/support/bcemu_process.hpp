// The real bcemu executable as a child process for end-to-end tests, served over one of its
// three serial sides (--stdio, --pty, --listen), with its transcript (--log), its control
// channel (--control) and its stderr kept in a private temporary directory. Every wait has a
// deadline; nothing here sleeps.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bcconform::bcemu_test {

using clock = std::chrono::steady_clock;
using deadline = clock::time_point;

inline deadline in(clock::duration d) {
  return clock::now() + d;
}

/// How long one step of a test may take before it counts as a hang. Generous: the machine is
/// shared, and a passing test never waits for it.
inline constexpr std::chrono::seconds step_budget{10};

/// A file descriptor closed on destruction.
class unique_fd {
 public:
  unique_fd() = default;
  explicit unique_fd(int fd) : fd_(fd) {}
  ~unique_fd() { reset(); }
  unique_fd(unique_fd&& o) noexcept : fd_(o.release()) {}
  unique_fd& operator=(unique_fd&& o) noexcept;
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;

  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1);
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// A directory under /tmp removed with its contents on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

enum class serial_side { stdio, pty, tcp };
std::string_view to_string(serial_side s) noexcept;
/// For GoogleTest's messages ("GetParam() = pty").
void PrintTo(serial_side s, std::ostream* os);

struct bcemu_options {
  serial_side side = serial_side::stdio;
  /// Module time runs 100 times faster than real time unless a test says otherwise: the boot,
  /// the deep-sleep delay and the 36 s connect timeout then take milliseconds.
  double time_scale = 0.01;
  bool control = true;  ///< open a control channel (--control)
  std::vector<std::string> extra;
};

/// bcemu started with posix_spawn. stdin/stdout are pipes (the serial line in stdio mode; in
/// pty and tcp mode stdout carries the "pty: PATH" / "listen: HOST:PORT" line); stderr goes to
/// a file. The destructor sends SIGTERM and, if the process has not exited within the step
/// budget, SIGKILL.
class bcemu_process {
 public:
  explicit bcemu_process(bcemu_options o = {});
  ~bcemu_process();
  bcemu_process(const bcemu_process&) = delete;
  bcemu_process& operator=(const bcemu_process&) = delete;

  /// Empty when the process started; otherwise why not.
  const std::string& failure() const { return failure_; }
  pid_t pid() const { return pid_; }
  const bcemu_options& options() const { return options_; }

  /// The serial line's descriptors in stdio mode (the caller borrows them).
  int serial_write_fd() const { return stdin_.get(); }
  int serial_read_fd() const { return stdout_.get(); }

  /// The first line bcemu prints on stdout in pty and tcp modes ("pty: PATH",
  /// "listen: HOST:PORT"), without its newline; read once, then remembered.
  std::optional<std::string> serial_address(deadline until);

  /// Opens the printed pty path as an MCU driver would: O_RDWR | O_NOCTTY, raw mode (termios).
  std::optional<unique_fd> open_pty(deadline until, std::string* path = nullptr);
  /// Connects to the printed --listen address.
  std::optional<unique_fd> connect_tcp(deadline until);

  /// One control-channel command (one connection per call); the reply line without newline.
  std::optional<std::string> control(std::string_view line, deadline until) const;
  std::string control_path() const { return dir_.file("control.sock"); }

  /// Closes bcemu's stdin (end of input) and waits for the exit status.
  std::optional<int> close_stdin_and_wait(deadline until);
  /// SIGTERM and wait: the exit status, nullopt on timeout or death by a signal.
  std::optional<int> terminate(deadline until);

  std::string log_path() const { return dir_.file("bcemu.log"); }
  std::string log_text() const;
  /// Waits (inotify, no polling) until the transcript contains `text`: the evidence that bcemu
  /// has read a line, where nothing on the serial line can show it (deep sleep).
  bool wait_for_log(std::string_view text, deadline until) const;
  std::string stderr_text() const;

 private:
  std::optional<int> wait(deadline until);
  bool spawn(const std::vector<std::string>& args);

  bcemu_options options_;
  temp_dir dir_;
  pid_t pid_ = -1;
  unique_fd stdin_, stdout_;
  std::string stdout_buf_;
  std::optional<std::string> serial_address_;
  std::optional<int> status_;
  std::string failure_;
};

/// Reads a whole file (empty if it cannot be read).
std::string read_file(const std::string& path);

}  // namespace bcconform::bcemu_test
