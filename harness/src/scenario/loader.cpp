// Scenario files: the file mapping, its scenarios, the defaults they inherit, and loading sets
// of files (specs/formats/scenario.md).
#include "bcconform/scenario/loader.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <system_error>

#include "keys.hpp"
#include "scope.hpp"
#include "steps.hpp"
#include "text.hpp"

namespace bcconform::scenario {
namespace detail {
namespace {

namespace fs = std::filesystem;

// The keys a file and a scenario share: a file's values are defaults every scenario inherits.
struct common {
  std::string title;
  std::vector<std::string> spec, tags, requires_, ignore_urcs;
  std::vector<std::pair<std::string, std::string>> vars;
  std::optional<unclaimed_policy> unclaimed;
  std::vector<parsed_step> setup, teardown;
};

walker::item_check shaped(bool (*check)(std::string_view), std::string what, std::string shape) {
  return [=](const std::string& s) {
    return check(s) ? std::string() : "'" + s + "' in " + what + " is not " + shape;
  };
}

std::string pattern_problem(const std::string& s) {
  if (s.empty()) return "empty pattern in ignore_urcs";
  const regex_info info = check_regex(s, regex_flavor::line, false);
  return info.error.empty() ? "" : "bad regular expression in ignore_urcs: " + info.error;
}

void read_list(const walker& w, const entry& e, std::vector<std::string>& out,
               const walker::item_check& check) {
  if (auto items = w.scalar_list(e, e.key, check)) out = std::move(*items);
}

void read_vars(const walker& w, const entry& e, common& c) {
  auto vars = w.scalar_map(e, "vars", is_var_name, "a variable name ([A-Za-z_][A-Za-z0-9_.-]*)");
  if (!vars) return;
  for (auto& [item, value] : *vars) {
    // Values are literal: a reference here would not be expanded, so refuse what looks like one.
    if (value.find("${") != std::string::npos) {
      w.error(item.value_pos,
              "vars values are literal text and are not expanded; write the "
              "${...} reference where the value is used");
      continue;
    }
    c.vars.emplace_back(item.key, std::move(value));
  }
}

void read_unclaimed(const walker& w, const entry& e, common& c) {
  const auto s = w.scalar(e, "unclaimed_urcs");
  if (!s) return;
  if (*s == "fail") c.unclaimed = unclaimed_policy::fail;
  if (*s == "inconc") c.unclaimed = unclaimed_policy::inconc;
  if (*s == "ignore") c.unclaimed = unclaimed_policy::ignore;
  if (!c.unclaimed)
    w.error(e.value_pos, "unclaimed_urcs is one of fail, inconc, ignore; not '" + *s + "'");
}

// Reads `e` when it is one of the shared keys; false for any other key.
bool read_common(const walker& w, load_context& ctx, const entry& e, common& c) {
  if (e.key == "title") {
    c.title = w.scalar(e, "title").value_or("");
    if (c.title.empty() && e.value.IsScalar()) w.error(e.value_pos, "title is empty");
  } else if (e.key == "spec") {
    read_list(w, e, c.spec, shaped(is_spec_ref, "spec", "a section of the note like 'AN 2.1.4'"));
  } else if (e.key == "tags") {
    read_list(w, e, c.tags, shaped(is_id, "tags", "[A-Za-z0-9._-]+"));
  } else if (e.key == "requires") {
    read_list(w, e, c.requires_, shaped(is_id, "requires", "a capability ([A-Za-z0-9._-]+)"));
  } else if (e.key == "ignore_urcs") {
    read_list(w, e, c.ignore_urcs, pattern_problem);
  } else if (e.key == "vars") {
    read_vars(w, e, c);
  } else if (e.key == "unclaimed_urcs") {
    read_unclaimed(w, e, c);
  } else if (e.key == "setup" || e.key == "teardown") {
    parse_steps(e.value, e.value_pos, e.key, w, ctx, e.key == "setup" ? c.setup : c.teardown);
  } else {
    return false;
  }
  return true;
}

// `a` then the items of `b` not already in it.
std::vector<std::string> merged(std::vector<std::string> a, const std::vector<std::string>& b) {
  for (const std::string& s : b) {
    if (std::find(a.begin(), a.end(), s) == a.end()) a.push_back(s);
  }
  return a;
}

std::vector<step> model_steps(const std::vector<const parsed_step*>& steps) {
  std::vector<step> out;
  out.reserve(steps.size());
  for (const parsed_step* s : steps) out.push_back(s->value);
  return out;
}

class file_parser {
 public:
  file_parser(const std::string& name, load_context& ctx) : w_(name, ctx.diag), ctx_(ctx) {}

