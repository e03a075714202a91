// Typed decoders and encoders: every information line and URC of the note (AN 2 formats, AN 4
// examples) with its expected value and canonical encoding; malformed and hostile variants;
// and the round trip decode(encode(decode(L))) == decode(L) over the good lines and over
// systematic one-byte mutations of them. Inputs live in exact-size heap buffers so that ASan
// reports any read past the end of a line.
#include "bcconform/protocol/decoders.hpp"

#include <gtest/gtest.h>

#include "support/exact_buffer.hpp"

#include <array>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace bcconform::protocol {

// gtest prints variants byte by byte otherwise; found by ADL through the alternatives.
void PrintTo(const decoded_line& v, std::ostream* os) {
  *os << decoded_name(v) << " {" << encode_line(v) << "}";
}

namespace {

using test_support::exact_buffer;

/// A gtest parameter name from a line: its index, then its letters and digits.
template <class Info>
std::string case_name(const Info& info) {
  std::string out = std::to_string(info.index) + "_";
  for (const char c : std::string_view(info.param.line).substr(0, 48)) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) {
      out += c;
    } else if (out.back() != '_') {
      out += '_';
    }
  }
  return out;
}

result<decoded_line> decode_exact(std::string_view line) {
  const exact_buffer buf(line);
  return decode_line(buf.view());
}

using shape = qping_urc::shape;

// Builders for the structs with many defaulted members (AN 2.1.8, AN 2.1.10).
qping_urc ping_reply(int code, std::string ip, bool quoted, int bytes, int time_ms, int ttl) {
  qping_urc v;
  v.kind = shape::reply;
  v.code = code;
  v.ip = std::move(ip);
  v.ip_quoted = quoted;
  v.bytes = bytes;
  v.time_ms = time_ms;
  v.ttl = ttl;
  return v;
}

qping_urc ping_summary(int code, int sent, int rcvd, int lost, int min, int max, int avg) {
  qping_urc v;
  v.kind = shape::summary;
  v.code = code;
  v.sent = sent;
  v.rcvd = rcvd;
  v.lost = lost;
  v.min = min;
  v.max = max;
  v.avg = avg;
  return v;
}

qping_urc ping_code(int code) {
  qping_urc v;
  v.code = code;
  return v;
}

dnsgip_urc dns_header(int err, std::optional<int> count, std::optional<int> ttl,
                      bool qidnsgip_prefix = false) {
  dnsgip_urc v;
  v.err = err;
  v.ip_count = count;
  v.ttl = ttl;
  v.qidnsgip_prefix = qidnsgip_prefix;
  return v;
}

dnsgip_urc dns_address(std::string address, bool quoted, bool qidnsgip_prefix = false) {
  dnsgip_urc v;
  v.is_address = true;
  v.address = std::move(address);
  v.address_quoted = quoted;
  v.qidnsgip_prefix = qidnsgip_prefix;
  return v;
}

struct good_case {
  const char* line;
  decoded_line want;
  const char* canonical = nullptr;  // encode_line(want); nullptr: the line itself
};

std::ostream& operator<<(std::ostream& os, const good_case& c) {
  return os << c.line;
}

