// parse_command_line / check_arguments / encode_command: explicit cases from the note and
// its errata, and cases generated per parameter of every TCP/IP set form (min, max, one
// below and above, empty, missing, wrong type, quoted vs unquoted).
#include "bcconform/protocol/command_line.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace bcconform::protocol {
namespace {

using kind = arg_value::kind;

// ---- Parsing ---------------------------------------------------------------------------------

TEST(ParseCommandLine, ExtendedForms) {
  auto set = parse_command_line("AT+QIRD=0,512");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->name, "+QIRD");
  EXPECT_EQ(set->spec, find_command("+QIRD"));
  EXPECT_EQ(set->kind, form::set);
  EXPECT_EQ(set->args, (std::vector{arg_value::integer(0), arg_value::integer(512)}));

  EXPECT_EQ(parse_command_line("AT+QIRD=?")->kind, form::test);
  EXPECT_EQ(parse_command_line("AT+QISTATE?")->kind, form::query);
  EXPECT_EQ(parse_command_line("AT+QIGETERROR")->kind, form::exec);
  auto empty_set = parse_command_line("AT+QICFG=");
  ASSERT_TRUE(empty_set);
  EXPECT_EQ(empty_set->kind, form::set);
  EXPECT_TRUE(empty_set->args.empty());
}

TEST(ParseCommandLine, PrefixAndNameAreCaseInsensitive) {
  for (std::string_view line : {"at+qird=0,512", "At+QiRd=0,512", "aT+qIrD=0,512"}) {
    auto p = parse_command_line(line);
    ASSERT_TRUE(p) << line;
    EXPECT_EQ(p->name, "+QIRD");
    EXPECT_EQ(p->spec, find_command("+QIRD"));
  }
}

TEST(ParseCommandLine, ArgumentKindsAndEmptyFields) {
  auto p = parse_command_line("AT+QPING=1,\"sh.quectel.com\",,4");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->args.size(), 4u);
  EXPECT_EQ(p->args[0], arg_value::integer(1));
  EXPECT_EQ(p->args[1], arg_value::quoted("sh.quectel.com"));
  EXPECT_EQ(p->args[2].type, kind::absent);
  EXPECT_EQ(p->args[3], arg_value::integer(4));
  auto u = parse_command_line("AT+QIDNSGIP=1,sh.quectel.com");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->args[1], arg_value::unquoted("sh.quectel.com"));
  auto trailing = parse_command_line("AT+QIRD=0,");
  ASSERT_TRUE(trailing);
  ASSERT_EQ(trailing->args.size(), 2u);
  EXPECT_EQ(trailing->args[1].type, kind::absent);
}

TEST(ParseCommandLine, SpacesOutsideQuotesAreIgnoredQuotedBytesKept) {
  auto p = parse_command_line(" AT + QIOPEN = 1 , 0 , \"TCP LISTENER\" , \" a b \" , 0 , 2020 ");
  ASSERT_TRUE(p) << p.error().detail;
  EXPECT_EQ(p->name, "+QIOPEN");
  ASSERT_EQ(p->args.size(), 6u);
  EXPECT_EQ(p->args[2], arg_value::quoted("TCP LISTENER"));
  EXPECT_EQ(p->args[3], arg_value::quoted(" a b "));
  auto data = parse_command_line("AT+QISEND=0,11,\"a,b\"\"x\"");
  EXPECT_FALSE(data);  // text after a closing quote
}

TEST(ParseCommandLine, KeyedFormsTakeTheKeyOut) {
  auto p = parse_command_line("AT+QICFG=\"viewmode\",1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->key, "viewmode");
  EXPECT_EQ(p->args, std::vector{arg_value::integer(1)});
  auto q = parse_command_line("AT+QICFG=\"dataformat\"");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->key, "dataformat");
  EXPECT_TRUE(q->args.empty());
  // Only commands with keyed forms have keys: a leading quoted argument stays an argument.
  auto r = parse_command_line("AT+QIDNSCFG=\"8.8.8.8\"");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->key.empty());
  EXPECT_EQ(r->args.size(), 1u);
}

