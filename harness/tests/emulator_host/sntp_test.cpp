// The SNTP client messages behind AT+QNTP (AN 2.1.9), per RFC 4330.
#include "bcconform/emulator_host/sntp.hpp"

#include <gtest/gtest.h>

namespace bcconform::emulator_host {
namespace {

const ntp_timestamp sent{0xE3D5A1B2u, 0x12345678u};

std::string server_reply(unsigned char first, unsigned char stratum, ntp_timestamp originate,
                         ntp_timestamp transmit) {
  std::string b(sntp_packet_size, '\0');
  b[0] = static_cast<char>(first);
  b[1] = static_cast<char>(stratum);
  auto put = [&](std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
      b[at + static_cast<std::size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  };
  put(24, originate.seconds);
  put(28, originate.fraction);
  put(40, transmit.seconds);
  put(44, transmit.fraction);
  return b;
}

TEST(sntp, request_is_a_version_4_client_message_carrying_our_time) {
  const auto p = make_sntp_request(sent);
  EXPECT_EQ(p[0], 0x23);  // LI 0, VN 4, mode 3
  EXPECT_EQ(p[40], 0xE3);
  EXPECT_EQ(p[43], 0xB2);
  EXPECT_EQ(p[47], 0x78);
  for (std::size_t i = 1; i < 40; ++i) EXPECT_EQ(p[i], 0) << i;
}

// 2018-04-20 11:08:20 UTC, the date of AN 4.7's example.
constexpr std::int64_t example_unix = 1524222500;

TEST(sntp, converts_between_eras) {
  EXPECT_EQ(ntp_to_unix_seconds(unix_to_ntp(example_unix).seconds), example_unix);
  EXPECT_EQ(ntp_to_unix_seconds(2208988800u), 0);  // 1970-01-01
  EXPECT_EQ(ntp_to_unix_seconds(0x7FFFFFFFu), 4294967295LL - 2208988800LL + 0x7FFFFFFFLL + 1);
  EXPECT_EQ(unix_to_ntp(2085978496).seconds, 0u);  // 2036-02-07 06:28:16: era 1 begins
}

struct reply_case {
  const char* name;
  unsigned char first;
  unsigned char stratum;
  bool ours;
  std::optional<sntp_error> error;
};

class sntp_reply_check : public ::testing::TestWithParam<reply_case> {};

TEST_P(sntp_reply_check, classifies) {
  const auto& c = GetParam();
  const auto transmit = unix_to_ntp(example_unix);
  const auto r = parse_sntp_reply(
      server_reply(c.first, c.stratum, c.ours ? sent : ntp_timestamp{1, 2}, transmit), sent);
  EXPECT_EQ(r.error, c.error);
  if (!c.error) {
    EXPECT_EQ(r.unix_seconds, example_unix);
  }
}

INSTANTIATE_TEST_SUITE_P(
    replies, sntp_reply_check,
    ::testing::Values(reply_case{"good", 0x24, 1, true, std::nullopt},
                      reply_case{"version_3", 0x1C, 2, true, std::nullopt},
                      reply_case{"client_mode", 0x23, 1, true, sntp_error::wrong_mode},
                      reply_case{"version_0", 0x04, 1, true, sntp_error::wrong_version},
                      reply_case{"kiss_of_death", 0x24, 0, true, sntp_error::kiss_of_death},
                      reply_case{"stratum_16", 0x24, 16, true, sntp_error::bad_stratum},
                      reply_case{"unsynchronised", 0xE4, 1, true, sntp_error::unsynchronised},
                      reply_case{"someone_elses", 0x24, 1, false, sntp_error::not_our_request}),
    [](const auto& p) { return std::string(p.param.name); });

TEST(sntp, short_and_timeless_replies_are_refused) {
  EXPECT_EQ(parse_sntp_reply(std::string(47, '\0'), sent).error, sntp_error::short_packet);
  EXPECT_EQ(parse_sntp_reply(server_reply(0x24, 1, sent, {}), sent).error, sntp_error::no_time);
}

}  // namespace
}  // namespace bcconform::emulator_host
