// Typed requests: exact encodings of the note's examples, refusals that come from the table,
// and the round trip encode → parse_command_line → check_arguments → from → same value.
#include "bcconform/protocol/commands.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace bcconform::protocol {
namespace {

// encode → parse → check → from gives back `request`.
template <class Request>
void expect_round_trip(const Request& request) {
  auto line = request.encode();
  ASSERT_TRUE(line) << line.error().detail;
  auto parsed = parse_command_line(*line);
  ASSERT_TRUE(parsed) << *line << ": " << parsed.error().detail;
  auto checked = check_arguments(*parsed);
  ASSERT_TRUE(checked) << *line << ": " << checked.error().detail;
  auto back = Request::from(*parsed);
  ASSERT_TRUE(back) << *line << ": " << back.error().detail;
  EXPECT_EQ(*back, request) << *line;
}

template <class Request>
void expect_encoding(const Request& request, std::string_view expected) {
  auto line = request.encode();
  ASSERT_TRUE(line) << expected << ": " << line.error().detail;
  EXPECT_EQ(*line, expected);
  expect_round_trip(request);
}

template <class Request>
void expect_refused(const Request& request, errc expected) {
  auto line = request.encode();
  ASSERT_FALSE(line) << *line;
  EXPECT_EQ(line.error().code, make_error_code(expected)) << line.error().detail;
}

TEST(TypedRequests, NoteExamplesEncodeExactly) {
  expect_encoding(qiopen_request{1, 0, "TCP", "220.18.39.22", 8062, 0, 0, {}},
                  R"(AT+QIOPEN=1,0,"TCP","220.18.39.22",8062,0,0)");  // AN 4.1.1
  expect_encoding(qiopen_request{1, 0, "TCP LISTENER", "192.168.2.6", 0, 2020, 0, {}},
                  R"(AT+QIOPEN=1,0,"TCP LISTENER","192.168.2.6",0,2020,0)");  // AN 4.3.1
  expect_encoding(qistate_request{qistate_request::scope::connection, 0}, "AT+QISTATE=1,0");
  expect_encoding(qistate_request{}, "AT+QISTATE?");
  expect_encoding(qisend_request::with_data(0, "1234567890"), R"(AT+QISEND=0,10,"1234567890")");
  expect_encoding(qisendex_request::with_hex(0, "3031323334"), R"(AT+QISENDEX=0,5,"3031323334")");
  expect_encoding(qird_request{0, 512}, "AT+QIRD=0,512");
  expect_encoding(qicfg_request{"showlength", {1}}, R"(AT+QICFG="showlength",1)");
  expect_encoding(qicfg_request{"viewmode", {1}}, R"(AT+QICFG="viewmode",1)");
  expect_encoding(qiclose_request{0}, "AT+QICLOSE=0");
  expect_encoding(qping_request{1, "sh.quectel.com", {}, {}, {}}, R"(AT+QPING=1,"sh.quectel.com")");
  expect_encoding(qntp_request{1, "ntp5.aliyun.com", {}, {}}, R"(AT+QNTP=1,"ntp5.aliyun.com")");
  expect_encoding(qigeterror_request{}, "AT+QIGETERROR");
}

TEST(TypedRequests, RoundTripEveryRequest) {
  expect_round_trip(qiopen_request{3, 5, "UDP", "example.com", 65535, {}, {}, {}});
  expect_round_trip(qiopen_request{1, 2, "TCP", "10.0.0.1", 1, 0, 1, 1});
  expect_round_trip(qiopen_request{2, 1, "UDP SERVICE", "0.0.0.0", 0, 1, 0, 0});
  expect_round_trip(qiclose_request{5});
  expect_round_trip(qistate_request{qistate_request::scope::context, 3});
  expect_round_trip(qistate_request{qistate_request::scope::connection, 5});
  expect_round_trip(qisend_request{send_variant::until_ctrl_z, 3, 0, ""});
  expect_round_trip(qisend_request{send_variant::fixed_length, 1, 512, ""});
  expect_round_trip(qisend_request::with_data(2, "a,b  c"));  // commas and spaces inside quotes
  expect_round_trip(qisendex_request{send_variant::until_ctrl_z, 4, 0, ""});
  expect_round_trip(qisendex_request{send_variant::fixed_length, 0, 1, ""});
  expect_round_trip(qisendex_request::with_hex(5, "00FFaa"));
  expect_round_trip(qird_request{5, 1});
  expect_round_trip(qiswtmd_request{0, 1});
  expect_round_trip(qping_request{2, "8.8.8.8", 255, 10, 200});
  expect_round_trip(qping_request{1, "h", 1, {}, {}});
  expect_round_trip(qntp_request{3, "pool.ntp.org", 123, 0});
  expect_round_trip(qidnsgip_request{1, "sh.quectel.com"});
  expect_round_trip(qicfg_request{"dataformat", {0, 1}});
  expect_round_trip(qicfg_request{"viewmode", {}});  // E32: a query
  expect_round_trip(qigeterror_request{});
  expect_round_trip(qikalive_request{1, 36000, 20, 127});
  expect_round_trip(qikalive_request{0, {}, {}, {}});
  expect_round_trip(qidnscfg_request{"114.114.114.114", "8.8.8.8"});
  expect_round_trip(qidnscfg_request{"::1", {}});
}

TEST(TypedRequests, RefusalsComeFromTheTable) {
  expect_refused(qiopen_request{4, 0, "TCP", "h", 80, {}, {}, {}}, errc::out_of_range);
  expect_refused(qiopen_request{1, 6, "TCP", "h", 80, {}, {}, {}}, errc::out_of_range);
  expect_refused(qiopen_request{1, 0, "SCTP", "h", 80, {}, {}, {}}, errc::bad_choice);
  expect_refused(qiopen_request{1, 0, "TCP", "", 80, {}, {}, {}}, errc::missing_parameter);
  expect_refused(qiopen_request{1, 0, "TCP", "h", 0, {}, {}, {}}, errc::out_of_range);  // E5
  expect_refused(qiopen_request{1, 0, "TCP LISTENER", "h", 0, {}, {}, {}},
                 errc::missing_parameter);  // AN 2.1.1
  expect_refused(qiopen_request{1, 0, "TCP", "h", 80, {}, 1, {}},
                 errc::missing_parameter);  // nesting
  expect_refused(qisend_request::with_data(0, std::string(513, 'x')), errc::out_of_range);
  expect_refused(qisend_request::with_data(0, ""), errc::out_of_range);
  expect_refused(qisend_request::with_data(0, "a\"b"), errc::bad_quote);  // E53
  expect_refused(qisend_request{send_variant::inline_data, 0, 3, "abcd"}, errc::length_mismatch);
  expect_refused(qisendex_request::with_hex(0, "303"), errc::bad_hex);
  expect_refused(qisendex_request{send_variant::inline_data, 0, 3, "3031"}, errc::length_mismatch);
  expect_refused(qisendex_request{send_variant::fixed_length, 0, 513, ""}, errc::out_of_range);
  expect_refused(qird_request{0, 0}, errc::out_of_range);
  expect_refused(qistate_request{qistate_request::scope::context, 0}, errc::out_of_range);
  expect_refused(qping_request{1, "h", {}, 4, {}}, errc::missing_parameter);
  expect_refused(qping_request{1, "h", 4, 11, {}}, errc::out_of_range);
  expect_refused(qicfg_request{"dataformat", {1}}, errc::missing_parameter);
  expect_refused(qicfg_request{"viewmode", {1, 1}}, errc::too_many_parameters);
  expect_refused(qicfg_request{"echomode", {1}}, errc::bad_choice);
  expect_refused(qikalive_request{1, {}, 10, {}}, errc::missing_parameter);
  expect_refused(qikalive_request{1, 60, 9, {}}, errc::out_of_range);
  expect_refused(qidnscfg_request{std::string(46, '1'), {}}, errc::out_of_range);
}

TEST(TypedRequests, FromRefusesOtherCommandsAndForms) {
  auto qird = parse_command_line("AT+QIRD=0,512");
  ASSERT_TRUE(qird);
  EXPECT_EQ(qiclose_request::from(*qird).error().code, make_error_code(errc::wrong_prefix));
  auto test_form = parse_command_line("AT+QIRD=?");
  ASSERT_TRUE(test_form);
  EXPECT_EQ(qird_request::from(*test_form).error().code, make_error_code(errc::unsupported_form));
  auto bad = parse_command_line("AT+QIRD=0,0");
  ASSERT_TRUE(bad);
  EXPECT_EQ(qird_request::from(*bad).error().code, make_error_code(errc::out_of_range));
}

TEST(TypedRequests, FromReadsTheSendVariant) {
  struct variant_case {
    std::string_view line;
    send_variant variant;
  };
  for (const auto& c : {variant_case{"AT+QISEND=0", send_variant::until_ctrl_z},
                        variant_case{"AT+QISEND=0,7", send_variant::fixed_length},
                        variant_case{"AT+QISEND=0,2,\"hi\"", send_variant::inline_data}}) {
    auto p = parse_command_line(c.line);
    ASSERT_TRUE(p);
    auto r = qisend_request::from(*p);
    ASSERT_TRUE(r) << c.line;
    EXPECT_EQ(r->variant, c.variant) << c.line;
  }
}

}  // namespace
}  // namespace bcconform::protocol
