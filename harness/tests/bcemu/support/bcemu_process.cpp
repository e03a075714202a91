#include "bcemu_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace bcconform::bcemu_test {
namespace {

int millis_until(deadline until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60000));
}

/// Waits until `fd` is readable (or hung up); false when the deadline passed.
bool wait_readable(int fd, deadline until) {
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int n = ::poll(&p, 1, millis_until(until));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

/// Splits "HOST:PORT" (IPv4 only: bcemu's default and what the tests ask for).
std::optional<sockaddr_in> parse_ipv4_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string host(text.substr(0, colon));
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return std::nullopt;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) return std::nullopt;
  return a;
}

/// connect() on a non-blocking socket, finished within the deadline.
bool connect_within(int fd, const sockaddr* to, socklen_t len, deadline until) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (::connect(fd, to, len) == 0) return true;
  if (errno != EINPROGRESS && errno != EAGAIN) return false;
  pollfd p{fd, POLLOUT, 0};
  if (::poll(&p, 1, millis_until(until)) <= 0) return false;
  int err = 0;
  socklen_t err_len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
  return err == 0;
}

}  // namespace

// ---- unique_fd, temp_dir ------------------------------------------------------------------------

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
  if (this != &o) reset(o.release());
  return *this;
}

void unique_fd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

temp_dir::temp_dir() {
  char pattern[] = "/tmp/bcemu_it_XXXXXX";
  if (const char* made = ::mkdtemp(pattern)) path_ = made;
}

temp_dir::~temp_dir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

std::string_view to_string(serial_side s) noexcept {
  switch (s) {
    case serial_side::stdio:
      return "stdio";
    case serial_side::pty:
      return "pty";
    case serial_side::tcp:
      return "tcp";
  }
  return "?";
}

void PrintTo(serial_side s, std::ostream* os) {
  *os << to_string(s);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- bcemu_process ------------------------------------------------------------------------------

bcemu_process::bcemu_process(bcemu_options o) : options_(std::move(o)) {
  if (dir_.path().empty()) {
    failure_ = "mkdtemp failed";
    return;
  }
  std::ostringstream scale;
  scale << options_.time_scale;
  std::vector<std::string> args{BCEMU_PATH, "--time-scale", scale.str(), "--log", log_path()};
  if (options_.side == serial_side::pty) args.emplace_back("--pty");
  if (options_.side == serial_side::tcp) {
    args.emplace_back("--listen");
    args.emplace_back("127.0.0.1:0");  // an ephemeral port, printed on stdout
  }
  if (options_.control) {
    args.emplace_back("--control");
    args.emplace_back(control_path());
  }
  args.insert(args.end(), options_.extra.begin(), options_.extra.end());
  if (!spawn(args)) failure_ = "posix_spawn " + args.front() + ": " + std::strerror(errno);
}

bool bcemu_process::spawn(const std::vector<std::string>& args) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return false;
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return false;
  }
  unique_fd in_read(in[0]), out_write(out[1]);
  stdin_.reset(in[1]);
  stdout_.reset(out[0]);

  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  const std::string err_file = dir_.file("stderr.txt");
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    pid_ = -1;
    return false;
  }
  // The test's ends stay non-blocking: every read and write goes through poll with a deadline.
  ::fcntl(stdin_.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(stdout_.get(), F_SETFL, O_NONBLOCK);
  return true;
}

