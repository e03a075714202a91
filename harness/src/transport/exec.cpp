// exec: a child process (Boost.Process v1) whose stdin and stdout are the serial line. The
// child is started with pipes on a private io_context; its exit is watched through a pidfd, so a
// read notices a dead child even when a grandchild still holds the pipe open.
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/process/args.hpp>
#include <boost/process/async_pipe.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/search_path.hpp>

#include "bcconform/protocol/transcript.hpp"
#include "detail.hpp"

namespace bcconform::transport::detail {
namespace {

namespace bp = boost::process;

/// Writing to a pipe whose reader has gone raises SIGPIPE, whose default action kills the
/// harness. MSG_NOSIGNAL exists only for sockets, and SIG_IGN for the whole process would change
/// how the rest of the program (a CLI writing to `| head`) behaves. So SIGPIPE is blocked for
/// this thread during the write, and one that the write raised is taken off the pending set
/// before the old mask comes back; the write itself then fails with EPIPE.
class sigpipe_blocker {
 public:
  sigpipe_blocker() {
    ::sigemptyset(&pipe_);
    ::sigaddset(&pipe_, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    was_pending_ = is_pending();
  }
  ~sigpipe_blocker() {
    if (!was_pending_ && is_pending()) {
      const timespec zero{};
      ::sigtimedwait(&pipe_, nullptr, &zero);
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  sigpipe_blocker(const sigpipe_blocker&) = delete;
  sigpipe_blocker& operator=(const sigpipe_blocker&) = delete;

 private:
  static bool is_pending() {
    sigset_t pending;
    ::sigpending(&pending);
    return ::sigismember(&pending, SIGPIPE) == 1;
  }
  sigset_t pipe_{}, old_{};
  bool was_pending_ = false;
};

/// Remembers the pid Boost.Process forked, and reaps a child whose execve failed (Boost reports
/// the failure but leaves that child a zombie).
struct pid_keeper : bp::extend::handler {
  pid_t* pid;
  explicit pid_keeper(pid_t* p) : pid(p) {}
  template <class Executor>
  void on_success(Executor& e) const {
    *pid = e.pid;
  }
  template <class Executor>
  void on_error(Executor& e, const std::error_code&) const {
    if (e.pid > 0) ::waitpid(e.pid, nullptr, 0);
  }
};

/// Puts the child in a process group of its own. A Ctrl+C in a terminal is sent to the whole
/// foreground process group; the harness must see it alone, finish the step and run teardown
/// against a module that is still there, and then end the child itself (close()). If the
/// harness dies instead, the child sees end of input on its stdin.
struct own_process_group : bp::extend::handler {
  template <class Executor>
  void on_exec_setup(Executor&) const {
    ::setpgid(0, 0);
  }
};

std::string quote_word(const std::string& w) {
  if (!w.empty() && w.find_first_of(" \t\"\\") == std::string::npos) return w;
  std::string q = "\"";
  for (const char c : w) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

int millis_until(deadline until) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - steady().now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60000));
}

class exec_transport final : public transport {
 public:
  exec_transport(const target_uri& t, const open_options& o) : target_(t), options_(o) {}
  ~exec_transport() override { close(); }
  exec_transport(const exec_transport&) = delete;
  exec_transport& operator=(const exec_transport&) = delete;

  result<void> start();
  result<void> write(std::string_view bytes, deadline until) override;
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override;
  std::string describe() const override;
  void close() override;

 private:
  result<boost::filesystem::path> find_program() const;
  result<void> spawn(const boost::filesystem::path& exe, std::FILE* err);
  error fail(errc e, const std::string& what) const {
    return make_error(e, describe() + ": " + what);
  }
  error exit_error() const;
  bool reap();
  bool wait_exit(deadline until);
  struct output_wait {
    error_code ec;
    std::size_t bytes = 0;
    bool read_done = false;
    bool exited = false;
  };
  output_wait wait_output(std::string& out, std::size_t max, deadline until);
  result<std::size_t> read_after_exit(std::string& out, std::size_t max);
  result<std::size_t> read_after_eof(deadline until);

