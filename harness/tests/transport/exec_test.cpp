// exec: against the real bcemu and small shell programs: a conversation, a child killed from
// outside, a child that ignores SIGTERM, programs that cannot start, and deadlines.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/transport/open.hpp"
#include "bcconform/transport/tap.hpp"
#include "transport/transport_support.hpp"

namespace bcconform::transport {
namespace {

using namespace test;

/// The processes whose parent is this one (from /proc/PID/stat).
std::vector<pid_t> children() {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  if (!proc) return out;
  while (const dirent* e = ::readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::string(e->d_name) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == ::getpid()) out.push_back(pid);
  }
  ::closedir(proc);
  return out;
}

std::string bcemu_uri() {
  return std::string("exec:") + BCEMU_PATH + " --stdio --time-scale 0.01";
}

result<std::unique_ptr<transport>> open_uri(const std::string& uri, const open_options& o = {}) {
  auto t = parse_target(uri);
  if (!t) return t.error();
  return open(*t, o);
}

class transport_exec_bcemu : public testing::Test {
 protected:
  void SetUp() override {
    open_options o;
    o.exec_stderr_path = dir_.file("stderr.txt");
    auto t = open_uri(bcemu_uri(), o);
    ASSERT_TRUE(t) << t.error().detail;
    link_ = std::move(*t);
  }
  std::string stderr_text() const { return read_file(dir_.file("stderr.txt")); }

