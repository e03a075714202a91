#include "transcript_log.hpp"

#include <cerrno>
#include <cstring>

namespace bcconform::emulator_host::detail {

protocol::result<std::unique_ptr<transcript_log>> transcript_log::open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "we");
  if (f == nullptr) {
    return protocol::make_error(protocol::errc::syntax,
                                "--log " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<transcript_log> log(new transcript_log(f));
  std::fprintf(f, "%.*s\n", static_cast<int>(protocol::transcript_header.size()),
               protocol::transcript_header.data());
  std::fflush(f);
  return log;
}

transcript_log::~transcript_log() {
  if (f_ != nullptr) std::fclose(f_);
}

void transcript_log::record(protocol::direction dir, std::string_view bytes) {
  protocol::transcript_record r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  r.dir = dir;
  r.bytes = std::string(bytes);
  const std::string line = protocol::format_transcript_record(r) + "\n";
  std::fwrite(line.data(), 1, line.size(), f_);
  std::fflush(f_);
}

}  // namespace bcconform::emulator_host::detail
