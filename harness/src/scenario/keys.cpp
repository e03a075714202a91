// The key sets of every YAML mapping the loaders accept, and the built-in variable names. The
// parsers take their key sets from here, and a test holds the JSON Schemas to the same sets.
#include "keys.hpp"

#include "bcconform/scenario/loader.hpp"

namespace bcconform::scenario {

const std::map<std::string, std::set<std::string>>& accepted_keys() {
  static const std::map<std::string, std::set<std::string>> keys = {
      // Files and scenarios.
      {"file",
       {"title", "spec", "tags", "requires", "vars", "ignore_urcs", "unclaimed_urcs", "setup",
        "teardown", "scenarios"}},
      {"scenario",
       {"id", "title", "spec", "tags", "requires", "vars", "setup", "steps", "teardown",
        "ignore_urcs", "unclaimed_urcs", "errata"}},
      // Steps: the kind key and the options beside it.
      {"send", {"send"}},
      {"expect", {"expect", "timeout"}},
      {"urc", {"urc", "timeout"}},
      {"prompt", {"prompt"}},
      {"data", {"data"}},
      {"payload", {"payload", "timeout"}},
      {"peer", {"peer"}},
      {"wait", {"wait"}},
      {"hook", {"hook"}},
      {"control", {"control"}},
      {"include", {"include"}},
      // Mappings inside steps.
      {"matcher", {"line", "re", "final", "payload"}},
      {"payload_spec", {"text", "hex", "length", "re"}},
      {"prompt_options", {"timeout"}},
      {"data_options", {"text", "hex", "end"}},
      {"control_options", {"line", "reply"}},
      {"peer.tcp_listen", {"tcp_listen", "timeout"}},
      {"peer.udp_open", {"udp_open", "timeout"}},
      {"peer.accept", {"accept", "as", "timeout"}},
      {"peer.connect", {"connect", "to", "timeout"}},
      {"peer.send", {"send", "text", "hex", "to", "timeout"}},
      {"peer.expect", {"expect", "text", "hex", "length", "re", "timeout"}},
      {"peer.close", {"close", "timeout"}},
      {"peer.reset", {"reset", "timeout"}},
      {"peer.expect_close", {"expect_close", "timeout"}},
      {"peer.dns", {"dns", "records", "timeout"}},
      {"peer.sntp", {"sntp", "timeout"}},
      // The lab file.
      {"lab",
       {"target", "model", "module_address", "peer_address", "identity", "capabilities", "hooks",
        "vars", "ignore_urcs"}},
      {"lab.identity", {"manufacturer", "model", "revision"}},
  };
  return keys;
}

const std::set<std::string>& builtin_variables() {
  // module.address / peer.address: the lab's addresses (loopback against bcemu); model: the
  // lab's module model (BC25, BC32).
  static const std::set<std::string> names = {"module.address", "peer.address", "model"};
  return names;
}

namespace detail {

const std::set<std::string>& keys(const std::string& kind) {
  return accepted_keys().at(kind);
}

const std::set<std::string>& step_kinds() {
  static const std::set<std::string> kinds = {"send", "expect",  "urc",    "prompt",
                                              "data", "payload", "peer",   "wait",
                                              "hook", "control", "include"};
  return kinds;
}

const std::set<std::string>& peer_actions() {
  static const std::set<std::string> actions = {"tcp_listen",   "udp_open", "accept", "connect",
                                                "send",         "expect",   "close",  "reset",
                                                "expect_close", "dns",      "sntp"};
  return actions;
}

}  // namespace detail
}  // namespace bcconform::scenario
