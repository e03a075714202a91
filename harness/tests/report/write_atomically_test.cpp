// write_atomically(): the destination holds either the old or the new complete content, no
// temporary file survives, and every failure is an error naming the path.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/report/junit.hpp"
#include "report_check.hpp"

namespace bcconform::report {
namespace {

using testing::scratch_dir;
using strings = std::vector<std::string>;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `body` in a child process and returns its exit status (-1 if it did not exit). For
// tests that change process-wide state (resource limits, user id).
template <class F>
int in_child(F body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(write_atomically, CreatesTheFileWithMode0644AndNothingElse) {
  scratch_dir dir;
  const std::string path = dir.file("junit.xml");
  const auto r = write_atomically(path, "first\n");
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(slurp(path), "first\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_EQ(dir.entries(), strings{"junit.xml"});
}

TEST(write_atomically, SecondWriteReplacesTheContentAndLeavesNoTemporaryFile) {
  scratch_dir dir;
  const std::string path = dir.file("results.json");
  ASSERT_TRUE(write_atomically(path, std::string(100000, 'a')));
  ASSERT_TRUE(write_atomically(path, "short"));
  EXPECT_EQ(slurp(path), "short");
  ASSERT_TRUE(write_atomically(path, ""));
  EXPECT_EQ(slurp(path), "");
  EXPECT_EQ(dir.entries(), strings{"results.json"});
}

TEST(write_atomically, AReaderSeesOnlyCompleteOldOrNewContent) {
  scratch_dir dir;
  const std::string path = dir.file("junit.xml");
  const std::string a(200000, 'a');
  const std::string b = std::string(150000, 'b') + "end";
  ASSERT_TRUE(write_atomically(path, a));
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      const std::string seen = slurp(path);
      if (seen != a && seen != b) ++bad;
      ++reads;
    }
  });
  for (int i = 0; i < 100; ++i) {
    if (!write_atomically(path, i % 2 == 0 ? b : a)) ++bad;
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(dir.entries(), strings{"junit.xml"});
}

TEST(write_atomically, RelativePathWritesIntoTheCurrentDirectory) {
  scratch_dir dir;
  const auto old_cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto r = write_atomically("plain.xml", "x");
  std::filesystem::current_path(old_cwd);
  ASSERT_TRUE(r) << r.error().detail;
  EXPECT_EQ(slurp(dir.file("plain.xml")), "x");
  EXPECT_EQ(dir.entries(), strings{"plain.xml"});
}

TEST(write_atomically, MissingDirectoryIsAnErrorNamingThePath) {
  scratch_dir dir;
  const std::string path = dir.file("no/such/dir/junit.xml");
  const auto r = write_atomically(path, "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, std::errc::no_such_file_or_directory);
  EXPECT_NE(r.error().detail.find(path), std::string::npos) << r.error().detail;
  EXPECT_NE(r.error().detail.find(std::strerror(ENOENT)), std::string::npos) << r.error().detail;
  EXPECT_TRUE(dir.entries().empty());
}

TEST(write_atomically, DestinationThatIsADirectoryFailsAndRemovesTheTemporaryFile) {
  scratch_dir dir;
  const std::string path = dir.file("report");
  std::filesystem::create_directory(path);
  const auto r = write_atomically(path, "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find(path), std::string::npos) << r.error().detail;
  EXPECT_EQ(dir.entries(), strings{"report"});  // the temporary file was created, then removed
  EXPECT_TRUE(std::filesystem::is_empty(path));
}

TEST(write_atomically, PathWithoutAFileNameIsAnError) {
  scratch_dir dir;
  const auto r = write_atomically(dir.path() + "/", "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().detail.find(dir.path()), std::string::npos);
  EXPECT_TRUE(dir.entries().empty());
}

// A directory the process cannot write to. Root ignores permission bits, so as root the write
// is made by a child that has dropped to `nobody`.
TEST(write_atomically, NonWritableDirectoryIsAnErrorAndLeavesNoFile) {
  scratch_dir dir;
  const std::string locked = dir.file("locked");
  std::filesystem::create_directory(locked);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0755), 0);
  ASSERT_EQ(::chmod(locked.c_str(), 0555), 0);
  const std::string path = locked + "/junit.xml";
  const int status = in_child([&] {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return 10;
    const auto r = write_atomically(path, "x");
    if (r) return 11;
    if (r.error().code != std::errc::permission_denied) return 12;
    if (r.error().detail.find(path) == std::string::npos) return 13;
    return 0;
  });
  EXPECT_EQ(status, 0);
  EXPECT_TRUE(std::filesystem::is_empty(locked));
}

// A write that fails half-way (the file size limit, EFBIG): the old content stays and the
// partial temporary file is removed.
TEST(write_atomically, FailedWriteKeepsTheOldContentAndRemovesTheTemporaryFile) {
  scratch_dir dir;
  const std::string path = dir.file("junit.xml");
  ASSERT_TRUE(write_atomically(path, "old complete content"));
  const int status = in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 10;
    const auto r = write_atomically(path, std::string(100000, 'n'));
    if (r) return 11;
    if (r.error().code != std::errc::file_too_large) return 12;
    if (r.error().detail.find(path) == std::string::npos) return 13;
    return 0;
  });
  EXPECT_EQ(status, 0);
  EXPECT_EQ(slurp(path), "old complete content");
  EXPECT_EQ(dir.entries(), strings{"junit.xml"});
}

}  // namespace
}  // namespace bcconform::report
