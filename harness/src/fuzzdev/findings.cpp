#include "bcconform/fuzzdev/findings.hpp"

#include <array>

namespace bcconform::fuzzdev {
namespace {

constexpr std::array<std::string_view, finding_kind_count> names{{
    "no_answer",
    "target_died",
    "noise",
    "overflow",
    "diagnostic",
    "malformed_urc",
    "missing_final",
    "late_final",
    "extra_final",
    "accepted_refused",
    "unexpected_prompt",
    "reboot",
    "data_mismatch",
}};

}  // namespace

std::string_view to_string(finding_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < names.size() ? names[i] : "?";
}

std::string format_finding(const finding& f) {
  std::string out = "[" + std::string(to_string(f.kind)) + "] case " + std::to_string(f.index) +
                    " (seed " + std::to_string(f.seed) + "): " + f.line + " -- " + f.detail;
  if (!f.description.empty()) out += "\n    case: " + f.description;
  if (!f.evidence.empty()) out += "\n    module: " + f.evidence;
  return out;
}

}  // namespace bcconform::fuzzdev
