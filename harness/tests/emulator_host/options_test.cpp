// bcemu's command line: modes, checks, defaults.
#include "bcconform/emulator_host/options.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace bcconform::emulator_host {
namespace {

parsed_command_line parse(std::vector<std::string> args, std::string* err_text = nullptr) {
  args.insert(args.begin(), "bcemu");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  auto r = parse_command_line(static_cast<int>(argv.size()), argv.data(), "9.9", out, err);
  if (err_text != nullptr) *err_text = err.str();
  return r;
}

TEST(options, defaults_are_stdio_bc25_loopback) {
  const auto r = parse({});
  ASSERT_TRUE(r.options);
  EXPECT_EQ(r.options->mode, serial_mode::stdio);
  EXPECT_EQ(r.options->model, "BC25");
  EXPECT_EQ(r.options->time_scale, 1.0);
  EXPECT_EQ(r.options->module_listen_address, "127.0.0.1");
  EXPECT_TRUE(r.options->allowed.permits(boost::asio::ip::make_address("127.0.0.1")));
  EXPECT_FALSE(r.options->allowed.permits(boost::asio::ip::make_address("10.0.0.1")));
}

struct listen_case {
  const char* text;
  const char* host;
  std::uint16_t port;
};

class listen_forms : public ::testing::TestWithParam<listen_case> {};

TEST_P(listen_forms, host_defaults_to_loopback) {
  const auto r = parse({"--listen", GetParam().text});
  ASSERT_TRUE(r.options) << GetParam().text;
  EXPECT_EQ(r.options->mode, serial_mode::tcp);
  EXPECT_EQ(r.options->listen_host, GetParam().host);
  EXPECT_EQ(r.options->listen_port, GetParam().port);
}

INSTANTIATE_TEST_SUITE_P(forms, listen_forms,
                         ::testing::Values(listen_case{"5000", "127.0.0.1", 5000},
                                           listen_case{":5001", "127.0.0.1", 5001},
                                           listen_case{"0.0.0.0:5002", "0.0.0.0", 5002},
                                           listen_case{"[::1]:5003", "::1", 5003}));

TEST(options, everything_at_once) {
  const auto r = parse({"--pty",
                        "--link",
                        "/tmp/ttyBC",
                        "--model",
                        "bc32",
                        "--state",
                        "s.json",
                        "--control",
                        "c.sock",
                        "--log",
                        "l.bctr",
                        "--time-scale",
                        "0.01",
                        "--seed",
                        "99",
                        "--byte-delay-us",
                        "87",
                        "--drop-rate",
                        "0.5",
                        "--corrupt-rate",
                        "0.25",
                        "--reboot-after",
                        "3",
                        "--stall-after",
                        "4",
                        "--allow",
                        "10.0.0.0/8",
                        "--listen-any",
                        "--simulate-ping"});
  ASSERT_TRUE(r.options);
  const auto& o = *r.options;
  EXPECT_EQ(o.mode, serial_mode::pty);
  EXPECT_EQ(o.pty_link, "/tmp/ttyBC");
  EXPECT_EQ(o.model, "BC32");
  EXPECT_EQ(o.state_path, "s.json");
  EXPECT_EQ(o.control_path, "c.sock");
  EXPECT_EQ(o.log_path, "l.bctr");
  EXPECT_EQ(o.time_scale, 0.01);
  EXPECT_EQ(o.seed, 99u);
  EXPECT_EQ(o.byte_delay, std::chrono::microseconds(87));
  EXPECT_EQ(o.drop_rate, 0.5);
  EXPECT_EQ(o.corrupt_rate, 0.25);
  EXPECT_EQ(o.reboot_after, 3);
  EXPECT_EQ(o.stall_after, 4);
  EXPECT_TRUE(o.allowed.permits(boost::asio::ip::make_address("10.9.9.9")));
  EXPECT_EQ(o.module_listen_address, "0.0.0.0");
  EXPECT_TRUE(o.simulate_ping);
}

class rejected : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(rejected, with_exit_code_4) {
  std::string err;
  const auto r = parse(GetParam(), &err);
  EXPECT_FALSE(r.options);
  EXPECT_EQ(r.exit_code, exit_usage);
  EXPECT_FALSE(err.empty());
}

INSTANTIATE_TEST_SUITE_P(args, rejected,
                         ::testing::Values(std::vector<std::string>{"--stdio", "--pty"},
                                           std::vector<std::string>{"--link",
                                                                    "/tmp/x"},  // needs --pty
                                           std::vector<std::string>{"--time-scale", "0"},
                                           std::vector<std::string>{"--drop-rate", "1.5"},
                                           std::vector<std::string>{"--listen", "host:port"},
                                           std::vector<std::string>{"--listen", "1.2.3.4:70000"},
                                           std::vector<std::string>{"--allow", "nonsense"},
                                           std::vector<std::string>{"--listen-address", "any"},
                                           std::vector<std::string>{"--model", "BG96"},
                                           std::vector<std::string>{"--no-such-flag"}));

TEST(options, help_and_version_succeed) {
  EXPECT_EQ(parse({"--help"}).exit_code, exit_ok);
  EXPECT_FALSE(parse({"--version"}).options);
  EXPECT_EQ(parse({"--version"}).exit_code, exit_ok);
}

}  // namespace
}  // namespace bcconform::emulator_host
