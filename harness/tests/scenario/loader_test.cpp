// Valid scenario files into the model: every step kind, file defaults, includes, variables.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "bcconform/scenario/loader.hpp"

namespace bcconform::scenario {
namespace {

using namespace std::chrono_literals;

const std::string data_dir = BCCONFORM_SOURCE_DIR "/harness/tests/scenario/data";

std::string errors_of(const std::vector<load_error>& errors) {
  std::string out;
  for (const load_error& e : errors) out += e.to_string() + "\n";
  return out;
}

template <class T>
const T& body(const step& s) {
  const T* b = std::get_if<T>(&s.body);
  if (b == nullptr) throw std::runtime_error("unexpected step kind at " + s.pos.to_string());
  return *b;
}

class all_steps_test : public ::testing::Test {
 protected:
  void SetUp() override {
    result_ = load_file(path_);
    ASSERT_TRUE(result_.ok()) << errors_of(result_.errors);
    ASSERT_EQ(result_.file.scenarios.size(), 2u);
  }
  const scenario& first() const { return result_.file.scenarios[0]; }
  const scenario& second() const { return result_.file.scenarios[1]; }
  const step& at(std::size_t i) const { return first().steps.at(i); }

  const std::string path_ = data_dir + "/good/all_steps.yaml";
  load_result result_;
};

TEST_F(all_steps_test, file_keys_are_defaults_merged_file_first) {
  EXPECT_EQ(result_.file.path, path_);
  EXPECT_EQ(result_.file.title, "Every step kind");
  const scenario& s = first();
  EXPECT_EQ(s.id, "steps.all");
  EXPECT_EQ(s.title, "every step kind once");
  EXPECT_EQ(s.spec, (std::vector<std::string>{"AN 2.1.4", "AN 2.1.1"}));  // repeats dropped
  EXPECT_EQ(s.tags, (std::vector<std::string>{"smoke", "data"}));
  EXPECT_EQ(s.requires_, (std::vector<std::string>{"network"}));
  EXPECT_EQ(s.errata, (std::vector<std::string>{"E2"}));
  EXPECT_EQ(s.unclaimed, unclaimed_policy::inconc);
  EXPECT_EQ(s.ignore_urcs, (std::vector<std::string>{"\\+CEREG: .*"}));
  EXPECT_EQ(s.vars, (std::map<std::string, std::string>{{"apn", "internet"}, {"port", "7000"}}));
  EXPECT_EQ(s.pos, (source_pos{path_, 18, 5}));
}

TEST_F(all_steps_test, setup_is_the_files_then_the_scenarios) {
  const scenario& s = first();
  ASSERT_EQ(s.setup.size(), 6u);
  EXPECT_EQ(body<send_step>(s.setup[0]).line.text, "AT");
  EXPECT_EQ(body<expect_step>(s.setup[1]).lines.at(0).text.text, "OK");
  EXPECT_EQ(body<peer_step>(s.setup[2]).action, peer_step::op::tcp_listen);
  EXPECT_EQ(body<peer_step>(s.setup[2]).object, "srv");
  EXPECT_EQ(body<peer_step>(s.setup[3]).action, peer_step::op::udp_open);
  const peer_step& dns = body<peer_step>(s.setup[4]);
  EXPECT_EQ(dns.action, peer_step::op::dns);
  EXPECT_EQ(dns.records, (std::map<std::string, std::vector<std::string>>{
                             {"example.com", {"192.0.2.1", "192.0.2.2"}}}));
  EXPECT_EQ(body<peer_step>(s.setup[5]).action, peer_step::op::sntp);
}

TEST_F(all_steps_test, teardown_is_the_scenarios_then_the_files) {
  ASSERT_EQ(first().teardown.size(), 2u);
  EXPECT_EQ(body<send_step>(first().teardown[0]).line.text, "AT+QIDEACT=1");
  const scenario& s = second();
  ASSERT_EQ(s.teardown.size(), 4u);
  EXPECT_EQ(body<send_step>(s.teardown[0]).line.text, "AT+QICLOSE=0");
  EXPECT_EQ(body<send_step>(s.teardown[2]).line.text, "AT+QIDEACT=1");
  EXPECT_EQ(body<expect_step>(s.teardown[3]).lines.at(0).match, line_matcher::kind::any_final);
  EXPECT_EQ(s.unclaimed, unclaimed_policy::ignore);
  EXPECT_EQ(s.ignore_urcs, (std::vector<std::string>{"\\+CEREG: .*", "\\+QIURC: \"pdpdeact\",1"}));
  EXPECT_EQ(s.vars.at("port"), "7001");  // the scenario's value wins
  EXPECT_EQ(s.vars.at("apn"), "internet");
}

TEST_F(all_steps_test, send_expect_urc) {
  EXPECT_EQ(body<send_step>(at(0)).line.text,
            "AT+QIOPEN=1,0,\"TCP\",\"${srv.address}\",${srv.port},0,1");
  EXPECT_EQ(at(0).pos, (source_pos{path_, 29, 9}));
  EXPECT_EQ(at(0).included_from, "");
  const expect_step& e = body<expect_step>(at(1));
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0].match, line_matcher::kind::exact);
  EXPECT_EQ(e.lines[0].pos, (source_pos{path_, 30, 17}));
  EXPECT_EQ(e.timeout, 300ms);
  const urc_step& u = body<urc_step>(at(2));
  EXPECT_EQ(u.pattern.text, "\\+QIOPEN: (?P<cid>\\d),0");
  EXPECT_EQ(u.timeout, 60000ms);
}

