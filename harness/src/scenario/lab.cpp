// The lab file (bcconform/scenario/lab.hpp): what belongs to one bench rather than to the spec.
#include "bcconform/scenario/lab.hpp"

#include <exception>

#include "bcconform/scenario/loader.hpp"
#include "keys.hpp"
#include "regex.hpp"
#include "steps.hpp"
#include "text.hpp"
#include "yaml_walk.hpp"

namespace bcconform::scenario {
namespace {

using detail::entry;
using detail::walker;

// transport/open.hpp parses the rest when the run opens the target; the scheme alone is
// enough to catch a lab file that names something else.
bool known_scheme(const std::string& uri) {
  for (const char* scheme : {"exec:", "serial:", "pty:", "tcp:", "replay:"}) {
    const std::string_view s(scheme);
    if (uri.size() > s.size() && uri.compare(0, s.size(), s) == 0) return true;
  }
  return false;
}

std::string pattern_problem(const std::string& what, const std::string& pattern) {
  const detail::regex_info info = detail::check_regex(pattern, detail::regex_flavor::line, false);
  return info.error.empty() ? "" : "bad regular expression in " + what + ": " + info.error;
}

class lab_parser {
 public:
  explicit lab_parser(const walker& w) : w_(w) {}

  void read(const entry& e, lab& out) const {
    if (e.key == "target") {
      out.target = w_.scalar(e, "target").value_or("");
      if (e.value.IsScalar() && !known_scheme(out.target)) {
        w_.error(e.value_pos, "target '" + out.target +
                                  "' is not a target URI (exec:, serial:, pty:, tcp:, replay:)");
      }
    } else if (e.key == "model") {
      out.model = w_.scalar(e, "model").value_or("");
      if (e.value.IsScalar() && out.model.empty()) w_.error(e.value_pos, "model is empty");
    } else if (e.key == "module_address" || e.key == "peer_address") {
      std::string& address = e.key == "module_address" ? out.module_address : out.peer_address;
      address = w_.scalar(e, e.key).value_or("");
      if (e.value.IsScalar() && !detail::is_ip_address(address)) {
        w_.error(e.value_pos, e.key + " '" + address + "' is not an IPv4 or IPv6 address");
      }
    } else if (e.key == "identity") {
      read_identity(e, out.identity);
    } else if (e.key == "capabilities") {
      out.capabilities =
          w_.scalar_list(e, "capabilities", [](const std::string& s) {
              return detail::is_id(s) ? "" : "capability '" + s + "' is not [A-Za-z0-9._-]+";
            }).value_or(std::vector<std::string>{});
    } else if (e.key == "ignore_urcs") {
      out.ignore_urcs = w_.scalar_list(e, "ignore_urcs", [](const std::string& s) {
                            return pattern_problem("ignore_urcs", s);
                          }).value_or(std::vector<std::string>{});
    } else {
      read_map(e, e.key == "hooks" ? out.hooks : out.vars);
    }
  }

 private:
  void read_identity(const entry& e, module_identity& id) const {
    if (!w_.is_mapping(e.value, e.value_pos, "identity")) return;
    for (const entry& field : w_.entries(e.value, "identity", detail::keys("lab.identity"))) {
      const auto pattern = w_.scalar(field, field.key);
      if (!pattern) continue;
      const std::string wrong = pattern_problem("identity " + field.key, *pattern);
      if (!wrong.empty()) w_.error(field.value_pos, wrong);
      if (field.key == "manufacturer") id.manufacturer = *pattern;
      if (field.key == "model") id.model = *pattern;
      if (field.key == "revision") id.revision = *pattern;
    }
  }

  // hooks: name -> command line; vars: name -> literal value.
  void read_map(const entry& e, std::map<std::string, std::string>& out) const {
    const bool hooks = e.key == "hooks";
    const auto items = hooks ? w_.scalar_map(e, "hooks", detail::is_id, "a hook name")
                             : w_.scalar_map(e, "vars", detail::is_var_name, "a variable name");
    if (!items) return;
    for (const auto& [item, value] : *items) {
      if (hooks && value.empty()) w_.error(item.value_pos, "hook '" + item.key + "' is empty");
      if (!hooks && value.find("${") != std::string::npos) {
        w_.error(item.value_pos, "vars values are literal text and are not expanded");
      }
      out[item.key] = value;
    }
  }

  const walker& w_;
};

}  // namespace

lab_result load_lab_text(std::string_view text, const std::string& name) {
  detail::diagnostics diag;
  const load_limits limits;
  std::size_t budget = limits.max_nodes;
  lab_result out;
  out.value.path = name;
  try {
    const auto root = detail::parse_document(text, name, limits, budget, diag);
    const walker w(name, diag);
    if (root && w.is_mapping(*root, root->IsNull() ? source_pos{name, 1, 1} : w.pos(*root),
                             "the lab file")) {
      out.value.pos = w.pos(*root);
      const lab_parser p(w);
      for (const entry& e : w.entries(*root, "the lab file", detail::keys("lab"))) {
        p.read(e, out.value);
      }
    }
  } catch (const std::exception& e) {
    diag.add({name, 1, 1}, std::string("internal error while loading: ") + e.what());
  }
  out.errors = diag.take();
  return out;
}

lab_result load_lab(const std::string& path) {
  std::string text, error;
  if (!detail::read_text(load_options{}, path, text, error)) {
    lab_result out;
    out.value.path = path;
    out.errors.push_back({{path, 0, 0}, "cannot read: " + error});
    return out;
  }
  return load_lab_text(text, path);
}

}  // namespace bcconform::scenario
