// write_atomically(): reports are rewritten after every case, and a run can be killed at any
// instant, so a reader must only ever see a complete old or a complete new file. POSIX
// rename(2) replaces the destination atomically when source and destination are on the same
// file system, hence the temporary file beside the destination.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "bcconform/report/junit.hpp"

namespace bcconform::report {
namespace {

// Owns a file descriptor. close() reports its error, the destructor cannot.
class unique_fd {
 public:
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }
  /// 0 or errno.
  int close() noexcept {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Removes the temporary file unless it was renamed into place.
class temp_file {
 public:
  explicit temp_file(std::string path) : path_(std::move(path)) {}
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;
  ~temp_file() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const noexcept { return path_; }
  void release() noexcept { path_.clear(); }

 private:
  std::string path_;
};

protocol::error failure(int err, const std::string& what, const std::string& path) {
  return protocol::error{std::error_code(err, std::generic_category()),
                         what + " '" + path + "': " + std::strerror(err)};
}

// 0 or errno. Retries short writes and EINTR.
int write_all(int fd, std::string_view text) noexcept {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

// Makes the rename durable. Best effort: the new file is already in place and complete, so a
// failure here is not reported.
void sync_directory(const std::string& dir) noexcept {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

protocol::result<void> write_atomically(const std::string& path, std::string_view text) {
  const std::filesystem::path dest(path);
  const std::string name = dest.filename().string();
  if (name.empty() || name == "." || name == "..") return failure(EISDIR, "cannot write", path);
  const std::string dir = dest.has_parent_path() ? dest.parent_path().string() : ".";

  std::string pattern = (std::filesystem::path(dir) / ("." + name + ".XXXXXX")).string();
  unique_fd fd(::mkostemp(pattern.data(), O_CLOEXEC));
  if (fd.get() < 0) return failure(errno, "cannot create a temporary file for", path);
  temp_file temp(pattern);

  // mkstemp creates 0600; reports are meant to be read by others (CI, web servers).
  const std::string of_temp = " the temporary file " + temp.path() + " for";
  if (::fchmod(fd.get(), 0644) != 0)
    return failure(errno, "cannot set the mode of" + of_temp, path);
  if (const int err = write_all(fd.get(), text))
    return failure(err, "cannot write" + of_temp, path);
  if (::fsync(fd.get()) != 0) return failure(errno, "cannot sync" + of_temp, path);
  if (const int err = fd.close()) return failure(err, "cannot close" + of_temp, path);
  if (::rename(temp.path().c_str(), path.c_str()) != 0)
    return failure(errno, "cannot rename " + temp.path() + " to", path);
  temp.release();
  sync_directory(dir);
  return {};
}

}  // namespace bcconform::report
