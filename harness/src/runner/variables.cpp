#include "variables.hpp"

#include <system_error>

#include "bcconform/scenario/template.hpp"

namespace bcconform::runner::detail {

protocol::error harness_error(std::string detail) {
  return {std::make_error_code(std::errc::invalid_argument), std::move(detail)};
}

variables::variables(const std::map<std::string, std::string>& scenario_vars,
                     const std::map<std::string, std::string>& run_vars)
    : values_(scenario_vars.begin(), scenario_vars.end()) {
  for (const auto& [name, value] : run_vars) values_.insert_or_assign(name, value);
}

void variables::set(const std::string& name, std::string value) {
  values_.insert_or_assign(name, std::move(value));
}

const std::string* variables::find(std::string_view name) const {
  const auto it = values_.find(std::string(name));
  return it == values_.end() ? nullptr : &it->second;
}

protocol::result<std::string> variables::expand(const scenario::templated& t) const {
  std::string out, problem;
  if (!scenario::expand(t, values_, scenario::expand_mode::text, out, problem)) {
    return harness_error(problem);
  }
  return out;
}

protocol::result<std::string> variables::expand_pattern(const scenario::templated& t) const {
  std::string out, problem;
  if (!scenario::expand(t, values_, scenario::expand_mode::regex, out, problem)) {
    return harness_error(problem);
  }
  return out;
}

}  // namespace bcconform::runner::detail
