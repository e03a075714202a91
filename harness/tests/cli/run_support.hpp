// Helpers for the `bcconform run` end-to-end tests: programs started in the background, waits
// on the file system (inotify) and on process exit (pidfd), each with a deadline and no sleeps;
// the results file read back; the JUnit file checked by xmllint against specs/schema/junit.xsd.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace bcconform::cli::testing {

using steady = std::chrono::steady_clock;

inline std::string cli_data(const std::string& name) {
  return std::string(BCCONFORM_SOURCE_DIR) + "/harness/tests/cli/data/" + name;
}

/// bcemu is built beside bcconform (the default target runs it from there).
inline std::string bcemu_path() {
  return (std::filesystem::path(BCCONFORM_CLI_PATH).parent_path() / "bcemu").string();
}

inline int millis_until(steady::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - steady::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

/// A program running in the background with stdout and stderr in files; killed and reaped by
/// the destructor if still running.
class background {
 public:
  /// `own_group`: the program leads a new process group (as a shell job does), so a test can
  /// signal the group the way a terminal's Ctrl+C does.
  background(std::vector<std::string> argv, const std::string& dir, bool own_group = false) {
    out_path_ = dir + "/bg.stdout";
    err_path_ = dir + "/bg.stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (own_group) {
      posix_spawnattr_setpgroup(&attr, 0);
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    }
    const int rc = ::posix_spawn(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("posix_spawn failed for " + argv[0]);
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
  }
  ~background() {
    if (!status_) {
      ::kill(pid_, SIGKILL);
      wait(steady::now() + std::chrono::seconds(10));
    }
    if (pidfd_ >= 0) ::close(pidfd_);
  }
  background(const background&) = delete;
  background& operator=(const background&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const { ::kill(pid_, sig); }

  /// The exit code (128 + signal when killed), or -1 if still running at `until`.
  int wait(steady::time_point until) {
    while (!status_) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        break;
      }
      if (steady::now() >= until) return -1;
      pollfd p{pidfd_, POLLIN, 0};
      ::poll(&p, 1, std::min(millis_until(until), pidfd_ >= 0 ? 60000 : 5));
    }
    return *status_;
  }
  std::string out() const { return read_file(out_path_); }
  std::string err() const { return read_file(err_path_); }

 private:
  pid_t pid_ = 0;
  int pidfd_ = -1;
  std::optional<int> status_;
  std::string out_path_, err_path_;
};

/// Waits until `ready()` holds, re-checking whenever something changes in one of `dirs`, or
/// until `until`. The directories may appear later (a report directory the program creates):
/// each is watched as soon as it exists, so list its parent first. inotify, no polling.
inline bool wait_for(const std::function<bool()>& ready, const std::vector<std::string>& dirs,
                     steady::time_point until) {
  const int fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  const uint32_t mask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO;
  std::set<std::string> watched;
  bool ok = false;
  while (true) {
    for (const auto& d : dirs) {
      if (!watched.count(d) && ::inotify_add_watch(fd, d.c_str(), mask) >= 0) watched.insert(d);
    }
    if (ready()) {
      ok = true;
      break;
    }
    if (steady::now() >= until) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, millis_until(until)) > 0) {
      char buffer[4096];
      while (::read(fd, buffer, sizeof(buffer)) > 0) {
      }
    }
  }
  ::close(fd);
  return ok;
}

/// bcemu in the background (`--quiet --time-scale 0.01 --control <control>` plus `mode`, e.g.
/// {"--pty"} or {"--listen", "127.0.0.1:0"}), started in `dir`. Returns the rest of the first
/// stdout line that starts with `prefix` ("pty: ", "listen: "), "" if none came within 30 s.
inline std::string start_bcemu(std::unique_ptr<background>& emu, const std::string& dir,
                               const std::string& control, std::vector<std::string> mode,
                               const std::string& prefix) {
  std::vector<std::string> argv = {bcemu_path(), "--quiet",   "--time-scale",
                                   "0.01",       "--control", control};
  argv.insert(argv.end(), mode.begin(), mode.end());
  emu = std::make_unique<background>(argv, dir);
  std::string line;
  const bool seen = wait_for(
      [&] {
        const std::string out = emu->out();
        const auto at = out.find(prefix);
        const auto end = out.find('\n', at);
        if (at == std::string::npos || end == std::string::npos) return false;
        line = out.substr(at + prefix.size(), end - at - prefix.size());
        return true;
      },
      {dir}, steady::now() + std::chrono::seconds(30));
  EXPECT_TRUE(seen) << emu->err();
  return line;
}

/// The pids of `pid`'s children (every thread's), from /proc.
inline std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ec;
  for (const auto& t : std::filesystem::directory_iterator(tasks, ec)) {
    std::istringstream s(read_file(t.path().string() + "/children"));
    for (pid_t c; s >> c;) out.push_back(c);
  }
  return out;
}

/// id -> verdict of every case in a results file (ids repeated with --repeat: the last).
inline std::map<std::string, std::string> verdicts(const std::string& results_json) {
  std::map<std::string, std::string> out;
  const auto doc = nlohmann::json::parse(read_file(results_json));
  for (const auto& c : doc.at("cases")) {
    out[c.at("id").get<std::string>()] = c.at("verdict").get<std::string>();
  }
  return out;
}

/// xmllint's verdict on the JUnit file against the project's schema ("" when valid).
inline std::string junit_problems(const std::string& junit) {
  const std::string schema = std::string(BCCONFORM_SOURCE_DIR) + "/specs/schema/junit.xsd";
  const std::string dir = make_temp_dir();
  background lint({"/usr/bin/xmllint", "--noout", "--schema", schema, junit}, dir);
  const int rc = lint.wait(steady::now() + std::chrono::seconds(60));
  std::string problems = rc == 0 ? "" : "xmllint exit " + std::to_string(rc) + ": " + lint.err();
  std::filesystem::remove_all(dir);
  return problems;
}

}  // namespace bcconform::cli::testing
