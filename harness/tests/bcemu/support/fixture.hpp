// The fixture of the bcemu end-to-end tests: one bcemu process per test, served over the serial
// side the test is instantiated with, a module_client on that line, and a peer::host for the
// loopback peers the module's sockets talk to.
//
// SetUp waits for the boot (RDY, or an answered AT where the boot URC went out before the client
// connected). TearDown checks that the line was clean: an AT still answers OK, no URC is left
// unclaimed, the parser saw no noise and no undocumented diagnostic, bcemu exits 0 on SIGTERM,
// and its --log transcript holds exactly the bytes that crossed the line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bcconform/peer/host.hpp"
#include "bcemu_process.hpp"
#include "module_client.hpp"

namespace bcconform::bcemu_test {

class bcemu_fixture : public ::testing::TestWithParam<serial_side> {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Extra bcemu arguments; a test fixture subclass sets them before SetUp.
  std::vector<std::string> extra_args_;
  /// Diagnostics this test may produce (documented ones, e.g. unframed for E47).
  std::vector<protocol::diagnostic> allowed_diagnostics_;

  module_client& m() { return *client_; }
  bcemu_process& process() { return *process_; }
  std::vector<std::string> cmd(std::string_view line) { return client_->command(line); }
  /// Waits for an asynchronous line (URC or deferred result) and says whether it came.
  ::testing::AssertionResult arrives(std::string_view line);
  /// AT+QICLOSE=<id> → OK, then CLOSE OK (AN 2.1.2). Tests close what they opened before their
  /// peers go away, so that no "closed" URC races the end of the test.
  void close_socket(int connect_id);

  peer::host host_;  // first: it outlives every peer a test creates

 private:
  void start();
  void check_transcript();

  std::unique_ptr<bcemu_process> process_;
  unique_fd line_fd_;  // pty or TCP connection
  std::unique_ptr<module_client> client_;
};

/// A TCP port free on 127.0.0.1 a moment ago (bound to port 0, read, closed): for the module's
/// own listener, whose port the test must name in AT+QIOPEN.
std::uint16_t free_tcp_port();

/// Prints "stdio", "pty", "tcp" as the instantiation suffix.
std::string side_name(const ::testing::TestParamInfo<serial_side>& info);

}  // namespace bcconform::bcemu_test

/// Runs a suite over the three serial sides bcemu serves.
#define BCEMU_ON_EVERY_SERIAL_SIDE(suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(serial, suite,                                                 \
                           ::testing::Values(::bcconform::bcemu_test::serial_side::stdio, \
                                             ::bcconform::bcemu_test::serial_side::pty,   \
                                             ::bcconform::bcemu_test::serial_side::tcp),  \
                           ::bcconform::bcemu_test::side_name)
