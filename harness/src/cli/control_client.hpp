// The client side of bcemu's control channel (--control PATH): a Unix stream socket taking one
// command per line and answering one line ("ok ..." or "error: ..."). One connection per
// exchange, so a restarted emulator is picked up without any state here.
#pragma once

#include <chrono>
#include <string>

namespace bcconform::cli {

/// Connects to `socket_path`, sends `line` and a newline, and reads the reply line (without
/// its newline), everything before `timeout`. False with `error` set on any failure.
bool control_exchange(const std::string& socket_path, const std::string& line,
                      std::chrono::milliseconds timeout, std::string& reply, std::string& error);

}  // namespace bcconform::cli
