// Profiles (profile.hpp) and the saved settings (interpreter.hpp nvm_state): both model files
// load, every knob has a source, file errors name the file and the knob, and the --state file
// round-trips with errors naming the key.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "core_fixture.hpp"

namespace bcconform::emulator::testing {
namespace {

using ordered = nlohmann::ordered_json;

// ---- the model files -------------------------------------------------------------------------

class ModelFile : public ::testing::TestWithParam<const char*> {};

// Issue "Profiles as data": the file loads, under its model's name.
TEST_P(ModelFile, Loads) {
  const std::string model = GetParam();
  auto p = parse_profile(read_text_file(profile_path(model)), profile_path(model));
  ASSERT_TRUE(p.has_value()) << p.error().detail;
  EXPECT_EQ(p->model, model);
  EXPECT_EQ(p->ati_lines.size(), 2u);
  EXPECT_EQ(p->ati_lines[1], "Quectel_" + model);  // emulator.md §1.2
  EXPECT_EQ(p->boot_urcs, std::vector<std::string>{"RDY"});
  EXPECT_EQ(p->pdp_address, "100.127.243.105");                          // AN 4.1.1
  EXPECT_EQ(p->qiopen_timeout_ip, std::chrono::milliseconds(36000));     // AN 2.1.1 note 1
  EXPECT_EQ(p->qiopen_timeout_name, std::chrono::milliseconds(176000));  // AN 2.1.1 note 1
}

// Issue: every value the note does not state is marked as chosen, with its reason; the others
// cite the note, a ruling or the research note.
TEST_P(ModelFile, EveryKnobHasASource) {
  const std::string model = GetParam();
  auto p = parse_profile(read_text_file(profile_path(model)), profile_path(model));
  ASSERT_TRUE(p.has_value());
  const std::regex cited(R"((^chosen: .{10,})|\bAN \d|\bE\d+\b|emulator\.md §)");
  for (std::string_view knob : profile_knobs()) {
    const auto it = p->sources.find(std::string(knob));
    ASSERT_NE(it, p->sources.end()) << knob;
    EXPECT_TRUE(std::regex_search(it->second, cited)) << knob << ": " << it->second;
  }
  EXPECT_EQ(p->sources.size(), profile_knobs().size());
}

// profile.hpp: profile_knobs() is the file order.
TEST_P(ModelFile, KnobsInFileOrder) {
  const ordered doc = ordered::parse(read_text_file(profile_path(GetParam())));
  std::vector<std::string> names;
  for (const auto& [name, unused] : doc.items()) names.push_back(name);
  ASSERT_EQ(names.size(), profile_knobs().size());
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], profile_knobs()[i]);
}

INSTANTIATE_TEST_SUITE_P(Models, ModelFile, ::testing::Values("BC25", "BC32"));

// emulator.md §1.2: the BC25 identity; what no capture shows is marked chosen.
TEST(Profiles, Bc25Identity) {
  const profile p = load_profile("BC25");
  EXPECT_EQ(p.ati_lines, (std::vector<std::string>{"Quectel_Ltd", "Quectel_BC25"}));
  EXPECT_EQ(p.revision, "BC25PAR01A06");
  EXPECT_TRUE(p.sources.at("ati_lines").starts_with("chosen:"));
  EXPECT_TRUE(p.sources.at("revision").find("emulator.md") != std::string::npos);
}

TEST(Profiles, Bc32IdentityIsChosen) {
  const profile p = load_profile("BC32");
  EXPECT_TRUE(p.sources.at("ati_lines").starts_with("chosen:"));
  EXPECT_TRUE(p.sources.at("revision").starts_with("chosen:"));
}

// ---- file errors -----------------------------------------------------------------------------

/// The BC25 file as a JSON document, to be broken by a test.
ordered bc25_doc() {
  return ordered::parse(read_text_file(profile_path("BC25")));
}

std::string refusal(const ordered& doc) {
  auto p = parse_profile(doc.dump(), "test.json");
  EXPECT_FALSE(p.has_value());
  return p ? std::string() : p.error().detail;
}

struct broken_case {
  const char* name;
  void (*apply)(ordered&);
  const char* must_name;  ///< a text the error detail must contain
};

const broken_case broken_cases[] = {
    {"missing_knob", [](ordered& d) { d.erase("urc_delay_ms"); }, "\"urc_delay_ms\" is missing"},
    {"unknown_knob",
     [](ordered& d) {
       d["colour"] = {{"value", 1}, {"source", "x"}};
     },
     "unknown knob \"colour\""},
    {"wrong_type_bool", [](ordered& d) { d["echo_default"]["value"] = 1; },
     "\"echo_default\": must be true or false"},
    {"wrong_type_int", [](ordered& d) { d["buffer_limit"]["value"] = "big"; },
     "\"buffer_limit\": must be an integer"},
    {"out_of_range", [](ordered& d) { d["remote_close_state"]["value"] = 5; },
     "\"remote_close_state\": 5 is outside 3-4"},
    {"negative_delay", [](ordered& d) { d["response_delay_ms"]["value"] = -1; },
     "\"response_delay_ms\": -1 is outside"},
    {"no_source", [](ordered& d) { d["cmee_default"].erase("source"); },
     "\"cmee_default\": no source"},
    {"empty_source", [](ordered& d) { d["cmee_default"]["source"] = ""; },
     "\"cmee_default\": no source"},
    {"no_value", [](ordered& d) { d["model"].erase("value"); }, "\"model\": no value"},
    {"bare_value", [](ordered& d) { d["model"] = "BC25"; }, "\"model\": must be {"},
    {"extra_member", [](ordered& d) { d["model"]["note"] = "x"; },
     "\"model\": unknown member \"note\""},
    {"line_end_in_text", [](ordered& d) { d["revision"]["value"] = "A\r\nOK"; },
     "\"revision\": must not contain CR or LF"},
    {"empty_string", [](ordered& d) { d["pdp_address"]["value"] = ""; },
     "\"pdp_address\": length 0"},
    {"array_of_non_strings", [](ordered& d) { d["boot_urcs"]["value"] = {1}; },
     "\"boot_urcs\": must be a string"},
    {"not_array", [](ordered& d) { d["ati_lines"]["value"] = "Quectel_Ltd"; },
     "\"ati_lines\": must be an array"},
};

