#include "fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <sstream>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

/// The two directions of a --log transcript, and the first line that does not parse.
struct transcript_bytes {
  std::string to_module, from_module;
  std::string error;
};

transcript_bytes read_transcript(const std::string& text) {
  transcript_bytes t;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 && line != protocol::transcript_header) {
      t.error = "line 1 is not the transcript header: " + line;
      return t;
    }
    auto r = protocol::parse_transcript_line(line);
    if (!r) {
      t.error = "line " + std::to_string(number) + ": " + r.error().detail;
      return t;
    }
    if (r->dir == protocol::direction::to_module) t.to_module += r->bytes;
    if (r->dir == protocol::direction::from_module) t.from_module += r->bytes;
  }
  return t;
}

}  // namespace

std::string side_name(const ::testing::TestParamInfo<serial_side>& info) {
  return std::string(to_string(info.param));
}

std::uint16_t free_tcp_port() {
  unique_fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    return 0;
  }
  return ntohs(a.sin_port);
}

void bcemu_fixture::SetUp() {
  start();
}

void bcemu_fixture::start() {
  bcemu_options o;
  o.side = GetParam();
  o.extra = extra_args_;
  process_ = std::make_unique<bcemu_process>(o);
  ASSERT_EQ(process_->failure(), "");
  if (o.side == serial_side::stdio) {
    client_ =
        std::make_unique<module_client>(process_->serial_read_fd(), process_->serial_write_fd());
  } else {
    if (o.side == serial_side::tcp) {
      // Output before a client connects goes nowhere, and input before the end of the boot is
      // not read: connect once the transcript shows the boot URC (emulator.md §1.2: RDY).
      ASSERT_TRUE(process_->serial_address(in(step_budget))) << process_->stderr_text();
      ASSERT_TRUE(process_->wait_for_log("RDY\\r\\n", in(step_budget)))
          << "no RDY in the transcript:\n"
          << process_->log_text();
    }
    auto fd = o.side == serial_side::pty ? process_->open_pty(in(step_budget))
                                         : process_->connect_tcp(in(step_budget));
    ASSERT_TRUE(fd) << "no " << to_string(o.side) << " to talk to; stderr:\n"
                    << process_->stderr_text();
    line_fd_ = std::move(*fd);
    client_ = std::make_unique<module_client>(line_fd_.get(), line_fd_.get());
  }
  if (o.side == serial_side::tcp) {
    ASSERT_EQ(cmd("AT"), lines{"OK"}) << "the first command over TCP";
    return;
  }
  // The boot URC is the sign that commands are read.
  ASSERT_TRUE(client_->await_urc(protocol::urc_id::rdy, in(step_budget)))
      << "no RDY; stderr:\n"
      << process_->stderr_text();
}

void bcemu_fixture::TearDown() {
  if (!client_) return;
  EXPECT_EQ(cmd("AT"), lines{"OK"}) << "the module answers AT after the test";
  EXPECT_EQ(client_->take_async(), lines{}) << "asynchronous lines nobody awaited";
  EXPECT_EQ(client_->problems(allowed_diagnostics_), lines{}) << "decoding problems";
  EXPECT_EQ(process_->terminate(in(step_budget)), 0)
      << "SIGTERM ends bcemu with exit code 0; stderr:\n"
      << process_->stderr_text();
  check_transcript();
}

// The transcript is the evidence a failed run leaves: it must hold what crossed the line.
void bcemu_fixture::check_transcript() {
  const auto t = read_transcript(process_->log_text());
  EXPECT_EQ(t.error, "") << "--log is a bcconform transcript";
  EXPECT_EQ(protocol::escape_bytes(t.to_module), protocol::escape_bytes(client_->sent()))
      << "the transcript records every byte the host sent";
  const std::string& got = client_->received();
  if (GetParam() == serial_side::tcp) {
    // Output before the client connected (the boot URC) is logged but went to nobody.
    EXPECT_TRUE(t.from_module.ends_with(got))
        << "the transcript ends with the bytes the client received:\n"
        << protocol::escape_bytes(t.from_module) << "\nreceived:\n"
        << protocol::escape_bytes(got);
  } else {
    EXPECT_EQ(protocol::escape_bytes(t.from_module), protocol::escape_bytes(got))
        << "the transcript records every byte the module sent";
  }
}

void bcemu_fixture::close_socket(int connect_id) {
  EXPECT_EQ(cmd("AT+QICLOSE=" + std::to_string(connect_id)), lines{"OK"});
  EXPECT_TRUE(arrives("CLOSE OK"));
}

::testing::AssertionResult bcemu_fixture::arrives(std::string_view line) {
  if (client_->await_line(line, in(step_budget))) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << line << "\" did not arrive; unclaimed asynchronous lines: "
         << ::testing::PrintToString(client_->take_async());
}

}  // namespace bcconform::bcemu_test
