// The command table's own consistency, its agreement with AN chapters 2-4 and with
// specs/ERRATA.md, and its lookups.
#include "bcconform/protocol/command_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "bcconform/protocol/command_line.hpp"

namespace bcconform::protocol {
namespace {

using namespace std::chrono_literals;

std::string read_errata() {
  std::ifstream in(std::string(BCCONFORM_SOURCE_DIR) + "/specs/ERRATA.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- Structure -------------------------------------------------------------------------------

TEST(CommandTable, EveryCommandHasSectionTitleAndForms) {
  ASSERT_FALSE(commands().empty());
  for (const auto& c : commands()) {
    SCOPED_TRACE("AT" + std::string(c.name));
    EXPECT_FALSE(c.section.empty());
    EXPECT_FALSE(c.title.empty());
    EXPECT_FALSE(c.forms.empty());
    EXPECT_GT(c.max_response, 0ms);
  }
}

TEST(CommandTable, FormsAreWellFormed) {
  for (const auto& c : commands()) {
    for (const auto& f : c.forms) {
      SCOPED_TRACE("AT" + std::string(c.name) + " " + std::string(f.syntax));
      EXPECT_FALSE(f.syntax.empty());
      EXPECT_FALSE(f.section.empty());
      EXPECT_FALSE(f.responses.empty());
      EXPECT_TRUE(f.syntax.starts_with("AT" + std::string(c.name)));
      if (f.kind != form::set) {
        EXPECT_TRUE(f.params.empty());
        EXPECT_TRUE(f.key.empty());
        EXPECT_EQ(f.data, data_mode::none);
      }
      const bool has_final = std::any_of(f.responses.begin(), f.responses.end(),
                                         [](const auto& r) { return r.role == line_role::final; });
      EXPECT_TRUE(has_final);
    }
  }
}

TEST(CommandTable, AtMostOneTestQueryExecFormPerCommand) {
  for (const auto& c : commands()) {
    for (form k : {form::test, form::query, form::exec}) {
      const auto n = std::count_if(c.forms.begin(), c.forms.end(),
                                   [k](const form_spec& f) { return f.kind == k; });
      EXPECT_LE(n, 1) << "AT" << c.name << " " << to_string(k);
    }
  }
}

TEST(CommandTable, ParametersHaveSaneRangesDefaultsAndDepths) {
  for (const auto& c : commands()) {
    for (const auto& f : c.forms) {
      std::uint8_t depth = 0;
      for (const auto& p : f.params) {
        SCOPED_TRACE("AT" + std::string(c.name) + " <" + std::string(p.name) + ">");
        EXPECT_FALSE(p.name.empty());
        EXPECT_FALSE(p.section.empty());
        EXPECT_LE(p.min, p.max);
        if (p.has_default) {
          EXPECT_GE(p.default_value, p.min);
          EXPECT_LE(p.default_value, p.max);
          EXPECT_GT(p.depth, 0) << "a default only makes sense for an optional parameter";
        }
        EXPECT_EQ(p.type == param_type::quoted_enum, !p.choices.empty());
        EXPECT_NE(p.type, param_type::raw_text) << "raw_text is not a list parameter";
        if (p.type != param_type::integer) {
          EXPECT_GE(p.min, 0);
        }
        EXPECT_GE(p.depth, depth) << "depths must not decrease within a form";
        depth = p.depth;
      }
    }
  }
}

TEST(CommandTable, KeyedFormsHaveDistinctKeys) {
  for (const auto& c : commands()) {
    std::set<std::string_view> keys;
    for (const auto& f : c.forms) {
      if (f.key.empty()) continue;
      EXPECT_EQ(f.kind, form::set);
      EXPECT_TRUE(keys.insert(f.key).second) << f.key;
    }
  }
}

TEST(CommandTable, DeferredLimitsMatchDeferredResponses) {
  for (const auto& c : commands()) {
    bool has_deferred = false;
    for (const auto& f : c.forms) {
      for (const auto& r : f.responses) {
        has_deferred |= r.role == line_role::deferred || r.role == line_role::urc;
      }
    }
    EXPECT_EQ(has_deferred, c.max_deferred > 0ms) << "AT" << c.name;
  }
}

// ---- Chapter 2 coverage ----------------------------------------------------------------------

struct chapter2_entry {
  std::string_view name;
  std::string_view section;
};

constexpr chapter2_entry chapter2[] = {
    {"+QIOPEN", "AN 2.1.1"},    {"+QICLOSE", "AN 2.1.2"},   {"+QISTATE", "AN 2.1.3"},
    {"+QISEND", "AN 2.1.4"},    {"+QIRD", "AN 2.1.5"},      {"+QISENDEX", "AN 2.1.6"},
    {"+QISWTMD", "AN 2.1.7"},   {"+QPING", "AN 2.1.8"},     {"+QNTP", "AN 2.1.9"},
    {"+QIDNSGIP", "AN 2.1.10"}, {"+QICFG", "AN 2.1.11"},    {"+QIGETERROR", "AN 2.1.12"},
    {"+QIKALIVE", "AN 2.1.13"}, {"+QIDNSCFG", "AN 2.1.14"},
};

TEST(CommandTable, EveryChapter2CommandIsPresentWith300msAndItsSection) {
  for (const auto& e : chapter2) {
    const command_spec* c = find_command(e.name);
    ASSERT_NE(c, nullptr) << e.name;
    EXPECT_EQ(c->section, e.section);
    EXPECT_EQ(c->max_response, 300ms) << e.name;
    EXPECT_FALSE(c->basic);
    EXPECT_NE(find_form(*c, form::test), nullptr) << e.name;
    // E55: AT+QIGETERROR reads the code without setting it.
    EXPECT_EQ(c->tcpip, e.name != "+QIGETERROR") << e.name;
  }
}

TEST(CommandTable, DocumentedLimits) {
  EXPECT_EQ(find_command("+QIOPEN")->max_deferred, 176s);  // AN 2.1.1 note 1, E7
  EXPECT_EQ(find_command("+QICLOSE")->max_deferred, 10s);  // AN 4.3.4, E39
  EXPECT_TRUE(find_command("+QICFG")->nvm);                // AN 2.1.11, E34
  EXPECT_FALSE(find_command("+QISWTMD")->nvm);             // E20
}

TEST(CommandTable, SendCommandsHaveThreeSetVariants) {
  for (std::string_view name : {"+QISEND", "+QISENDEX"}) {
    const command_spec* c = find_command(name);
    ASSERT_NE(c, nullptr);
    std::set<data_mode> modes;
    std::set<std::size_t> arities;
    for (const auto& f : c->forms) {
      if (f.kind != form::set) continue;
      modes.insert(f.data);
      arities.insert(f.params.size());
    }
    EXPECT_EQ(modes, (std::set<data_mode>{data_mode::none, data_mode::until_ctrl_z,
                                          data_mode::fixed_length}));
    EXPECT_EQ(arities, (std::set<std::size_t>{1, 2, 3}));
  }
}

TEST(CommandTable, QicfgHasTheThreeKeyedSetForms) {
  const command_spec* c = find_command("+QICFG");
  ASSERT_NE(c, nullptr);
  for (std::string_view key : {"dataformat", "viewmode", "showlength"}) {
    const form_spec* f = find_form(*c, form::set, key);
    ASSERT_NE(f, nullptr) << key;
    EXPECT_EQ(f->key, key);
    for (const auto& p : f->params) EXPECT_EQ(p.depth, 1) << "E32: values are optional";
  }
  EXPECT_EQ(find_form(*c, form::set, "dataformat")->params.size(), 2u);
}

// ---- URCs and finals -------------------------------------------------------------------------

TEST(CommandTable, UrcLookupMatchesIdAndEveryIdIsPresent) {
  ASSERT_EQ(urcs().size(), 13u);
  for (const auto& u : urcs()) {
    EXPECT_EQ(&urc(u.id), &u);
    EXPECT_FALSE(u.match.empty());
    EXPECT_FALSE(u.section.empty());
    if (u.whole_line) {
      EXPECT_EQ(u.match, u.format) << "a whole-line URC is its own format";
    }
    if (!u.trigger.empty()) {
      EXPECT_NE(find_command(u.trigger), nullptr) << u.trigger;
    }
  }
}

// The quoted literal a format ends with ("buff full"), or "".
std::string_view trailing_literal(std::string_view format) {
  if (format.size() < 2 || format.back() != '"') return {};
  const auto open = format.rfind('"', format.size() - 2);
  if (open == std::string_view::npos || open == 0 || format[open - 1] != ',') return {};
  return format.substr(open);
}

// Match strings are unique, except that an entry may share its prefix with one other when its
// format ends in a literal that tells the two apart (E50: recv / buff full).
TEST(CommandTable, UrcMatchStringsAreUniqueOrToldApartByALiteral) {
  for (const auto& a : urcs()) {
    for (const auto& b : urcs()) {
      if (&a == &b || a.match != b.match) continue;
      EXPECT_FALSE(a.whole_line || b.whole_line) << a.match;
      EXPECT_NE(trailing_literal(a.format).empty(), trailing_literal(b.format).empty())
          << a.name << " and " << b.name << " share \"" << a.match << "\" with nothing to tell";
    }
  }
}

// A prefix match that is a prefix of a longer one would take the longer one's lines.
TEST(CommandTable, NoPrefixMatchSwallowsAnotherUrc) {
  for (const auto& a : urcs()) {
    if (a.whole_line) continue;
    for (const auto& b : urcs()) {
      if (a.match == b.match) continue;
      EXPECT_FALSE(b.match.starts_with(a.match)) << a.match << " swallows " << b.match;
    }
  }
}

// What a conforming classifier does with the table: whole lines compare equal, prefixes
// match, an entry with a trailing literal wins when the line ends with it.
const urc_spec* classify(std::string_view line) {
  const urc_spec* found = nullptr;
  for (const auto& u : urcs()) {
    if (u.whole_line ? line != u.match : !line.starts_with(u.match)) continue;
    const auto lit = trailing_literal(u.format);
    if (!lit.empty()) {
      if (line.ends_with(std::string(",") + std::string(lit))) return &u;
      continue;
    }
    if (found == nullptr || u.match.size() > found->match.size()) found = &u;
  }
  return found;
}

struct urc_line {
  std::string_view line;
  urc_id id;
};

// Lines from AN chapter 4 and the formats of AN 2.2.
constexpr urc_line note_urcs[] = {
    {"+QIOPEN: 0,0", urc_id::qiopen},                                      // AN 4.1.1
    {"+QIURC: \"recv\",0", urc_id::recv},                                  // AN 4.1.3
    {"+QIURC: \"recv\",0,12", urc_id::recv},                               // AN 4.1.3
    {"+QIURC: \"recv\",0,\"buff full\"", urc_id::buff_full},               // AN 4.1.3
    {"+QIURC: \"recv\",0,12,012345678901", urc_id::recv},                  // AN 4.2.3
    {"+QIURC: \"incoming\",2,0,\"192.168.2.2\",36566", urc_id::incoming},  // AN 4.3.2
    {"+QIURC: \"incoming full\"", urc_id::incoming_full},                  // AN 2.2.4
    {"+QIURC: \"closed\",0", urc_id::closed},                              // AN 2.2.1
    {"+QIURC: \"dnsgip\",0,2,399", urc_id::dnsgip},                        // AN 2.1.10
    {"+QIURC: \"dnsgip\",\"220.181.57.216\"", urc_id::dnsgip},             // AN 2.1.10
    {"+QPING: 0,220.18.29.21,32,192,255", urc_id::qping},                  // AN 4.6
    {"+QPING: 2,4,4,0,192,479,287", urc_id::qping},                        // AN 4.6
    {"+QNTP: 0, \"18/04/20,11:08:20+32\"", urc_id::qntp},                  // AN 4.7
    {"+QATSLEEP", urc_id::qatsleep},                                       // AN 4.4
    {"+QATWAKEUP", urc_id::qatwakeup},                                     // AN 4.4
    {"RDY", urc_id::rdy},
    {"+QIDNSGIP: 0,1,0", urc_id::qidnsgip},
};

TEST(CommandTable, NoteUrcLinesRouteToTheirEntry) {
  for (const auto& u : note_urcs) {
    const urc_spec* found = classify(u.line);
    ASSERT_NE(found, nullptr) << u.line;
    EXPECT_EQ(found->id, u.id) << u.line << " went to " << found->name;
  }
  EXPECT_EQ(classify("+QIURC: \"incoming full\",1"), nullptr);  // whole line only
  EXPECT_EQ(classify("RDY2"), nullptr);
}

TEST(CommandTable, FinalResults) {
  ASSERT_EQ(finals().size(), 6u);
  for (const auto& f : finals()) EXPECT_EQ(&final_result(f.id), &f);
  EXPECT_EQ(final_result(final_id::ok).text, "OK");
  EXPECT_EQ(final_result(final_id::error).text, "ERROR");
  EXPECT_EQ(final_result(final_id::cme_error).text, "+CME ERROR: ");
  EXPECT_EQ(final_result(final_id::send_ok).text, "SEND OK");
  EXPECT_EQ(final_result(final_id::send_fail).text, "SEND FAIL");
  EXPECT_EQ(final_result(final_id::close_ok).text, "CLOSE OK");
  EXPECT_FALSE(final_result(final_id::ok).deferred);
  EXPECT_TRUE(final_result(final_id::send_ok).deferred);
  EXPECT_TRUE(final_result(final_id::send_fail).deferred);
  EXPECT_TRUE(final_result(final_id::close_ok).deferred);
}

// ---- Error codes and ping results (AN 3) -----------------------------------------------------

struct error_text {
  int code;
  std::string_view en;
};

// AN 3 table 1, verbatim.
constexpr error_text table1[] = {
    {0, "Operation successful"},
    {550, "Unknown error"},
    {551, "Operation blocked"},
    {552, "Invalid parameters"},
    {553, "Memory not enough"},
    {554, "Create socket failed"},
    {555, "Operation not supported"},
    {556, "Socket bind failed"},
    {557, "Socket listen failed"},
    {558, "Socket write failed"},
    {559, "Socket read failed"},
    {560, "Socket accept failed"},
    {561, "Open PDP context failed"},
    {562, "Close PDP context failed"},
    {563, "Socket identity has been used"},
    {564, "DNS busy"},
    {565, "DNS parse failed"},
    {566, "Socket connection failed"},
    {567, "Socket has been closed"},
    {568, "Operation busy"},
    {569, "Operation timeout"},
    {570, "PDP context broken down"},
    {571, "Cancel send"},
    {572, "Operation not allowed"},
    {573, "APN not configured"},
    {574, "Port busy"},
};

TEST(CommandTable, ErrorCodesAreTable1Exactly) {
  ASSERT_EQ(error_codes().size(), std::size(table1));
  for (const auto& t : table1) {
    const error_code_spec* e = find_error_code(t.code);
    ASSERT_NE(e, nullptr) << t.code;
    EXPECT_EQ(e->description, t.en);
    EXPECT_FALSE(e->description_zh.empty());
    EXPECT_FALSE(e->note.empty()) << t.code << ": say how to provoke it or why not";
  }
  EXPECT_EQ(find_error_code(552)->description_zh, "无效参数");
  EXPECT_EQ(find_error_code(563)->description_zh, "Socket 标识被占用");
  EXPECT_EQ(find_error_code(549), nullptr);
  EXPECT_EQ(find_error_code(575), nullptr);
  EXPECT_TRUE(find_error_code(552)->provokable);  // AN 4.8
}

TEST(CommandTable, PingResultsAreTable2) {
  constexpr std::string_view names[] = {
      "PING_ECHO",        "PING_TIMEOUT",           "PING_SUCCESS",
      "PING_TCPIP_ERROR", "PING_ADDRESS_NOT_FOUND", "PING_PDP_ACT_FAIL"};
  ASSERT_EQ(ping_results().size(), 6u);
  for (int i = 0; i < 6; ++i) {
    const ping_result_spec* p = find_ping_result(i);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, names[i]);
  }
  EXPECT_EQ(find_ping_result(6), nullptr);
}

// The section of specs/ERRATA.md that lists the codes the AT interface cannot provoke must
// name exactly the table's non-provokable codes.
TEST(CommandTable, NonProvokableCodesAgreeWithErrata) {
  const std::string errata = read_errata();
  ASSERT_FALSE(errata.empty()) << "specs/ERRATA.md not found";
  const auto start = errata.find("## Error codes the AT interface cannot provoke");
  ASSERT_NE(start, std::string::npos);
  const auto end = errata.find("\n## ", start + 1);
  const std::string section = errata.substr(start, end - start);
  std::set<int> listed;
  const std::regex row(R"(\n\| (\d{3}) \|)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row);
       it != std::sregex_iterator(); ++it) {
    listed.insert(std::stoi((*it)[1].str()));
  }
  std::set<int> table;
  for (const auto& e : error_codes()) {
    if (!e.provokable) table.insert(e.code);
  }
  EXPECT_EQ(listed, table);
}

// Every ruling the table cites exists in specs/ERRATA.md.
TEST(CommandTable, CitedRulingsExistInErrata) {
  const std::string errata = read_errata();
  ASSERT_FALSE(errata.empty());
  std::set<std::string> cited;
  const std::regex ruling(R"(\bE(\d{1,2})\b)");
  auto collect = [&](std::string_view text) {
    const std::string s(text);
    for (auto it = std::sregex_iterator(s.begin(), s.end(), ruling); it != std::sregex_iterator();
         ++it) {
      cited.insert((*it)[1].str());
    }
  };
  for (const auto& c : commands()) {
    for (const auto& f : c.forms) {
      for (const auto& p : f.params) collect(p.note);
    }
  }
  for (const auto& e : error_codes()) collect(e.note);
  ASSERT_FALSE(cited.empty());
  for (const auto& n : cited) {
    EXPECT_NE(errata.find("\n## E" + n + " "), std::string::npos) << "E" << n;
  }
}

// ---- Lookups ---------------------------------------------------------------------------------

TEST(CommandTable, FindCommandIgnoresCase) {
  const command_spec* qird = find_command("+QIRD");
  ASSERT_NE(qird, nullptr);
  EXPECT_EQ(find_command("+qird"), qird);
  EXPECT_EQ(find_command("+QiRd"), qird);
  EXPECT_EQ(find_command("e"), find_command("E"));
  EXPECT_EQ(find_command("&w"), find_command("&W"));
  ASSERT_NE(find_command(""), nullptr);
  EXPECT_EQ(find_command("")->name, "");
  EXPECT_EQ(find_command("+QIRDX"), nullptr);
  EXPECT_EQ(find_command("+QIR"), nullptr);
  EXPECT_EQ(find_command("QIRD"), nullptr);
}

TEST(CommandTable, GeneralCommandsArePresent) {
  for (std::string_view name :
       {"", "E", "I", "&W", "+CGATT", "+CGPADDR", "+QSCLK", "+CMEE", "+CGMR", "+QRST"}) {
    const command_spec* c = find_command(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_FALSE(c->tcpip) << name;
    EXPECT_EQ(c->basic, !name.starts_with("+")) << name;
  }
  const command_spec* cgpaddr = find_command("+CGPADDR");
  EXPECT_NE(find_form(*cgpaddr, form::query), nullptr);  // AN 4.1.1
  EXPECT_NE(find_form(*cgpaddr, form::set), nullptr);
  EXPECT_NE(find_form(*cgpaddr, form::exec), nullptr);
}

TEST(CommandTable, FindByInfoPrefix) {
  EXPECT_EQ(find_command_by_info_prefix("+QISTATE"), find_command("+QISTATE"));
  EXPECT_EQ(find_command_by_info_prefix("+QIRD"), find_command("+QIRD"));
  EXPECT_EQ(find_command_by_info_prefix("+CGPADDR"), find_command("+CGPADDR"));
  EXPECT_EQ(find_command_by_info_prefix("+QISTAT"), nullptr);
  EXPECT_EQ(find_command_by_info_prefix(""), nullptr);
}

TEST(CommandTable, FindFormHandlesKeys) {
  const command_spec& qicfg = *find_command("+QICFG");
  EXPECT_NE(find_form(qicfg, form::test), nullptr);
  EXPECT_EQ(find_form(qicfg, form::set), nullptr) << "keyed forms need their key";
  EXPECT_EQ(find_form(qicfg, form::set, "viewmode")->key, "viewmode");
  EXPECT_EQ(find_form(qicfg, form::set, "VIEWMODE"), nullptr);  // E56
  EXPECT_EQ(find_form(qicfg, form::set, "echomode"), nullptr);
  EXPECT_EQ(find_form(qicfg, form::query), nullptr);
  const command_spec& qisend = *find_command("+QISEND");
  ASSERT_NE(find_form(qisend, form::set), nullptr);
  EXPECT_EQ(find_form(qisend, form::set)->data, data_mode::none);
  EXPECT_EQ(find_form(*find_command("+QIRD"), form::query), nullptr);
}

// ---- Chapter 4: every example command line parses and checks --------------------------------

struct example {
  std::string_view section;
  std::string_view line;
};

constexpr example chapter4[] = {
    {"AN 4.1.1", "AT+CGATT?"},
    {"AN 4.1.1", "AT+CGPADDR?"},
    {"AN 4.1.1", "AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0"},
    {"AN 4.1.1", "AT+QISTATE=1,0"},
    {"AN 4.1.2", "AT+QISEND=0,10,\"1234567890\""},
    {"AN 4.1.2", "AT+QISENDEX=0,5,\"3031323334\""},
    {"AN 4.1.3", "AT+QIRD=0,512"},
    {"AN 4.1.3", "AT+QICFG=\"showlength\",1"},
    {"AN 4.1.3", "AT+QIRD=0,10"},
    {"AN 4.1.3", "AT+QICFG=\"viewmode\",1"},
    {"AN 4.1.3", "AT+QISEND=0,12,\"012345678901\""},
    {"AN 4.1.4", "AT+QICLOSE=0"},
    {"AN 4.2.1", "AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,1"},
    {"AN 4.3.1", "AT+QIOPEN=1,0,\"TCP LISTENER\",\"192.168.2.6\",0,2020,0"},  // E5
    {"AN 4.3.1", "AT+QISTATE?"},
    {"AN 4.3.4", "AT+QICLOSE=2"},
    {"AN 4.4", "AT+QSCLK=0"},
    {"AN 4.4", "AT+QIOPEN=1,0,\"UDP\",\"220.18.39.22\",8084,0,0"},
    {"AN 4.4", "AT+QSCLK=1"},
    {"AN 4.5.1", "AT+QIOPEN=1,0,\"UDP SERVICE\",\"192.168.2.6\",0,2020,0"},  // E5, E40
    {"AN 4.5.2", "AT+QIRD=2,4"},
    {"AN 4.6", "AT+QPING=1,\"sh.quectel.com\""},
    {"AN 4.7", "AT+QNTP=1,\"ntp5.aliyun.com\""},
    {"AN 4.8", "AT+QIGETERROR"},
};

class Chapter4Example : public ::testing::TestWithParam<example> {};

TEST_P(Chapter4Example, ParsesAndChecks) {
  auto parsed = parse_command_line(GetParam().line);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  ASSERT_NE(parsed->spec, nullptr);
  auto checked = check_arguments(*parsed);
  EXPECT_TRUE(checked) << checked.error().detail;
  EXPECT_NE(parsed->variant, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Note, Chapter4Example, ::testing::ValuesIn(chapter4),
                         [](const auto& test) { return "example_" + std::to_string(test.index); });

}  // namespace
}  // namespace bcconform::protocol
