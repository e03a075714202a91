// What only one serial side has: the pty's --link, and --listen's one client at a time.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "bcemu_process.hpp"
#include "module_client.hpp"

namespace bcconform::bcemu_test {
namespace {

using lines = std::vector<std::string>;

// --pty --link PATH: a driver configured with a fixed device name opens the link.
TEST(bcemu_pty, link_names_the_pty_and_goes_at_exit) {
  temp_dir dir;
  const std::string link = dir.file("ttyBC25");
  bcemu_options o;
  o.side = serial_side::pty;
  o.extra = {"--link", link};
  bcemu_process p(o);
  ASSERT_EQ(p.failure(), "");
  std::string path;
  auto fd = p.open_pty(in(step_budget), &path);
  ASSERT_TRUE(fd) << p.stderr_text();
  EXPECT_EQ(std::filesystem::read_symlink(link).string(), path);

  // A second opener through the link shares the line, as on a real serial port.
  unique_fd by_link(::open(link.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
  ASSERT_TRUE(by_link);
  module_client m(fd->get(), fd->get());
  ASSERT_TRUE(m.await_urc(protocol::urc_id::rdy, in(step_budget)));
  EXPECT_EQ(m.command("ATE0"), (lines{"OK"}));
  module_client via_link(by_link.get(), by_link.get());
  EXPECT_EQ(via_link.command("AT+CGATT?"), (lines{"+CGATT: 1", "OK"}));

  EXPECT_EQ(p.terminate(in(step_budget)), 0);
  EXPECT_FALSE(std::filesystem::is_symlink(link)) << "the link is removed at exit";
}

// --listen: one client at a time; the next one is served when the first leaves.
TEST(bcemu_listen, one_client_at_a_time) {
  bcemu_options o;
  o.side = serial_side::tcp;
  bcemu_process p(o);
  ASSERT_EQ(p.failure(), "");
  ASSERT_TRUE(p.serial_address(in(step_budget)));
  ASSERT_TRUE(p.wait_for_log("RDY\\r\\n", in(step_budget)));
  auto first = p.connect_tcp(in(step_budget));
  ASSERT_TRUE(first);
  module_client one(first->get(), first->get());
  EXPECT_EQ(one.command("AT"), (lines{"OK"}));

  auto second = p.connect_tcp(in(step_budget));
  ASSERT_TRUE(second) << "the kernel queues the next client";
  module_client two(second->get(), second->get());
  ASSERT_TRUE(two.send("AT+CGATT?"));  // waits in the kernel until the first client leaves
  EXPECT_EQ(one.command("ATI").back(), "OK");
  char byte = 0;
  EXPECT_LT(::recv(second->get(), &byte, 1, MSG_DONTWAIT), 0) << "the waiting client hears nothing";

  first->reset();
  const auto answer = two.response(in(step_budget));
  ASSERT_TRUE(answer) << "the second client is served once the first has gone";
  EXPECT_EQ(render(*answer), (lines{"+CGATT: 1", "OK"}));
  EXPECT_EQ(two.problems(), lines{});
  EXPECT_EQ(p.terminate(in(step_budget)), 0);
}

// A client that leaves in the middle of a command line does not leave the module deaf.
TEST(bcemu_listen, a_client_leaving_mid_command_leaves_the_module_responsive) {
  bcemu_options o;
  o.side = serial_side::tcp;
  bcemu_process p(o);
  ASSERT_EQ(p.failure(), "");
  ASSERT_TRUE(p.serial_address(in(step_budget)));
  ASSERT_TRUE(p.wait_for_log("RDY\\r\\n", in(step_budget)));
  {
    auto first = p.connect_tcp(in(step_budget));
    ASSERT_TRUE(first);
    ASSERT_EQ(::send(first->get(), "AT+QIOPEN=1,0,\"TC", 17, MSG_NOSIGNAL), 17);
    ASSERT_TRUE(p.wait_for_log("AT+QIOPEN=1,0,", in(step_budget)));
  }
  auto second = p.connect_tcp(in(step_budget));
  ASSERT_TRUE(second);
  module_client two(second->get(), second->get());
  // Behind ser2net the UART keeps the half line and the next command completes it (ERROR); a
  // shell that starts each client on a fresh line answers OK. Either way the next AT works.
  const auto first_answer = two.command("ATE0");
  EXPECT_TRUE(first_answer == lines{"OK"} || first_answer == lines{"ERROR"})
      << ::testing::PrintToString(first_answer);
  EXPECT_EQ(two.command("AT"), (lines{"OK"}));
  EXPECT_EQ(p.terminate(in(step_budget)), 0);
}

}  // namespace
}  // namespace bcconform::bcemu_test
