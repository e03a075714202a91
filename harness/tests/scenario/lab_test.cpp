// The lab file: every key read, every mistake named with its place.
#include <gtest/gtest.h>

#include <string>

#include "bcconform/scenario/lab.hpp"

namespace bcconform::scenario {
namespace {

const std::string data_dir = BCCONFORM_SOURCE_DIR "/harness/tests/scenario/data";

std::string errors_of(const std::vector<load_error>& errors) {
  std::string out;
  for (const load_error& e : errors) out += e.to_string() + "\n";
  return out;
}

TEST(lab, every_key) {
  const std::string path = data_dir + "/lab/lab.yaml";
  const lab_result r = load_lab(path);
  ASSERT_TRUE(r.ok()) << errors_of(r.errors);
  const lab& l = r.value;
  EXPECT_EQ(l.path, path);
  EXPECT_EQ(l.target, "serial:/dev/ttyUSB0?baud=9600");
  EXPECT_EQ(l.model, "BC25");
  EXPECT_EQ(l.module_address, "10.0.0.2");
  EXPECT_EQ(l.peer_address, "10.0.0.1");
  EXPECT_EQ(l.identity.manufacturer, "Quectel");
  EXPECT_EQ(l.identity.model, "BC25");
  EXPECT_EQ(l.identity.revision, "BC25.*");
  EXPECT_EQ(l.capabilities, (std::vector<std::string>{"network", "deep-sleep", "udp-service"}));
  EXPECT_EQ(l.hooks, (std::map<std::string, std::string>{{"reset", "uhubctl -a cycle -p 2"},
                                                         {"wake", "gpioset gpiochip0 17=1"}}));
  EXPECT_EQ(l.vars, (std::map<std::string, std::string>{{"apn", "internet"}}));
  EXPECT_EQ(l.ignore_urcs, (std::vector<std::string>{"\\+CEREG: .*"}));
  EXPECT_EQ(l.pos, (source_pos{path, 2, 1}));
}

TEST(lab, every_key_is_optional) {
  const lab_result r = load_lab_text("{}", "lab.yaml");
  EXPECT_TRUE(r.ok()) << errors_of(r.errors);
  EXPECT_TRUE(load_lab_text("target: exec:bcemu --stdio\nmodule_address: ::1\n", "lab.yaml").ok());
}

TEST(lab, unreadable_file) {
  const lab_result r = load_lab(data_dir + "/lab/nowhere.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].to_string(),
            data_dir + "/lab/nowhere.yaml: cannot read: No such file or directory");
}

struct bad_lab {
  std::string name;
  std::string text;
  std::string expected;  ///< the first error, whole
};

std::ostream& operator<<(std::ostream& os, const bad_lab& b) {
  return os << b.name;
}

class bad_labs : public ::testing::TestWithParam<bad_lab> {};

TEST_P(bad_labs, are_refused_with_place_and_problem) {
  const lab_result r = load_lab_text(GetParam().text, "lab.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors.front().to_string(), GetParam().expected) << errors_of(r.errors);
}

INSTANTIATE_TEST_SUITE_P(
    scenario, bad_labs,
    ::testing::Values(
        bad_lab{"unknown_key", "target: exec:bcemu\nmodel_address: 1.2.3.4\n",
                "lab.yaml:2:1: unknown key 'model_address' in the lab file; expected one of: "
                "capabilities, hooks, identity, ignore_urcs, model, module_address, peer_address, "
                "target, vars (did you mean 'module_address'?)"},
        bad_lab{"target_scheme", "target: /dev/ttyUSB0\n",
                "lab.yaml:1:9: target '/dev/ttyUSB0' is not a target URI (exec:, serial:, pty:, "
                "tcp:, replay:)"},
        bad_lab{"address", "peer_address: localhost\n",
                "lab.yaml:1:15: peer_address 'localhost' is not an IPv4 or IPv6 address"},
        bad_lab{"identity_regex", "identity: {revision: 'BC25(.*'}\n",
                "lab.yaml:1:22: bad regular expression in identity revision: missing ): "
                "BC25(.*"},
        bad_lab{"identity_key", "identity: {firmware: x}\n",
                "lab.yaml:1:12: unknown key 'firmware' in identity; expected one of: "
                "manufacturer, model, revision"},
        bad_lab{"capabilities", "capabilities: deep-sleep\n",
                "lab.yaml:1:15: expected a list for capabilities, got a string (write "
                "[deep-sleep])"},
        bad_lab{"hook_empty", "hooks: {reset: ''}\n", "lab.yaml:1:16: hook 'reset' is empty"},
        bad_lab{"hook_name", "hooks: {'power cycle': x}\n",
                "lab.yaml:1:9: 'power cycle' is not a hook name"},
        bad_lab{"var_reference", "vars: {dest: '${peer.address}'}\n",
                "lab.yaml:1:14: vars values are literal text and are not expanded"},
        bad_lab{"ignore_regex", "ignore_urcs: ['+CEREG']\n",
                "lab.yaml:1:15: bad regular expression in ignore_urcs: no argument for "
                "repetition operator: +"},
        bad_lab{"not_mapping", "- target\n",
                "lab.yaml:1:1: expected a mapping for the lab file, got a list"},
        bad_lab{"empty", "",
                "lab.yaml:1:1: expected a mapping for the lab file, got nothing (null)"},
        bad_lab{"syntax", "target: [\n",
                "lab.yaml:2:1: YAML syntax error: end of sequence flow "
                "not found"}),
    [](const ::testing::TestParamInfo<bad_lab>& p) { return p.param.name; });

}  // namespace
}  // namespace bcconform::scenario
