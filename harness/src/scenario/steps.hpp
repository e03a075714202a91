// Steps: YAML step mappings into model steps, includes expanded, with a record of the names
// each step uses and defines so that scope.cpp can check definition before use.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/loader.hpp"
#include "bcconform/scenario/model.hpp"
#include "regex.hpp"
#include "yaml_walk.hpp"

namespace bcconform::scenario::detail {

/// What a peer object is; decides which actions apply to it.
enum class object_kind { tcp_listener, udp, connection, dns, sntp };

struct name_ref {
  std::string name;
  source_pos pos;
};
struct object_use {
  std::string name;
  peer_step::op action;
  bool has_to = false;  ///< a `to:` on send: only UDP sockets take one
  source_pos pos;
};
struct object_def {
  std::string name;
  object_kind kind;
  source_pos pos;
};

/// The names one step touches, in the order they take effect: uses first, then definitions.
struct step_refs {
  std::vector<name_ref> uses;  ///< `${name}` in its strings
  std::vector<object_use> object_uses;
  std::vector<name_ref> captures;  ///< named groups of its patterns
  std::vector<object_def> object_defs;
};

struct parsed_step {
  step value;
  step_refs refs;
  bool valid = true;  ///< false: reported; kept only so later steps see its definitions
};

/// State shared by a file and the fragments it includes.
struct load_context {
  load_context(const load_options& o, diagnostics& d)
      : options(o), diag(d), node_budget(o.limits.max_nodes) {}
  const load_options& options;
  diagnostics& diag;
  std::size_t node_budget;
  struct fragment {
    std::optional<YAML::Node> root;  ///< nullopt: refused (reported once)
    std::size_t nodes = 0;           ///< what one expansion costs in node budget
  };
  std::map<std::string, fragment> fragments;  ///< by canonical path
  std::map<std::string, std::string> keys;    ///< path as shown -> canonical_key()
  struct open_file {
    std::string key;   ///< canonical_key()
    std::string name;  ///< as shown in positions
  };
  std::vector<open_file> include_stack;  ///< the loaded file first, then each include
};

/// Reads `path` (at most `max_bytes` + 1 bytes, so that the size check can refuse it) through
/// options.read_file or from disk.
bool read_text(const load_options& o, const std::string& path, std::string& text,
               std::string& error);

/// Takes `nodes` from the node budget, or reports max_nodes at `at` and returns false.
bool charge_nodes(load_context& ctx, std::size_t nodes, const source_pos& at);

/// The key used to recognise a file again on the include stack.
std::string canonical_key(const std::string& path);

/// Reads strings that may hold `${}` references and patterns, recording what they use and
/// capture in `refs`.
class value_reader {
 public:
  value_reader(const walker& w, step_refs& refs) : w_(w), refs_(refs) {}

  const walker& w() const { return w_; }
  step_refs& refs() const { return refs_; }
  std::optional<templated> text(const entry& e, std::string_view what) const;
  std::optional<templated> text(const YAML::Node& n, const source_pos& p,
                                std::string_view what) const;
  /// A non-empty RE2 pattern; its named groups become captures when `capture`.
  std::optional<templated> pattern(const entry& e, std::string_view what, regex_flavor flavor,
                                   bool capture) const;
  std::optional<templated> pattern(const YAML::Node& n, const source_pos& p, std::string_view what,
                                   regex_flavor flavor, bool capture) const;
  std::optional<bytes_spec> hex(const entry& e) const;
  std::optional<std::size_t> length(const entry& e) const;

 private:
  const walker& w_;
  step_refs& refs_;
};

/// The bytes of a `payload` value: a string, or one of {text, hex, length, re}.
struct payload_value {
  std::optional<bytes_spec> bytes;
  std::optional<std::size_t> length;
  std::optional<templated> pattern;
};
std::optional<payload_value> parse_payload_value(const value_reader& r, const entry& e);

/// A peer step's mapping (peer.cpp).
std::optional<peer_step> parse_peer(const value_reader& r, const entry& e);

/// Parses the list `seq` (`what`: "steps", "setup", ...) into `out`, expanding includes.
void parse_steps(const YAML::Node& seq, const source_pos& where, std::string_view what,
                 const walker& w, load_context& ctx, std::vector<parsed_step>& out);

/// Expands the step `include: PATH` (entry `e` of the step at `step_pos`) into `out`
/// (include.cpp).
void include_steps(const entry& e, const source_pos& step_pos, const walker& w, load_context& ctx,
                   std::vector<parsed_step>& out);

}  // namespace bcconform::scenario::detail
