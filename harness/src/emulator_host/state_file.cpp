#include "state_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace bcconform::emulator_host::detail {
namespace {

protocol::error io_error(const std::string& what) {
  return protocol::make_error(protocol::errc::syntax, what + ": " + std::strerror(errno));
}

}  // namespace

protocol::result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

protocol::result<emulator::nvm_state> load_state(const std::string& path,
                                                 const emulator::profile& p) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return emulator::factory_nvm(p);
  auto text = read_file(path);
  if (!text) return text.error();
  auto nvm = emulator::nvm_from_json(*text);
  if (!nvm) return protocol::make_error(protocol::errc::syntax, path + ": " + nvm.error().detail);
  return nvm;
}

protocol::result<void> save_state(const std::string& path, const emulator::nvm_state& s) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const std::string text = emulator::to_json(s) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(tmp);
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = io_error(path);
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

}  // namespace bcconform::emulator_host::detail
