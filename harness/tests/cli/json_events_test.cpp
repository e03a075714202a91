// The JSON form of events: UTF-8 validation (text or hex), payload hex, and the decoded
// fields of the note's example lines.
#include "json_events.hpp"

#include <string>

#include <gtest/gtest.h>

namespace bcconform::cli {
namespace {

struct utf8_case {
  const char* name;
  std::string bytes;
  bool valid;
};

std::ostream& operator<<(std::ostream& os, const utf8_case& c) {
  return os << c.name;
}

// Boundaries from Unicode 15 table 3-7 and the classic malformed sequences.
const utf8_case utf8_cases[] = {
    {"empty", "", true},
    {"ascii_with_controls", std::string("OK\0\x1b\x7f", 5), true},
    {"two_byte_min", "\xc2\x80", true},
    {"two_byte_max", "\xdf\xbf", true},
    {"three_byte_min", "\xe0\xa0\x80", true},
    {"before_surrogates", "\xed\x9f\xbf", true},
    {"after_surrogates", "\xee\x80\x80", true},
    {"bmp_max", "\xef\xbf\xbf", true},
    {"four_byte_min", "\xf0\x90\x80\x80", true},
    {"unicode_max", "\xf4\x8f\xbf\xbf", true},
    {"chinese_text", "\xe6\x93\x8d\xe4\xbd\x9c\xe6\x88\x90\xe5\x8a\x9f", true},  // 操作成功
    {"lone_continuation", "\x80", false},
    {"overlong_slash_2", "\xc0\xaf", false},
    {"overlong_c1", "\xc1\xbf", false},
    {"overlong_slash_3", "\xe0\x80\xaf", false},
    {"overlong_3_max", "\xe0\x9f\xbf", false},
    {"overlong_4", "\xf0\x8f\xbf\xbf", false},
    {"surrogate_low_bound", "\xed\xa0\x80", false},
    {"surrogate_high_bound", "\xed\xbf\xbf", false},
    {"above_unicode", "\xf4\x90\x80\x80", false},
    {"f5_lead", "\xf5\x80\x80\x80", false},
    {"ff_byte", "\xff", false},
    {"truncated_two", "A\xc3", false},
    {"truncated_four", "\xf0\x90\x80", false},
    {"ascii_as_continuation", "\xc3(", false},
    {"valid_then_invalid", "r\xc3\xa9sum\xc3\xa9\xfe", false},
};

class utf8_test : public ::testing::TestWithParam<utf8_case> {};

TEST_P(utf8_test, validates) {
  EXPECT_EQ(is_valid_utf8(GetParam().bytes), GetParam().valid);
}

INSTANTIATE_TEST_SUITE_P(table_3_7, utf8_test, ::testing::ValuesIn(utf8_cases),
                         [](const auto& tc) { return std::string(tc.param.name); });

TEST(to_hex, is_lower_case_two_digits_per_byte) {
  EXPECT_EQ(to_hex(std::string("\x00\x0f\xa0\xff"
                               "09",
                               6)),
            "000fa0ff3039");
  EXPECT_EQ(to_hex(""), "");
}

protocol::event line_event(protocol::event_kind kind, std::string_view name,
                           std::string_view bytes) {
  protocol::event e;
  e.kind = kind;
  e.offset = 7;
  e.name = name;
  e.bytes = bytes;
  return e;
}

struct fields_case {
  const char* name;
  std::string line;  // an information line or URC as the note prints it
  const char* fields;
};

std::ostream& operator<<(std::ostream& os, const fields_case& c) {
  return os << c.name;
}

const fields_case fields_cases[] = {
    {"qistate_an_4_1_1", R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,0)",
     R"({"connect_id":0,"service_type":"TCP","ip":"220.18.39.22","remote_port":8062,
         "local_port":0,"socket_state":2,"context_id":1,"access_mode":0})"},
    {"qird_an_4_1_3", "+QIRD: 10,2", R"({"read_length":10,"remaining":2})"},
    {"buff_full_an_4_1_3", R"(+QIURC: "recv",0,"buff full")",
     R"({"connect_id":0,"length":null,"buff_full":true})"},
    {"cgpaddr_an_4_1_1", R"(+CGPADDR: 1,"100.127.243.105")",
     R"({"cid":1,"address":"100.127.243.105"})"},
    {"qicfg_an_4_1_3", R"(+QICFG: "showlength",1)",
     R"({"key":"showlength","value1":1,"value2":null})"},
};

class fields_test : public ::testing::TestWithParam<fields_case> {};

TEST_P(fields_test, decoded_members_appear_under_fields) {
  const fields_case& c = GetParam();
  const json j = event_to_json(line_event(protocol::event_kind::info, "X", c.line));
  ASSERT_TRUE(j.contains("fields")) << j.dump();
  EXPECT_EQ(nlohmann::json::parse(j["fields"].dump()), nlohmann::json::parse(c.fields));
  EXPECT_EQ(j["text"], c.line);
}

INSTANTIATE_TEST_SUITE_P(an_examples, fields_test, ::testing::ValuesIn(fields_cases),
                         [](const auto& tc) { return std::string(tc.param.name); });

TEST(event_to_json, keys_come_in_a_fixed_order) {
  const json j = event_to_json(line_event(protocol::event_kind::urc, "QIOPEN", "+QIOPEN: 0,0"));
  EXPECT_EQ(dump_line(j), R"({"offset":7,"kind":"urc","name":"QIOPEN","text":"+QIOPEN: 0,0",)"
                          R"("fields":{"connect_id":0,"err":0}})");
}

TEST(event_to_json, lines_without_a_decoder_have_no_fields) {
  const json j = event_to_json(line_event(protocol::event_kind::final, "OK", "OK"));
  EXPECT_FALSE(j.contains("fields"));
  EXPECT_FALSE(j.contains("decode_error"));
}

TEST(event_to_json, echo_and_noise_have_no_name) {
  const json j = event_to_json(line_event(protocol::event_kind::echo, "", "AT+QIRD=0,512"));
  EXPECT_FALSE(j.contains("name"));
  EXPECT_EQ(j["kind"], "echo");
}

TEST(event_to_json, diagnostic_is_named) {
  protocol::event e = line_event(protocol::event_kind::noise, "", "OK");
  e.diag = protocol::diagnostic::truncated;
  EXPECT_EQ(event_to_json(e)["diag"], "truncated");
}

TEST(event_to_json, bad_hex_payload_keeps_the_wire_bytes) {
  protocol::event e = line_event(protocol::event_kind::data, "", "3G");
  e.format = protocol::data_format::hex;
  e.diag = protocol::diagnostic::bad_hex;
  e.connect_id = 0;
  e.length = 1;
  const json j = event_to_json(e);
  EXPECT_EQ(j["hex"], "3347");
  EXPECT_EQ(j["format"], "hex");
  EXPECT_EQ(j["diag"], "bad_hex");
}

TEST(event_to_json, unknown_connect_id_is_null) {
  protocol::event e = line_event(protocol::event_kind::data, "", "ab");
  e.length = 2;
  EXPECT_TRUE(event_to_json(e)["connect_id"].is_null());
}

TEST(dump_line, invalid_utf8_inside_fields_is_replaced_not_thrown) {
  json j = {{"fields", {{"description", std::string("\xff")}}}};
  EXPECT_EQ(dump_line(j), "{\"fields\":{\"description\":\"\xef\xbf\xbd\"}}");
}

}  // namespace
}  // namespace bcconform::cli
