// Which cases a run executes: id globs, tags, --rerun-failed ids, shards; and which of those the
// target can run at all (requires / peers). Pure functions of the loaded files, so every shard
// of a run computes the same lists.
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "bcconform/runner/run.hpp"

namespace bcconform::runner {
namespace {

bool any_glob(const std::vector<std::string>& patterns, std::string_view id) {
  for (const auto& p : patterns) {
    if (glob_match(p, id)) return true;
  }
  return false;
}

bool any_tag(const std::vector<std::string>& wanted, const std::vector<std::string>& tags) {
  for (const auto& w : wanted) {
    for (const auto& t : tags) {
      if (t == w) return true;
    }
  }
  return false;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  for (const auto& x : v) {
    if (x == s) return true;
  }
  return false;
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Why a case is left out by the option filters (not by sharding); "" when it passes them.
std::string filter_reason(const scenario::scenario& s, const selection_options& o) {
  if (!o.filters.empty() && !any_glob(o.filters, s.id)) return "not matched by --filter";
  if (!o.tags.empty() && !any_tag(o.tags, s.tags)) return "no tag given by --tag";
  if (!o.only_ids.empty() && !contains(o.only_ids, s.id)) {
    return "--rerun-failed: not failed in the previous run";
  }
  return {};
}

bool has_peer_step(const std::vector<scenario::step>& steps) {
  for (const auto& st : steps) {
    if (std::holds_alternative<scenario::peer_step>(st.body)) return true;
  }
  return false;
}

std::string shard_text(const shard& s) {
  return std::to_string(s.index + 1) + "/" + std::to_string(s.total);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
  // Iterative matching with one backtrack point (the last `*`): linear in practice and never
  // recursive, so a hostile pattern cannot exhaust the stack.
  std::size_t p = 0, t = 0, star = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<selected_case> select(const std::vector<scenario::suite_file>& files,
                                  const selection_options& o) {
  std::vector<selected_case> passed;
  int index = 0;
  for (const auto& f : files) {
    for (const auto& s : f.scenarios) {
      if (filter_reason(s, o).empty()) passed.push_back({&s, &f, index});
      ++index;
    }
  }
  if (!o.sharding || o.sharding->total <= 1) return passed;
  std::vector<selected_case> mine;
  for (std::size_t i = 0; i < passed.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(o.sharding->total)) == o.sharding->index) {
      mine.push_back(passed[i]);
    }
  }
  return mine;
}

std::optional<shard> shard_from_environment() {
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  if (total == nullptr || index == nullptr) return std::nullopt;
  const auto t = to_int(total), i = to_int(index);
  if (!t || !i || *t < 1 || *i < 0 || *i >= *t) return std::nullopt;
  return shard{*i, *t};
}

std::optional<shard> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto i = to_int(text.substr(0, slash)), n = to_int(text.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 1 || *i > *n) return std::nullopt;
  return shard{*i - 1, *n};
}

std::string inapplicable_reason(const scenario::scenario& s, const target_facts& t) {
  for (const auto& need : s.requires_) {
    if (t.capabilities.count(need) == 0) return "target lacks capability " + need;
  }
  if (!t.peer_reachable &&
      (has_peer_step(s.setup) || has_peer_step(s.steps) || has_peer_step(s.teardown))) {
    return "target has no reachable peer address (lab file: peer_address)";
  }
  return {};
}

std::vector<planned_case> make_plan(const std::vector<scenario::suite_file>& files,
                                    const plan_options& o) {
  const std::vector<selected_case> chosen = select(files, o.selection);
  std::vector<planned_case> plan;
  std::size_t next = 0;  // chosen is a subsequence of the files' order
  int index = 0;
  for (const auto& f : files) {
    for (const auto& s : f.scenarios) {
      const selected_case here{&s, &f, index++};
      if (next < chosen.size() && chosen[next].scenario == &s) {
        ++next;
        if (std::string why = inapplicable_reason(s, o.target); !why.empty()) {
          plan.push_back({here, 1, verdict::not_applicable, std::move(why)});
          continue;
        }
        for (int a = 1; a <= std::max(1, o.repeat); ++a) {
          plan.push_back({here, a, verdict::not_run, {}});
        }
        continue;
      }
      std::string why = filter_reason(s, o.selection);
      if (why.empty() && o.selection.sharding)
        why = "not in shard " + shard_text(*o.selection.sharding);
      plan.push_back({here, 1, verdict::filtered, std::move(why)});
    }
  }
  return plan;
}

std::string suite_name(const std::string& file, const std::string& root) {
  namespace fs = std::filesystem;
  fs::path rel =
      fs::path(file).lexically_normal().lexically_relative(fs::path(root).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") rel = fs::path(file).filename();
  rel.replace_extension();
  return rel.generic_string();
}

std::string common_root(const std::vector<scenario::suite_file>& files) {
  namespace fs = std::filesystem;
  std::optional<fs::path> root;
  for (const auto& f : files) {
    const fs::path dir = fs::path(f.path).lexically_normal().parent_path();
    if (!root) {
      root = dir;
      continue;
    }
    fs::path common;
    for (auto a = root->begin(), b = dir.begin(); a != root->end() && b != dir.end() && *a == *b;
         ++a, ++b) {
      common /= *a;
    }
    root = common;
  }
  return root && !root->empty() ? root->generic_string() : ".";
}

}  // namespace bcconform::runner
