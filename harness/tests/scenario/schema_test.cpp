// The JSON Schemas (specs/schema/) against the loader: the same keys in every mapping, no
// mapping that allows other keys, every good test file valid, and the structural mistakes of
// the bad test files refused by both.
//
// The validator below knows the draft-07 keywords the schemas use and fails on any other, so a
// keyword added to a schema cannot be silently ignored here.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "bcconform/scenario/loader.hpp"

namespace bcconform::scenario {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string source_dir = BCCONFORM_SOURCE_DIR;
const std::string data_dir = source_dir + "/harness/tests/scenario/data";

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const json& scenario_schema() {
  static const json s = read_json(source_dir + "/specs/schema/scenario.schema.json");
  return s;
}
const json& lab_schema() {
  static const json s = read_json(source_dir + "/specs/schema/lab.schema.json");
  return s;
}

// YAML 1.2 core schema, as an editor's YAML server reads a file: plain scalars that look like
// booleans, null or numbers are those; quoted scalars are strings.
json to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json o = json::object();
      for (auto it = n.begin(); it != n.end(); ++it) o[it->first.Scalar()] = to_json(it->second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const YAML::Node& item : n) a.push_back(to_json(item));
      return a;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() != "?") return s;
      if (s == "true" || s == "false") return s == "true";
      if (s == "null" || s == "~") return nullptr;
      if (std::regex_match(s, std::regex("[-+]?[0-9]+"))) return std::stoll(s);
      if (std::regex_match(s, std::regex(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)")))
        return std::stod(s);
      return s;
    }
    default:
      return nullptr;
  }
}

class validator {
 public:
  explicit validator(const json& root) : root_(root) {}

  bool valid(const json& v) const { return check(root_, v); }

 private:
  const json& resolve(const std::string& ref) const {
    const std::string prefix = "#/definitions/";
    if (ref.rfind(prefix, 0) != 0) throw std::runtime_error("unsupported $ref " + ref);
    return root_.at("definitions").at(ref.substr(prefix.size()));
  }

  static bool has_type(const std::string& t, const json& v) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "integer") return v.is_number_integer();
    if (t == "number") return v.is_number();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    throw std::runtime_error("unknown type " + t);
  }

  bool check_object(const json& s, const json& v) const {
    if (!v.is_object()) return true;
    if (s.contains("required")) {
      for (const json& k : s["required"]) {
        if (!v.contains(k.get<std::string>())) return false;
      }
    }
    if (s.contains("minProperties") && v.size() < s["minProperties"].get<std::size_t>())
      return false;
    if (s.contains("maxProperties") && v.size() > s["maxProperties"].get<std::size_t>())
      return false;
    for (const auto& [key, value] : v.items()) {
      if (s.contains("propertyNames") && !check(s["propertyNames"], json(key))) return false;
      if (s.contains("properties") && s["properties"].contains(key)) {
        if (!check(s["properties"][key], value)) return false;
      } else if (s.contains("additionalProperties")) {
        const json& extra = s["additionalProperties"];
        if (extra.is_boolean() ? !extra.get<bool>() : !check(extra, value)) return false;
      }
    }
    return true;
  }

  bool check_scalar(const json& s, const json& v) const {
    if (v.is_string()) {
      const std::string& str = v.get_ref<const std::string&>();
      if (s.contains("minLength") && str.size() < s["minLength"].get<std::size_t>()) return false;
      if (s.contains("pattern") &&
          !std::regex_search(str, std::regex(s["pattern"].get<std::string>())))
        return false;
    }
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>()) return false;
      if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>()) return false;
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>()) return false;
      if (s.contains("items")) {
        for (const json& item : v) {
          if (!check(s["items"], item)) return false;
        }
      }
    }
    return true;
  }

  bool check(const json& s, const json& v) const {
    static const std::set<std::string> known = {
        "$schema",       "$id",           "title",        "description",
        "definitions",   "$ref",          "allOf",        "oneOf",
        "type",          "properties",    "required",     "additionalProperties",
        "propertyNames", "items",         "minItems",     "minLength",
        "minimum",       "maximum",       "pattern",      "enum",
        "const",         "minProperties", "maxProperties"};
    for (const auto& [key, value] : s.items()) {
      if (known.count(key) == 0) throw std::runtime_error("validator lacks keyword " + key);
    }
    if (s.contains("$ref") && !check(resolve(s["$ref"]), v)) return false;
    if (s.contains("allOf")) {
      for (const json& sub : s["allOf"]) {
        if (!check(sub, v)) return false;
      }
    }
    if (s.contains("oneOf")) {
      int matches = 0;
      for (const json& sub : s["oneOf"]) matches += check(sub, v) ? 1 : 0;
      if (matches != 1) return false;
    }
    if (s.contains("type")) {
      const json& t = s["type"];
      bool any = false;
      if (t.is_string()) any = has_type(t.get<std::string>(), v);
      for (const json& one : t.is_array() ? t : json::array()) any = any || has_type(one, v);
      if (!any) return false;
    }
    if (s.contains("enum") && std::find(s["enum"].begin(), s["enum"].end(), v) == s["enum"].end())
      return false;
    if (s.contains("const") && s["const"] != v) return false;
    return check_object(s, v) && check_scalar(s, v);
  }

  const json& root_;
};

