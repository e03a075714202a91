// Definition before use, for one scenario (specs/formats/scenario.md, "Variables").
#pragma once

#include <set>
#include <string>
#include <vector>

#include "steps.hpp"

namespace bcconform::scenario::detail {

/// Checks that every `${name}` and every peer object a step uses is defined before it: by
/// `base` (built-ins, load_options::defined, vars), or by an earlier step. Setup runs first;
/// the steps see what setup defined; teardown sees what setup defined but not what only the
/// steps define, because the steps may have stopped early.
void check_scope(const std::set<std::string>& base, const std::vector<const parsed_step*>& setup,
                 const std::vector<const parsed_step*>& steps,
                 const std::vector<const parsed_step*>& teardown, diagnostics& diag);

}  // namespace bcconform::scenario::detail
