// Test support for the interpreter core: a fake host recording what the interpreter writes and
// requests, a fake clock moved by hand (no sleeps), and the BC25 profile from its file.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/emulator/interpreter.hpp"

namespace bcconform::emulator::testing {

using namespace std::chrono_literals;

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string profile_path(std::string_view model) {
  return std::string(BCCONFORM_SOURCE_DIR) + "/tools/bcemu/profiles/" + std::string(model) +
         ".json";
}

/// The model's profile file, parsed; the test fails if it does not load.
inline profile load_profile(std::string_view model = "BC25") {
  auto p = parse_profile(read_text_file(profile_path(model)), profile_path(model));
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().detail);
  return p ? *p : profile{};
}

/// BC25 without a delay between a result and a URC, so that outputs of one instant are
/// complete; tests of the delays set them back.
inline profile test_profile() {
  profile p = load_profile("BC25");
  p.urc_delay = 0ms;
  return p;
}

class fake_host : public host_interface {
 public:
  void write(std::string_view bytes) override {
    written += bytes.size();
    ++writes;
    if (keep_output) output.append(bytes);
  }
  void request(const net_request& r) override { requests.push_back(r); }
  void rebooted() override { ++reboots; }

  /// What was written since the last take().
  std::string take() {
    std::string o = std::move(output);
    output.clear();
    return o;
  }

  std::string output;
  bool keep_output = true;
  std::size_t written = 0;
  int writes = 0;
  std::vector<net_request> requests;
  int reboots = 0;
};

/// An emulated module on a fake clock, booted (RDY consumed) unless told otherwise.
class module {
 public:
  explicit module(profile p = test_profile(), fault_options f = {}, bool boot_now = true)
      : nvm_(factory_nvm(p)), it(std::move(p), host, nvm_, f) {
    if (boot_now) boot();
  }
  module(profile p, nvm_state n, fault_options f = {}) :nvm_(std::move(n)),
      it(std::move(p), host, nvm_, f) {
    boot();
  }

  void boot() {
    it.power_on(now);
    EXPECT_EQ(wait(it.config().boot_time), "\r\nRDY\r\n");
  }
  /// Host bytes at the current time; returns what the module wrote in answer.
  std::string send(std::string_view bytes) {
    it.on_host_bytes(now, bytes);
    return host.take();
  }
  /// A command line: `line` + CR.
  std::string at(std::string_view line) { return send(std::string(line) + "\r"); }
  /// Moves the clock and runs what is due; returns what was written.
  std::string wait(std::chrono::milliseconds d) {
    now += d;
    it.advance(now);
    return host.take();
  }
  std::string control(emulator::control c) {
    it.on_control(now, c);
    return host.take();
  }
  std::string net(const net_event& e) {
    it.on_net_event(now, e);
    return host.take();
  }

 private:
  nvm_state nvm_;

 public:
  fake_host host;
  timestamp now{0};
  interpreter it;
};

/// "\r\n<line>\r\n" — one response line as framed by the module.
inline std::string framed(std::string_view line) {
  return "\r\n" + std::string(line) + "\r\n";
}
inline const std::string ok = framed("OK");
inline const std::string error = framed("ERROR");

}  // namespace bcconform::emulator::testing
