// The printable forms of positions and errors, and `${}` expansion (template.hpp).
#include <re2/re2.h>

#include "bcconform/scenario/model.hpp"
#include "bcconform/scenario/template.hpp"
#include "text.hpp"

namespace bcconform::scenario {

std::string source_pos::to_string() const {
  if (line <= 0) return file;
  std::string out = file + ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  return out;
}

std::string load_error::to_string() const {
  return pos.to_string() + ": " + message;
}

bool expand(const templated& t, const std::map<std::string, std::string>& vars, expand_mode mode,
            std::string& out, std::string& error) {
  const detail::template_scan scan = detail::scan_template(t.text);
  if (!scan.error.empty()) {
    error = scan.error;
    return false;
  }
  out.clear();
  const std::string& s = t.text;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size() || (s[i + 1] != '$' && s[i + 1] != '{')) {
      out.push_back(s[i]);
      continue;
    }
    if (s[i + 1] == '$') {
      // In a pattern, `$$` stands for the character `$`, not for the end-of-text anchor.
      out += mode == expand_mode::regex ? "\\$" : "$";
      ++i;
      continue;
    }
    const std::size_t close = s.find('}', i + 2);
    const std::string name = s.substr(i + 2, close - i - 2);
    const auto it = vars.find(name);
    if (it == vars.end()) {
      error = "undefined variable '" + name + "'";
      return false;
    }
    out += mode == expand_mode::regex ? RE2::QuoteMeta(it->second) : it->second;
    i = close;
  }
  return true;
}

std::vector<std::string> references(const templated& t) {
  return detail::scan_template(t.text).names;
}

}  // namespace bcconform::scenario
