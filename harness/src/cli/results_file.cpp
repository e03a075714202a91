#include "results_file.hpp"

#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

namespace bcconform::cli {
namespace {

using json = nlohmann::json;
using runner::verdict;

constexpr std::size_t max_file_bytes = std::size_t{64} << 20;

protocol::error bad(const std::string& path, const std::string& why) {
  return protocol::make_error(protocol::errc::syntax, path + ": " + why);
}

protocol::result<json> read_json(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return bad(path, "cannot be read");
  const std::string text{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  if (text.size() > max_file_bytes) return bad(path, "larger than 64 MiB");
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad(path, "not valid JSON");
  if (!doc.is_object()) return bad(path, "not a JSON object");
  return doc;
}

bool is_results_file(const json& doc) {
  return doc.contains("format") && doc["format"] == "bcconform-results";
}

// Every (id, verdict) pair of a results file, in file order.
protocol::result<std::vector<std::pair<std::string, verdict>>> case_verdicts(
    const json& doc, const std::string& path) {
  if (!doc.contains("cases") || !doc["cases"].is_array()) return bad(path, "no \"cases\" array");
  std::vector<std::pair<std::string, verdict>> out;
  for (const auto& c : doc["cases"]) {
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string() || !c.contains("verdict") ||
        !c["verdict"].is_string()) {
      return bad(path, "a case without a string \"id\" and \"verdict\"");
    }
    const auto v = verdict_from_string(c["verdict"].get<std::string>());
    if (!v) return bad(path, "unknown verdict \"" + c["verdict"].get<std::string>() + "\"");
    out.emplace_back(c["id"].get<std::string>(), *v);
  }
  return out;
}

bool needs_rerun(verdict v) {
  return v == verdict::fail || v == verdict::error || v == verdict::inconc ||
         v == verdict::interrupted;
}

// `"id": "fail"` or `"id": {"verdict": "fail", "reason": "..."}`.
protocol::result<verdict> expected_verdict(const json& value, const std::string& id,
                                           const std::string& path) {
  const json* v = &value;
  if (value.is_object()) {
    if (!value.contains("verdict")) return bad(path, "\"" + id + "\": no \"verdict\"");
    v = &value["verdict"];
  }
  if (!v->is_string()) return bad(path, "\"" + id + "\": the verdict is not a string");
  const auto parsed = verdict_from_string(v->get<std::string>());
  if (!parsed)
    return bad(path, "\"" + id + "\": unknown verdict \"" + v->get<std::string>() + "\"");
  return *parsed;
}

protocol::result<runner::baseline> baseline_from_results(const json& doc, const std::string& path) {
  auto cases = case_verdicts(doc, path);
  if (!cases) return cases.error();
  runner::baseline b;
  for (const auto& [id, v] : *cases) {
    auto [it, fresh] = b.expected.emplace(id, v);
    if (!fresh) it->second = runner::worsen(it->second, v);
  }
  return b;
}

}  // namespace

std::optional<verdict> verdict_from_string(std::string_view text) {
  for (int i = 0; i <= static_cast<int>(verdict::interrupted); ++i) {
    const auto v = static_cast<verdict>(i);
    if (runner::to_string(v) == text) return v;
  }
  return std::nullopt;
}

protocol::result<std::vector<std::string>> failed_ids(const std::string& results_path) {
  auto doc = read_json(results_path);
  if (!doc) return doc.error();
  if (!is_results_file(*doc)) return bad(results_path, "not a bcconform results file");
  auto cases = case_verdicts(*doc, results_path);
  if (!cases) return cases.error();
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& [id, v] : *cases) {
    if (needs_rerun(v) && seen.insert(id).second) ids.push_back(id);
  }
  return ids;
}

protocol::result<runner::baseline> load_baseline(const std::string& path) {
  auto doc = read_json(path);
  if (!doc) return doc.error();
  if (is_results_file(*doc)) return baseline_from_results(*doc, path);
  if (!doc->contains("format") || (*doc)["format"] != "bcconform-baseline") {
    return bad(path, "neither a baseline (\"format\": \"bcconform-baseline\") nor a results file");
  }
  if (!doc->contains("version") || (*doc)["version"] != 1) return bad(path, "version is not 1");
  if (!doc->contains("expected") || !(*doc)["expected"].is_object()) {
    return bad(path, "no \"expected\" object");
  }
  runner::baseline b;
  for (const auto& [id, value] : (*doc)["expected"].items()) {
    auto v = expected_verdict(value, id, path);
    if (!v) return v.error();
    b.expected.emplace(id, *v);
  }
  return b;
}

}  // namespace bcconform::cli
