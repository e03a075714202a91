// The allow-list that keeps bcemu's traffic on loopback unless widened with --allow.
#include "bcconform/emulator_host/allow_list.hpp"

#include <gtest/gtest.h>

namespace bcconform::emulator_host {
namespace {

namespace ip = boost::asio::ip;

struct permit_case {
  const char* address;
  bool loopback_only;  ///< permitted by the default list
  bool widened;        ///< permitted after --allow 10.1.0.0/16 --allow fd00::/8
};

class allow_list_permits : public ::testing::TestWithParam<permit_case> {};

TEST_P(allow_list_permits, default_and_widened) {
  const auto a = ip::make_address(GetParam().address);
  auto list = allow_list::loopback_only();
  EXPECT_EQ(list.permits(a), GetParam().loopback_only);
  list.add(*parse_cidr("10.1.0.0/16"));
  list.add(*parse_cidr("fd00::/8"));
  EXPECT_EQ(list.permits(a), GetParam().widened);
}

INSTANTIATE_TEST_SUITE_P(
    addresses, allow_list_permits,
    ::testing::Values(permit_case{"127.0.0.1", true, true},
                      permit_case{"127.255.255.254", true, true}, permit_case{"::1", true, true},
                      permit_case{"::ffff:127.0.0.1", true, true},  // IPv4-mapped loopback
                      permit_case{"128.0.0.1", false, false},
                      permit_case{"192.0.2.1", false, false},  // TEST-NET-1 (RFC 5737)
                      permit_case{"0.0.0.0", false, false}, permit_case{"::", false, false},
                      permit_case{"10.1.255.3", false, true}, permit_case{"10.2.0.1", false, false},
                      permit_case{"fd12::1", false, true}, permit_case{"fe80::1", false, false}));

struct cidr_case {
  const char* text;
  bool ok;
  unsigned prefix;
};

class cidr_parsing : public ::testing::TestWithParam<cidr_case> {};

TEST_P(cidr_parsing, accepts_addresses_and_ranges_only) {
  const auto c = parse_cidr(GetParam().text);
  ASSERT_EQ(c.has_value(), GetParam().ok) << GetParam().text;
  if (c) {
    EXPECT_EQ(c->prefix, GetParam().prefix);
  }
}

INSTANTIATE_TEST_SUITE_P(
    texts, cidr_parsing,
    ::testing::Values(cidr_case{"192.168.1.0/24", true, 24}, cidr_case{"192.168.1.7", true, 32},
                      cidr_case{"::1", true, 128}, cidr_case{"2001:db8::/32", true, 32},
                      cidr_case{"0.0.0.0/0", true, 0}, cidr_case{"10.0.0.0/33", false, 0},
                      cidr_case{"10.0.0.0/", false, 0}, cidr_case{"10.0.0.0/8x", false, 0},
                      cidr_case{"example.com", false, 0}, cidr_case{"", false, 0},
                      cidr_case{"::/129", false, 0}));

TEST(allow_list, describes_its_ranges) {
  EXPECT_EQ(allow_list::loopback_only().describe(), "127.0.0.0/8, ::1/128");
}

}  // namespace
}  // namespace bcconform::emulator_host
