// Writing the two sign-off files, and reading a waiver list.
#include <filesystem>
#include <string>

#include "bcconform/report/junit.hpp"
#include "bcconform/report/signoff.hpp"

namespace bcconform::report {
namespace {

using sv = std::string_view;

bool space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r';
}

sv trim(sv s) noexcept {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

protocol::result<void> write_signoff(const signoff_input& in, const std::string& dir) {
  const std::filesystem::path base(dir.empty() ? "." : dir);
  if (auto r = write_atomically((base / "signoff.md").string(), signoff_markdown(in)); !r) return r;
  return write_atomically((base / "signoff.html").string(), signoff_html(in));
}

protocol::result<std::vector<waiver>> parse_waivers(std::string_view text) {
  std::vector<waiver> out;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == sv::npos) end = text.size();
    const sv line = trim(text.substr(start, end - start));
    start = end + 1;
    ++number;
    if (line.empty() || line.front() == '#') continue;
    std::size_t gap = 0;
    while (gap < line.size() && !space(line[gap])) ++gap;
    const sv reason = trim(line.substr(gap));
    if (reason.empty()) {
      return protocol::make_error(protocol::errc::syntax, "waiver line " + std::to_string(number) +
                                                              ": \"" + visible_bytes(line) +
                                                              "\" has no reason after the id");
    }
    out.push_back({std::string(line.substr(0, gap)), std::string(reason)});
  }
  return out;
}

}  // namespace bcconform::report