TEST_F(all_steps_test, expect_lists_and_matchers) {
  const expect_step& read = body<expect_step>(at(12));
  ASSERT_EQ(read.lines.size(), 3u);
  EXPECT_EQ(read.lines[0].text.text, "+QIRD: 3");
  EXPECT_EQ(read.lines[1].match, line_matcher::kind::payload);
  ASSERT_TRUE(read.lines[1].payload.has_value());
  EXPECT_EQ(read.lines[1].payload->encoding, bytes_spec::kind::hex);
  EXPECT_EQ(read.lines[1].payload->value.text, "01020a");
  EXPECT_FALSE(read.timeout.has_value());
  const expect_step& final_ok = body<expect_step>(at(16));
  EXPECT_EQ(final_ok.lines.at(0).match, line_matcher::kind::exact);  // `final: SEND OK`
  EXPECT_EQ(final_ok.lines.at(0).text.text, "SEND OK");
  const expect_step& re = body<expect_step>(at(19));
  EXPECT_EQ(re.lines.at(0).match, line_matcher::kind::regex);
  EXPECT_EQ(re.lines.at(0).text.text, "SEND (OK|FAIL)");
  const expect_step& text_payload = body<expect_step>(at(34));
  EXPECT_EQ(text_payload.lines.at(0).payload->encoding, bytes_spec::kind::text);
  EXPECT_EQ(text_payload.lines.at(0).payload->value.text, "xyz");
  const expect_step& quoted = body<expect_step>(at(35));
  EXPECT_EQ(quoted.lines.at(0).text.text, "+QISTATE: ${cid},\"TCP\" costs $$5");  // as written
}

TEST_F(all_steps_test, prompt_data_payload) {
  EXPECT_EQ(body<prompt_step>(at(5)).timeout, 1000ms);
  EXPECT_FALSE(body<prompt_step>(at(14)).timeout.has_value());  // `prompt: true`
  EXPECT_FALSE(body<prompt_step>(at(30)).timeout.has_value());  // `prompt:`
  const data_step& hello = body<data_step>(at(6));
  EXPECT_EQ(hello.bytes.encoding, bytes_spec::kind::text);
  EXPECT_EQ(hello.bytes.value.text, "hello");
  EXPECT_EQ(hello.terminator, data_step::end::automatic);
  EXPECT_EQ(body<data_step>(at(15)).terminator, data_step::end::ctrl_z);
  const data_step& raw = body<data_step>(at(31));
  EXPECT_EQ(raw.bytes.encoding, bytes_spec::kind::hex);
  EXPECT_EQ(raw.bytes.value.text, "1a1b");
  EXPECT_EQ(raw.terminator, data_step::end::none);
  const payload_step& counted = body<payload_step>(at(20));
  EXPECT_EQ(counted.length, 3u);
  EXPECT_EQ(counted.timeout, 5000ms);
  EXPECT_EQ(body<payload_step>(at(32)).bytes->value.text, "abc");
  EXPECT_EQ(body<payload_step>(at(33)).pattern->text, "(?s)a.c");
}

