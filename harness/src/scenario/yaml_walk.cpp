#include "yaml_walk.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <exception>
#include <sstream>
#include <utility>

#include "text.hpp"

namespace bcconform::scenario::detail {
namespace {

// yaml-cpp 0.7 stops its recursive descent at this depth with YAML::DeepRecursion (measured: a
// document of 100000 '[' is refused, not a stack overflow), so no pre-scan of the text is
// needed to keep the parser's own stack bounded; the node walk below applies max_depth.
constexpr std::size_t yaml_cpp_depth_limit = 500;

source_pos byte_pos(const std::string& file, std::string_view text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {file, line, static_cast<int>(offset - line_start) + 1};
}

// YAML 1.2 §5.1: outside quoted escapes, a stream holds no C0 control character other than
// TAB, LF and CR, and no DEL. yaml-cpp does not check, and a NUL would cut a scalar short.
bool check_characters(std::string_view text, const std::string& file, diagnostics& diag) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      static constexpr char digits[] = "0123456789ABCDEF";
      diag.add(byte_pos(file, text, i),
               std::string("control character 0x") + digits[c >> 4] + digits[c & 15] +
                   " is not allowed in YAML; write it as an escape in a double-quoted string "
                   "(\"\\x1A\") or use hex");
      return false;
    }
  }
  return true;
}

std::string depth_message(std::size_t max_depth) {
  return "collections nested deeper than " + std::to_string(max_depth) + " levels (max_depth)";
}

// Visits every node as a consumer would, following each alias use again, without recursion:
// a self-referencing alias (`a: &x [*x]`, which yaml-cpp builds as a cycle) or a "billion
// laughs" chain stops at max_depth or when the budget runs out.
bool check_tree(const YAML::Node& root, const std::string& file, const load_limits& limits,
                std::size_t& budget, diagnostics& diag) {
  std::vector<std::pair<YAML::Node, std::size_t>> pending{{root, 1}};
  while (!pending.empty()) {
    auto [node, depth] = std::move(pending.back());
    pending.pop_back();
    if (budget == 0) {
      diag.add(to_pos(file, node.Mark()), max_nodes_message(limits.max_nodes));
      return false;
    }
    --budget;
    if (!node.IsMap() && !node.IsSequence()) continue;
    if (depth > limits.max_depth) {
      diag.add(to_pos(file, node.Mark()), depth_message(limits.max_depth));
      return false;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (node.IsMap()) {
        pending.emplace_back(it->first, depth + 1);
        pending.emplace_back(it->second, depth + 1);
      } else {
        pending.emplace_back(*it, depth + 1);
      }
    }
  }
  return true;
}

// Records where a document starts; the rest of the events are not needed.
class document_probe final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start = YAML::Mark::null_mark();
};

// Whatever follows the first document. YAML::LoadAll cannot be used: on a stray ']' or '}'
// after the first document, yaml-cpp 0.7 produces empty documents without consuming the token,
// forever (found by fuzz_scenario_loader). Reading one more document through the parser is
// bounded and tells a second document ('---') from stray text.
bool check_single_document(const std::string& text, const std::string& file, diagnostics& diag) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  document_probe probe;
  parser.HandleNextDocument(probe);
  if (!parser.HandleNextDocument(probe)) return true;
  const source_pos at = to_pos(file, probe.start);
  const std::size_t offset = probe.start.is_null() ? 0 : static_cast<std::size_t>(probe.start.pos);
  if (text.compare(offset, 3, "---") == 0) {
    diag.add(at, "a second YAML document ('---'); a file holds exactly one");
  } else {
    diag.add(at,
             "YAML syntax error: '" + text.substr(offset, 1) + "' after the end of the document");
  }
  return false;
}