  temp_dir dir_;
  std::unique_ptr<transport> link_;
};

TEST_F(transport_exec_bcemu, boots_and_answers_at) {
  const auto rdy = read_until(*link_, "RDY", in(step_budget));
  ASSERT_FALSE(rdy.code) << rdy.detail << "\n" << stderr_text();
  ASSERT_TRUE(link_->write("AT\r", in(step_budget)));
  const auto ok = read_until(*link_, "OK\r\n", in(step_budget));
  ASSERT_FALSE(ok.code) << ok.detail;
  EXPECT_NE(ok.bytes.find("AT\r"), std::string::npos) << "echo is on after boot";
  EXPECT_EQ(link_->describe(), bcemu_uri());
  EXPECT_EQ(&link_->clock(), &steady());
}

TEST_F(transport_exec_bcemu, a_child_killed_from_outside_is_reported_not_waited_for) {
  ASSERT_FALSE(read_until(*link_, "RDY", in(step_budget)).code);
  ASSERT_TRUE(link_->write("AT\r", in(step_budget)));
  const auto kids = children();
  ASSERT_EQ(kids.size(), 1u);
  ASSERT_EQ(::kill(kids.front(), SIGKILL), 0);

  const auto start = steady().now();
  const auto rest = read_until(*link_, "never sent", in(step_budget));
  EXPECT_EQ(rest.code, errc::process_exited) << rest.detail;
  EXPECT_NE(rest.detail.find("killed by signal 9 (SIGKILL)"), std::string::npos) << rest.detail;
  EXPECT_NE(rest.detail.find("pid " + std::to_string(kids.front())), std::string::npos);
  EXPECT_LT(steady().now() - start, std::chrono::seconds(5)) << "no wait for the read deadline";

  // The test survives the write (no SIGPIPE) and gets an error.
  const auto w = link_->write("AT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::process_exited) << w.error().detail;
  std::string more;
  EXPECT_EQ(link_->read(more, 100, in(step_budget)).error().code, errc::process_exited);
  EXPECT_TRUE(children().empty()) << "the child was reaped";
}

TEST_F(transport_exec_bcemu, close_terminates_and_reaps_and_is_idempotent) {
  ASSERT_FALSE(read_until(*link_, "RDY", in(step_budget)).code);
  const auto kids = children();
  ASSERT_EQ(kids.size(), 1u);
  link_->close();
  EXPECT_TRUE(children().empty());
  EXPECT_EQ(::kill(kids.front(), 0), -1) << "gone, not a zombie";
  link_->close();
  std::string out;
  EXPECT_EQ(link_->read(out, 10, in(step_budget)).error().code, errc::closed);
  EXPECT_EQ(link_->write("AT\r", in(step_budget)).error().code, errc::closed);
}

// A whole conversation recorded by the tap replays against the recording.
TEST_F(transport_exec_bcemu, a_tapped_conversation_replays) {
  tap t(std::move(link_));
  const std::string file = dir_.file("run.bctr");
  ASSERT_TRUE(t.start(file));
  ASSERT_FALSE(read_until(t, "RDY\r\n", in(step_budget)).code);
  ASSERT_TRUE(t.write("ATE0\r", in(step_budget)));
  ASSERT_FALSE(read_until(t, "OK\r\n", in(step_budget)).code);
  ASSERT_TRUE(t.write("AT+CGATT?\r", in(step_budget)));
  const auto live = read_until(t, "OK\r\n", in(step_budget));
  ASSERT_FALSE(live.code);
  t.close();

  auto replay = open_uri("replay:" + file);
  ASSERT_TRUE(replay) << replay.error().detail;
  auto& r = **replay;
  ASSERT_FALSE(read_until(r, "RDY\r\n", in(step_budget)).code);
  ASSERT_TRUE(r.write("ATE0\r", in(step_budget)));
  ASSERT_FALSE(read_until(r, "OK\r\n", in(step_budget)).code);
  ASSERT_TRUE(r.write("AT+CGATT?\r", in(step_budget)));
  const auto again = read_until(r, "OK\r\n", in(step_budget));
  ASSERT_FALSE(again.code) << again.detail;
  EXPECT_EQ(again.bytes, live.bytes);
}

TEST(transport_exec, output_before_an_exit_comes_first_then_the_status) {
  auto t = open_uri("exec:sh -c \"printf 'hello\\\\n'; exit 3\"");
  ASSERT_TRUE(t) << t.error().detail;
  const auto got = read_until(**t, "never", in(step_budget));
  EXPECT_EQ(got.bytes, "hello\n");
  EXPECT_EQ(got.code, errc::process_exited);
  EXPECT_NE(got.detail.find("exited with status 3"), std::string::npos) << got.detail;
  const auto w = (*t)->write("x", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::process_exited);
}

// Writing into a pipe nobody reads raises SIGPIPE, which would kill the test process: the
// transport turns it into an error.
TEST(transport_exec, a_write_to_a_closed_stdin_is_an_error_not_a_signal) {
  auto t = open_uri("exec:sh -c \"exec 0<&-; echo closed; exec sleep 30\"");
  ASSERT_TRUE(t) << t.error().detail;
  ASSERT_FALSE(read_until(**t, "closed\n", in(step_budget)).code);
  const auto w = (*t)->write("AT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::end_of_stream) << w.error().detail;
  EXPECT_NE(w.error().detail.find("closed its standard input"), std::string::npos);
  sigset_t pending;
  ::sigpending(&pending);
  EXPECT_FALSE(::sigismember(&pending, SIGPIPE)) << "no SIGPIPE left pending either";
}

// The child is gone though a grandchild still holds its stdout open: the pidfd tells.
TEST(transport_exec, an_exit_is_seen_while_a_grandchild_holds_the_pipe) {
  temp_dir dir;
  open_options o;
  o.exec_stderr_path = dir.file("stderr.txt");
  auto t = open_uri("exec:sh -c \"sleep 2 & echo started\"", o);
  ASSERT_TRUE(t) << t.error().detail;
  const auto start = steady().now();
  const auto got = read_until(**t, "never", in(step_budget));
  EXPECT_EQ(got.bytes, "started\n");
  EXPECT_EQ(got.code, errc::process_exited) << got.detail;
  EXPECT_LT(steady().now() - start, std::chrono::milliseconds(1500));
}

TEST(transport_exec, close_kills_a_child_that_ignores_sigterm_after_the_grace) {
  temp_dir dir;
  open_options o;
  o.kill_grace = 200ms;
  o.exec_stderr_path = dir.file("stderr.txt");
  auto t = open_uri("exec:sh -c \"trap '' TERM; echo $$; while :; do sleep 1; done\"", o);
  ASSERT_TRUE(t) << t.error().detail;
  const auto line = read_until(**t, "\n", in(step_budget));
  ASSERT_FALSE(line.code) << line.detail;
  const pid_t pid = static_cast<pid_t>(std::stol(line.bytes));
  ASSERT_GT(pid, 0);

  const auto start = steady().now();
  (*t)->close();
  const auto took = steady().now() - start;
  EXPECT_GE(took, o.kill_grace) << "SIGTERM first, SIGKILL only after the grace";
  EXPECT_LT(took, o.kill_grace + std::chrono::seconds(5));
  EXPECT_EQ(::kill(pid, 0), -1) << "killed and reaped";
  EXPECT_EQ(errno, ESRCH);
}

TEST(transport_exec, a_missing_program_is_not_found) {
  for (const char* uri :
       {"exec:/nonexistent/dir/bcemu --stdio", "exec:no-such-program-bcconform"}) {
    auto t = open_uri(uri);
    ASSERT_FALSE(t) << uri;
    EXPECT_EQ(t.error().code, errc::not_found) << uri;
    EXPECT_NE(t.error().detail.find(uri), std::string::npos) << t.error().detail;
  }
}

TEST(transport_exec, a_program_that_cannot_run_fails_to_spawn_and_leaves_no_zombie) {
  temp_dir dir;
  const std::string not_exec = dir.write("plain.txt", "echo hi\n");
  auto t = open_uri("exec:" + not_exec);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, errc::spawn_failed);
  EXPECT_NE(t.error().detail.find("not executable"), std::string::npos) << t.error().detail;

  // Executable bit, but no format execve knows: the failure comes from the child.
  const std::string garbage = dir.write("garbage", std::string("\x7f\x01\x02\x03junk", 8));
  ASSERT_EQ(::chmod(garbage.c_str(), 0755), 0);
  auto g = open_uri("exec:" + garbage);
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, errc::spawn_failed) << g.error().detail;
  EXPECT_TRUE(children().empty()) << "the failed child was reaped";
}

TEST(transport_exec, the_stderr_file_is_appended) {
  temp_dir dir;
  open_options o;
  o.exec_stderr_path = dir.write("err.txt", "before\n");
  auto t = open_uri("exec:sh -c \"echo oops >&2\"", o);
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ(read_until(**t, "never", in(step_budget)).code, errc::process_exited);
  EXPECT_EQ(read_file(o.exec_stderr_path), "before\noops\n");

  o.exec_stderr_path = dir.file("no/such/dir/err.txt");
  auto bad = open_uri("exec:true", o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::io_error);
  EXPECT_NE(bad.error().detail.find("no/such/dir/err.txt"), std::string::npos);
}

TEST(transport_exec, a_read_on_a_silent_child_times_out_at_its_deadline) {
  auto t = open_uri("exec:cat");
  ASSERT_TRUE(t) << t.error().detail;
  const auto until = in(50ms);
  std::string out;
  const auto r = (*t)->read(out, 100, until);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
  EXPECT_GE(steady().now(), until);
  EXPECT_LT(steady().now(), until + std::chrono::seconds(2));
  EXPECT_TRUE(out.empty());

  // cat echoes: the transport still works after a timeout.
  ASSERT_TRUE((*t)->write("ping", in(step_budget)));
  EXPECT_EQ(read_until(**t, "ping", in(step_budget)).bytes, "ping");
}

TEST(transport_exec, a_write_to_a_child_that_does_not_read_times_out) {
  auto t = open_uri("exec:sleep 30");
  ASSERT_TRUE(t) << t.error().detail;
  const std::string big(4u << 20, 'x');  // far more than a pipe buffer
  const auto until = in(50ms);
  const auto w = (*t)->write(big, until);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::timed_out);
  EXPECT_NE(w.error().detail.find("of 4194304 bytes"), std::string::npos) << w.error().detail;
  EXPECT_GE(steady().now(), until);
  EXPECT_LT(steady().now(), until + std::chrono::seconds(2));
}

TEST(transport_exec, read_respects_max) {
  auto t = open_uri("exec:sh -c \"printf abcdef\"");
  ASSERT_TRUE(t) << t.error().detail;
  std::string out = "x";
  auto r = (*t)->read(out, 2, in(step_budget));
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(*r, 2u);
  EXPECT_EQ(out, "xab") << "appended, at most max bytes";
}

}  // namespace
}  // namespace bcconform::transport
