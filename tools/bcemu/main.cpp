// bcemu: the BC25/BC32 emulator. Parses argv and runs the emulator_host library.
#include <iostream>

#include "bcconform/emulator_host/host.hpp"
#include "bcconform/emulator_host/options.hpp"

int main(int argc, char** argv) {
  namespace host = bcconform::emulator_host;
  auto cmd = host::parse_command_line(argc, argv, BCCONFORM_VERSION, std::cout, std::cerr);
  if (!cmd.options) return cmd.exit_code;
  return host::run(*cmd.options, argv[0], std::cout, std::cerr);
}