TEST_F(all_steps_test, peer_actions) {
  const peer_step& accept = body<peer_step>(at(3));
  EXPECT_EQ(accept.action, peer_step::op::accept);
  EXPECT_EQ(accept.object, "srv");
  EXPECT_EQ(accept.as, "conn");
  EXPECT_EQ(accept.timeout, 2000ms);
  const peer_step& expect_text = body<peer_step>(at(8));
  EXPECT_EQ(expect_text.action, peer_step::op::expect);
  EXPECT_EQ(expect_text.bytes->value.text, "hello");
  const peer_step& send_hex = body<peer_step>(at(9));
  EXPECT_EQ(send_hex.action, peer_step::op::send);
  EXPECT_EQ(send_hex.bytes->encoding, bytes_spec::kind::hex);
  EXPECT_EQ(send_hex.bytes->value.text, "01020a");  // white space dropped
  EXPECT_EQ(body<peer_step>(at(17)).pattern->text, "(?P<word>b.e)");
  const peer_step& udp_send = body<peer_step>(at(21));
  EXPECT_EQ(udp_send.to->text, "${module.address}:${port}");
  EXPECT_EQ(body<peer_step>(at(22)).length, 4u);
  const peer_step& connect = body<peer_step>(at(23));
  EXPECT_EQ(connect.action, peer_step::op::connect);
  EXPECT_EQ(connect.object, "c2");
  EXPECT_EQ(body<peer_step>(at(24)).action, peer_step::op::reset);
  EXPECT_EQ(body<peer_step>(at(25)).action, peer_step::op::expect_close);
  EXPECT_EQ(body<peer_step>(at(36)).action, peer_step::op::close);
}

TEST_F(all_steps_test, wait_hook_control) {
  EXPECT_EQ(body<wait_step>(at(26)).time, 1500ms);
  EXPECT_EQ(body<hook_step>(at(27)).name, "reset");
  const control_step& plain = body<control_step>(at(28));
  EXPECT_EQ(plain.line.text, "drop-next-urc");
  EXPECT_FALSE(plain.expect_reply.has_value());
  const control_step& full = body<control_step>(at(29));
  EXPECT_EQ(full.line.text, "delay ${cid} 100ms");
  EXPECT_EQ(full.expect_reply->text, "ok.*");
}

TEST(includes, expand_in_place_with_their_own_positions) {
  const std::string path = data_dir + "/good/includes.yaml";
  const load_result r = load_file(path);
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  const scenario& s = r.file.scenarios.at(0);
  ASSERT_EQ(s.setup.size(), 4u);
  EXPECT_EQ(s.setup[0].pos, (source_pos{data_dir + "/good/_attach.yaml", 2, 3}));
  EXPECT_EQ(s.setup[0].included_from, path + ":6");
  ASSERT_EQ(s.steps.size(), 5u);
  EXPECT_EQ(body<send_step>(s.steps[0]).line.text, "AT+QPING=1,\"${ip}\"");
  EXPECT_EQ(s.steps[0].pos.file, data_dir + "/good/common/_ping.yaml");
  EXPECT_EQ(s.steps[0].included_from, path + ":8");
  // A fragment's own include is recorded as where its steps came from.
  EXPECT_EQ(s.steps[1].pos, (source_pos{data_dir + "/good/_ping_reply.yaml", 1, 3}));
  EXPECT_EQ(s.steps[1].included_from, data_dir + "/good/common/_ping.yaml:2");
  EXPECT_EQ(body<urc_step>(s.steps[2]).timeout, 10000ms);
  EXPECT_EQ(s.steps[3].included_from, "");
  EXPECT_EQ(s.steps[3].pos, (source_pos{path, 9, 9}));
}

TEST(vars, scenario_wins_over_file) {
  const load_result r = load_file(data_dir + "/good/vars.yaml");
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  EXPECT_EQ(r.file.scenarios.at(0).vars,
            (std::map<std::string, std::string>{
                {"a", "file-a"}, {"b", "scenario-b"}, {"c", "scenario-c"}}));
}

TEST(vars, defined_outside_the_file) {
  const std::string text =
      "scenarios:\n"
      "  - id: a\n"
      "    title: t\n"
      "    steps:\n"
      "      - send: AT+QICSGP=1,1,\"${apn}\"\n";
  EXPECT_FALSE(load_text(text, "v.yaml").ok());
  load_options o;
  o.defined = {"apn"};
  EXPECT_TRUE(load_text(text, "v.yaml", o).ok());
}

TEST(vars, builtins_are_defined) {
  EXPECT_EQ(builtin_variables(),
            (std::set<std::string>{"module.address", "peer.address", "model"}));
  const load_result r = load_text(
      "scenarios: [{id: a, title: t, steps: [{send: '${module.address} ${peer.address} "
      "${model}'}]}]",
      "b.yaml");
  EXPECT_TRUE(r.ok()) << errors_of(r.errors);
}

