// Compiling patterns with RE2 when a file is loaded, so a bad pattern is a load error at its
// position rather than a failure in the middle of a run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bcconform::scenario::detail {

/// Lines are matched as UTF-8 text; payloads and peer bytes as Latin-1, one character per byte.
enum class regex_flavor { line, bytes };

struct regex_info {
  std::string error;                ///< "" when the pattern compiles
  std::vector<std::string> groups;  ///< named groups `(?P<name>...)`, in pattern order
};

/// Compiles `pattern`. When `templated`, each `${name}` is first replaced by a literal, as the
/// runner's expansion will do (template.hpp, expand_mode::regex).
regex_info check_regex(std::string_view pattern, regex_flavor flavor, bool templated);

}  // namespace bcconform::scenario::detail
