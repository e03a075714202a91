// The bcemu executable end to end: stdio, pty and TCP serial sides, the control channel, the
// state file, signals, and hostile input. Loopback only; every wait has a deadline.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "bcconform/protocol/transcript.hpp"
#include "child.hpp"
#include "loopback.hpp"

namespace bcconform::emulator_host {
namespace {

using namespace testing;
namespace fs = std::filesystem;
using std::chrono::milliseconds;

struct temp_dir {
  temp_dir() {
    char t[] = "/tmp/bcemu_test_XXXXXX";
    path = ::mkdtemp(t);
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string operator/(const char* name) const { return path + "/" + name; }
  std::string path;
};

// Module time 100 times faster than real time: the 0.5 s boot takes 5 ms.
std::vector<std::string> bcemu(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{BCEMU_PATH, "--time-scale", "0.01"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A blocking-free client for a byte stream (Unix or TCP socket, pty).
struct fd_peer {
  explicit fd_peer(int f) : fd(f) {}
  ~fd_peer() {
    if (fd >= 0) ::close(fd);
  }
  bool send(std::string_view s) const {
    return ::write(fd, s.data(), s.size()) == ssize_t(s.size());
  }
  /// Reads until `token` arrived or the deadline passed; returns all bytes read so far.
  std::string until(std::string_view token, milliseconds deadline = milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    while (got.find(token) == std::string::npos) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(end - std::chrono::steady_clock::now());
      pollfd p{fd, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buf[4096];
      const auto n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    return got;
  }
  std::string available() {
    char buf[4096];
    const auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
    return got;
  }
  int fd;
  std::string got;
};

int connect_unix(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  path.copy(a.sun_path, sizeof a.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int connect_tcp(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Reads "<prefix><value>\n" from the child's stdout.
std::string announced(child& c, const std::string& prefix) {
  c.expect(prefix);
  std::string line = c.expect("\n");
  if (!line.empty()) line.pop_back();
  return line;
}

// AN 1 (emulator.md §1.2): RDY at start; a command answered; end of input ends the process.
TEST(bcemu_process, stdio_answers_and_exits_0_at_end_of_input) {
  child c(bcemu());
  ASSERT_TRUE(c.started());
  ASSERT_NE(c.expect("RDY\r\n"), "");
  ASSERT_TRUE(c.write("AT\r"));
  EXPECT_EQ(c.expect("OK\r\n"), "AT\r\r\nOK\r\n");
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

TEST(bcemu_process, sigterm_exits_0_and_the_log_is_complete) {
  temp_dir dir;
  child c(bcemu({"--log", dir / "session.bctr"}));
  ASSERT_NE(c.expect("RDY\r\n"), "");
  ASSERT_TRUE(c.write("ATI\r"));
  ASSERT_NE(c.expect("OK\r\n"), "");
  ASSERT_EQ(::kill(c.pid(), SIGTERM), 0);
  ASSERT_EQ(c.wait(), 0);

  std::istringstream log(slurp(dir / "session.bctr"));
  std::string line;
  std::getline(log, line);
  EXPECT_EQ(line, protocol::transcript_header);
  std::string to_module, from_module, notes;
  while (std::getline(log, line)) {
    auto r = protocol::parse_transcript_line(line);
    ASSERT_TRUE(r) << line << ": " << r.error().detail;
    ASSERT_TRUE(r->seconds.has_value()) << line;
    (r->dir == protocol::direction::to_module     ? to_module
     : r->dir == protocol::direction::from_module ? from_module
                                                  : notes) += r->bytes;
  }
  EXPECT_EQ(to_module, "ATI\r");
  EXPECT_NE(from_module.find("RDY"), std::string::npos);
  EXPECT_NE(from_module.find("Quectel"), std::string::npos);
  EXPECT_NE(notes.find("signal 15"), std::string::npos);
}

std::string control(const std::string& path, const std::string& command) {
  fd_peer p(connect_unix(path));
  if (p.fd < 0 || !p.send(command + "\n")) return "no connection";
  auto reply = p.until("\n");
  if (!reply.empty() && reply.back() == '\n') reply.pop_back();
  return reply;
}

// The control channel: private to the user, one reply per line, drives the module's pins.
TEST(bcemu_process, control_socket_is_mode_0600_and_drives_the_module) {
  temp_dir dir;
  const auto path = dir / "control";
  child c(bcemu({"--control", path}));
  ASSERT_NE(c.expect("RDY\r\n"), "");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  EXPECT_EQ(control(path, "status").rfind("ok powered=1 asleep=0", 0), 0u);
  EXPECT_EQ(control(path, "bogus").rfind("error: ", 0), 0u);
  EXPECT_EQ(control(path, "latency 20"), "ok");
  EXPECT_EQ(control(path, "latency soon").rfind("error: ", 0), 0u);
  EXPECT_EQ(control(path, "inject +QIURC: \"forged\""), "ok");
  EXPECT_NE(c.expect("+QIURC: \"forged\"\r\n"), "");
  EXPECT_EQ(control(path, "reset"), "ok");
  EXPECT_NE(c.expect("RDY\r\n"), "") << "a reset reboots: RDY again";
  EXPECT_EQ(control(path, std::string(5000, 'x')).rfind("error: line longer", 0), 0u);
  EXPECT_EQ(control(path, "status").rfind("ok", 0), 0u) << "still serving after a bad client";

  ASSERT_EQ(::kill(c.pid(), SIGTERM), 0);
  ASSERT_EQ(c.wait(), 0);
  EXPECT_FALSE(fs::exists(fs::symlink_status(path))) << "socket file removed at exit";
}

// A pseudo-terminal an unmodified serial program can open, through a stable symlink.
TEST(bcemu_process, pty_mode_opens_and_answers) {
  temp_dir dir;
  const auto link = dir / "ttyBC25";
  child c(bcemu({"--pty", "--link", link}));
  const std::string pts = announced(c, "pty: ");
  ASSERT_EQ(pts.rfind("/dev/pts/", 0), 0u) << c.out() << c.err();
  EXPECT_EQ(fs::read_symlink(link).string(), pts);

  fd_peer tty(::open(link.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
  ASSERT_GE(tty.fd, 0);
  EXPECT_NE(tty.until("RDY\r\n").find("RDY"), std::string::npos);
  ASSERT_TRUE(tty.send("AT\r"));
  EXPECT_NE(tty.until("OK\r\n").find("AT\r\r\nOK\r\n"), std::string::npos);

  ASSERT_EQ(::kill(c.pid(), SIGTERM), 0);
  ASSERT_EQ(c.wait(), 0);
  EXPECT_FALSE(fs::exists(fs::symlink_status(link))) << "symlink removed at exit";
}

// Like a ser2net-exposed module: one TCP client at a time; the next waits in the backlog. A
// client leaving mid-command leaves the module responsive.
TEST(bcemu_process, listen_mode_serves_one_client_at_a_time) {
  child c(bcemu({"--listen", "127.0.0.1:0"}));
  const std::string where = announced(c, "listen: ");
  ASSERT_EQ(where.rfind("127.0.0.1:", 0), 0u) << c.out() << c.err();
  const auto port = static_cast<std::uint16_t>(std::stoi(where.substr(10)));

  fd_peer first(connect_tcp(port));
  ASSERT_GE(first.fd, 0);
  // The module may still be booting (input before RDY is lost, as on the module): ask again
  // until it answers.
  for (int i = 0; i < 100 && first.got.find("OK\r\n") == std::string::npos; ++i) {
    ASSERT_TRUE(first.send("AT\r"));
    first.until("OK\r\n", milliseconds(100));
  }
  ASSERT_NE(first.got.find("OK\r\n"), std::string::npos);

  fd_peer second(connect_tcp(port));
  ASSERT_GE(second.fd, 0);
  ASSERT_TRUE(second.send("\rATI\r"));  // the CR ends whatever the first client left behind
  ASSERT_TRUE(first.send("AT+CMEE?\r"));
  ASSERT_NE(first.until("+CMEE:").find("+CMEE:"), std::string::npos);
  EXPECT_EQ(second.available(), "") << "the second client waits while the first is served";

  ASSERT_TRUE(first.send("AT+QIOP"));  // and leaves in the middle of a command
  ::close(first.fd);
  first.fd = -1;
  EXPECT_NE(second.until("Quectel").find("Quectel"), std::string::npos);
  EXPECT_NE(second.until("OK\r\n").find("OK\r\n"), std::string::npos);

  ASSERT_EQ(::kill(c.pid(), SIGINT), 0);
  EXPECT_EQ(c.wait(), 0);
}

long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  long value = -1;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(4096, '\n');
  }
  return value;
}

// Hostile input: 1 MB without a line end is refused at its CR, memory stays bounded, and the
// next command is answered (AN 1: <CR> ends a command; bounded line buffer).
TEST(bcemu_process, a_megabyte_without_line_end_is_survived) {
  child c(bcemu());
  ASSERT_NE(c.expect("RDY\r\n"), "");
  const long before = rss_kib(c.pid());
  ASSERT_TRUE(c.write(std::string(1 << 20, 'A')));
  ASSERT_TRUE(c.write(std::string("\x1a\x1b\0garbage", 10)));
  ASSERT_TRUE(c.write("\rAT\r"));
  ASSERT_NE(c.expect("ERROR\r\n"), "");
  EXPECT_NE(c.expect("OK\r\n"), "");
  // The megabyte is echoed, never stored whole (a sanitizer build adds its own overhead).
  EXPECT_LT(rss_kib(c.pid()) - before, 16 * 1024);
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

// AN 2.2.3: a peer flooding a socket in buffer mode is held back by real back-pressure, and
// the module keeps answering.
TEST(bcemu_process, a_flooding_peer_is_held_back) {
  asio::io_context io;
  tcp::acceptor server(io, {asio::ip::make_address("127.0.0.1"), 0});
  child c(bcemu());
  ASSERT_NE(c.expect("RDY\r\n"), "");
  const auto port = std::to_string(server.local_endpoint().port());
  ASSERT_TRUE(c.write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,0\r"));
  ASSERT_NE(c.expect("+QIOPEN: 0,0\r\n"), "");
  // Memory is judged by its growth: a sanitizer build's baseline alone is about 64 MiB.
  const long before = rss_kib(c.pid());
  tcp::socket peer(io);
  server.accept(peer);
  peer.set_option(asio::socket_base::send_buffer_size(16384));
  peer.non_blocking(true);
  const std::string chunk(65536, 'f');
  boost::system::error_code ec;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::size_t sent = 0;
  while (ec != asio::error::would_block && std::chrono::steady_clock::now() < end) {
    sent += peer.write_some(asio::buffer(chunk), ec);
    c.expect("\n", milliseconds(0));  // keep reading the module's output (URCs)
  }
  EXPECT_EQ(ec, asio::error::would_block) << "the emulator kept reading: no back-pressure";
  ASSERT_TRUE(c.write("AT\r"));
  EXPECT_NE(c.expect("AT\r\r\nOK\r\n"), "");
  ASSERT_TRUE(c.write("AT+QIRD=0,512\r"));
  EXPECT_NE(c.expect("+QIRD: 512"), "");
  EXPECT_LT(rss_kib(c.pid()) - before, 16 * 1024);
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

// Direct-push mode (AN 1.2) with a host that stops reading the serial line: the module's
// output backs up, the emulator stops reading the socket, the flooding peer is held back by
// its kernel, and memory stays bounded. Reading again, the host finds the module responsive.
TEST(bcemu_process, a_host_that_stops_reading_holds_a_direct_push_flood_back) {
  asio::io_context io;
  tcp::acceptor server(io, {asio::ip::make_address("127.0.0.1"), 0});
  child c(bcemu({"--quiet"}));
  ASSERT_NE(c.expect("RDY\r\n"), "");
  const auto port = std::to_string(server.local_endpoint().port());
  ASSERT_TRUE(c.write("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\"," + port + ",0,1\r"));
  ASSERT_NE(c.expect("+QIOPEN: 0,0\r\n"), "");
  // Memory is judged by its growth: a sanitizer build's baseline alone is about 64 MiB.
  const long before = rss_kib(c.pid());
  tcp::socket peer(io);
  server.accept(peer);
  peer.set_option(asio::socket_base::send_buffer_size(16384));
  peer.non_blocking(true);
  const std::string chunk(65536, 'p');
  boost::system::error_code ec;
  std::size_t sent = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (ec != asio::error::would_block && std::chrono::steady_clock::now() < end) {
    sent += peer.write_some(asio::buffer(chunk), ec);  // nobody reads bcemu's stdout meanwhile
  }
  EXPECT_EQ(ec, asio::error::would_block) << "sent " << sent << " bytes without back-pressure";
  EXPECT_LT(rss_kib(c.pid()) - before, 16 * 1024);
  ASSERT_TRUE(c.write("AT+QICLOSE=0\r"));  // reads stdout while writing
  EXPECT_NE(c.expect("CLOSE OK\r\n", std::chrono::seconds(20)), "");
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

// AT&W saves to NVM: the --state file carries it into the next run.
TEST(bcemu_process, state_file_keeps_saved_settings_across_runs) {
  temp_dir dir;
  const auto state = dir / "nvm.json";
  {
    child c(bcemu({"--state", state}));
    ASSERT_NE(c.expect("RDY\r\n"), "");
    ASSERT_TRUE(c.write("ATE0\r"));
    ASSERT_NE(c.expect("OK\r\n"), "");
    ASSERT_TRUE(c.write("AT&W\r"));
    ASSERT_NE(c.expect("OK\r\n"), "");
    c.close_stdin();
    ASSERT_EQ(c.wait(), 0);
  }
  EXPECT_NE(slurp(state).find("\"echo\":false"), std::string::npos) << slurp(state);
  child c(bcemu({"--state", state}));
  ASSERT_NE(c.expect("RDY\r\n"), "");
  ASSERT_TRUE(c.write("AT\r"));
  EXPECT_EQ(c.expect("OK\r\n"), "\r\nOK\r\n") << "echo stayed off";
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

TEST(bcemu_process, model_selects_the_profile) {
  child c(bcemu({"--model", "bc32"}));
  ASSERT_NE(c.expect("RDY\r\n"), "");
  ASSERT_TRUE(c.write("ATI\r"));
  EXPECT_NE(c.expect("OK\r\n").find("BC32"), std::string::npos);
  c.close_stdin();
  EXPECT_EQ(c.wait(), 0);
}

struct usage_case {
  const char* name;
  std::vector<std::string> args;
  int code;
  const char* says;  ///< expected in stdout + stderr
};

class bcemu_usage : public ::testing::TestWithParam<usage_case> {};

TEST_P(bcemu_usage, exit_code_and_message) {
  child c(bcemu(GetParam().args));
  c.close_stdin();
  EXPECT_EQ(c.wait(), GetParam().code);
  EXPECT_NE((c.out() + c.err()).find(GetParam().says), std::string::npos) << c.out() << c.err();
}

INSTANTIATE_TEST_SUITE_P(
    cases, bcemu_usage,
    ::testing::Values(
        usage_case{"help", {"--help"}, 0, "Exit codes: 0"},
        usage_case{"version", {"--version"}, 0, "bcemu "},
        usage_case{"two_serial_sides", {"--pty", "--listen", "1234"}, 4, "excludes"},
        usage_case{"bad_cidr", {"--allow", "10.0.0.0/33"}, 4, "prefix length"},
        usage_case{"unknown_model", {"--model", "BC99"}, 4, "BC99"},
        usage_case{"missing_profile", {"--profile", "/nonexistent.json"}, 4, "nonexistent"},
        usage_case{"bad_listen", {"--listen", "localhost:http"}, 4, "HOST:PORT"},
        usage_case{
            "control_in_missing_dir", {"--control", "/nonexistent/dir/ctl"}, 3, "--control"}),
    [](const auto& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace bcconform::emulator_host
