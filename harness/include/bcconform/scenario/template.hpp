// Expanding the `${name}` references of a `templated` string (specs/formats/scenario.md,
// "Variables"). The loader has checked the syntax and that every name is defined before use;
// the runner expands when the step runs, because captures and peer ports only exist then.
//
// Grammar: `${name}` is the value of `name` ([A-Za-z_][A-Za-z0-9_.-]*); `$$` is one `$`; any
// other `$` is itself. Values are inserted once: a `${` inside a value is not expanded again.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bcconform/scenario/model.hpp"

namespace bcconform::scenario {

/// How a value is inserted: as it is, or quoted so that a regular expression (RE2) matches the
/// value literally (`${host}` = "1.2.3.4" matches "1.2.3.4", not "1x2y3z4").
enum class expand_mode { text, regex };

/// Expands `t` with `vars`. Returns false and sets `error` ("undefined variable 'x'", or the
/// syntax error) when it cannot; `out` is then unspecified.
bool expand(const templated& t, const std::map<std::string, std::string>& vars, expand_mode mode,
            std::string& out, std::string& error);

/// The names `t` refers to, in order of appearance (with repeats); empty when malformed.
std::vector<std::string> references(const templated& t);

}  // namespace bcconform::scenario
