// The lab file (`--lab FILE`): what belongs to one bench rather than to the spec.
//
//   target: serial:/dev/ttyUSB0?baud=9600      # URI, see transport/open.hpp
//   model: BC25
//   module_address: 10.0.0.2                   # where the module's listeners are reached
//   peer_address: 10.0.0.1                     # where peers bind and the module reaches them
//   identity: {manufacturer: Quectel, model: BC25, revision: 'BC25.*'}   # RE2 on ATI / CGMR
//   capabilities: [network, deep-sleep, udp-service]
//   hooks: {reset: "uhubctl -a cycle -p 2", wake: "gpioset gpiochip0 17=1"}
//   vars: {apn: internet}
//   ignore_urcs: ['\+CEREG: .*']
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/scenario/model.hpp"

namespace bcconform::scenario {

struct module_identity {
  std::string manufacturer;  ///< RE2, whole line of ATI's first line; "" = not checked
  std::string model;         ///< RE2, ATI's second line
  std::string revision;      ///< RE2, "Revision: ..." / AT+CGMR
};

struct lab {
  std::string path;
  std::string target;
  std::string model;
  std::string module_address;
  std::string peer_address;
  module_identity identity;
  std::vector<std::string> capabilities;
  std::map<std::string, std::string> hooks;  ///< name -> shell command line
  std::map<std::string, std::string> vars;
  std::vector<std::string> ignore_urcs;
  source_pos pos;
};

struct lab_result {
  lab value;
  std::vector<load_error> errors;
  bool ok() const { return errors.empty(); }
};

/// Loads and validates a lab file (same error rules and limits as scenario files). Every key is
/// optional; whoever uses a value that is absent says so (the runner, the command line).
lab_result load_lab(const std::string& path);

/// Loads lab YAML text as if read from `name`.
lab_result load_lab_text(std::string_view text, const std::string& name);

}  // namespace bcconform::scenario