  target_uri target_;
  open_options options_;
  asio::io_context io_;  // before the pipes: they unregister from it when destroyed
  std::optional<bp::async_pipe> to_child_, from_child_;
  pid_t pid_ = -1;
  unique_fd pidfd_;
  std::optional<int> status_;  // the waitpid() status once reaped
  bool stdout_eof_ = false;
  bool closed_ = false;
};

std::string exec_transport::describe() const {
  if (!target_.text.empty()) return target_.text;
  std::string d = "exec:";
  for (std::size_t i = 0; i < target_.argv.size(); ++i) {
    d += (i ? " " : "") + quote_word(target_.argv[i]);
  }
  return d;
}

// ---- starting -----------------------------------------------------------------------------------

result<boost::filesystem::path> exec_transport::find_program() const {
  const std::string& name = target_.argv.front();
  if (name.find('/') == std::string::npos) {
    auto found = bp::search_path(name);
    if (found.empty()) return fail(errc::not_found, "program \"" + name + "\" not found in PATH");
    return found;
  }
  if (::access(name.c_str(), F_OK) != 0) {
    return fail(errc::not_found, "program \"" + name + "\" does not exist");
  }
  if (::access(name.c_str(), X_OK) != 0) {
    return fail(errc::spawn_failed, "program \"" + name + "\" is not executable");
  }
  return boost::filesystem::path(name);
}

result<void> exec_transport::start() {
  auto exe = find_program();
  if (!exe) return exe.error();
  // Appended, not truncated: a run may start the same program several times with one log.
  std::FILE* err = stderr;
  if (!options_.exec_stderr_path.empty()) {
    err = std::fopen(options_.exec_stderr_path.c_str(), "ae");
    if (!err) {
      return fail(errc::io_error, "cannot open the stderr file \"" + options_.exec_stderr_path +
                                      "\": " + std::strerror(errno));
    }
  }
  auto r = spawn(*exe, err);
  if (err != stderr) std::fclose(err);
  return r;
}

result<void> exec_transport::spawn(const boost::filesystem::path& exe, std::FILE* err) {
  const std::vector<std::string> args(target_.argv.begin() + 1, target_.argv.end());
  std::error_code ec;  // given, so Boost reports a failed execve here instead of throwing
  try {
    to_child_.emplace(io_);
    from_child_.emplace(io_);
    // pid_keeper first: Boost calls the handlers in order, and a pipe's error handler may throw
    // before a later one runs.
    bp::child c(pid_keeper(&pid_), own_process_group{}, bp::exe = exe, bp::args = args, (bp::std_in < *to_child_),
                (bp::std_out > *from_child_), (bp::std_err > err), ec);
    c.detach();  // reaped here, with a deadline, not by Boost's blocking wait
  } catch (const std::exception& e) {
    return fail(errc::spawn_failed, e.what());
  }
  if (ec) {
    return fail(ec.value() == ENOENT ? errc::not_found : errc::spawn_failed,
                "cannot start \"" + exe.string() + "\": " + ec.message());
  }
  // Our ends must not leak into children started later: a leaked stdin write end would keep
  // this child from ever seeing end of input.
  ::fcntl(to_child_->native_sink(), F_SETFD, FD_CLOEXEC);
  ::fcntl(from_child_->native_source(), F_SETFD, FD_CLOEXEC);
  pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
  if (pidfd_) ::fcntl(pidfd_.get(), F_SETFD, FD_CLOEXEC);
  return {};
}

// ---- the child's exit ---------------------------------------------------------------------------

bool exec_transport::reap() {
  if (status_) return true;
  if (pid_ <= 0) return false;
  int st = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &st, WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == pid_) status_ = st;
  return status_.has_value();
}

/// Waits for the child to exit and reaps it. A pidfd turns readable at the exit; without one
/// (an old kernel, a seccomp filter) the status is looked at every 5 ms.
bool exec_transport::wait_exit(deadline until) {
  while (!reap()) {
    if (steady().now() >= until) return false;
    if (pidfd_) {
      pollfd p{pidfd_.get(), POLLIN, 0};
      ::poll(&p, 1, millis_until(until));
    } else {
      ::poll(nullptr, 0, std::min(5, millis_until(until)));
    }
  }
  return true;
}

error exec_transport::exit_error() const {
  std::string how = "the child (pid " + std::to_string(pid_) + ") ";
  const int st = status_.value_or(0);
  if (WIFSIGNALED(st)) {
    how += "was killed by signal " + std::to_string(WTERMSIG(st)) + " (" +
           signal_name(WTERMSIG(st)) + ")";
  } else {
    how += "exited with status " + std::to_string(WEXITSTATUS(st));
  }
  return fail(errc::process_exited, how);
}

// ---- I/O ----------------------------------------------------------------------------------------

result<void> exec_transport::write(std::string_view bytes, deadline until) {
  if (closed_) return fail(errc::closed, "write after close()");
  if (reap()) return exit_error();
  io_outcome r;
  {
    const sigpipe_blocker guard;
    r = write_all(io_, *to_child_, bytes, until);
  }
  if (!r.ec && !r.timed_out) return {};
  if (r.timed_out) {
    return fail(errc::timed_out, "wrote " + std::to_string(r.bytes) + " of " +
                                     std::to_string(bytes.size()) +
                                     " bytes before the deadline (the child does not read)");
  }
  if (r.ec == asio::error::broken_pipe) {
    // The kernel closes a dying child's files a moment before the child becomes waitable.
    if (wait_exit(std::min(until, steady().now() + std::chrono::milliseconds(200)))) {
      return exit_error();
    }
    return fail(errc::end_of_stream, "the child closed its standard input (EPIPE)");
  }
  return fail(errc::io_error, "write: " + os_message(r.ec));
}

/// Waits for output, the child's exit or the deadline, whichever comes first; appends what was
/// read to `out`.
exec_transport::output_wait exec_transport::wait_output(std::string& out, std::size_t max,
                                                        deadline until) {
  const std::size_t want = std::clamp<std::size_t>(max, 1, read_chunk);
  const std::size_t old = out.size();
  out.resize(old + want);
  output_wait w;
  from_child_->async_read_some(asio::buffer(out.data() + old, want),
                               [&](const error_code& ec, std::size_t n) {
                                 w.ec = ec;
                                 w.bytes = n;
                                 w.read_done = true;
                               });
  // A fresh descriptor each time: epoll reports the pidfd's readiness once per registration.
  std::optional<asio::posix::stream_descriptor> watch;
  if (const int dup = pidfd_ ? ::fcntl(pidfd_.get(), F_DUPFD_CLOEXEC, 0) : -1; dup >= 0) {
    error_code ec;
    watch.emplace(io_);
    if (watch->assign(dup, ec)) {
      ::close(dup);
      watch.reset();
    } else {
      watch->async_wait(asio::posix::stream_descriptor::wait_read,
                        [&](const error_code& e) { w.exited = !e; });
    }
  }
  run_until(
      io_, until, [&] { return w.read_done || w.exited; },
      [&] {
        cancel_quietly(*from_child_);
        if (watch) cancel_quietly(*watch);
      });
  out.resize(old + w.bytes);
  return w;
}

result<std::size_t> exec_transport::read(std::string& out, std::size_t max, deadline until) {
  if (closed_) return fail(errc::closed, "read after close()");
  if (status_) return read_after_exit(out, max);
  if (stdout_eof_) return read_after_eof(until);
  const auto w = wait_output(out, max, until);
  if (w.bytes > 0) return w.bytes;
  if (w.read_done && w.ec == asio::error::eof) {
    stdout_eof_ = true;
    return read_after_eof(until);
  }
  if (w.exited && reap()) return read_after_exit(out, max);
  if (w.read_done && w.ec != asio::error::operation_aborted) {
    return fail(errc::io_error, "read: " + os_message(w.ec));
  }
  return fail(errc::timed_out, "no output before the deadline");
}

/// The child is gone: what it wrote before it died is still in the pipe and comes first.
result<std::size_t> exec_transport::read_after_exit(std::string& out, std::size_t max) {
  if (!stdout_eof_) {
    const auto r = read_some(io_, *from_child_, out, max, steady().now());
    if (r.bytes > 0) return r.bytes;
    if (r.ec == asio::error::eof) stdout_eof_ = true;
  }
  return exit_error();
}

result<std::size_t> exec_transport::read_after_eof(deadline until) {
  if (wait_exit(until)) return exit_error();
  return fail(errc::end_of_stream, "the child (pid " + std::to_string(pid_) +
                                       ") closed its standard output but is still running");
}

void exec_transport::close() {
  if (closed_) return;
  closed_ = true;
  error_code ignored;
  if (to_child_) to_child_->close(ignored);
  if (from_child_) from_child_->close(ignored);
  if (pid_ > 0 && !reap()) {
    ::kill(pid_, SIGTERM);
    if (!wait_exit(steady().now() + options_.kill_grace)) {
      ::kill(pid_, SIGKILL);
      // SIGKILL cannot be refused; only a process stuck in the kernel outlives this bound.
      wait_exit(steady().now() + std::chrono::seconds(10));
    }
  }
  pidfd_.reset();
}

}  // namespace

result<std::unique_ptr<transport>> open_exec(const target_uri& t, const open_options& o) {
  if (t.argv.empty() || t.argv.front().empty()) {
    return make_error(errc::bad_uri, "exec: needs a program");
  }
  auto x = std::make_unique<exec_transport>(t, o);
  if (auto r = x->start(); !r) return r.error();
  return std::unique_ptr<transport>(std::move(x));
}

}  // namespace bcconform::transport::detail