TEST(ParseCommandLine, BasicCommands) {
  struct basic_case {
    std::string_view line;
    std::string_view name;
    form kind;
    int value;
  };
  for (const auto& c :
       {basic_case{"ATE0", "E", form::set, 0}, basic_case{"ate1", "E", form::set, 1},
        basic_case{"ATE", "E", form::exec, -1}, basic_case{"ATI", "I", form::exec, -1},
        basic_case{"AT&W", "&W", form::exec, -1}, basic_case{"at&w0", "&W", form::set, 0},
        basic_case{"AT", "", form::exec, -1}}) {
    auto p = parse_command_line(c.line);
    ASSERT_TRUE(p) << c.line;
    EXPECT_EQ(p->name, c.name) << c.line;
    EXPECT_EQ(p->kind, c.kind) << c.line;
    ASSERT_NE(p->spec, nullptr) << c.line;
    if (c.value >= 0) {
      EXPECT_EQ(p->args, std::vector{arg_value::integer(c.value)}) << c.line;
    } else {
      EXPECT_TRUE(p->args.empty()) << c.line;
    }
  }
}

struct parse_error_case {
  std::string_view line;
  errc expected;
};

constexpr parse_error_case parse_errors[] = {
    {"", errc::syntax},
    {"A", errc::syntax},
    {"BT+QIRD=0,1", errc::syntax},
    {"AT+", errc::syntax},
    {"AT+QIRD?x", errc::syntax},
    {"AT+QIRD=?1", errc::syntax},
    {"AT+QI RD*=1", errc::syntax},
    {"ATE0&W", errc::syntax},  // E54: one command per line
    {"AT#", errc::syntax},
    {"AT+QISEND=0,3,\"abc", errc::bad_quote},
    {"AT+QISEND=0,3,\"ab\"c\"", errc::bad_quote},
    {"AT+QIDNSGIP=1,\"a\"b", errc::bad_quote},
};

TEST(ParseCommandLine, Refusals) {
  for (const auto& c : parse_errors) {
    auto p = parse_command_line(c.line);
    ASSERT_FALSE(p) << c.line;
    EXPECT_EQ(p.error().code, make_error_code(c.expected)) << c.line << ": " << p.error().detail;
  }
}

