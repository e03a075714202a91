#include "run_setup.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bcconform::cli {

protocol::result<std::map<std::string, std::string>> parse_vars(
    const std::vector<std::string>& assignments) {
  std::map<std::string, std::string> vars;
  for (const auto& a : assignments) {
    const auto eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      return protocol::make_error(protocol::errc::syntax, "--var " + a + ": expected NAME=VALUE");
    }
    vars[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return vars;
}

std::size_t print_load_errors(std::FILE* out, const std::vector<scenario::load_error>& errors) {
  for (const auto& e : errors) std::fprintf(out, "%s\n", e.to_string().c_str());
  return errors.size();
}

std::optional<scenario::lab> load_lab_file(const std::string& path, bool& ok) {
  ok = true;
  if (path.empty()) return std::nullopt;
  scenario::lab_result r = scenario::load_lab(path);
  if (!r.ok()) {
    print_load_errors(stderr, r.errors);
    ok = false;
    return std::nullopt;
  }
  return std::move(r.value);
}

std::map<std::string, std::string> merge_vars(const std::map<std::string, std::string>& builtins,
                                              const scenario::lab* lab,
                                              const std::map<std::string, std::string>& cli) {
  std::map<std::string, std::string> vars = builtins;
  if (lab != nullptr) {
    for (const auto& [k, v] : lab->vars) vars[k] = v;
  }
  for (const auto& [k, v] : cli) vars[k] = v;
  return vars;
}

std::set<std::string> defined_names(const std::map<std::string, std::string>& vars) {
  std::set<std::string> names = scenario::builtin_variables();
  for (const auto& [k, v] : vars) names.insert(k);
  return names;
}

std::optional<std::vector<scenario::suite_file>> load_scenarios(std::vector<std::string> paths,
                                                                std::set<std::string> defined) {
  if (paths.empty()) paths.push_back("specs");
  scenario::load_options o;
  o.defined = std::move(defined);
  scenario::load_set_result r = scenario::load_paths(paths, o);
  if (!r.ok()) {
    print_load_errors(stderr, r.errors);
    return std::nullopt;
  }
  return std::move(r.files);
}

bool read_text_file(const std::string& path, std::string& text, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  if (in) s << in.rdbuf();
  if (!in || in.bad()) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  text = s.str();
  return true;
}

}  // namespace bcconform::cli