  suite_file parse(const YAML::Node& root) {
    suite_file out;
    out.path = w_.file();
    if (!is_file_mapping(root)) return out;
    const entry* scenarios = nullptr;
    const std::vector<entry> es = w_.entries(root, "the file", keys("file"));
    for (const entry& e : es) {
      if (e.key == "scenarios") scenarios = &e;
      if (e.key != "scenarios") read_common(w_, ctx_, e, defaults_);
    }
    out.title = defaults_.title;
    if (scenarios == nullptr) {
      w_.error(w_.pos(root), "missing key 'scenarios' (a list of scenarios)");
    } else if (!scenarios->value.IsSequence() || scenarios->value.size() == 0) {
      w_.error(scenarios->value_pos, "scenarios must be a non-empty list, got " +
                                         std::string(type_name(scenarios->value)));
    } else {
      for (const YAML::Node& item : scenarios->value) {
        auto s = parse_scenario(item, item.IsNull() ? scenarios->value_pos : w_.pos(item));
        if (s) out.scenarios.push_back(std::move(*s));
      }
    }
    return out;
  }

 private:
  bool is_file_mapping(const YAML::Node& root) const {
    if (root.IsMap()) return true;
    std::string message =
        "a scenario file is a mapping with a 'scenarios' list, got " + std::string(type_name(root));
    if (root.IsSequence()) {
      message += " (a list of steps is a fragment for include; start its name with '_')";
    }
    w_.error(root.IsNull() ? source_pos{w_.file(), 1, 1} : w_.pos(root), std::move(message));
    return false;
  }

  struct own_keys {
    bool has_id = false;
    std::optional<std::string> id;  ///< set when present and valid
    const entry* steps = nullptr;
    std::vector<std::string> errata;
  };

  void required(const own_keys& k, const common& c, const source_pos& p) const {
    if (!k.has_id) w_.error(p, "scenario has no 'id'");
    if (c.title.empty() && k.has_id) w_.error(p, "scenario has no 'title'");
    if (k.steps == nullptr && k.has_id) w_.error(p, "scenario has no 'steps'");
  }

  std::optional<std::string> read_id(const entry& e) {
    auto id = w_.scalar(e, "id");
    if (!id) return std::nullopt;
    if (!is_id(*id)) {
      w_.error(e.value_pos, "scenario id '" + *id + "' is not [A-Za-z0-9._-]+");
      return std::nullopt;
    }
    const auto [it, fresh] = ids_.emplace(*id, e.value_pos);
    if (!fresh) {
      w_.error(e.value_pos,
               "duplicate scenario id '" + *id + "' (first at " + it->second.to_string() + ")");
      return std::nullopt;
    }
    return id;
  }

  // The scenario's own keys, in document order so that errors come in that order too.
  void read_own(const entry& e, own_keys& k, std::vector<parsed_step>& steps) {
    if (e.key == "id") {
      k.has_id = true;
      k.id = read_id(e);
    } else if (e.key == "errata") {
      read_list(w_, e, k.errata, shaped(is_erratum, "errata", "an erratum id like 'E12'"));
    } else if (e.key == "steps") {
      k.steps = &e;
      parse_steps(e.value, e.value_pos, "steps", w_, ctx_, steps);
      if (e.value.IsSequence() && e.value.size() == 0) w_.error(e.value_pos, "steps is empty");
    }
  }

  std::optional<scenario> parse_scenario(const YAML::Node& n, const source_pos& p) {
    if (!w_.is_mapping(n, p, "a scenario")) return std::nullopt;
    common c;
    own_keys k;
    std::vector<parsed_step> steps;
    const std::size_t errors_before = ctx_.diag.count();
    const std::vector<entry> es = w_.entries(n, "scenario", keys("scenario"));
    for (const entry& e : es) {
      if (!read_common(w_, ctx_, e, c)) read_own(e, k, steps);
    }
    required(k, c, p);
    // Every scenario gets its own copy of the file's setup and teardown: paid for like nodes,
    // or a long shared setup times many scenarios could fill memory.
    if (!charge_nodes(ctx_, defaults_.setup.size() + defaults_.teardown.size(), p)) {
      return std::nullopt;
    }
    // Checked even when the id or title is wrong, so that one run shows every mistake.
    scenario s = merge(c, steps);
    if (ctx_.diag.count() != errors_before || !k.id) return std::nullopt;
    s.id = std::move(*k.id);
    s.errata = std::move(k.errata);
    s.pos = p;
    return s;
  }

