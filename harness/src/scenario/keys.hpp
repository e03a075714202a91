// Key sets by mapping kind (accepted_keys() in loader.hpp), for the parsers.
#pragma once

#include <set>
#include <string>

namespace bcconform::scenario::detail {

/// accepted_keys().at(kind); `kind` must exist.
const std::set<std::string>& keys(const std::string& kind);
/// The keys that name a step's kind: send, expect, urc, ...
const std::set<std::string>& step_kinds();
/// The keys that name a peer action: tcp_listen, udp_open, accept, ...
const std::set<std::string>& peer_actions();

}  // namespace bcconform::scenario::detail
