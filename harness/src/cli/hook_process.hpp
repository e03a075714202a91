// Lab hooks (`hooks: {reset: "uhubctl -a cycle -p 2"}`): shell command lines run with a
// deadline. The command runs as `/bin/sh -c LINE` in its own process group, standard input from
// /dev/null, standard output and error captured (the last few KiB are kept for the message); on
// timeout the whole group is killed, so a hung relay script cannot stall the run.
#pragma once

#include <chrono>
#include <string>

namespace bcconform::cli {

struct hook_outcome {
  bool ok = false;      ///< exited with status 0 before the deadline
  std::string message;  ///< why not: "exit status 2", "killed after 60 s", "cannot start: ..."
  std::string output;   ///< the end of what the command printed (stdout and stderr together)
};

hook_outcome run_hook_command(const std::string& command_line, std::chrono::milliseconds timeout);

}  // namespace bcconform::cli