  // The scenario `c` over the file's defaults, with its scope checked.
  scenario merge(common& c, const std::vector<parsed_step>& own_steps) {
    scenario s;
    s.title = c.title;
    s.spec = merged(defaults_.spec, c.spec);
    s.tags = merged(defaults_.tags, c.tags);
    s.requires_ = merged(defaults_.requires_, c.requires_);
    s.ignore_urcs = merged(defaults_.ignore_urcs, c.ignore_urcs);
    s.unclaimed = c.unclaimed.value_or(defaults_.unclaimed.value_or(unclaimed_policy::fail));
    for (const auto& [name, value] : defaults_.vars) s.vars[name] = value;
    for (const auto& [name, value] : c.vars) s.vars[name] = value;
    std::vector<const parsed_step*> setup, steps, teardown;
    for (const parsed_step& ps : defaults_.setup) setup.push_back(&ps);
    for (const parsed_step& ps : c.setup) setup.push_back(&ps);
    for (const parsed_step& ps : own_steps) steps.push_back(&ps);
    for (const parsed_step& ps : c.teardown) teardown.push_back(&ps);
    for (const parsed_step& ps : defaults_.teardown) teardown.push_back(&ps);
    std::set<std::string> base = builtin_variables();
    base.insert(ctx_.options.defined.begin(), ctx_.options.defined.end());
    for (const auto& [name, value] : s.vars) base.insert(name);
    check_scope(base, setup, steps, teardown, ctx_.diag);
    s.setup = model_steps(setup);
    s.steps = model_steps(steps);
    s.teardown = model_steps(teardown);
    return s;
  }

  walker w_;
  load_context& ctx_;
  common defaults_;
  std::map<std::string, source_pos> ids_;
};

// The scenario files under `dir`, sorted; names starting with '_' (fragments) or '.' are
// skipped, directories included.
bool scan_directory(const std::string& dir, std::vector<std::string>& out, diagnostics& diag) {
  std::vector<std::string> found;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '_' || name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const std::string ext = it->path().extension().string();
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) {
      found.push_back(it->path().generic_string());
    }
  }
  if (ec) {
    diag.add({dir, 0, 0}, "cannot list directory: " + ec.message());
    return false;
  }
  if (found.empty()) {
    diag.add({dir, 0, 0}, "no scenario files (*.yaml, *.yml) in this directory");
    return false;
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

// The files `paths` name: files as given, directories scanned.
std::vector<std::string> expand_paths(const std::vector<std::string>& paths, diagnostics& diag) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      scan_directory(p, files, diag);
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      diag.add({p, 0, 0}, "no such file or directory");
    }
  }
  return files;
}

}  // namespace
}  // namespace detail

load_result load_text(std::string_view text, const std::string& name, const load_options& o) {
  detail::diagnostics diag;
  detail::load_context ctx(o, diag);
  ctx.include_stack.push_back({detail::canonical_key(name), name});
  load_result out;
  out.file.path = name;
  try {
    auto root = detail::parse_document(text, name, o.limits, ctx.node_budget, diag);
    if (root) out.file = detail::file_parser(name, ctx).parse(*root);
  } catch (const std::exception& e) {
    // yaml-cpp's node operations are not expected to throw once parsing succeeded; if one does,
    // the file is refused rather than the caller surprised.
    diag.add({name, 1, 1}, std::string("internal error while loading: ") + e.what());
  }
  out.errors = diag.take();
  if (!out.errors.empty()) out.file.scenarios.clear();
  return out;
}

load_result load_file(const std::string& path, const load_options& o) {
  std::string text, error;
  if (!detail::read_text(o, path, text, error)) {
    load_result out;
    out.file.path = path;
    out.errors.push_back({{path, 0, 0}, "cannot read: " + error});
    return out;
  }
  return load_text(text, path, o);
}

load_set_result load_paths(const std::vector<std::string>& paths, const load_options& o) {
  detail::diagnostics diag;
  const std::vector<std::string> files = detail::expand_paths(paths, diag);
  load_set_result out;
  out.errors = diag.take();
  std::set<std::string> seen_files;
  std::map<std::string, source_pos> ids;
  for (const std::string& f : files) {
    if (!seen_files.insert(detail::canonical_key(f)).second) continue;
    load_result r = load_file(f, o);
    out.errors.insert(out.errors.end(), r.errors.begin(), r.errors.end());
    if (!r.ok()) continue;
    for (const scenario& s : r.file.scenarios) {
      const auto [it, fresh] = ids.emplace(s.id, s.pos);
      if (!fresh) {
        out.errors.push_back({s.pos, "duplicate scenario id '" + s.id + "' (first at " +
                                         it->second.to_string() + ")"});
      }
    }
    out.files.push_back(std::move(r.file));
  }
  return out;
}

}  // namespace bcconform::scenario