const good_case good_cases[] = {
    // AN 2.1.1, AN 4.1.1 / 4.2.1 / 4.3.1 / 4.4; err codes of AN 3 table 1.
    {"+QIOPEN: 0,0", qiopen_result{0, 0}},
    {"+QIOPEN: 5,566", qiopen_result{5, 566}},
    {"+QIOPEN:0,0", qiopen_result{0, 0}, "+QIOPEN: 0,0"},
    {"+QIOPEN: 005,0552", qiopen_result{5, 552}, "+QIOPEN: 5,552"},
    {"+QIOPEN: -0, 0", qiopen_result{0, 0}, "+QIOPEN: 0,0"},
    // AN 2.1.3, AN 4.1.1, 4.2.1, 4.3.1, 4.4, 4.5.1; parsers.md §4 case 9 (state 4).
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,0)",
     qistate_row{0, "TCP", "220.18.39.22", 8062, 0, 2, 1, 0}},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,1)",
     qistate_row{0, "TCP", "220.18.39.22", 8062, 0, 2, 1, 1}},
    {R"(+QISTATE: 0,"TCP LISTENER","192.168.2.6",0,2020,2,1,0)",
     qistate_row{0, "TCP LISTENER", "192.168.2.6", 0, 2020, 2, 1, 0}},
    {R"(+QISTATE: 0,"UDP","220.18.39.22",8084,0,2,1,0)",
     qistate_row{0, "UDP", "220.18.39.22", 8084, 0, 2, 1, 0}},
    {R"(+QISTATE: 0,"UDP SERVICE","192.168.2.6",0,2020,2,1,0)",
     qistate_row{0, "UDP SERVICE", "192.168.2.6", 0, 2020, 2, 1, 0}},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,4,1,0)",
     qistate_row{0, "TCP", "220.18.39.22", 8062, 0, 4, 1, 0}},
    {R"(+QISTATE: 2,"TCP INCOMING","192.168.2.2",36566,2020,2,1,0)",
     qistate_row{2, "TCP INCOMING", "192.168.2.2", 36566, 2020, 2, 1, 0}},
    {R"(+QISTATE: 5,"UDP","a,b",65535,65535,5,3,1)",
     qistate_row{5, "UDP", "a,b", 65535, 65535, 5, 3, 1}},
    {R"(+QISTATE: 1,"TCP","",0,0,0,1,0)", qistate_row{1, "TCP", "", 0, 0, 0, 1, 0}},
    // AN 2.1.5, AN 4.1.3, 4.3.3, 4.5.2.
    {"+QIRD: 10", qird_header{10, std::nullopt}},
    {"+QIRD: 10,2", qird_header{10, 2}},
    {"+QIRD: 0", qird_header{0, std::nullopt}},
    {"+QIRD: 4", qird_header{4, std::nullopt}},
    {"+QIRD: 512,0", qird_header{512, 0}},
    // AN 2.2.2 / 2.2.3, AN 4.1.3, 4.2.3, 4.3.3, 4.5.2.
    {R"(+QIURC: "recv",0)", recv_urc{0, std::nullopt, false}},
    {R"(+QIURC: "recv",0,12)", recv_urc{0, 12, false}},
    {R"(+QIURC: "recv",0,5)", recv_urc{0, 5, false}},
    {R"(+QIURC: "recv",2)", recv_urc{2, std::nullopt, false}},
    {R"(+QIURC: "recv",0,"buff full")", recv_urc{0, std::nullopt, true}},
    {R"(+QIURC: "recv", 5, "buff full")", recv_urc{5, std::nullopt, true},
     R"(+QIURC: "recv",5,"buff full")"},
    // AN 2.2.4 / 2.2.5, AN 4.3.2; a bare address is kept bare.
    {R"(+QIURC: "incoming",2,0,"192.168.2.2",36566)",
     incoming_urc{2, 0, "192.168.2.2", 36566, true}},
    {R"(+QIURC: "incoming",2,0,192.168.2.2,36566)",
     incoming_urc{2, 0, "192.168.2.2", 36566, false}},
    {R"(+QIURC: "incoming full")", incoming_full_urc{}},
    // AN 2.2.1.
    {R"(+QIURC: "closed",0)", closed_urc{0}},
    {R"(+QIURC: "closed",5)", closed_urc{5}},
    // AN 2.1.8, AN 4.6 (E22: bare IP); BC26 prints it quoted (parsers.md §4 case 38).
    {"+QPING: 0,220.18.29.21,32,192,255", ping_reply(0, "220.18.29.21", false, 32, 192, 255)},
    {"+QPING: 0,220.18.23.21,32,240,255", ping_reply(0, "220.18.23.21", false, 32, 240, 255)},
    {"+QPING: 0,220.18.23.21,32,241,255", ping_reply(0, "220.18.23.21", false, 32, 241, 255)},
    {"+QPING: 0,220.18.23.21,32,479,255", ping_reply(0, "220.18.23.21", false, 32, 479, 255)},
    {"+QPING: 2,4,4,0,192,479,287", ping_summary(2, 4, 4, 0, 192, 479, 287)},
    {R"(+QPING: 0,"115.29.240.46",32,930,51)", ping_reply(0, "115.29.240.46", true, 32, 930, 51)},
    {"+QPING: 1", ping_code(1)},
    {"+QPING: 565", ping_code(565)},
    // AN 2.1.9, AN 4.7 (space after the comma, E28: canonical form has none).
    {R"(+QNTP: 0, "18/04/20,11:08:20+32")", qntp_urc{0, "18/04/20,11:08:20+32"},
     R"(+QNTP: 0,"18/04/20,11:08:20+32")"},
    {R"(+QNTP: 0,"18/04/20,11:08:20+32")", qntp_urc{0, "18/04/20,11:08:20+32"}},
    {R"(+QNTP: 0,"18/04/20,11:08:20-48")", qntp_urc{0, "18/04/20,11:08:20-48"}},
    {"+QNTP: 569", qntp_urc{569, std::nullopt}},
    // AN 2.1.12, AN 4.8 (E42: space, lower case); the description runs to the line end.
    {"+QIGETERROR: 552, invalid parameters", qigeterror_info{552, "invalid parameters"},
     "+QIGETERROR: 552,invalid parameters"},
    {"+QIGETERROR: 552,Invalid parameters", qigeterror_info{552, "Invalid parameters"}},
    {R"(+QIGETERROR: 0,"Operation successful")", qigeterror_info{0, "Operation successful"},
     "+QIGETERROR: 0,Operation successful"},
    {"+QIGETERROR: 566,socket connection failed, retry",
     qigeterror_info{566, "socket connection failed, retry"}},
    {R"(+QIGETERROR: 550," padded ")", qigeterror_info{550, " padded "}},
    {R"(+QIGETERROR: 550,"quoted" text)", qigeterror_info{550, R"("quoted" text)"}},
    // AN 2.1.11, AN 4.1.3, 4.2.3.
    {R"(+QICFG: "showlength",1)", qicfg_info{"showlength", 1, std::nullopt}},
    {R"(+QICFG: "dataformat",0,1)", qicfg_info{"dataformat", 0, 1}},
    {R"(+QICFG: "dataformat",0,0)", qicfg_info{"dataformat", 0, 0}},
    {R"(+QICFG: "viewmode",1)", qicfg_info{"viewmode", 1, std::nullopt}},
    {R"(+QICFG: "viewmode",0)", qicfg_info{"viewmode", 0, std::nullopt}},
    // AN 2.1.13, defaults of note 2; range ends.
    {"+QIKALIVE: 1,60,10,9", qikalive_info{1, 60, 10, 9}},
    {"+QIKALIVE: 0,36000,20,0", qikalive_info{0, 36000, 20, 0}},
    {"+QIKALIVE: 1,1,10,2147483647", qikalive_info{1, 1, 10, 2147483647}},
    // AN 2.1.14.
    {R"(+QIDNSCFG: "220.18.23.22","220.18.23.22")", qidnscfg_info{"220.18.23.22", "220.18.23.22"}},
    {R"(+QIDNSCFG: "8.8.8.8","")", qidnscfg_info{"8.8.8.8", ""}},
    // AN 4.1.1; 3GPP TS 27.007 §10.1.9 / §10.1.14.
    {"+CGATT: 1", cgatt_info{1}},
    {"+CGATT: 0", cgatt_info{0}},
    {R"(+CGPADDR: 1,"100.127.243.105")", cgpaddr_info{1, "100.127.243.105"}},
    {"+CGPADDR: 1", cgpaddr_info{1, ""}},
    {R"(+CGPADDR: 1,"")", cgpaddr_info{1, ""}, "+CGPADDR: 1"},
    // AN 2.1.10; byte stream of RT-Thread #1712 (parsers.md §4 case 37); E29.
    {R"(+QIURC: "dnsgip",0,2,399)", dns_header(0, 2, 399)},
    {R"(+QIURC: "dnsgip","220.181.57.216")", dns_address("220.181.57.216", true)},
    {R"(+QIURC: "dnsgip","123.125.115.110")", dns_address("123.125.115.110", true)},
    {R"(+QIURC: "dnsgip",565)", dns_header(565, std::nullopt, std::nullopt)},
    {R"(+QIURC: "dnsgip",220.181.57.216)", dns_address("220.181.57.216", false)},
    {R"(+QIURC: "dnsgip",2400:da00::6666)", dns_address("2400:da00::6666", false)},
    {R"(+QIURC: "dnsgip","a,b")", dns_address("a,b", true)},
    {"+QIDNSGIP: 0,2,399", dns_header(0, 2, 399, true)},
    {R"(+QIDNSGIP: "220.181.57.216")", dns_address("220.181.57.216", true, true)},
    {"+QIDNSGIP: 565", dns_header(565, std::nullopt, std::nullopt, true)},
    // 3GPP TS 27.007 §9.2; parsers.md §4 case 14.
    {"+CME ERROR: 50", cme_error{50, ""}},
    {"+CME ERROR: Incorrect parameters", cme_error{std::nullopt, "Incorrect parameters"}},
    {"+CME ERROR: 0050", cme_error{50, ""}, "+CME ERROR: 50"},
    {"+CME ERROR:  SIM not inserted ", cme_error{std::nullopt, "SIM not inserted"},
     "+CME ERROR: SIM not inserted"},
    {"+CME ERROR: -", cme_error{std::nullopt, "-"}},
};

