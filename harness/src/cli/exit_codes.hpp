// Process exit codes shared by every bcconform subcommand. Documented in README.md; scripts
// and CI jobs rely on them, so a value never changes meaning.
#pragma once

namespace bcconform::cli {

enum exit_code : int {
  exit_ok = 0,        ///< the input was read, whatever it held
  exit_internal = 1,  ///< a bug or resource exhaustion inside bcconform
  exit_io = 3,        ///< a file could not be opened, read or written
  exit_usage = 4,     ///< bad command line, or an input that is not in the expected format
};

}  // namespace bcconform::cli