// Every object schema in `definitions` that lists properties, by name.
std::map<std::string, std::set<std::string>> schema_keys(const json& schema) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& [name, def] : schema["definitions"].items()) {
    if (!def.contains("properties")) continue;
    for (const auto& [key, value] : def["properties"].items()) out[name].insert(key);
  }
  return out;
}

TEST(schema, key_sets_equal_the_loaders_in_both_directions) {
  std::map<std::string, std::set<std::string>> from_schemas = schema_keys(scenario_schema());
  from_schemas.merge(schema_keys(lab_schema()));
  const auto& from_loader = accepted_keys();
  for (const auto& [kind, keys] : from_loader) {
    ASSERT_EQ(from_schemas.count(kind), 1u) << "no schema definition '" << kind << "'";
    EXPECT_EQ(from_schemas.at(kind), keys) << kind;
  }
  for (const auto& [kind, keys] : from_schemas) {
    EXPECT_EQ(from_loader.count(kind), 1u) << "the loader has no mapping kind '" << kind << "'";
  }
}

void expect_closed_objects(const json& s, const std::string& where) {
  if (s.is_object()) {
    if (s.contains("properties")) {
      ASSERT_TRUE(s.contains("additionalProperties")) << where;
      EXPECT_EQ(s["additionalProperties"], false) << where;
    }
    for (const auto& [key, value] : s.items()) expect_closed_objects(value, where + "/" + key);
  } else if (s.is_array()) {
    for (std::size_t i = 0; i < s.size(); ++i)
      expect_closed_objects(s[i], where + "/" + std::to_string(i));
  }
}

TEST(schema, no_mapping_allows_unknown_keys) {
  expect_closed_objects(scenario_schema(), "scenario.schema.json#");
  expect_closed_objects(lab_schema(), "lab.schema.json#");
}

TEST(schema, draft_07) {
  EXPECT_EQ(scenario_schema()["$schema"], "http://json-schema.org/draft-07/schema#");
  EXPECT_EQ(lab_schema()["$schema"], "http://json-schema.org/draft-07/schema#");
}

// A fragment is a list of steps; it is checked as the steps of a scenario.
json as_document(const fs::path& p) {
  json doc = to_json(YAML::LoadFile(p.string()));
  if (p.filename().string()[0] != '_') return doc;
  return json{{"scenarios", json::array({json{{"id", "x"}, {"title", "x"}, {"steps", doc}}})}};
}

TEST(schema, every_good_file_is_valid) {
  const validator v(scenario_schema());
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(data_dir + "/good")) {
    if (e.path().extension() != ".yaml") continue;
    EXPECT_TRUE(v.valid(as_document(e.path()))) << e.path();
    ++files;
  }
  EXPECT_GE(files, 6u);
  EXPECT_TRUE(validator(lab_schema()).valid(to_json(YAML::LoadFile(data_dir + "/lab/lab.yaml"))));
}

// Mistakes of shape, which both the loader and the schema refuse (the rest, such as undefined
// variables or bad regular expressions, only the loader can see).
class schema_refuses : public ::testing::TestWithParam<std::string> {};

TEST_P(schema_refuses, what_the_loader_refuses) {
  const std::string path = data_dir + "/bad/" + GetParam() + ".yaml";
  EXPECT_FALSE(load_file(path).ok());
  EXPECT_FALSE(validator(scenario_schema()).valid(as_document(path)));
}

INSTANTIATE_TEST_SUITE_P(
    scenario, schema_refuses,
    ::testing::Values("unknown_key", "unknown_scenario_key", "steps_not_list", "step_not_mapping",
                      "unknown_kind", "no_kind", "two_kinds", "missing_id", "missing_title",
                      "missing_steps", "empty_steps", "no_scenarios", "bare_number_duration",
                      "bad_duration", "bad_id", "bad_spec", "bad_erratum", "tags_not_list",
                      "unclaimed_bad", "prompt_false", "data_bad_end", "data_text_and_hex",
                      "expect_empty", "matcher_two_keys", "payload_bad_length", "peer_two_actions",
                      "peer_missing_as", "peer_wrong_option", "peer_bad_record", "peer_bad_name",
                      "top_level_list", "bad_var_name", "include_absolute"));

}  // namespace
}  // namespace bcconform::scenario
