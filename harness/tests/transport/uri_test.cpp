// parse_target(): every scheme, every serial option, and every malformed form, with the column
// and the offending part named in the error.
#include <gtest/gtest.h>

#include "bcconform/transport/open.hpp"

namespace bcconform::transport {
namespace {

using parity = serial_settings::parity;

serial_settings settings(unsigned baud, unsigned data, parity p, unsigned stop, bool rtscts) {
  serial_settings s;
  s.baud = baud;
  s.data_bits = data;
  s.parity_bits = p;
  s.stop_bits = stop;
  s.rtscts = rtscts;
  return s;
}

struct good_case {
  const char* name;
  const char* uri;
  target_uri want;  // `text` is filled in by the test
};

/// For GoogleTest's messages.
void PrintTo(const good_case& c, std::ostream* os) {
  *os << c.name;  // not the URI: a trailing backslash would upset ctest discovery
}

target_uri exec(std::vector<std::string> argv) {
  target_uri t;
  t.kind = scheme::exec;
  t.argv = std::move(argv);
  return t;
}

target_uri path_uri(scheme k, std::string path, serial_settings s = {}) {
  target_uri t;
  t.kind = k;
  t.path = std::move(path);
  t.serial = s;
  return t;
}

target_uri tcp(std::string host, std::uint16_t port) {
  target_uri t;
  t.kind = scheme::tcp;
  t.host = std::move(host);
  t.port = port;
  return t;
}

const good_case good_cases[] = {
    {"exec_program_only", "exec:bcemu", exec({"bcemu"})},
    {"exec_with_args", "exec:/opt/bcemu --stdio --time-scale 0.01",
     exec({"/opt/bcemu", "--stdio", "--time-scale", "0.01"})},
    {"exec_runs_of_blanks", "exec:  a \t b  ", exec({"a", "b"})},
    {"exec_quotes_group", "exec:sh -c \"trap '' TERM; sleep 1\"",
     exec({"sh", "-c", "trap '' TERM; sleep 1"})},
    {"exec_quotes_inside_a_word", "exec:a--x=\"1 2\"z", exec({"a--x=1 2z"})},
    {"exec_empty_quoted_arg", "exec:prog \"\"", exec({"prog", ""})},
    {"exec_backslash_escapes", "exec:prog a\\ b \\\"q\\\" \"x\\\"y\"",
     exec({"prog", "a b", "\"q\"", "x\"y"})},
    {"serial_defaults", "serial:/dev/ttyUSB0", path_uri(scheme::serial, "/dev/ttyUSB0")},
    {"serial_baud", "serial:/dev/ttyUSB0?baud=9600",
     path_uri(scheme::serial, "/dev/ttyUSB0", settings(9600, 8, parity::none, 1, false))},
    {"serial_every_option", "serial:/dev/ttyS1?baud=57600&data=7&parity=even&stop=2&flow=rtscts",
     path_uri(scheme::serial, "/dev/ttyS1", settings(57600, 7, parity::even, 2, true))},
    {"serial_options_any_order", "serial:/dev/ttyS1?flow=none&parity=odd&data=5&baud=4000000",
     path_uri(scheme::serial, "/dev/ttyS1", settings(4000000, 5, parity::odd, 1, false))},
    {"serial_parity_none_stop_1", "serial:/dev/x?parity=none&stop=1&data=6",
     path_uri(scheme::serial, "/dev/x", settings(115200, 6, parity::none, 1, false))},
    {"serial_by_id_path", "serial:/dev/serial/by-id/usb-Quectel_BC25-if00",
     path_uri(scheme::serial, "/dev/serial/by-id/usb-Quectel_BC25-if00")},
    {"pty", "pty:/dev/pts/7", path_uri(scheme::pty, "/dev/pts/7")},
    {"tcp_ipv4", "tcp:127.0.0.1:2000", tcp("127.0.0.1", 2000)},
    {"tcp_ipv4_max_port", "tcp:10.1.2.3:65535", tcp("10.1.2.3", 65535)},
    {"tcp_ipv6", "tcp:[::1]:7", tcp("::1", 7)},
    {"tcp_ipv6_long", "tcp:[fe80::1:2:3]:4000", tcp("fe80::1:2:3", 4000)},
    {"replay", "replay:runs/case 1.bctr", path_uri(scheme::replay, "runs/case 1.bctr")},
};

class parse_good : public testing::TestWithParam<good_case> {};

TEST_P(parse_good, gives_the_target) {
  const auto& c = GetParam();
  const auto t = parse_target(c.uri);
  ASSERT_TRUE(t) << t.error().detail;
  EXPECT_EQ(t->kind, c.want.kind);
  EXPECT_EQ(t->argv, c.want.argv);
  EXPECT_EQ(t->path, c.want.path);
  EXPECT_EQ(t->serial, c.want.serial);
  EXPECT_EQ(t->host, c.want.host);
  EXPECT_EQ(t->port, c.want.port);
  EXPECT_EQ(t->text, c.uri);
}

INSTANTIATE_TEST_SUITE_P(transport_uri, parse_good, testing::ValuesIn(good_cases),
                         [](const auto& i) { return std::string(i.param.name); });

struct bad_case {
  const char* name;
  const char* uri;
  int column;
  const char* says;  // a part of the detail that names the offending part
};

/// For GoogleTest's messages.
void PrintTo(const bad_case& c, std::ostream* os) {
  *os << c.name;  // not the URI: a trailing backslash would upset ctest discovery
}

const bad_case bad_cases[] = {
    {"empty", "", 1, "no scheme"},
    {"no_scheme", "/dev/ttyUSB0", 1, "no scheme"},
    {"unknown_scheme", "telnet:1.2.3.4:23", 1, "unknown scheme \"telnet\""},
    {"scheme_case_matters", "EXEC:bcemu", 1, "unknown scheme \"EXEC\""},
    {"exec_nothing", "exec:", 6, "no program"},
    {"exec_blanks_only", "exec:   ", 6, "no program"},
    {"exec_empty_program", "exec:\"\" --stdio", 6, "program name is empty"},
    {"exec_unterminated_quote", "exec:sh -c \"echo", 12, "unterminated \""},
    {"exec_lone_backslash", "exec:prog arg\\", 14, "lone \\"},
    {"serial_no_path", "serial:", 8, "no device path"},
    {"serial_no_path_with_options", "serial:?baud=9600", 8, "no device path"},
    {"serial_empty_options", "serial:/dev/x?", 15, "empty option"},
    {"serial_empty_option_between", "serial:/dev/x?baud=9600&&data=8", 25, "empty option"},
    {"serial_trailing_ampersand", "serial:/dev/x?baud=9600&", 25, "empty option"},
    {"serial_option_without_value_sign", "serial:/dev/x?baud", 15, "\"baud\" is not NAME=VALUE"},
    {"serial_option_without_name", "serial:/dev/x?=9600", 15, "\"=9600\" is not NAME=VALUE"},
    {"serial_unknown_option", "serial:/dev/x?speed=9600", 15, "unknown option \"speed\""},
    {"serial_duplicate_option", "serial:/dev/x?baud=9600&baud=19200", 25, "\"baud\" given twice"},
    {"serial_baud_empty", "serial:/dev/x?baud=", 20, "baud \"\""},
    {"serial_baud_not_a_number", "serial:/dev/x?baud=fast", 20, "baud \"fast\""},
    {"serial_baud_non_standard", "serial:/dev/x?baud=12345", 20,
     "baud \"12345\" is not a standard"},
    {"serial_baud_trailing_junk", "serial:/dev/x?baud=9600x", 20, "baud \"9600x\""},
    {"serial_baud_negative", "serial:/dev/x?baud=-9600", 20, "baud \"-9600\""},
    {"serial_data_4", "serial:/dev/x?data=4", 20, "data \"4\""},
    {"serial_data_9", "serial:/dev/x?data=9", 20, "data \"9\""},
    {"serial_parity_word", "serial:/dev/x?parity=mark", 22, "parity \"mark\""},
    {"serial_parity_letter", "serial:/dev/x?parity=N", 22, "parity \"N\""},
    {"serial_stop_0", "serial:/dev/x?stop=0", 20, "stop \"0\""},
    {"serial_stop_one_and_a_half", "serial:/dev/x?stop=1.5", 20, "stop \"1.5\""},
    {"serial_flow_xonxoff", "serial:/dev/x?flow=xonxoff", 20, "flow \"xonxoff\""},
    {"serial_second_option_bad", "serial:/dev/x?baud=9600&data=x", 30, "data \"x\""},
    {"pty_no_path", "pty:", 5, "no device path"},
    {"pty_options", "pty:/dev/pts/3?baud=9600", 15, "takes no options"},
    {"tcp_nothing", "tcp:", 5, "no host"},
    {"tcp_no_port", "tcp:127.0.0.1", 14, "no :PORT"},
    {"tcp_empty_host", "tcp::2000", 5, "no host"},
    {"tcp_empty_port", "tcp:127.0.0.1:", 15, "port \"\""},
    {"tcp_port_zero", "tcp:127.0.0.1:0", 15, "port \"0\""},
    {"tcp_port_too_big", "tcp:127.0.0.1:65536", 15, "port \"65536\""},
    {"tcp_port_not_a_number", "tcp:127.0.0.1:http", 15, "port \"http\""},
    {"tcp_name_refused", "tcp:localhost:2000", 5, "\"localhost\" is not a numeric"},
    {"tcp_fqdn_refused", "tcp:ser2net.lab.example:2000", 5, "names are not resolved"},
    {"tcp_ipv4_short_form", "tcp:127.1:2000", 5, "\"127.1\" is not a numeric"},
    {"tcp_ipv4_octet_range", "tcp:256.0.0.1:2000", 5, "\"256.0.0.1\""},
    {"tcp_ipv6_unbracketed", "tcp:::1:2000", 5, "needs brackets"},
    {"tcp_ipv6_unterminated", "tcp:[::1:2000", 5, "unterminated ["},
    {"tcp_ipv6_bad", "tcp:[::g]:2000", 6, "[::g] is not an IPv6"},
    {"tcp_ipv6_not_v4", "tcp:[127.0.0.1]:2000", 6, "is not an IPv6"},
    {"tcp_ipv6_no_port", "tcp:[::1]", 10, "no :PORT"},
    {"tcp_ipv6_junk_after_bracket", "tcp:[::1]x:2000", 10, "no :PORT"},
    {"replay_no_file", "replay:", 8, "no file"},
};

class parse_bad : public testing::TestWithParam<bad_case> {};

TEST_P(parse_bad, names_the_offending_part) {
  const auto& c = GetParam();
  const auto t = parse_target(c.uri);
  ASSERT_FALSE(t) << "accepted " << c.uri;
  EXPECT_EQ(t.error().code, errc::bad_uri);
  const std::string& d = t.error().detail;
  EXPECT_NE(d.find("column " + std::to_string(c.column) + ": "), std::string::npos) << d;
  EXPECT_NE(d.find(c.says), std::string::npos) << d;
  EXPECT_NE(d.find("target \""), std::string::npos) << d;
}

INSTANTIATE_TEST_SUITE_P(transport_uri, parse_bad, testing::ValuesIn(bad_cases),
                         [](const auto& i) { return std::string(i.param.name); });

// Every rate termios names on Linux is accepted; the rest are refused.
TEST(transport_parse_target, accepts_every_standard_baud_rate) {
  for (const unsigned baud :
       {50u,      75u,      110u,     134u,     150u,     200u,    300u,     600u,
        1200u,    1800u,    2400u,    4800u,    9600u,    19200u,  38400u,   57600u,
        115200u,  230400u,  460800u,  500000u,  576000u,  921600u, 1000000u, 1152000u,
        1500000u, 2000000u, 2500000u, 3000000u, 3500000u, 4000000u}) {
    const auto t = parse_target("serial:/dev/x?baud=" + std::to_string(baud));
    ASSERT_TRUE(t) << baud << ": " << t.error().detail;
    EXPECT_EQ(t->serial.baud, baud);
  }
}

TEST(transport_parse_target, escapes_control_bytes_in_the_detail) {
  const auto t = parse_target(std::string("serial:/dev/x?baud=9\r6", 22));
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().detail.find("baud \"9\\r6\""), std::string::npos) << t.error().detail;
}

TEST(transport_errc, is_an_error_code_with_messages) {
  const std::error_code e = errc::replay_mismatch;
  EXPECT_EQ(e.category().name(), std::string("bcconform.transport"));
  EXPECT_EQ(e.message(), "host bytes differ from the recording");
  EXPECT_EQ(std::error_code(errc::busy).message(), "port busy");
  EXPECT_FALSE(std::error_code(errc::ok));
  EXPECT_NE(std::error_code(errc::timed_out), std::error_code(errc::end_of_stream));
}

TEST(transport_steady, is_monotonic) {
  const auto a = steady().now();
  const auto b = steady().now();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace bcconform::transport