class good_line_test : public testing::TestWithParam<good_case> {};

TEST_P(good_line_test, decodes_to_the_expected_value) {
  const good_case& c = GetParam();
  const auto got = decode_exact(c.line);
  ASSERT_TRUE(got.has_value()) << got.error().detail;
  EXPECT_EQ(*got, c.want);
}

TEST_P(good_line_test, encodes_in_the_canonical_form) {
  const good_case& c = GetParam();
  EXPECT_EQ(encode_line(c.want), c.canonical != nullptr ? c.canonical : c.line);
}

TEST_P(good_line_test, round_trips) {
  const good_case& c = GetParam();
  const auto first = decode_exact(c.line);
  ASSERT_TRUE(first.has_value()) << first.error().detail;
  const std::string again = encode_line(*first);
  const auto second = decode_exact(again);
  ASSERT_TRUE(second.has_value()) << again << ": " << second.error().detail;
  EXPECT_EQ(*second, *first) << again;
}

INSTANTIATE_TEST_SUITE_P(note, good_line_test, testing::ValuesIn(good_cases),
                         [](const auto& p) { return case_name(p); });

// Each typed decoder, by the name decoded_name() gives its alternative.
struct named_decoder {
  std::string_view name;
  result<decoded_line> (*decode)(std::string_view);
};

