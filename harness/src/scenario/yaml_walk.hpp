// The YAML side of the loaders: parsing text within the limits, and reading nodes with a
// position for every complaint. yaml-cpp exceptions stop here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/loader.hpp"
#include "bcconform/scenario/model.hpp"

namespace bcconform::scenario::detail {

/// The errors of one load in the order found, each reported once, at most `max_errors`.
class diagnostics {
 public:
  static constexpr std::size_t max_errors = 100;
  void add(const source_pos& pos, std::string message);
  std::size_t count() const { return errors_.size(); }
  std::vector<load_error> take() { return std::move(errors_); }

 private:
  std::vector<load_error> errors_;
  std::set<std::string> seen_;
};

/// yaml-cpp marks are 0-based and null (-1) when unknown; a position is 1-based and always
/// points into the file (1:1 at worst), so every error can be located.
source_pos to_pos(const std::string& file, const YAML::Mark& mark);

/// Parses `text` as one YAML document named `file`. Refuses (reports and returns nullopt):
/// more than max_file_bytes; control characters YAML forbids; syntax errors; several documents;
/// nesting deeper than max_depth; more nodes than `node_budget` counting every alias use (the
/// budget is shared by a file and everything it includes, and is reduced by what this used).
/// An empty document is returned as a null node.
std::optional<YAML::Node> parse_document(std::string_view text, const std::string& file,
                                         const load_limits& limits, std::size_t& node_budget,
                                         diagnostics& diag);

/// The refusal when the node budget (max_nodes) runs out.
std::string max_nodes_message(std::size_t max_nodes);

/// "a string", "a list", "a mapping", "null".
std::string_view type_name(const YAML::Node& n);

/// One key of a mapping, with the positions of the key and of the value. yaml-cpp marks an
/// empty value at the token after it, so a null value takes the key's position.
struct entry {
  std::string key;
  YAML::Node value;
  source_pos key_pos;
  source_pos value_pos;
};

/// Reads the nodes of one file, reporting into `diag` with that file's positions.
class walker {
 public:
  walker(std::string file, diagnostics& diag) : file_(std::move(file)), diag_(&diag) {}

  const std::string& file() const { return file_; }
  diagnostics& diag() const { return *diag_; }
  source_pos pos(const YAML::Node& n) const { return to_pos(file_, n.Mark()); }
  void error(const source_pos& p, std::string message) const { diag_->add(p, std::move(message)); }

  /// True for a mapping; otherwise reports "expected a mapping for WHAT, got ...".
  bool is_mapping(const YAML::Node& n, const source_pos& p, std::string_view what) const;

  /// The entries of mapping `n` in order. Keys that are not strings, repeated keys and keys
  /// outside `allowed` are reported ("unknown key 'x' in WHAT; expected one of: ...") and left
  /// out.
  std::vector<entry> entries(const YAML::Node& n, std::string_view what,
                             const std::set<std::string>& allowed) const;

  /// The text of a scalar (any YAML scalar: `12`, `true` and `"12"` all give their text).
  std::optional<std::string> scalar(const entry& e, std::string_view what) const;
  std::optional<std::string> scalar(const YAML::Node& n, const source_pos& p,
                                    std::string_view what) const;

  /// A list of scalars. `problem` (if given) returns what is wrong with an item, "" if nothing.
  using item_check = std::function<std::string(const std::string&)>;
  std::optional<std::vector<std::string>> scalar_list(const entry& e, std::string_view what,
                                                      const item_check& problem = {}) const;

  /// A mapping of names (checked with `check_key`) to scalars.
  std::optional<std::vector<std::pair<entry, std::string>>> scalar_map(
      const entry& e, std::string_view what, bool (*check_key)(std::string_view),
      std::string_view key_shape) const;

  std::optional<duration> duration_value(const entry& e) const;

 private:
  std::string file_;
  diagnostics* diag_;
};

}  // namespace bcconform::scenario::detail
