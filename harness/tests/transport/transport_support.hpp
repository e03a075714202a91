// Test support for the transport tests: a private temporary directory, and reading from a
// transport until a text appears or a deadline passes.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "bcconform/transport/transport.hpp"

namespace bcconform::transport::test {

using namespace std::chrono_literals;

/// How long one step may take before it counts as a hang. A passing test never waits for it.
inline constexpr std::chrono::seconds step_budget{10};

inline deadline in(duration d) {
  return steady().now() + d;
}

class temp_dir {
 public:
  temp_dir() {
    char pattern[] = "/tmp/bcconform_transport_XXXXXX";
    if (const char* made = ::mkdtemp(pattern)) path_ = made;
  }
  ~temp_dir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }
  std::string write(std::string_view name, std::string_view text) const {
    const std::string p = file(name);
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::string path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Reads until `needle` has been received; the bytes so far, or the error that stopped it.
struct read_outcome {
  std::string bytes;
  std::error_code code;  ///< empty when the needle arrived
  std::string detail;
};

inline read_outcome read_until(transport& t, std::string_view needle, deadline until) {
  read_outcome o;
  while (o.bytes.find(needle) == std::string::npos) {
    auto r = t.read(o.bytes, 4096, until);
    if (!r) {
      o.code = r.error().code;
      o.detail = r.error().detail;
      return o;
    }
  }
  return o;
}

}  // namespace bcconform::transport::test