class BrokenProfile : public ::testing::TestWithParam<broken_case> {};

// profile.hpp: unknown keys, missing knobs, wrong types and values outside a knob's domain are
// errors naming the key (and the file).
TEST_P(BrokenProfile, ErrorNamesTheKnob) {
  ordered doc = bc25_doc();
  GetParam().apply(doc);
  const std::string detail = refusal(doc);
  EXPECT_NE(detail.find(GetParam().must_name), std::string::npos) << detail;
  EXPECT_TRUE(detail.starts_with("test.json")) << detail;
}

INSTANTIATE_TEST_SUITE_P(Knobs, BrokenProfile, ::testing::ValuesIn(broken_cases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Profiles, NotJsonGivesPosition) {
  auto p = parse_profile("{\n  \"model\": [1,\n", "bad.json");
  ASSERT_FALSE(p.has_value());
  EXPECT_TRUE(p.error().detail.starts_with("bad.json:3:")) << p.error().detail;
  auto q = parse_profile("[]", "list.json");
  ASSERT_FALSE(q.has_value());
  EXPECT_NE(q.error().detail.find("must be a JSON object"), std::string::npos);
}

// ---- NVM (the --state file) ------------------------------------------------------------------

// The factory settings are the profile's defaults, AN 2.1.11's underlined zeros (E33) and no
// DNS server.
TEST(Nvm, FactoryFromProfile) {
  profile p = load_profile("BC25");
  p.echo_default = false;
  p.cmee_default = 2;
  p.wakeup_urcs = false;
  const nvm_state n = factory_nvm(p);
  EXPECT_FALSE(n.echo);
  EXPECT_EQ(n.cmee, 2);
  EXPECT_EQ(n.qsclk, 0);
  EXPECT_FALSE(n.wakeup_urcs);
  EXPECT_EQ(n.viewmode, 0);
  EXPECT_EQ(n.showlength, 0);
  EXPECT_EQ(n.send_format, 0);
  EXPECT_EQ(n.recv_format, 0);
  EXPECT_EQ(n.dns_primary, "");
}

// Issue "NVM": saved settings persist in the state file across restarts.
TEST(Nvm, RoundTrip) {
  nvm_state n;
  n.echo = false;
  n.cmee = 1;
  n.qsclk = 1;
  n.wakeup_urcs = false;
  n.recv_format = 1;
  n.viewmode = 1;
  n.showlength = 1;
  n.dns_primary = "127.0.0.1:5353";
  n.dns_secondary = "::1";
  const std::string text = to_json(n);
  EXPECT_EQ(text.find('\n'), std::string::npos);  // one line
  auto back = nvm_from_json(text);
  ASSERT_TRUE(back.has_value()) << back.error().detail;
  EXPECT_EQ(*back, n);
}

struct bad_state_case {
  const char* name;
  void (*apply)(ordered&);
  const char* must_name;
};

const bad_state_case bad_states[] = {
    {"missing", [](ordered& d) { d.erase("cmee"); }, "\"cmee\" is missing"},
    {"wrong_type", [](ordered& d) { d["echo"] = "yes"; }, "\"echo\" must be true or false"},
    {"out_of_range", [](ordered& d) { d["viewmode"] = 2; }, "\"viewmode\" 2 is outside 0-1"},
    {"unknown", [](ordered& d) { d["extra"] = 1; }, "unknown key \"extra\""},
    {"bad_dns", [](ordered& d) { d["dns_primary"] = "a\r\nb"; }, "\"dns_primary\""},
};

class BadState : public ::testing::TestWithParam<bad_state_case> {};

TEST_P(BadState, ErrorNamesTheKey) {
  ordered doc = ordered::parse(to_json(nvm_state{}));
  GetParam().apply(doc);
  auto n = nvm_from_json(doc.dump());
  ASSERT_FALSE(n.has_value());
  EXPECT_NE(n.error().detail.find(GetParam().must_name), std::string::npos) << n.error().detail;
}

INSTANTIATE_TEST_SUITE_P(Keys, BadState, ::testing::ValuesIn(bad_states),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Nvm, NotJson) {
  EXPECT_FALSE(nvm_from_json("{").has_value());
  EXPECT_FALSE(nvm_from_json("[]").has_value());
  EXPECT_FALSE(nvm_from_json("").has_value());
}

}  // namespace
}  // namespace bcconform::emulator::testing
