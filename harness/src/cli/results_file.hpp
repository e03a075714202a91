// Files of earlier runs read back: the JSON results file (`--rerun-failed FILE`) and the
// baseline of expected verdicts (`--baseline FILE`, specs/formats/baseline.md).
#pragma once

#include <string>
#include <vector>

#include "bcconform/protocol/result.hpp"
#include "bcconform/runner/run.hpp"

namespace bcconform::cli {

/// The ids (as the results file shows them) whose verdict was fail, error, inconc or
/// interrupted, each once, in file order. Errors name the file and what is wrong with it.
protocol::result<std::vector<std::string>> failed_ids(const std::string& results_path);

/// A baseline file, or a results file used as one (each id's worst verdict over its attempts).
protocol::result<runner::baseline> load_baseline(const std::string& path);

/// The verdict named `text` ("pass", "not_applicable", ...), if it is one.
std::optional<runner::verdict> verdict_from_string(std::string_view text);

}  // namespace bcconform::cli
