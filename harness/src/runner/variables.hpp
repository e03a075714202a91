// Scenario variables and `${name}` substitution.
//
// Precedence, lowest first: the scenario's vars (the file's merged under the scenario's by the
// loader) < the run's vars (built-ins < lab < command line, merged by the caller) < values set
// while the case runs (regex captures, peer objects' addresses and ports), which override
// everything from the moment they are set.
//
// Syntax (specs/formats/scenario.md "Variables", implemented by scenario::expand): `${name}` is
// replaced by the value; `$$` is one literal `$`; a `$` followed by anything else stays as it
// is. An unknown name or a malformed reference is an error.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "bcconform/protocol/result.hpp"
#include "bcconform/scenario/model.hpp"

namespace bcconform::runner::detail {

class variables {
 public:
  variables(const std::map<std::string, std::string>& scenario_vars,
            const std::map<std::string, std::string>& run_vars);

  void set(const std::string& name, std::string value);
  /// nullptr if undefined.
  const std::string* find(std::string_view name) const;

  /// The text with every reference replaced.
  protocol::result<std::string> expand(const scenario::templated& t) const;
  /// For a regular expression: the values are inserted quoted (RE2::QuoteMeta), so a variable
  /// always matches its own value literally, whatever characters it holds.
  protocol::result<std::string> expand_pattern(const scenario::templated& t) const;

  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

/// The error value the runner uses for a problem of the scenario or the harness
/// (not of the module): an undefined variable, a pattern that does not compile, bad hex.
protocol::error harness_error(std::string detail);

}  // namespace bcconform::runner::detail
