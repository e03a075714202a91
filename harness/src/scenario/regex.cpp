#include "regex.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <map>

#include "bcconform/scenario/template.hpp"
#include "text.hpp"

namespace bcconform::scenario::detail {

regex_info check_regex(std::string_view pattern, regex_flavor flavor, bool templated) {
  regex_info out;
  std::string expanded(pattern);
  if (templated) {
    std::map<std::string, std::string> placeholders;
    for (const std::string& name : scan_template(pattern).names)
      placeholders.try_emplace(name, "0");
    std::string error;
    if (!expand(::bcconform::scenario::templated{std::string(pattern)}, placeholders,
                expand_mode::regex, expanded, error)) {
      out.error = error;
      return out;
    }
  }
  RE2::Options options;
  options.set_log_errors(false);
  if (flavor == regex_flavor::bytes) options.set_encoding(RE2::Options::EncodingLatin1);
  const RE2 re(expanded, options);
  if (!re.ok()) {
    out.error = re.error();
    return out;
  }
  std::vector<std::pair<int, std::string>> groups;
  for (const auto& [name, index] : re.NamedCapturingGroups()) groups.emplace_back(index, name);
  std::sort(groups.begin(), groups.end());
  for (auto& g : groups) out.groups.push_back(std::move(g.second));
  return out;
}

}  // namespace bcconform::scenario::detail
