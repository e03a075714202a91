// Outcomes and formatting shared by the step implementations.
#include <sstream>

#include "steps.hpp"

namespace bcconform::runner::detail {

step_outcome link_down(const module_link& link) {
  step_outcome o = step_outcome::error("the module link is down");
  o.kind = "transport";
  if (const auto& f = link.failure()) {
    o.message = "the module link is down: " + f->code.message();
    if (!f->detail.empty()) o.message += ": " + f->detail;
  }
  return o;
}

step_outcome not_ready(module_link::wait_status s, const module_link& link, std::string what,
                       std::string expected, std::string got) {
  switch (s) {
    case module_link::wait_status::interrupted:
      return step_outcome::interrupted();
    case module_link::wait_status::link_down:
      return link_down(link);
    default:
      return step_outcome::fail(std::move(what), std::move(expected), std::move(got));
  }
}

std::string format_duration(std::chrono::milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + " ms";
  std::ostringstream out;
  out << static_cast<double>(d.count()) / 1000.0 << " s";
  return out.str();
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += out.empty() ? l : " | " + l;
  return out.empty() ? "(nothing)" : out;
}

std::vector<std::string> render_queue(const std::deque<module_line>& q) {
  std::vector<std::string> out;
  for (const auto& l : q) {
    auto lines = render_all(l);
    if (l.stray && !lines.empty()) lines.front() += " (while no command was waiting)";
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

}  // namespace bcconform::runner::detail
