// The module side of `bcconform run`: which target a run talks to, what it can do, and how each
// case gets a fresh module.
//
//  - The default target is bcemu beside the bcconform executable, restarted for every case
//    (`exec:<dir>/bcemu --stdio --model M --control <private dir>/control.sock --time-scale X
//    --quiet`): every case starts from a cold boot, so cases are independent and shardable.
//  - Any other target (a lab file's `target:` or --target) is opened once; before each case
//    the lab's `reset` hook runs if there is one (the link is closed around it, since a power
//    cycle may make a USB serial device vanish), otherwise the cases' teardowns are what keeps
//    them independent. A link that failed during a case is reopened for the next.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "bcconform/protocol/result.hpp"
#include "bcconform/transport/open.hpp"
#include "bcconform/transport/tap.hpp"

namespace bcconform::cli {

struct target_config {
  transport::target_uri uri;
  bool restart_per_case = false;             ///< the default emulator: a new process per case
  std::string control_socket;                ///< bcemu's --control path; "" when there is none
  std::map<std::string, std::string> hooks;  ///< the lab's: name -> shell command line
  std::chrono::milliseconds hook_timeout{120000};
  std::chrono::milliseconds control_timeout{5000};
  /// How long a link may take to come back after a reset hook.
  std::chrono::milliseconds reopen_timeout{20000};
  transport::open_options open;
};

/// bcemu beside this executable (the directory of /proc/self/exe; "./bcemu" if unreadable).
std::string bundled_bcemu_path();

/// Whether a module behind `u` reaches peers the harness binds on loopback: an emulator behind
/// exec: or pty:, or a tcp: target on loopback (bcemu --listen). A serial module or a recording
/// reaches none without a lab file.
bool local_module(const transport::target_uri& u);

/// The default emulator target: `bcemu` with the flags above (argv built directly, so paths
/// with spaces need no quoting).
transport::target_uri emulator_uri(const std::string& bcemu_path, const std::string& model,
                                   double time_scale, const std::string& control_socket);

/// What the run needs to know of bcemu's profile for `model`.
struct emulator_facts {
  /// network, deep-sleep, control-channel, and udp-service when the profile enables UDP
  /// SERVICE (E3, E40), no-udp-service when it does not (the case checking its refusal).
  std::set<std::string> capabilities;
  std::string boot_marker;  ///< the profile's first boot URC ("RDY"), "" if none
};

/// Reads bcemu's profile for `model` (found as bcemu finds it). Error when it cannot be read.
protocol::result<emulator_facts> read_emulator_facts(const std::string& bcemu_path,
                                                     const std::string& model);

class module_target {
 public:
  explicit module_target(target_config c);
  ~module_target();
  module_target(const module_target&) = delete;
  module_target& operator=(const module_target&) = delete;

  /// A fresh module for the next case (see the file comment). The tap is owned here and stays
  /// valid until the next call.
  protocol::result<transport::tap*> fresh(bool previous_error);

  /// The link's description, or the URI before anything was opened.
  std::string describe() const;

  /// Runs the named hook: the lab's command line if it has one; on an emulator, the control
  /// channel's pins (wake, reset, power-off, power-on, power-cycle). "" on success.
  std::string hook(const std::string& name);

  bool has_control() const { return !config_.control_socket.empty(); }
  /// One control-channel exchange (case_context::control).
  bool control(const std::string& line, std::string& reply, std::string& error);

 private:
  protocol::result<transport::tap*> open_link(std::chrono::milliseconds retry_for);

  target_config config_;
  std::unique_ptr<transport::tap> tap_;
};

}  // namespace bcconform::cli