std::optional<YAML::Node> load_one(std::string_view text, const std::string& file,
                                   const load_limits& limits, diagnostics& diag) {
  try {
    const std::string copy(text);
    YAML::Node root = YAML::Load(copy);
    if (!check_single_document(copy, file, diag)) return std::nullopt;
    return root;
  } catch (const YAML::DeepRecursion& e) {
    diag.add(to_pos(file, e.mark), limits.max_depth < yaml_cpp_depth_limit
                                       ? depth_message(limits.max_depth)
                                       : "collections nested deeper than the YAML parser allows");
  } catch (const YAML::Exception& e) {
    diag.add(to_pos(file, e.mark), "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    diag.add(to_pos(file, YAML::Mark::null_mark()), std::string("cannot parse: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace

void diagnostics::add(const source_pos& pos, std::string message) {
  if (errors_.size() >= max_errors) return;
  load_error e{pos, std::move(message)};
  if (!seen_.insert(e.to_string()).second) return;
  if (errors_.size() + 1 == max_errors) {
    e.message += " (further errors not shown)";
  }
  errors_.push_back(std::move(e));
}

std::string max_nodes_message(std::size_t max_nodes) {
  return "more than " + std::to_string(max_nodes) +
         " YAML nodes, counting every use of an alias, every include, and the file's setup and "
         "teardown once per scenario (max_nodes)";
}

source_pos to_pos(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

std::optional<YAML::Node> parse_document(std::string_view text, const std::string& file,
                                         const load_limits& limits, std::size_t& node_budget,
                                         diagnostics& diag) {
  if (text.size() > limits.max_file_bytes) {
    diag.add({file, 1, 1}, "file is " + std::to_string(text.size()) + " bytes, more than " +
                               std::to_string(limits.max_file_bytes) + " (max_file_bytes)");
    return std::nullopt;
  }
  if (!check_characters(text, file, diag)) return std::nullopt;
  std::optional<YAML::Node> root = load_one(text, file, limits, diag);
  if (!root || !check_tree(*root, file, limits, node_budget, diag)) return std::nullopt;
  return root;
}

std::string_view type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return "a string";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing (null)";
  }
}

bool walker::is_mapping(const YAML::Node& n, const source_pos& p, std::string_view what) const {
  if (n.IsMap()) return true;
  error(p, "expected a mapping for " + std::string(what) + ", got " + std::string(type_name(n)));
  return false;
}

std::vector<entry> walker::entries(const YAML::Node& n, std::string_view what,
                                   const std::set<std::string>& allowed) const {
  std::vector<entry> out;
  std::set<std::string> seen;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: `it->` yields a temporary
    const source_pos key_pos = pos(key);
    if (!key.IsScalar()) {
      error(key_pos, "expected a string key in " + std::string(what) + ", got " +
                         std::string(type_name(key)));
      continue;
    }
    const std::string& name = key.Scalar();
    if (!seen.insert(name).second) {
      error(key_pos, "duplicate key '" + name + "' in " + std::string(what));
      continue;
    }
    if (allowed.count(name) == 0) {
      std::string message = "unknown key '" + name + "' in " + std::string(what) +
                            "; expected one of: " + join(allowed);
      const std::string near = closest(name, allowed);
      if (!near.empty()) message += " (did you mean '" + near + "'?)";
      error(key_pos, std::move(message));
      continue;
    }
    const YAML::Node value = it->second;
    out.push_back({name, value, key_pos, value.IsNull() ? key_pos : pos(value)});
  }
  return out;
}

std::optional<std::string> walker::scalar(const entry& e, std::string_view what) const {
  return scalar(e.value, e.value_pos, what);
}

std::optional<std::string> walker::scalar(const YAML::Node& n, const source_pos& p,
                                          std::string_view what) const {
  if (n.IsScalar()) return n.Scalar();
  error(p, "expected a string for " + std::string(what) + ", got " + std::string(type_name(n)));
  return std::nullopt;
}

std::optional<std::vector<std::string>> walker::scalar_list(const entry& e, std::string_view what,
                                                            const item_check& problem) const {
  if (!e.value.IsSequence()) {
    std::string message =
        "expected a list for " + std::string(what) + ", got " + std::string(type_name(e.value));
    if (e.value.IsScalar()) message += " (write [" + e.value.Scalar() + "])";
    error(e.value_pos, std::move(message));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const YAML::Node& item : e.value) {
    const source_pos p = item.IsNull() ? e.value_pos : pos(item);
    std::optional<std::string> s = scalar(item, p, std::string(what) + " item");
    const std::string wrong = s && problem ? problem(*s) : std::string();
    if (!wrong.empty()) {
      error(p, wrong);
      s.reset();
    }
    if (s) out.push_back(std::move(*s));
    ok = ok && s.has_value();
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<entry, std::string>>> walker::scalar_map(
    const entry& e, std::string_view what, bool (*check_key)(std::string_view),
    std::string_view key_shape) const {
  if (!is_mapping(e.value, e.value_pos, what)) return std::nullopt;
  std::vector<std::pair<entry, std::string>> out;
  bool ok = true;
  std::set<std::string> seen;
  for (auto it = e.value.begin(); it != e.value.end(); ++it) {
    const source_pos key_pos = pos(it->first);
    const std::optional<std::string> key = scalar(it->first, key_pos, std::string(what) + " key");
    if (key && !check_key(*key)) error(key_pos, "'" + *key + "' is not " + std::string(key_shape));
    const bool fresh = key && seen.insert(*key).second;
    if (key && !fresh) error(key_pos, "duplicate key '" + *key + "' in " + std::string(what));
    const YAML::Node v = it->second;
    entry item{key.value_or(""), v, key_pos, v.IsNull() ? key_pos : pos(v)};
    const std::optional<std::string> value = scalar(item, std::string(what) + " value");
    ok = ok && fresh && check_key(*key) && value;
    if (key && value) out.emplace_back(std::move(item), *value);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<duration> walker::duration_value(const entry& e) const {
  const std::optional<std::string> s = scalar(e, "'" + e.key + "' (a duration)");
  if (!s) return std::nullopt;
  duration_parse d = parse_duration(*s);
  if (!d.value) error(e.value_pos, std::move(d.error));
  return d.value;
}

}  // namespace bcconform::scenario::detail