template <class T, result<T> (*Decode)(std::string_view)>
result<decoded_line> widen(std::string_view line) {
  auto r = Decode(line);
  if (!r) return r.error();
  return decoded_line{std::move(r).value()};
}

const std::array<named_decoder, 17> decoders{{
    {"QIOPEN", &widen<qiopen_result, decode_qiopen>},
    {"closed", &widen<closed_urc, decode_closed>},
    {"recv", &widen<recv_urc, decode_recv>},
    {"incoming full", &widen<incoming_full_urc, decode_incoming_full>},
    {"incoming", &widen<incoming_urc, decode_incoming>},
    {"dnsgip", &widen<dnsgip_urc, decode_dnsgip>},
    {"QPING", &widen<qping_urc, decode_qping>},
    {"QNTP", &widen<qntp_urc, decode_qntp>},
    {"QISTATE", &widen<qistate_row, decode_qistate>},
    {"QIRD", &widen<qird_header, decode_qird>},
    {"QIGETERROR", &widen<qigeterror_info, decode_qigeterror>},
    {"QICFG", &widen<qicfg_info, decode_qicfg>},
    {"QIKALIVE", &widen<qikalive_info, decode_qikalive>},
    {"QIDNSCFG", &widen<qidnscfg_info, decode_qidnscfg>},
    {"CGATT", &widen<cgatt_info, decode_cgatt>},
    {"CGPADDR", &widen<cgpaddr_info, decode_cgpaddr>},
    {"CME ERROR", &widen<cme_error, decode_cme_error>},
}};

TEST_P(good_line_test, only_its_own_decoder_accepts_it) {
  const good_case& c = GetParam();
  const exact_buffer buf(c.line);
  for (const named_decoder& d : decoders) {
    const auto got = d.decode(buf.view());
    if (d.name == decoded_name(c.want)) {
      ASSERT_TRUE(got.has_value()) << d.name << ": " << got.error().detail;
      EXPECT_EQ(*got, c.want) << d.name;
    } else {
      ASSERT_FALSE(got.has_value()) << d.name << " accepted it";
      EXPECT_EQ(got.error().code, errc::wrong_prefix) << d.name << ": " << got.error().detail;
    }
  }
}

TEST(decoded_name, names_every_alternative) {
  const std::vector<std::pair<decoded_line, std::string_view>> cases = {
      {qiopen_result{}, "QIOPEN"},
      {closed_urc{}, "closed"},
      {recv_urc{}, "recv"},
      {incoming_full_urc{}, "incoming full"},
      {incoming_urc{}, "incoming"},
      {dnsgip_urc{}, "dnsgip"},
      {qping_urc{}, "QPING"},
      {qntp_urc{}, "QNTP"},
      {qistate_row{}, "QISTATE"},
      {qird_header{}, "QIRD"},
      {qigeterror_info{}, "QIGETERROR"},
      {qicfg_info{}, "QICFG"},
      {qikalive_info{}, "QIKALIVE"},
      {qidnscfg_info{}, "QIDNSCFG"},
      {cgatt_info{}, "CGATT"},
      {cgpaddr_info{}, "CGPADDR"},
      {cme_error{}, "CME ERROR"},
  };
  ASSERT_EQ(cases.size(), std::variant_size_v<decoded_line>);
  for (const auto& [value, name] : cases) EXPECT_EQ(decoded_name(value), name);
}

struct bad_case {
  const char* line;
  errc code;
  const char* detail;  // a substring of the error detail
};

std::ostream& operator<<(std::ostream& os, const bad_case& c) {
  return os << c.line;
}

class bad_line_test : public testing::TestWithParam<bad_case> {};