bcemu_process::~bcemu_process() {
  if (pid_ <= 0 || status_) return;
  if (!terminate(in(step_budget))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

std::optional<std::string> bcemu_process::serial_address(deadline until) {
  for (;;) {
    if (serial_address_) return serial_address_;
    if (const auto nl = stdout_buf_.find('\n'); nl != std::string::npos) {
      serial_address_ = stdout_buf_.substr(0, nl);
      stdout_buf_.erase(0, nl + 1);
      continue;
    }
    if (!wait_readable(stdout_.get(), until)) return std::nullopt;
    char buf[512];
    const auto n = ::read(stdout_.get(), buf, sizeof buf);
    if (n == 0) return std::nullopt;
    if (n > 0) stdout_buf_.append(buf, static_cast<std::size_t>(n));
  }
}

std::optional<unique_fd> bcemu_process::open_pty(deadline until, std::string* path_out) {
  const auto line = serial_address(until);
  if (!line || !line->starts_with("pty: ")) return std::nullopt;
  const std::string path = line->substr(5);
  if (path_out) *path_out = path;
  unique_fd fd(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return std::nullopt;
  termios t{};
  if (::tcgetattr(fd.get(), &t) != 0) return std::nullopt;
  ::cfmakeraw(&t);  // a serial port for binary AT traffic: no echo, no CR/LF translation
  if (::tcsetattr(fd.get(), TCSANOW, &t) != 0) return std::nullopt;
  return fd;
}

std::optional<unique_fd> bcemu_process::connect_tcp(deadline until) {
  const auto line = serial_address(until);
  if (!line || !line->starts_with("listen: ")) return std::nullopt;
  const auto to = parse_ipv4_endpoint(std::string_view(*line).substr(8));
  if (!to) return std::nullopt;
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return std::nullopt;
  const int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!connect_within(fd.get(), reinterpret_cast<const sockaddr*>(&*to), sizeof *to, until)) {
    return std::nullopt;
  }
  return fd;
}

std::optional<std::string> bcemu_process::control(std::string_view line, deadline until) const {
  unique_fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  const std::string path = control_path();
  if (!fd || path.size() >= sizeof a.sun_path) return std::nullopt;
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  if (!connect_within(fd.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a, until)) {
    return std::nullopt;
  }
  const std::string request = std::string(line) + "\n";
  if (::send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    return std::nullopt;
  }
  std::string reply;
  while (reply.find('\n') == std::string::npos) {
    if (!wait_readable(fd.get(), until)) return std::nullopt;
    char buf[256];
    const auto n = ::read(fd.get(), buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  return reply.substr(0, reply.find('\n'));
}

std::optional<int> bcemu_process::wait(deadline until) {
  if (pid_ <= 0) return std::nullopt;
  // A pidfd becomes readable when the child exits: a wait with a deadline and no polling loop.
  unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
  while (!status_) {
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = st;
      break;
    }
    if (r < 0 && errno != EINTR) return std::nullopt;
    if (clock::now() >= until) return std::nullopt;
    if (pidfd) {
      wait_readable(pidfd.get(), until);
    } else {  // no pidfd_open (old kernel, seccomp): look again every 5 ms
      pollfd none{-1, 0, 0};
      ::poll(&none, 1, std::min(5, millis_until(until)));
    }
  }
  if (!WIFEXITED(*status_)) return std::nullopt;
  return WEXITSTATUS(*status_);
}

std::optional<int> bcemu_process::close_stdin_and_wait(deadline until) {
  stdin_.reset();
  return wait(until);
}

std::optional<int> bcemu_process::terminate(deadline until) {
  if (pid_ <= 0) return std::nullopt;
  if (!status_) ::kill(pid_, SIGTERM);
  return wait(until);
}

std::string bcemu_process::log_text() const {
  return read_file(log_path());
}
bool bcemu_process::wait_for_log(std::string_view text, deadline until) const {
  unique_fd watch(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (!watch || ::inotify_add_watch(watch.get(), log_path().c_str(), IN_MODIFY) < 0) return false;
  for (;;) {
    if (log_text().find(text) != std::string::npos) return true;
    if (!wait_readable(watch.get(), until)) return false;
    char events[4096];
    while (::read(watch.get(), events, sizeof events) > 0) {
    }
  }
}

std::string bcemu_process::stderr_text() const {
  return read_file(dir_.file("stderr.txt"));
}

}  // namespace bcconform::bcemu_test