TEST(vars, setup_captures_reach_steps_and_teardown) {
  const load_result r = load_text(
      "scenarios:\n"
      "  - id: a\n"
      "    title: t\n"
      "    setup: [{urc: '(?P<x>.*)'}, {peer: {tcp_listen: srv}}]\n"
      "    steps: [{send: '${x} ${srv.port}'}]\n"
      "    teardown: [{send: '${x} ${srv.address}'}, {peer: {close: srv}}]\n",
      "s.yaml");
  EXPECT_TRUE(r.ok()) << errors_of(r.errors);
}

struct duration_case {
  std::string text;
  long ms;
};

class durations : public ::testing::TestWithParam<duration_case> {};

TEST_P(durations, are_read_in_milliseconds) {
  const load_result r = load_text(
      "scenarios: [{id: a, title: t, steps: [{wait: " + GetParam().text + "}]}]", "d.yaml");
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  EXPECT_EQ(body<wait_step>(r.file.scenarios.at(0).steps.at(0)).time.count(), GetParam().ms);
}

INSTANTIATE_TEST_SUITE_P(scenario, durations,
                         ::testing::Values(duration_case{"0ms", 0}, duration_case{"500ms", 500},
                                           duration_case{"2s", 2000}, duration_case{"1.5s", 1500},
                                           duration_case{"0.25s", 250}, duration_case{"1m", 60000},
                                           duration_case{"1.5m", 90000}, duration_case{"0.001s", 1},
                                           duration_case{"1440m", 86400000}));

TEST(load_paths, walks_directories_sorted_and_skips_fragments) {
  const load_set_result r = load_paths({data_dir + "/good"});
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  std::vector<std::string> paths;
  for (const suite_file& f : r.files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{data_dir + "/good/all_steps.yaml",
                                             data_dir + "/good/includes.yaml",
                                             data_dir + "/good/vars.yaml"}));
}

TEST(load_paths, a_file_given_twice_is_loaded_once) {
  const load_set_result r =
      load_paths({data_dir + "/good/vars.yaml", data_dir + "/good/../good/vars.yaml"});
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  EXPECT_EQ(r.files.size(), 1u);
}

TEST(load_paths, duplicate_ids_across_files) {
  const load_set_result r = load_paths({data_dir + "/dup"});
  ASSERT_EQ(r.errors.size(), 1u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string(), data_dir +
                                         "/dup/b.yaml:6:5: duplicate scenario id "
                                         "'shared.id' (first at " +
                                         data_dir + "/dup/a.yaml:2:5)");
}

TEST(load_paths, missing_paths_and_empty_directories) {
  const load_set_result r = load_paths({data_dir + "/nowhere", data_dir + "/good/common"});
  ASSERT_EQ(r.errors.size(), 2u) << errors_of(r.errors);
  EXPECT_EQ(r.errors[0].to_string(), data_dir + "/nowhere: no such file or directory");
  EXPECT_EQ(r.errors[1].to_string(),
            data_dir + "/good/common: no scenario files (*.yaml, *.yml) in this directory");
}

TEST(load_text, includes_resolve_through_read_file) {
  load_options o;
  std::vector<std::string> asked;
  o.read_file = [&](const std::string& path, std::string& text, std::string& error) {
    asked.push_back(path);
    if (path != "suite/lib/_f.yaml") {
      error = "not here";
      return false;
    }
    text = "- send: AT+CFUN=1\n";
    return true;
  };
  const load_result r = load_text("scenarios: [{id: a, title: t, steps: [{include: lib/_f.yaml}]}]",
                                  "suite/main.yaml", o);
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  EXPECT_EQ(asked, (std::vector<std::string>{"suite/lib/_f.yaml"}));
  EXPECT_EQ(r.file.scenarios.at(0).steps.at(0).pos, (source_pos{"suite/lib/_f.yaml", 1, 3}));
}

TEST(source_pos, prints_what_is_known) {
  EXPECT_EQ((source_pos{"a.yaml", 3, 7}).to_string(), "a.yaml:3:7");
  EXPECT_EQ((source_pos{"a.yaml", 3, 0}).to_string(), "a.yaml:3");
  EXPECT_EQ((source_pos{"a.yaml", 0, 0}).to_string(), "a.yaml");
  EXPECT_EQ((load_error{{"a.yaml", 1, 2}, "bad"}).to_string(), "a.yaml:1:2: bad");
}

}  // namespace
}  // namespace bcconform::scenario
