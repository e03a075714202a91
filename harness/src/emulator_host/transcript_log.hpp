// Internal: the --log transcript (specs/formats/transcript.md): header, then one record per
// read or write of the serial line and one note per host event, each flushed at once so a
// killed emulator loses nothing it had logged.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "bcconform/protocol/result.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace bcconform::emulator_host::detail {

class transcript_log {
 public:
  /// Creates (truncates) `path` and writes the header.
  static protocol::result<std::unique_ptr<transcript_log>> open(const std::string& path);
  ~transcript_log();
  transcript_log(const transcript_log&) = delete;
  transcript_log& operator=(const transcript_log&) = delete;

  /// `to_module`: bytes the host wrote; `from_module`: bytes the module sent.
  void record(protocol::direction dir, std::string_view bytes);
  void note(std::string_view text) { record(protocol::direction::note, text); }

 private:
  explicit transcript_log(std::FILE* f) : f_(f), start_(std::chrono::steady_clock::now()) {}
  std::FILE* f_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace bcconform::emulator_host::detail
