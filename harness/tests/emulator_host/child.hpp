// Runs bcemu as a child process with pipes on stdin/stdout/stderr; every wait has a deadline.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace bcconform::emulator_host::testing {

class child {
 public:
  explicit child(std::vector<std::string> args) {
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 ||
        ::pipe2(err, O_CLOEXEC) != 0) {
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    in_ = in[1];
    out_ = out[0];
    err_ = err[0];
    ::fcntl(in_, F_SETFL, O_NONBLOCK);
    ::fcntl(out_, F_SETFL, O_NONBLOCK);
    ::fcntl(err_, F_SETFL, O_NONBLOCK);
  }
  ~child() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    for (int fd : {in_, out_, err_}) {
      if (fd >= 0) ::close(fd);
    }
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  /// Writes everything, reading stdout meanwhile (the child echoes: a writer that did not read
  /// would deadlock against its back-pressure).
  bool write(std::string_view bytes,
             std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!bytes.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p[2] = {{in_, POLLOUT, 0}, {out_, POLLIN, 0}};
      if (::poll(p, 2, static_cast<int>(left.count())) < 0) return false;
      drain(out_, out_buf_);
      if ((p[0].revents & (POLLERR | POLLHUP)) != 0) return false;
      if ((p[0].revents & POLLOUT) == 0) continue;
      const auto n = ::write(in_, bytes.data(), std::min<std::size_t>(bytes.size(), 65536));
      if (n < 0 && errno == EAGAIN) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  void close_stdin() {
    ::close(in_);
    in_ = -1;
  }

  /// Reads stdout until `token` has arrived; returns everything up to and including it and
  /// keeps the rest. Empty on timeout (the bytes read so far stay in out()).
  std::string expect(std::string_view token,
                     std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (out_buf_.find(token) == std::string::npos) {
      if (!pump(out_, out_buf_, end)) return {};
    }
    const auto at = out_buf_.find(token) + token.size();
    std::string got = out_buf_.substr(0, at);
    out_buf_.erase(0, at);
    return got;
  }
  const std::string& out() const { return out_buf_; }
  std::string err() {
    drain(err_, err_buf_);
    return err_buf_;
  }

  /// Waits for the exit; the exit status, or nullopt on timeout or a signal.
  std::optional<int> wait(std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (!status_) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        status_ = st;
        break;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          end - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      // The pipes close when the child exits; until then wake on output, at most every 50 ms
      // to look at waitpid again.
      pollfd p[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
      ::poll(p, 2, static_cast<int>(std::min<long>(left.count(), 50)));
      drain(out_, out_buf_);
      drain(err_, err_buf_);
    }
    // What the child wrote just before it exited is still in the pipes: waitpid can report the
    // exit before poll() saw the last bytes.
    drain(out_, out_buf_);
    drain(err_, err_buf_);
    if (!WIFEXITED(*status_)) return std::nullopt;
    return WEXITSTATUS(*status_);
  }

 private:
  static void drain(int fd, std::string& into) {
    char buf[65536];
    for (;;) {
      const auto n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return;
      into.append(buf, static_cast<std::size_t>(n));
    }
  }
  bool pump(int fd, std::string& into, std::chrono::steady_clock::time_point end) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    const auto before = into.size();
    drain(fd, into);
    return into.size() > before || (p.revents & POLLHUP) == 0;
  }

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string out_buf_, err_buf_;
  std::optional<int> status_;
};

}  // namespace bcconform::emulator_host::testing