TEST_P(bad_line_test, is_refused_with_a_named_field) {
  const bad_case& c = GetParam();
  const auto got = decode_exact(c.line);
  ASSERT_FALSE(got.has_value()) << "decoded as " << testing::PrintToString(*got);
  EXPECT_EQ(got.error().code, make_error_code(c.code)) << got.error().detail;
  EXPECT_NE(got.error().detail.find(c.detail), std::string::npos) << got.error().detail;
}

const bad_case bad_cases[] = {
    // Lines without a typed decoder, test-form answers (AN 2.1 test commands), noise.
    {"OK", errc::wrong_prefix, "no prefix"},
    {"", errc::wrong_prefix, "no prefix"},
    {"Quectel_Ltd", errc::wrong_prefix, "no prefix"},
    {"+CSQ: 20,0", errc::wrong_prefix, "+CSQ"},
    {"+qiopen: 0,0", errc::wrong_prefix, "+qiopen"},
    {R"(+QIURC: "pdpdeact",1)", errc::wrong_prefix, "pdpdeact"},
    {R"(+QIURC: "RECV",0)", errc::wrong_prefix, "RECV"},
    {R"(+QISEND: (0-5),(1-512),"<data>")", errc::wrong_prefix, "+QISEND"},
    {"+QIRD: (0-5),(1-512)", errc::wrong_prefix, "test-form"},
    {R"(+QIOPEN: (1-3),(0-5),"TCP/UDP/TCP LISTENER/UDP SE RVICE"," <ip_address>/<domain_name>",<remote_port> [,<local_port>[,(0-1)[,(0-1)]]])",
     errc::wrong_prefix, "test-form"},
    {R"(+QPING: (1-3),"<host>"[,(1-255)[,(1-10)[,(32-200)]]])", errc::wrong_prefix, "test-form"},
    {R"(+QNTP: (1-3),"<server>"[,<port>[,(0,1)]])", errc::wrong_prefix, "test-form"},
    {R"(+QIDNSGIP: (1-3),"<hostname>")", errc::wrong_prefix, "test-form"},
    {R"(+QICFG: "dataformat",(0,1),(0,1))", errc::wrong_prefix, "field 2"},
    {R"(+QIKALIVE: <keepalive_on>[,<keepalive_idle_time>[,<keepalive_interval_time>[,<keepalive_count>,["<keepalive_data>"]]]]])",
     errc::wrong_prefix, "test-form"},
    {"+QIDNSCFG: <primaryDns>[,<secondaryDns>]", errc::wrong_prefix, "test-form"},
    // parsers.md §4 case 40 (hostile or short fields).
    {"+QIOPEN: 0", errc::syntax, "expected 2 fields, got 1"},
    {R"(+QIURC: "recv",99999999999,5)", errc::out_of_range, "field 2 <connectID>"},
    {"+QIRD: -1", errc::out_of_range, "field 1 <actual_read_length>"},
    {"+QIRD: 4294967301", errc::out_of_range, "field 1 <actual_read_length>"},
    {"+QIRD: 2147483648", errc::out_of_range, "not in 0-2147483647"},
    {"+QIRD: 10,99999999999999999999999", errc::out_of_range, "field 2 <remaining_length>"},
    // QIOPEN.
    {"+QIOPEN: 0,0,0", errc::syntax, "expected 2 fields, got 3"},
    {"+QIOPEN: 6,0", errc::out_of_range, "field 1 <connectID>: \"6\" not in 0-5"},
    {"+QIOPEN: -1,0", errc::out_of_range, "field 1 <connectID>"},
    {"+QIOPEN: 0,x", errc::syntax, "field 2 <err>: \"x\" is not an integer"},
    {"+QIOPEN: 0,-552", errc::out_of_range, "field 2 <err>"},
    {R"(+QIOPEN: "0",0)", errc::syntax, "field 1 <connectID>: \"\"0\"\" is quoted"},
    {"+QIOPEN: ,0", errc::syntax, "field 1 <connectID>: empty"},
    {"+QIOPEN: 0,", errc::syntax, "field 2 <err>: empty"},
    {"+QIOPEN: 0 0,0", errc::syntax, "field 1 <connectID>: \"0 0\" is not an integer"},
    {"+QIOPEN: +1,0", errc::syntax, "not an integer"},
    {"+QIOPEN: 0x1,0", errc::syntax, "not an integer"},
    {"+QIOPEN: 0,1,,3", errc::syntax, "got 4"},
    {"+QIOPEN:", errc::syntax, "expected 2 fields, got 1"},
    // QISTATE.
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1)", errc::syntax, "expected 8 fields, got 7"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,0,0)", errc::syntax, "got 9"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,6,1,0)", errc::out_of_range, "<socket_state>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,4,0)", errc::out_of_range, "<contextID>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,0,0)", errc::out_of_range, "<contextID>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,0,2,1,2)", errc::out_of_range, "<access_mode>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",65536,0,2,1,0)", errc::out_of_range, "<remote_port>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",8062,-1,2,1,0)", errc::out_of_range, "<local_port>"},
    {R"(+QISTATE: 6,"TCP","220.18.39.22",8062,0,2,1,0)", errc::out_of_range, "<connectID>"},
    {R"(+QISTATE: 0,TCP,"220.18.39.22",8062,0,2,1,0)", errc::syntax,
     "field 2 <service_type>: \"TCP\" must be quoted"},
    {R"(+QISTATE: 0,"TCP",220.18.39.22,8062,0,2,1,0)", errc::syntax, "field 3 <IP_address>"},
    {R"(+QISTATE: 0,"TCP CLIENT","220.18.39.22",8062,0,2,1,0)", errc::out_of_range,
     "field 2 <service_type>"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22,8062,0,2,1,0)", errc::syntax, "field 3: unterminated"},
    {R"(+QISTATE: 0,"TCP"x,"220.18.39.22",8062,0,2,1,0)", errc::syntax, "field 2: unterminated"},
    {R"(+QISTATE: 0,"TCP","220.18.39.22",,0,2,1,0)", errc::syntax, "field 4 <remote_port>: empty"},
    // QIRD (header only: a viewmode-1 inline payload is cut off by the caller, AN 4.1.3).
    {"+QIRD: 10,2,0123456789", errc::syntax, "expected 1-2 fields, got 3"},
    {"+QIRD: 1,,3", errc::syntax, "got 3"},
    {"+QIRD:", errc::syntax, "field 1 <actual_read_length>: empty"},
    {"+QIRD: 10,-2", errc::out_of_range, "field 2 <remaining_length>"},
    {"+QIRD: ten", errc::syntax, "is not an integer"},
    // recv (AN 2.2.2 / 2.2.3); the direct-push inline form of AN 4.2.3 is header + payload.
    {R"(+QIURC: "recv",0,12,012345678901)", errc::syntax, "expected 2-3 fields, got 4"},
    {R"(+QIURC: "recv")", errc::syntax, "got 1"},
    {R"(+QIURC: "recv",0,"buff ful")", errc::syntax, "field 3 <current_recv_length>"},
    {R"(+QIURC: "recv",0,buff full)", errc::syntax, "field 3 <current_recv_length>"},
    {R"(+QIURC: "recv",0,-5)", errc::out_of_range, "field 3 <current_recv_length>"},
    {R"(+QIURC: "recv",6)", errc::out_of_range, "field 2 <connectID>"},
    {R"(+QIURC: "recv",,5)", errc::syntax, "field 2 <connectID>: empty"},
    {R"(+QIURC: "recv,0)", errc::syntax, "field 1 <type>"},
    {R"(+QIURC: recv,0)", errc::syntax, "field 1 <type>: must be quoted"},
    // incoming / incoming full / closed (AN 2.2.1, 2.2.4, 2.2.5).
    {R"(+QIURC: "incoming",2,0,"192.168.2.2")", errc::syntax, "expected 5 fields, got 4"},
    {R"(+QIURC: "incoming",2,0,"192.168.2.2",65536)", errc::out_of_range, "<remote_port>"},
    {R"(+QIURC: "incoming",2,0,"192.168.2.2,36566)", errc::syntax, "unterminated"},
    {R"(+QIURC: "incoming",2,0,"192.168.2.2"x,36566)", errc::syntax, "field 4: unterminated"},
    {R"(+QIURC: "incoming",2,6,"192.168.2.2",36566)", errc::out_of_range, "field 3 <serverID>"},
    {R"(+QIURC: "incoming",2,0,,36566)", errc::syntax, "field 4 <remoteIP>: empty"},
    {R"(+QIURC: "incoming",2,0,"",36566)", errc::syntax, "field 4 <remoteIP>: empty"},
    {R"(+QIURC: "incoming full",1)", errc::syntax, "expected 1 field, got 2"},
    {R"(+QIURC: "incoming full)", errc::syntax, "field 1 <type>"},
    {R"(+QIURC: "closed")", errc::syntax, "expected 2 fields, got 1"},
    {R"(+QIURC: "closed",0,1)", errc::syntax, "got 3"},
    {R"(+QIURC: "closed",6)", errc::out_of_range, "field 2 <connectID>"},
    {R"(+QIURC: "closed",a)", errc::syntax, "not an integer"},
    // dnsgip (AN 2.1.10).
    {R"(+QIURC: "dnsgip",0,2)", errc::syntax, "got 2 fields"},
    {R"(+QIURC: "dnsgip",0,2,399,1)", errc::syntax, "got 5"},
    {R"(+QIURC: "dnsgip")", errc::syntax, "got 1"},
    {R"(+QIURC: "dnsgip",)", errc::syntax, "field 2 <hostIPaddr>: empty"},
    {R"(+QIURC: "dnsgip","")", errc::syntax, "field 2 <hostIPaddr>: empty"},
    {R"(+QIURC: "dnsgip",0,-2,399)", errc::out_of_range, "field 3 <ip_count>"},
    {R"(+QIURC: "dnsgip",0,2,x)", errc::syntax, "field 4 <dns_ttl>"},
    {R"(+QIURC: "dnsgip",99999999999)", errc::out_of_range, "field 2 <err>"},
    {R"(+QIURC: "dnsgip","1.2.3.4)", errc::syntax, "field 2: unterminated"},
    {"+QIDNSGIP: 0,2", errc::syntax, "got 2 fields"},
    // QPING (AN 2.1.8).
    {"+QPING: 0,220.18.29.21,32,192", errc::syntax, "expected 1, 5 or 7 fields, got 4"},
    {"+QPING: 2,4,4,0,192,479", errc::syntax, "got 6"},
    {"+QPING: 2,4,4,0,192,479,287,1", errc::syntax, "got 8"},
    {"+QPING: 0,,32,192,255", errc::syntax, "field 2 <ip_address>: empty"},
    {R"(+QPING: 0,"220.18.29.21,32,192,255)", errc::syntax, "field 2: unterminated"},
    {"+QPING: 0,220.18.29.21,32,192,-1", errc::out_of_range, "field 5 <ttl>"},
    {"+QPING: 2,4,4,0,192,479,x", errc::syntax, "field 7 <avg>"},
    {"+QPING: -3", errc::out_of_range, "field 1 <result>"},
    {"+QPING:", errc::syntax, "field 1 <result>: empty"},
    // QNTP (AN 2.1.9).
    {"+QNTP: 0,18/04/20,11:08:20+32", errc::syntax, "got 3"},
    {R"(+QNTP: 0,"18/04/20,11:08:20+32",1)", errc::syntax, "got 3"},
    {"+QNTP: 0,18/04/20", errc::syntax, "field 2 <time>: \"18/04/20\" must be quoted"},
    {R"(+QNTP: 0,"18/04/20,11:08:20+32)", errc::syntax, "field 2: unterminated"},
    {"+QNTP: x", errc::syntax, "field 1 <err>"},
    // QIGETERROR (AN 2.1.12).
    {"+QIGETERROR: 552", errc::syntax, "field 2 <errcode_description>: missing"},
    {"+QIGETERROR: 552, ", errc::syntax, "field 2 <errcode_description>: empty"},
    {R"(+QIGETERROR: 552,"")", errc::syntax, "field 2 <errcode_description>: empty"},
    {"+QIGETERROR: x, invalid parameters", errc::syntax, "field 1 <err>"},
    {"+QIGETERROR: , invalid parameters", errc::syntax, "field 1 <err>: empty"},
    {"+QIGETERROR: 99999999999, x", errc::out_of_range, "field 1 <err>"},
    // QICFG (AN 2.1.11; E31: the note's "viewemode" line is refused).
    {R"(+QICFG: "showlength",2)", errc::out_of_range, "field 2 <show_length_mode>"},
    {R"(+QICFG: "dataformat",0)", errc::syntax, "takes 2 values, got 1"},
    {R"(+QICFG: "dataformat",0,2)", errc::out_of_range, "field 3 <recv_data_format>"},
    {R"(+QICFG: "showlength",1,1)", errc::syntax, "takes 1 value, got 2"},
    {R"(+QICFG: showlength,1)", errc::syntax, "field 1 <key>"},
    {R"(+QICFG: "viewemode",1)", errc::out_of_range, "field 1 <key>"},
    {R"(+QICFG: "viewmode")", errc::syntax, "got 1"},
    {R"(+QICFG: "viewmode",)", errc::syntax, "field 2 <view_mode>: empty"},
    // QIKALIVE (AN 2.1.13).
    {"+QIKALIVE: 1,60,10", errc::syntax, "expected 4 fields, got 3"},
    {"+QIKALIVE: 2,60,10,9", errc::out_of_range, "field 1 <keepalive_on>"},
    {"+QIKALIVE: 1,0,10,9", errc::out_of_range, "field 2 <keepalive_idle_time>"},
    {"+QIKALIVE: 1,36001,10,9", errc::out_of_range, "field 2 <keepalive_idle_time>"},
    {"+QIKALIVE: 1,60,9,9", errc::out_of_range, "field 3 <keepalive_interval_time>"},
    {"+QIKALIVE: 1,60,21,9", errc::out_of_range, "field 3 <keepalive_interval_time>"},
    {"+QIKALIVE: 1,60,10,-1", errc::out_of_range, "field 4 <keepalive_count>"},
    // QIDNSCFG (AN 2.1.14).
    {R"(+QIDNSCFG: "8.8.8.8")", errc::syntax, "expected 2 fields, got 1"},
    {"+QIDNSCFG: 8.8.8.8,1.1.1.1", errc::syntax, "field 1 <primaryDns>"},
    {R"(+QIDNSCFG: "8.8.8.8",1.1.1.1)", errc::syntax, "field 2 <secondaryDns>"},
    // CGATT / CGPADDR / CME ERROR (3GPP TS 27.007).
    {"+CGATT: 2", errc::out_of_range, "field 1 <state>"},
    {"+CGATT:", errc::syntax, "field 1 <state>: empty"},
    {"+CGATT: 1,1", errc::syntax, "got 2"},
    {"+CGPADDR: 1,100.127.243.105", errc::syntax, "field 2 <PDP_addr>"},
    {R"(+CGPADDR: 1,"100.127.243.105","::1")", errc::syntax, "got 3"},
    {R"(+CGPADDR: ,"100.127.243.105")", errc::syntax, "field 1 <cid>: empty"},
    {"+CME ERROR:", errc::syntax, "field 1 <err>: empty"},
    {"+CME ERROR:   ", errc::syntax, "field 1 <err>: empty"},
    {"+CME ERROR: -1", errc::out_of_range, "field 1 <err>"},
    {"+CME ERROR: 99999999999999999999", errc::out_of_range, "field 1 <err>"},
    // Control bytes are escaped in details, long fields cut.
    {"+QIRD: \x1b[2J", errc::syntax, "\\x1b[2J"},
    {"+QIRD: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     errc::syntax, "aaaa...\""},
};

