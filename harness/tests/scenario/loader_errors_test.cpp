// Refused scenario files: each names the place and the problem. Limits keep hostile input
// (alias bombs, deep nesting, include fan-out) bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "bcconform/scenario/loader.hpp"

namespace bcconform::scenario {
namespace {

const std::string data_dir = BCCONFORM_SOURCE_DIR "/harness/tests/scenario/data";

std::string errors_of(const std::vector<load_error>& errors) {
  std::string out;
  for (const load_error& e : errors) out += e.to_string() + "\n";
  return out;
}

// `{D}` in an expectation stands for the data directory.
std::string with_dir(std::string s) {
  for (std::size_t at = s.find("{D}"); at != std::string::npos; at = s.find("{D}", at)) {
    s.replace(at, 3, data_dir);
  }
  return s;
}

struct bad_file {
  std::string name;      ///< under data/bad/
  std::string expected;  ///< prefix of the first error, "{D}/" + file:line:col: message
};

std::ostream& operator<<(std::ostream& os, const bad_file& b) {
  return os << b.name;
}

class bad_files : public ::testing::TestWithParam<bad_file> {};

TEST_P(bad_files, first_error_names_place_and_problem) {
  const load_result r = load_file(data_dir + "/bad/" + GetParam().name);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.file.scenarios.empty());
  const std::string first = r.errors.front().to_string();
  const std::string expected = with_dir(GetParam().expected);
  EXPECT_EQ(first.substr(0, expected.size()), expected) << errors_of(r.errors);
  for (const load_error& e : r.errors) {
    EXPECT_FALSE(e.pos.file.empty());
    EXPECT_GE(e.pos.line, 1);
    EXPECT_GE(e.pos.column, 1);
  }
}

const bad_file bad_table[] = {
    {"syntax_error.yaml",
     "{D}/bad/syntax_error.yaml:4:10: YAML syntax error: end of sequence "
     "flow not found"},
    {"unknown_key.yaml",
     "{D}/bad/unknown_key.yaml:7:9: unknown key 'tiemout' in expect step; "
     "expected one of: expect, timeout (did you mean 'timeout'?)"},
    {"unknown_scenario_key.yaml",
     "{D}/bad/unknown_scenario_key.yaml:4:5: unknown key 'step' in scenario; expected one of: "
     "errata, id, ignore_urcs, requires, setup, spec, steps, tags, teardown, title, "
     "unclaimed_urcs, vars (did you mean 'steps'?)"},
    {"steps_not_list.yaml",
     "{D}/bad/steps_not_list.yaml:4:12: expected a list of steps for steps, got a mapping"},
    {"step_not_mapping.yaml",
     "{D}/bad/step_not_mapping.yaml:5:9: expected a step (a mapping "
     "such as '- send: AT'), got a string 'AT+CGATT?'"},
    {"unknown_kind.yaml",
     "{D}/bad/unknown_kind.yaml:5:9: unknown step kind 'sned' (did you mean 'send'?)"},
    {"no_kind.yaml",
     "{D}/bad/no_kind.yaml:5:9: a step needs one of: control, data, expect, hook, "
     "include, payload, peer, prompt, send, urc, wait"},
    {"two_kinds.yaml",
     "{D}/bad/two_kinds.yaml:6:9: a step has exactly one kind, found 'send' and "
     "'expect'; write them as two steps"},
    {"missing_id.yaml", "{D}/bad/missing_id.yaml:2:5: scenario has no 'id'"},
    {"missing_title.yaml", "{D}/bad/missing_title.yaml:2:5: scenario has no 'title'"},
    {"missing_steps.yaml", "{D}/bad/missing_steps.yaml:2:5: scenario has no 'steps'"},
    {"empty_steps.yaml", "{D}/bad/empty_steps.yaml:4:12: steps is empty"},
    {"no_scenarios.yaml",
     "{D}/bad/no_scenarios.yaml:1:1: missing key 'scenarios' (a list of scenarios)"},
    {"bare_number_duration.yaml",
     "{D}/bad/bare_number_duration.yaml:7:18: bare number '300' is not a duration: add a unit, "
     "ms, s or m"},
    {"bad_duration.yaml",
     "{D}/bad/bad_duration.yaml:5:15: '2 hours' is not a duration; write "
     "e.g. 500ms, 2s, 1.5s or 1m"},
    {"fractional_ms.yaml",
     "{D}/bad/fractional_ms.yaml:5:15: duration '0.5ms' is not a whole "
     "number of milliseconds"},
    {"undefined_var.yaml",
     "{D}/bad/undefined_var.yaml:6:15: undefined variable 'apm' (did you "
     "mean 'apn'?)"},
    {"used_before_capture.yaml", "{D}/bad/used_before_capture.yaml:5:15: undefined variable 'cid'"},
    {"teardown_step_capture.yaml",
     "{D}/bad/teardown_step_capture.yaml:8:15: variable 'cid' is defined only by a step (at "
     "{D}/bad/teardown_step_capture.yaml:6:14), which may not have run when teardown runs"},
    {"teardown_step_object.yaml",
     "{D}/bad/teardown_step_object.yaml:9:23: peer object 'c' is created only by a step (at "
     "{D}/bad/teardown_step_object.yaml:7:33)"},
    {"duplicate_id.yaml",
     "{D}/bad/duplicate_id.yaml:6:9: duplicate scenario id 'same' (first at "
     "{D}/bad/duplicate_id.yaml:2:9)"},
    {"bad_id.yaml", "{D}/bad/bad_id.yaml:2:9: scenario id 'has space' is not [A-Za-z0-9._-]+"},
    {"bad_spec.yaml",
     "{D}/bad/bad_spec.yaml:4:12: '2.1.4' in spec is not a section of the note "
     "like 'AN 2.1.4'"},
    {"bad_erratum.yaml",
     "{D}/bad/bad_erratum.yaml:4:14: '12' in errata is not an erratum id like 'E12'"},
    {"tags_not_list.yaml",
     "{D}/bad/tags_not_list.yaml:4:11: expected a list for tags, got a string (write [smoke])"},
    {"bad_regex.yaml", "{D}/bad/bad_regex.yaml:6:23: bad regular expression in re: missing ): "},
    {"bad_group_name.yaml",
     "{D}/bad/bad_group_name.yaml:5:14: group name '1st' is not a "
     "variable name"},
    {"bad_ignore_urc.yaml",
     "{D}/bad/bad_ignore_urc.yaml:1:15: bad regular expression in "
     "ignore_urcs: no argument for repetition operator: +"},
    {"bad_hex.yaml", "{D}/bad/bad_hex.yaml:7:21: bad hex bytes: odd number of hex digits (3)"},
    {"bad_template.yaml",
     "{D}/bad/bad_template.yaml:5:15: unterminated variable reference "
     "'${cid,512'; write ${name}, or $$ for a literal $"},
    {"vars_reference.yaml",
     "{D}/bad/vars_reference.yaml:2:9: vars values are literal text and "
     "are not expanded"},
    {"bad_var_name.yaml", "{D}/bad/bad_var_name.yaml:2:3: '9lives' is not a variable name"},
    {"unclaimed_bad.yaml",
     "{D}/bad/unclaimed_bad.yaml:1:17: unclaimed_urcs is one of fail, "
     "inconc, ignore; not 'warn'"},
    {"prompt_false.yaml",
     "{D}/bad/prompt_false.yaml:5:17: prompt takes true, {} or {timeout: "
     "...}, not 'false'"},
    {"data_bad_end.yaml",
     "{D}/bad/data_bad_end.yaml:5:32: end is one of auto, ctrl-z, esc, "
     "none; not 'ctrl-c'"},
    {"data_text_and_hex.yaml",
     "{D}/bad/data_text_and_hex.yaml:5:27: data takes one of hex, text, "
     "not both 'text' and 'hex'"},
    {"expect_empty.yaml", "{D}/bad/expect_empty.yaml:6:17: expect needs at least one line"},
    {"matcher_two_keys.yaml",
     "{D}/bad/matcher_two_keys.yaml:6:29: an expect matcher takes one "
     "of final, line, payload, re, not both 'line' and 're'"},
    {"payload_bad_length.yaml",
     "{D}/bad/payload_bad_length.yaml:5:27: length '-1' is not a "
     "whole number of bytes"},
    {"peer_undefined.yaml",
     "{D}/bad/peer_undefined.yaml:5:22: peer object 'conn' does not exist here"},
    {"peer_wrong_kind.yaml",
     "{D}/bad/peer_wrong_kind.yaml:6:24: peer accept needs a tcp_listen "
     "listener; 'u' is a udp_open socket (created at "
     "{D}/bad/peer_wrong_kind.yaml:5:26)"},
    {"peer_two_actions.yaml",
     "{D}/bad/peer_two_actions.yaml:5:33: a peer step has exactly one "
     "action, found 'tcp_listen' and 'udp_open'"},
    {"peer_missing_as.yaml", "{D}/bad/peer_missing_as.yaml:6:15: peer accept needs 'as'"},
    {"peer_exists.yaml",
     "{D}/bad/peer_exists.yaml:7:26: peer object 'srv' already exists "
     "(created at {D}/bad/peer_exists.yaml:5:28)"},
    {"peer_wrong_option.yaml",
     "{D}/bad/peer_wrong_option.yaml:5:33: unknown key 'hex' in peer "
     "tcp_listen; expected one of: tcp_listen, timeout"},
    {"peer_bad_record.yaml",
     "{D}/bad/peer_bad_record.yaml:5:48: '192.0.2.300' is not an IPv4 address"},
    {"peer_bad_name.yaml",
     "{D}/bad/peer_bad_name.yaml:5:28: peer object name 'my.srv' is not "
     "[A-Za-z_][A-Za-z0-9_-]*"},
    {"top_level_list.yaml",
     "{D}/bad/top_level_list.yaml:1:1: a scenario file is a mapping with "
     "a 'scenarios' list, got a list (a list of steps is a fragment"},
    {"empty.yaml",
     "{D}/bad/empty.yaml:1:1: a scenario file is a mapping with a 'scenarios' list, "
     "got nothing (null)"},
    {"two_documents.yaml",
     "{D}/bad/two_documents.yaml:6:1: a second YAML document ('---'); a "
     "file holds exactly one"},
    {"duplicate_key.yaml", "{D}/bad/duplicate_key.yaml:4:5: duplicate key 'title' in scenario"},
    {"control_char.yaml",
     "{D}/bad/control_char.yaml:5:18: control character 0x01 is not allowed "
     "in YAML"},
    {"include_cycle.yaml",
     "{D}/bad/_cycle_b.yaml:2:12: include cycle: {D}/bad/_cycle_a.yaml -> "
     "{D}/bad/_cycle_b.yaml -> {D}/bad/_cycle_a.yaml"},
    {"include_missing.yaml",
     "{D}/bad/include_missing.yaml:5:18: cannot read include "
     "'{D}/bad/_nowhere.yaml': No such file or directory"},
    {"include_absolute.yaml",
     "{D}/bad/include_absolute.yaml:5:18: include takes a path "
     "relative to the including file, not '/etc/hostname'"},
    {"include_scenario_file.yaml",
     "{D}/bad/include_scenario_file.yaml:5:18: '{D}/bad/duplicate_id.yaml' is not a fragment (a "
     "list of steps): it holds a mapping; a scenario file cannot be included"},
    {"include_bad_fragment.yaml", "{D}/bad/_bad_step.yaml:3:12: bare number '5' is not a duration"},
    {"alias_bomb.yaml",
     "{D}/bad/alias_bomb.yaml:1:28: more than 200000 YAML nodes, counting "
     "every use of an alias, every include, and the file's setup and teardown "
     "once per scenario (max_nodes)"},
    {"alias_cycle.yaml",
     "{D}/bad/alias_cycle.yaml:2:5: collections nested deeper than 32 levels (max_depth)"},
};

std::string case_name(const ::testing::TestParamInfo<bad_file>& info) {
  std::string name = info.param.name.substr(0, info.param.name.find('.'));
  for (char& c : name) {
    if (c == '-' || c == '.') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(scenario, bad_files, ::testing::ValuesIn(bad_table), case_name);

TEST(errors, every_error_of_a_file_is_reported_in_order) {
  const load_result r = load_text(
      "scenarios:\n"
      "  - id: a\n"
      "    title: t\n"
      "    steps:\n"
      "      - send: AT\n"
      "        timeout: 1s\n"
      "      - wait: 5\n"
      "  - id: b b\n"
      "    title: u\n"
      "    steps: [{send: '${x}'}]\n",
      "many.yaml");
  ASSERT_EQ(r.errors.size(), 4u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string(),
            "many.yaml:6:9: unknown key 'timeout' in send step; expected one of: send");
  EXPECT_EQ(r.errors[1].to_string().substr(0, 35), "many.yaml:7:15: bare number '5' is ");
  EXPECT_EQ(r.errors[2].to_string(), "many.yaml:8:9: scenario id 'b b' is not [A-Za-z0-9._-]+");
  EXPECT_EQ(r.errors[3].to_string().substr(0, 39), "many.yaml:10:20: undefined variable 'x'");
}

TEST(errors, a_file_setup_error_is_reported_once_for_all_scenarios) {
  const load_result r = load_text(
      "setup: [{send: '${nope}'}]\n"
      "scenarios: [{id: a, title: t, steps: [{send: AT}]}, {id: b, title: t, steps: [{send: "
      "AT}]}]\n",
      "f.yaml");
  ASSERT_EQ(r.errors.size(), 1u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string().substr(0, 39), "f.yaml:1:16: undefined variable 'nope';");
}

// yaml-cpp 0.7's LoadAll loops forever on this (empty documents, none consuming the ']');
// found by fuzz_scenario_loader.
TEST(errors, stray_text_after_the_document_ends_without_a_loop) {
  const load_result r = load_text("rf A # x\n- send: AT\n, OK]\n", "stray.yaml");
  ASSERT_EQ(r.errors.size(), 1u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string(),
            "stray.yaml:2:1: YAML syntax error: '-' after the end of the document");
}

TEST(errors, unreadable_file) {
  const load_result r = load_file(data_dir + "/nowhere.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            data_dir + "/nowhere.yaml: cannot read: No such file or directory");
}

// yaml-cpp recurses once per nesting level and stops itself at 500 levels; the loader's own
// limit is max_depth. Neither may crash, whatever the nesting.
TEST(limits, deep_flow_nesting_is_refused_without_crashing) {
  for (const std::size_t n : {33u, 499u, 501u, 100000u}) {
    const std::string text = "scenarios: " + std::string(n, '[') + std::string(n, ']');
    const load_result r = load_text(text, "deep.yaml");
    ASSERT_EQ(r.errors.size(), 1u) << n;
    EXPECT_EQ(r.errors[0].message, "collections nested deeper than 32 levels (max_depth)") << n;
  }
}

TEST(limits, deep_block_nesting_is_refused_without_crashing) {
  for (const std::size_t n : {40u, 600u}) {
    std::string text = "scenarios:\n";
    for (std::size_t i = 1; i < n; ++i) text += std::string(2 * i, ' ') + "-\n";
    const load_result r = load_text(text, "deep.yaml");
    ASSERT_EQ(r.errors.size(), 1u) << errors_of(r.errors);
    EXPECT_EQ(r.errors[0].message, "collections nested deeper than 32 levels (max_depth)");
  }
}

TEST(limits, max_depth_is_configurable) {
  const std::string text =
      "scenarios: [{id: a, title: t, steps: [{peer: {dns: d, records: {x: [1.2.3.4]}}}]}]";
  EXPECT_TRUE(load_text(text, "d.yaml").ok());
  load_options o;
  o.limits.max_depth = 6;
  const load_result r = load_text(text, "d.yaml", o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            "d.yaml:1:64: collections nested deeper than 6 levels (max_depth)");
}

TEST(limits, alias_bomb_stops_at_max_nodes_quickly) {
  // 10^9 nodes if expanded; yaml-cpp shares them, and the walk stops at the budget.
  const auto started = std::chrono::steady_clock::now();
  const load_result r = load_file(data_dir + "/bad/alias_bomb.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("(max_nodes)"), std::string::npos);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(limits, file_setup_copied_into_every_scenario_counts) {
  std::string text = "setup:\n";
  for (int i = 0; i < 100; ++i) text += "  - send: AT\n";
  text += "scenarios:\n";
  for (int i = 0; i < 100; ++i) {
    text += "  - {id: s" + std::to_string(i) + ", title: t, steps: [{send: AT}]}\n";
  }
  load_options o;
  EXPECT_TRUE(load_text(text, "copies.yaml", o).ok());
  o.limits.max_nodes = 5000;  // enough for the text, not for 100 copies of 100 steps
  const load_result r = load_text(text, "copies.yaml", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("(max_nodes)"), std::string::npos) << errors_of(r.errors);
}

TEST(limits, file_size) {
  load_options o;
  o.limits.max_file_bytes = 10;
  const load_result r = load_text("scenarios: []\n", "big.yaml", o);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            "big.yaml:1:1: file is 14 bytes, more than 10 (max_file_bytes)");
}

// Fragments served from memory: _f0 includes _f1, which includes _f2, ...
load_options chained_fragments(std::size_t length, std::size_t fan_out) {
  load_options o;
  o.read_file = [=](const std::string& path, std::string& text, std::string& error) {
    const std::size_t n = std::stoul(path.substr(path.find("_f") + 2));
    if (n >= length) {
      error = "no such fragment";
      return false;
    }
    text = "- send: AT" + std::to_string(n) + "\n";
    if (n + 1 < length) {
      for (std::size_t i = 0; i < fan_out; ++i)
        text += "- include: _f" + std::to_string(n + 1) + "\n";
    }
    return true;
  };
  return o;
}

const std::string includes_f0 = "scenarios: [{id: a, title: t, steps: [{include: _f0}]}]";

TEST(limits, include_depth) {
  const load_result fits = load_text(includes_f0, "main.yaml", chained_fragments(8, 1));
  ASSERT_TRUE(fits.ok()) << errors_of(fits.errors);
  EXPECT_EQ(fits.file.scenarios.at(0).steps.size(), 8u);
  const load_result r = load_text(includes_f0, "main.yaml", chained_fragments(9, 1));
  ASSERT_EQ(r.errors.size(), 1u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string(), "_f7:2:12: includes nested deeper than 8 (max_include_depth)");
}

TEST(limits, include_fan_out_is_bounded_by_max_nodes) {
  // 10 includes of the next fragment at each of 8 levels would be 10^8 steps.
  const load_result r = load_text(includes_f0, "main.yaml", chained_fragments(8, 10));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.errors[0].message.find("(max_nodes)"), std::string::npos) << errors_of(r.errors);
}

}  // namespace
}  // namespace bcconform::scenario