TEST(ParseCommandLine, UnknownNamesParse) {
  auto p = parse_command_line("AT+FOO=1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->spec, nullptr);
  EXPECT_EQ(check_arguments(*p).error().code, make_error_code(errc::unknown_command));
  auto z = parse_command_line("ATZ");
  ASSERT_TRUE(z);
  EXPECT_EQ(z->spec, nullptr);
}

// ---- Explicit check cases --------------------------------------------------------------------

struct check_case {
  std::string_view line;
  errc expected;                 ///< errc::ok: accepted
  std::string_view detail = {};  ///< substring of the error detail
};

const check_case check_cases[] = {
    // The detail format, on the note's own numbers.
    {"AT+QIOPEN=1,9,\"TCP\",\"220.18.39.22\",8062", errc::out_of_range,
     "parameter 2 <connectID>: 9 is outside 0-5 (AN 2.1.1)"},
    {"AT+QISTATE=0,5", errc::out_of_range, "parameter 2 <contextID>: 5 is outside 1-3 (AN 2.1.3)"},
    {"AT+QISTATE=1,6", errc::out_of_range, "parameter 2 <connectID>: 6 is outside 0-5"},
    {"AT+QISTATE=1,5", errc::ok},
    {"AT+QISTATE=0,3", errc::ok},
    // AN 4.8: the example omits <connectID>, the module answers ERROR and 552.
    {"AT+QIOPEN=1,\"UDP\",\"220.18.39.22\",8063,0,1", errc::wrong_type, "parameter 2 <connectID>"},
    // Nesting (E49): an empty field before a given parameter, and a trailing comma.
    {"AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,,1", errc::missing_parameter,
     "parameter 6 <local_port>: empty field (E49)"},
    {"AT+QPING=1,\"sh.quectel.com\",,4", errc::missing_parameter, "parameter 3 <time_out>"},
    {"AT+QIRD=0,", errc::missing_parameter, "parameter 2 <read_length>"},
    {"AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\"", errc::missing_parameter,
     "parameter 5 <remote_port>"},
    {"AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0,0,0", errc::too_many_parameters},
    {"AT+QICFG=\"dataformat\",1", errc::missing_parameter, "parameter 3 <recv_data_format>"},
    {"AT+QICFG=\"dataformat\",0,1", errc::ok},
    {"AT+QIKALIVE=1,60,10,9,\"AB\"", errc::too_many_parameters},  // E35
    {"AT+QIDNSCFG=\"8.8.8.8\"", errc::ok},
    // QIOPEN listener rules (AN 2.1.1, E5).
    {"AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",0", errc::out_of_range, "E5"},
    {"AT+QIOPEN=1,0,\"UDP\",\"220.18.39.22\",0,0,0", errc::out_of_range, "<remote_port>"},
    {"AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",0", errc::missing_parameter,
     "parameter 6 <local_port>: mandatory for \"TCP LISTENER\""},
    {"AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",0,0", errc::out_of_range, "<local_port>"},
    {"AT+QIOPEN=1,0,\"UDP SERVICE\",\"192.168.2.6\",0,2020", errc::ok},
    {"AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",8080,2020", errc::ok},
    {"AT+QIOPEN=1,0,\"tcp\",\"220.18.39.22\",8062", errc::bad_choice, "\"TCP\", \"UDP\""},
    {"AT+QIOPEN=1,0,TCP,\"220.18.39.22\",8062", errc::wrong_type, "<service_type>"},
    {"AT+QIOPEN=1,0,\"TCP\",\"\",8062", errc::missing_parameter, "empty string"},
    {"AT+QISEND=0,600", errc::out_of_range, "<send_length>: 600 is outside 1-512 (AN 2.1.4)"},
    {"AT+QISTATE=2,1", errc::out_of_range, "parameter 1 <query_type>: 2 is none of 0,1 (AN 2.1.3)"},
    // <send_length> agrees with the data (AN 2.1.4; AN 2.1.6 with E19).
    {"AT+QISEND=0,5,\"1234567890\"", errc::length_mismatch, "parameter 2 <send_length>: 5 but"},
    {"AT+QISEND=0,11,\"hello world\"", errc::ok},
    {"AT+QISENDEX=0,10,\"3031323334\"", errc::length_mismatch, "E19"},
    {"AT+QISENDEX=0,5,\"303132333\"", errc::bad_hex, "odd"},
    {"AT+QISENDEX=0,5,\"30313233GG\"", errc::bad_hex, "'G' at offset 8"},
    {"AT+QISENDEX=0,2,\"abCD\"", errc::ok},
    {"AT+QISEND=0,3,\"a\rb\"", errc::bad_quote, "E53"},
    // Forms.
    {"AT+QIRD?", errc::unsupported_form, "no query form"},
    {"AT+QIRD", errc::unsupported_form, "no exec form"},
    {"AT+QIRD=?", errc::ok},
    {"AT+QISWTMD?", errc::ok},  // E21
    {"AT+QIGETERROR=1", errc::unsupported_form, "no set form"},
    {"AT+QISTATE=?", errc::ok},
    {"AT+QICFG=?", errc::ok},
    // Keys (AN 2.1.11, E32, E56).
    {"AT+QICFG=\"viewmode\"", errc::ok},
    {"AT+QICFG=\"showlength\",1", errc::ok},
    {"AT+QICFG=\"showlength\",2", errc::out_of_range, "parameter 2 <show_length_mode>"},
    {"AT+QICFG=\"VIEWMODE\",1", errc::bad_choice, "\"dataformat\", \"viewmode\", \"showlength\""},
    {"AT+QICFG=\"echomode\",1", errc::bad_choice},
    {"AT+QICFG=1", errc::wrong_type, "<key>"},
    {"AT+QICFG=", errc::missing_parameter, "<key>"},
    // Types.
    {"AT+QIRD=\"0\",512", errc::wrong_type, "parameter 1 <connectID>: \"0\" is not an unquoted"},
    {"AT+QIRD=zero,512", errc::wrong_type},
    {"AT+QIRD=0,99999999999999999999", errc::wrong_type},
    {"AT+QIRD=-1,512", errc::out_of_range},
    {"AT+QIDNSGIP=1,sh.quectel.com", errc::wrong_type, "not a quoted string"},
    // General commands.
    {"AT", errc::ok},
    {"ATE0", errc::ok},
    {"ATE1", errc::ok},
    {"ATE", errc::ok},
    {"ATE2", errc::out_of_range},
    {"ATI", errc::ok},
    {"ATI0", errc::unsupported_form},
    {"AT&W", errc::ok},
    {"AT&W0", errc::ok},
    {"AT&W1", errc::out_of_range},
    {"AT+CGATT=1", errc::ok},
    {"AT+CGPADDR=1", errc::ok},
    {"AT+CGPADDR", errc::ok},
    {"AT+QSCLK=2", errc::ok},
    {"AT+QSCLK=3", errc::out_of_range},
    {"AT+CMEE=2", errc::ok},
    {"AT+CGMR", errc::ok},
    {"AT+QRST=1", errc::ok},
    {"AT+QRST=0", errc::out_of_range},
};

class CheckArguments : public ::testing::TestWithParam<check_case> {};

TEST_P(CheckArguments, Case) {
  const check_case& c = GetParam();
  auto p = parse_command_line(c.line);
  ASSERT_TRUE(p) << p.error().detail;
  auto r = check_arguments(*p);
  if (c.expected == errc::ok) {
    EXPECT_TRUE(r) << r.error().detail;
    EXPECT_NE(p->variant, nullptr);
    return;
  }
  ASSERT_FALSE(r) << "accepted";
  EXPECT_EQ(r.error().code, make_error_code(c.expected)) << r.error().detail;
  EXPECT_NE(r.error().detail.find(c.detail), std::string::npos) << r.error().detail;
  EXPECT_EQ(p->variant, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Note, CheckArguments, ::testing::ValuesIn(check_cases),
                         [](const auto& test) { return "case_" + std::to_string(test.index); });

TEST(CheckArguments, SendVariantIsChosenByTheParametersPresent) {
  struct variant_case {
    std::string_view line;
    data_mode data;
  };
  for (const auto& c : {variant_case{"AT+QISEND=0", data_mode::until_ctrl_z},
                        variant_case{"AT+QISEND=0,512", data_mode::fixed_length},
                        variant_case{"AT+QISEND=0,10,\"1234567890\"", data_mode::none},
                        variant_case{"AT+QISENDEX=5", data_mode::until_ctrl_z},
                        variant_case{"AT+QISENDEX=5,1", data_mode::fixed_length},
                        variant_case{"AT+QISENDEX=0,5,\"3031323334\"", data_mode::none}}) {
    auto p = parse_command_line(c.line);
    ASSERT_TRUE(p);
    ASSERT_TRUE(check_arguments(*p)) << c.line;
    EXPECT_EQ(p->variant->data, c.data) << c.line;
  }
  auto by_connection = parse_command_line("AT+QISTATE=1,0");
  ASSERT_TRUE(check_arguments(*by_connection));
  EXPECT_EQ(by_connection->variant->params[1].name, "connectID");
}

// ---- Generated per-parameter cases -----------------------------------------------------------

// A complete, valid argument list for one set form (the note's example where it has one).
struct baseline {
  std::string_view label;
  std::string_view command;
  std::string_view syntax;  ///< identifies the form among several set forms
  std::string_view key;
  std::vector<arg_value> args;
};

arg_value I(std::int64_t n) {
  return arg_value::integer(n);
}
arg_value Q(std::string s) {
  return arg_value::quoted(std::move(s));
}

std::vector<baseline> baselines() {
  return {
      {"QIOPEN_tcp",
       "+QIOPEN",
       "",
       "",
       {I(1), I(0), Q("TCP"), Q("220.18.39.22"), I(8062), I(0), I(0), I(0)}},
      {"QIOPEN_listener",
       "+QIOPEN",
       "",
       "",
       {I(1), I(0), Q("TCP LISTENER"), Q("192.168.2.6"), I(0), I(2020), I(0), I(0)}},
      {"QICLOSE", "+QICLOSE", "", "", {I(0)}},
      {"QISTATE_ctx", "+QISTATE", "AT+QISTATE=<query_type>,<contextID>", "", {I(0), I(1)}},
      {"QISTATE_conn", "+QISTATE", "AT+QISTATE=<query_type>,<connectID>", "", {I(1), I(0)}},
      {"QISEND_inline",
       "+QISEND",
       "AT+QISEND=<connectID>,<send_length>,<data>",
       "",
       {I(0), I(10), Q("1234567890")}},
      {"QISEND_ctrlz", "+QISEND", "AT+QISEND=<connectID>", "", {I(0)}},
      {"QISEND_fixed", "+QISEND", "AT+QISEND=<connectID>,<send_length>", "", {I(0), I(10)}},
      {"QIRD", "+QIRD", "", "", {I(0), I(512)}},
      {"QISENDEX_inline",
       "+QISENDEX",
       "AT+QISENDEX=<connectID>,<send_length>,<hex_string>",
       "",
       {I(0), I(5), Q("3031323334")}},
      {"QISENDEX_ctrlz", "+QISENDEX", "AT+QISENDEX=<connectID>", "", {I(0)}},
      {"QISENDEX_fixed", "+QISENDEX", "AT+QISENDEX=<connectID>,<send_length>", "", {I(0), I(5)}},
      {"QISWTMD", "+QISWTMD", "", "", {I(0), I(1)}},
      {"QPING", "+QPING", "", "", {I(1), Q("sh.quectel.com"), I(4), I(4), I(32)}},
      {"QNTP", "+QNTP", "", "", {I(1), Q("ntp5.aliyun.com"), I(123), I(1)}},
      {"QIDNSGIP", "+QIDNSGIP", "", "", {I(1), Q("sh.quectel.com")}},
      {"QICFG_dataformat", "+QICFG", "", "dataformat", {I(0), I(0)}},
      {"QICFG_viewmode", "+QICFG", "", "viewmode", {I(1)}},
      {"QICFG_showlength", "+QICFG", "", "showlength", {I(1)}},
      {"QIKALIVE", "+QIKALIVE", "", "", {I(1), I(60), I(10), I(9)}},
      {"QIDNSCFG", "+QIDNSCFG", "", "", {Q("8.8.8.8"), Q("114.114.114.114")}},
  };
}

const form_spec& form_of(const baseline& b) {
  const command_spec& c = *find_command(b.command);
  for (const auto& f : c.forms) {
    if (f.kind == form::set && f.key == b.key && (b.syntax.empty() || f.syntax == b.syntax))
      return f;
  }
  ADD_FAILURE() << "no form for " << b.label;
  return c.forms.front();
}

struct generated_case {
  std::string name;
  std::string line;
  errc expected;
  std::string detail;
};

std::string format_line(const baseline& b, const std::vector<arg_value>& args) {
  std::string line = "AT" + std::string(b.command) + "=";
  bool first = true;
  if (!b.key.empty()) {
    line += "\"" + std::string(b.key) + "\"";
    first = false;
  }
  for (const auto& a : args) {
    if (!first) line += ",";
    first = false;
    if (a.type == kind::integer) line += std::to_string(a.number);
    if (a.type == kind::quoted) line += "\"" + a.text + "\"";
    if (a.type == kind::unquoted) line += a.text;
  }
  return line;
}

// The inline send forms tie <send_length> to the data (AN 2.1.4, E19): a valid change of one
// is carried over to the other so that each case tests one parameter.
void keep_send_length_consistent(const form_spec& f, std::size_t changed,
                                 std::vector<arg_value>& args) {
  if (f.data != data_mode::none || f.params.size() != 3 || f.params[1].name != "send_length")
    return;
  const bool hex = f.params[2].type == param_type::quoted_hex;
  const arg_value& a = args[changed];
  if (changed == 1 && a.type == kind::integer && a.number >= 1 && a.number <= 512) {
    args[2] = Q(hex ? std::string(std::size_t(a.number) * 2, '3')
                    : std::string(std::size_t(a.number), 'a'));
  }
  if (changed == 2 && a.type == kind::quoted) {
    const auto bytes = static_cast<std::int64_t>(hex ? a.text.size() / 2 : a.text.size());
    if (bytes >= 1 && bytes <= 512) args[1] = I(bytes);
  }
}

// Outcomes decided by a rule relating parameters, or by another set variant taking the line.
struct override_rule {
  std::string_view label;
  std::string_view mutation;  ///< generated case name suffix
  errc expected;
  std::string_view detail;
};

constexpr override_rule overrides[] = {
    {"QIOPEN_tcp", "p5_remote_port_min", errc::out_of_range, "(E5)"},
    {"QIOPEN_listener", "p6_local_port_min", errc::out_of_range, "must be 1-65535"},
    {"QIOPEN_listener", "truncated_to_5", errc::missing_parameter, "mandatory for"},
    {"QIOPEN_listener", "p3_service_type_choice_TCP", errc::out_of_range, "(E5)"},
    {"QIOPEN_listener", "p3_service_type_choice_UDP", errc::out_of_range, "(E5)"},
    {"QIOPEN_tcp", "p3_service_type_choice_TCP_LISTENER", errc::out_of_range, "must be 1-65535"},
    {"QIOPEN_tcp", "p3_service_type_choice_UDP_SERVICE", errc::out_of_range, "must be 1-65535"},
    {"QISTATE_ctx", "p1_query_type_above_max", errc::ok, ""},  // becomes =1,<connectID>
    {"QISTATE_conn", "p1_query_type_below_min", errc::out_of_range, "<contextID>"},
    {"QISEND_inline", "truncated_to_1", errc::ok, ""},  // until Ctrl+Z
    {"QISEND_inline", "truncated_to_2", errc::ok, ""},  // fixed length
    {"QISEND_fixed", "truncated_to_1", errc::ok, ""},
    {"QISENDEX_inline", "truncated_to_1", errc::ok, ""},
    {"QISENDEX_inline", "truncated_to_2", errc::ok, ""},
    {"QISENDEX_fixed", "truncated_to_1", errc::ok, ""},
};

std::string sanitize(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

class case_builder {
 public:
  case_builder(const baseline& b, std::vector<generated_case>& out)
      : b_(b), f_(form_of(b)), out_(out), offset_(b.key.empty() ? 0 : 1) {}

  void add(std::size_t i, std::string_view what, arg_value v, errc expected) {
    std::vector<arg_value> args = b_.args;
    args[i] = std::move(v);
    keep_send_length_consistent(f_, i, args);
    const std::string mutation = "p" + std::to_string(i + 1 + offset_) + "_" +
                                 std::string(f_.params[i].name) + "_" + std::string(what);
    push(sanitize(mutation), args, expected, "parameter " + std::to_string(i + 1 + offset_));
  }

  void truncated(std::size_t n) {
    std::vector<arg_value> args(b_.args.begin(), b_.args.begin() + static_cast<std::ptrdiff_t>(n));
    const std::uint8_t before = n == 0 ? 0 : f_.params[n - 1].depth;
    const bool ok = f_.params[n].depth > before;  // the next parameter opens a bracket
    push("truncated_to_" + std::to_string(n), args, ok ? errc::ok : errc::missing_parameter,
         ok ? "" : "parameter " + std::to_string(n + 1 + offset_));
  }

  const form_spec& form() const { return f_; }

 private:
  void push(const std::string& mutation, const std::vector<arg_value>& args, errc expected,
            std::string detail) {
    for (const auto& o : overrides) {
      if (o.label == b_.label && o.mutation == mutation) {
        expected = o.expected;
        detail = std::string(o.detail);
      }
    }
    out_.push_back(
        {std::string(b_.label) + "_" + mutation, format_line(b_, args), expected, detail});
  }

  const baseline& b_;
  const form_spec& f_;
  std::vector<generated_case>& out_;
  std::size_t offset_;
};

std::string text_of_length(std::int64_t n) {
  return std::string(static_cast<std::size_t>(n), 'a');
}
std::string hex_of_bytes(std::int64_t n) {
  return std::string(static_cast<std::size_t>(n) * 2, '3');
}

void integer_cases(case_builder& cb, std::size_t i, const param_spec& p) {
  cb.add(i, "min", I(p.min), errc::ok);
  cb.add(i, "max", I(p.max), errc::ok);
  cb.add(i, "below_min", I(p.min - 1), errc::out_of_range);
  cb.add(i, "above_max", I(p.max + 1), errc::out_of_range);
  cb.add(i, "quoted", Q(std::to_string(p.min)), errc::wrong_type);
  cb.add(i, "word", arg_value::unquoted("x"), errc::wrong_type);
}

void string_cases(case_builder& cb, std::size_t i, const param_spec& p) {
  cb.add(i, "min", Q(text_of_length(std::max<std::int64_t>(p.min, 1))), errc::ok);
  cb.add(i, "max", Q(text_of_length(p.max)), errc::ok);
  cb.add(i, "above_max", Q(text_of_length(p.max + 1)), errc::out_of_range);
  if (p.min == 1) cb.add(i, "empty_quotes", Q(""), errc::missing_parameter);
  cb.add(i, "unquoted", arg_value::unquoted("abc"), errc::wrong_type);
  cb.add(i, "integer", I(5), errc::wrong_type);
}

void enum_cases(case_builder& cb, std::size_t i, const param_spec& p) {
  for (std::string_view c : p.choices)
    cb.add(i, "choice_" + std::string(c), Q(std::string(c)), errc::ok);
  std::string lower(p.choices.front());
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  cb.add(i, "lower_case", Q(lower), errc::bad_choice);
  cb.add(i, "unquoted", arg_value::unquoted(std::string(p.choices.front())), errc::wrong_type);
  cb.add(i, "integer", I(0), errc::wrong_type);
}

void hex_cases(case_builder& cb, std::size_t i, const param_spec& p) {
  cb.add(i, "min", Q(hex_of_bytes(p.min)), errc::ok);
  cb.add(i, "max", Q(hex_of_bytes(p.max)), errc::ok);
  cb.add(i, "above_max", Q(hex_of_bytes(p.max + 1)), errc::out_of_range);
  cb.add(i, "odd_digits", Q("303"), errc::bad_hex);
  cb.add(i, "not_hex", Q("3G"), errc::bad_hex);
  cb.add(i, "unquoted", arg_value::unquoted("3031"), errc::wrong_type);
}

std::vector<generated_case> generated_cases() {
  std::vector<generated_case> out;
  for (const auto& b : baselines()) {
    case_builder cb(b, out);
    const auto& params = cb.form().params;
    if (params.size() != b.args.size()) {
      ADD_FAILURE() << b.label << ": baseline must give every parameter";
      continue;
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      switch (params[i].type) {
        case param_type::integer:
          integer_cases(cb, i, params[i]);
          break;
        case param_type::quoted_string:
          string_cases(cb, i, params[i]);
          break;
        case param_type::quoted_enum:
          enum_cases(cb, i, params[i]);
          break;
        case param_type::quoted_hex:
          hex_cases(cb, i, params[i]);
          break;
        case param_type::raw_text:
          break;
      }
      cb.add(i, "empty", arg_value::absent(), errc::missing_parameter);
      cb.truncated(i);
    }
  }
  return out;
}

class GeneratedArguments : public ::testing::TestWithParam<generated_case> {};

TEST_P(GeneratedArguments, Case) {
  const generated_case& c = GetParam();
  auto p = parse_command_line(c.line);
  ASSERT_TRUE(p) << c.line << ": " << p.error().detail;
  auto r = check_arguments(*p);
  if (c.expected == errc::ok) {
    EXPECT_TRUE(r) << c.line << ": " << r.error().detail;
    return;
  }
  ASSERT_FALSE(r) << c.line << " accepted";
  EXPECT_EQ(r.error().code, make_error_code(c.expected)) << c.line << ": " << r.error().detail;
  EXPECT_NE(r.error().detail.find(c.detail), std::string::npos)
      << c.line << ": " << r.error().detail;
}

INSTANTIATE_TEST_SUITE_P(TcpIp, GeneratedArguments, ::testing::ValuesIn(generated_cases()),
                         [](const auto& test) { return test.param.name; });

// ---- Encoding --------------------------------------------------------------------------------

TEST(EncodeCommand, FormatsEachForm) {
  const command_spec& qird = *find_command("+QIRD");
  EXPECT_EQ(*encode_command(qird, form::set, {I(0), I(512)}), "AT+QIRD=0,512");
  EXPECT_EQ(*encode_command(qird, form::test, {}), "AT+QIRD=?");
  EXPECT_EQ(*encode_command(*find_command("+QISTATE"), form::query, {}), "AT+QISTATE?");
  EXPECT_EQ(*encode_command(*find_command("+QIGETERROR"), form::exec, {}), "AT+QIGETERROR");
  EXPECT_EQ(*encode_command(*find_command("+QICFG"), form::set, {I(1)}, "viewmode"),
            "AT+QICFG=\"viewmode\",1");
  EXPECT_EQ(*encode_command(*find_command("+QICFG"), form::set, {}, "showlength"),
            "AT+QICFG=\"showlength\"");
  EXPECT_EQ(*encode_command(*find_command("E"), form::set, {I(0)}), "ATE0");
  EXPECT_EQ(*encode_command(*find_command("&W"), form::exec, {}), "AT&W");
  EXPECT_EQ(*encode_command(*find_command(""), form::exec, {}), "AT");
  EXPECT_EQ(*encode_command(*find_command("+QIOPEN"), form::set,
                            {I(1), I(0), Q("TCP"), Q("220.18.39.22"), I(8062), I(0), I(0)}),
            "AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0");
}

TEST(EncodeCommand, RefusesWhatCheckRefusesWithTheSameError) {
  const command_spec& qird = *find_command("+QIRD");
  for (const auto& args : {std::vector{I(6), I(512)}, std::vector{I(0), I(0)}, std::vector{I(0)},
                           std::vector{I(0), Q("1")}, std::vector{I(0), I(1), I(1)}}) {
    auto e = encode_command(qird, form::set, args);
    ASSERT_FALSE(e);
    parsed_command cmd{&qird, nullptr, form::set, "+QIRD", "", args};
    auto c = check_arguments(cmd);
    ASSERT_FALSE(c);
    EXPECT_EQ(e.error().code, c.error().code);
    EXPECT_EQ(e.error().detail, c.error().detail);
  }
  EXPECT_FALSE(encode_command(qird, form::query, {}));
  EXPECT_FALSE(encode_command(qird, form::test, {I(1)}));
  auto quote = encode_command(*find_command("+QIDNSGIP"), form::set, {I(1), Q("a\"b")});
  ASSERT_FALSE(quote);
  EXPECT_EQ(quote.error().code, make_error_code(errc::bad_quote));
}

TEST(EncodeCommand, EncodedLinesParseBackToTheSameArguments) {
  for (const auto& b : baselines()) {
    const command_spec& spec = *find_command(b.command);
    auto line = encode_command(spec, form::set, b.args, b.key);
    ASSERT_TRUE(line) << b.label << ": " << line.error().detail;
    auto p = parse_command_line(*line);
    ASSERT_TRUE(p) << *line;
    EXPECT_EQ(p->args, b.args) << *line;
    EXPECT_EQ(p->key, b.key) << *line;
    ASSERT_TRUE(check_arguments(*p)) << *line;
    EXPECT_EQ(p->variant, &form_of(b)) << *line;
  }
}

}  // namespace
}  // namespace bcconform::protocol
