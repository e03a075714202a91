// Internal: the --state NVM file (AT&W and the other saved settings, AN "保存至 NVM").
#pragma once

#include <string>

#include "bcconform/emulator/interpreter.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::emulator_host::detail {

/// The file's settings, or the profile's factory settings when the file does not exist yet.
protocol::result<emulator::nvm_state> load_state(const std::string& path,
                                                 const emulator::profile& p);

/// Writes atomically (a temporary file renamed over the old one): a crash leaves either the
/// old or the new settings, never half a file.
protocol::result<void> save_state(const std::string& path, const emulator::nvm_state& s);

/// Reads a whole file (profiles, state).
protocol::result<std::string> read_file(const std::string& path);

}  // namespace bcconform::emulator_host::detail