INSTANTIATE_TEST_SUITE_P(hostile, bad_line_test, testing::ValuesIn(bad_cases),
                         [](const auto& p) { return case_name(p); });

// Every one-byte deletion, insertion and substitution of every good line: whatever decodes must
// survive the round trip, and whatever fails must fail with one of the three documented codes.
TEST(decoders_property, one_byte_mutations_round_trip) {
  constexpr std::string_view alphabet = " ,\"09-(<a:";
  std::size_t decoded = 0;
  std::size_t refused = 0;
  const auto check = [&](const std::string& line) {
    const auto first = decode_exact(line);
    if (!first) {
      const auto code = first.error().code;
      EXPECT_TRUE(code == errc::syntax || code == errc::out_of_range || code == errc::wrong_prefix)
          << line << ": " << first.error().detail;
      EXPECT_FALSE(first.error().detail.empty()) << line;
      ++refused;
      return;
    }
    ++decoded;
    const std::string again = encode_line(*first);
    const auto second = decode_exact(again);
    ASSERT_TRUE(second.has_value()) << line << " -> " << again << ": " << second.error().detail;
    EXPECT_EQ(*second, *first) << line << " -> " << again;
  };
  for (const good_case& c : good_cases) {
    const std::string line = c.line;
    for (std::size_t i = 0; i <= line.size(); ++i) {
      if (i < line.size()) check(std::string(line).erase(i, 1));
      for (char ch : alphabet) {
        check(std::string(line).insert(i, 1, ch));
        if (i < line.size()) check(std::string(line).replace(i, 1, 1, ch));
      }
    }
  }
  // The mutations must exercise both outcomes, or the test proves nothing.
  EXPECT_GT(decoded, 1000U);
  EXPECT_GT(refused, 1000U);
}

TEST(encode_line, every_alternative_round_trips_from_its_defaults) {
  // Default-constructed values are what a caller builds before filling fields in; the ones a
  // decoder can produce must survive the trip. The rest have an empty mandatory string
  // (incoming IP, service type, QIGETERROR description, QICFG key, CME text) and are left out.
  const std::vector<decoded_line> values = {
      qiopen_result{}, closed_urc{}, recv_urc{},     incoming_full_urc{},
      qping_urc{},     qntp_urc{},   qird_header{},  qikalive_info{1, 60, 10, 9},
      qidnscfg_info{}, cgatt_info{}, cgpaddr_info{}, dnsgip_urc{},
  };
  for (const decoded_line& v : values) {
    const std::string line = encode_line(v);
    const auto back = decode_exact(line);
    ASSERT_TRUE(back.has_value()) << line << ": " << back.error().detail;
    EXPECT_EQ(*back, v) << line;
  }
}

}  // namespace
}  // namespace bcconform::protocol
