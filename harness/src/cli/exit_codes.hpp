// Process exit codes shared by every bcconform subcommand. Documented in README.md and in
// `bcconform run --help`; scripts and CI jobs rely on them, so a value never changes meaning.
#pragma once

namespace bcconform::cli {

enum exit_code : int {
  exit_ok = 0,           ///< decode: the input was read; run: nothing failed or errored
  exit_internal = 1,     ///< decode: a bug or resource exhaustion inside bcconform
  exit_failed = 1,       ///< run: a case failed (or was inconclusive under --inconc-is-failure)
  exit_interrupted = 2,  ///< run: SIGINT/SIGTERM stopped the run (reports are still valid)
  exit_io = 3,           ///< a file could not be opened, read or written
  exit_harness = 3,      ///< run: harness or transport error, a case with verdict error, or a
                         ///< module whose identity does not match the lab file
  exit_usage = 4,        ///< bad command line, or an input that is not in the expected format
                         ///< (lint errors, scenario or lab files that do not load)
  exit_nothing_selected = 5,  ///< run: no scenario matched the selection
};

}  // namespace bcconform::cli
