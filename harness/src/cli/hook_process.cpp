#include "hook_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace bcconform::cli {
namespace {

using steady = std::chrono::steady_clock;

constexpr std::size_t kept_output = 4096;

class fd_owner {
 public:
  explicit fd_owner(int fd = -1) : fd_(fd) {}
  ~fd_owner() { reset(); }
  fd_owner(const fd_owner&) = delete;
  fd_owner& operator=(const fd_owner&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// Everything a child needs set up before exec: its own process group (so a timeout kills the
// shell's children too), default signal dispositions, an empty signal mask.
class spawn_setup {
 public:
  spawn_setup(int out_fd) {
    posix_spawn_file_actions_init(&actions_);
    posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions_, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions_, out_fd, 2);
    posix_spawnattr_init(&attr_);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int s : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr_, &none);
    posix_spawnattr_setsigdefault(&attr_, &defaults);
    posix_spawnattr_setpgroup(&attr_, 0);
    posix_spawnattr_setflags(
        &attr_, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
  const posix_spawn_file_actions_t* actions() const { return &actions_; }
  const posix_spawnattr_t* attr() const { return &attr_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};

void keep_tail(std::string& out, const char* data, std::size_t n) {
  out.append(data, n);
  if (out.size() > kept_output) out.erase(0, out.size() - kept_output);
}

std::string status_text(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended abnormally";
}

// Reads the child's output until the shell has exited and the pipe is closed (every process
// of the hook has exited or closed it), or the deadline passes; false on timeout. Without a
// pidfd (kernels before 5.3) the pipe's end alone says the hook is done.
bool collect(int out_fd, int pid_fd, steady::time_point until, std::string& output) {
  char buffer[1024];
  bool out_open = true, exited = pid_fd < 0;
  while (out_open || !exited) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - steady::now()).count();
    if (left <= 0) return false;
    pollfd p[2] = {{out_open ? out_fd : -1, POLLIN, 0}, {exited ? -1 : pid_fd, POLLIN, 0}};
    const int n = ::poll(p, 2, static_cast<int>(left));
    if (n < 0 && errno != EINTR) return true;
    if (n <= 0) continue;
    if (p[1].revents != 0) exited = true;
    if (p[0].revents == 0) continue;
    const ssize_t got = ::read(out_fd, buffer, sizeof(buffer));
    if (got > 0) keep_tail(output, buffer, static_cast<std::size_t>(got));
    if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) out_open = false;
  }
  return true;
}

int reap(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace

hook_outcome run_hook_command(const std::string& command_line, std::chrono::milliseconds timeout) {
  hook_outcome r;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    r.message = std::string("cannot start: pipe: ") + std::strerror(errno);
    return r;
  }
  fd_owner read_end(fds[0]), write_end(fds[1]);
  std::string sh = "/bin/sh", dash_c = "-c", line = command_line;
  char* argv[] = {sh.data(), dash_c.data(), line.data(), nullptr};
  pid_t pid = 0;
  int rc = 0;
  {
    const spawn_setup setup(write_end.get());
    rc = ::posix_spawn(&pid, "/bin/sh", setup.actions(), setup.attr(), argv, environ);
  }
  write_end.reset();  // so the read end sees EOF once the command's processes are gone
  if (rc != 0) {
    r.message = std::string("cannot start: ") + std::strerror(rc);
    return r;
  }
  // A hook that leaves a process holding its output open still ends by the deadline.
  const fd_owner pid_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!collect(read_end.get(), pid_fd.get(), steady::now() + timeout, r.output)) {
    ::kill(-pid, SIGKILL);
    reap(pid);
    r.message = "killed after " + std::to_string(timeout.count()) + " ms (hook timeout)";
    return r;
  }
  const int status = reap(pid);
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!r.ok) r.message = status_text(status);
  return r;
}

}  // namespace bcconform::cli
