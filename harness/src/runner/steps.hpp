// The step implementations of the engine, one function per step kind, grouped by file:
// command_steps.cpp (send, expect, urc), data_steps.cpp (prompt, data, payload),
// peer_steps.cpp (peer), misc_steps.cpp (wait, hook, control).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "bcconform/peer/dns_responder.hpp"
#include "bcconform/peer/sntp_responder.hpp"
#include "bcconform/peer/tcp.hpp"
#include "bcconform/peer/udp.hpp"
#include "bcconform/runner/engine.hpp"
#include "bcconform/scenario/model.hpp"
#include "module_link.hpp"
#include "variables.hpp"

namespace bcconform::runner::detail {

/// How a step ended. `fail`: the module did something the scenario does not allow; `error`:
/// the harness, the link or a peer could not do its part (or the scenario is inconsistent).
struct step_outcome {
  enum class status { ok, fail, error, interrupted } result = status::ok;
  std::string kind;  ///< overrides the step's kind in the failure ("transport", "timing")
  std::string message;
  std::string expected;
  std::string got;

  bool ok() const { return result == status::ok; }
  static step_outcome success() { return {}; }
  static step_outcome fail(std::string message, std::string expected = {}, std::string got = {}) {
    return {status::fail, {}, std::move(message), std::move(expected), std::move(got)};
  }
  static step_outcome error(std::string message, std::string expected = {}, std::string got = {}) {
    return {status::error, {}, std::move(message), std::move(expected), std::move(got)};
  }
  static step_outcome interrupted() { return {status::interrupted, {}, "interrupted", {}, {}}; }
};

/// The peer objects a case created, by name. Destroyed when the case ends.
struct peer_objects {
  std::map<std::string, peer::tcp_server> servers;
  std::map<std::string, peer::tcp_connection> connections;
  std::map<std::string, peer::udp_peer> udp;
  std::map<std::string, peer::endpoint> udp_last_sender;
  std::map<std::string, peer::dns_responder> dns;
  std::map<std::string, peer::sntp_responder> sntp;
};

/// Everything a step may use and the facts steps hand to each other.
struct run_state {
  const case_context& ctx;
  module_link& link;
  variables& vars;
  peer_objects& peers;
  bool interruptible = true;  ///< false in teardown: it runs to its deadlines
  /// The line the last `urc` step claimed, for a following `payload` step.
  std::optional<module_line> last_claimed;
  bool payload_taken = false;
};

/// The outcome for a link that went down (end of stream, child exited, device gone).
step_outcome link_down(const module_link& link);
/// The outcome of a wait that did not end `ready`: timeout (fail, with `what`), interrupt, or
/// a dead link.
step_outcome not_ready(module_link::wait_status s, const module_link& link, std::string what,
                       std::string expected, std::string got);
/// The module's echo of what the host sent for `cmd` (ATE1, V.250 §6.2.4; data-mode echo).
bool own_echo(const module_line& l, const sent_command& cmd);
/// "300 ms", "1.5 s".
std::string format_duration(std::chrono::milliseconds d);
/// Lines joined with " | " for one-line failure fields.
std::string join_lines(const std::vector<std::string>& lines);
/// The queued asynchronous lines, for "what arrived instead" listings.
std::vector<std::string> render_queue(const std::deque<module_line>& q);

step_outcome run_send(const scenario::send_step& s, run_state& st);
step_outcome run_expect(const scenario::expect_step& s, run_state& st);
step_outcome run_urc(const scenario::urc_step& s, run_state& st);
step_outcome run_prompt(const scenario::prompt_step& s, run_state& st);
step_outcome run_data(const scenario::data_step& s, run_state& st);
step_outcome run_payload(const scenario::payload_step& s, run_state& st);
step_outcome run_peer(const scenario::peer_step& s, run_state& st);
step_outcome run_wait(const scenario::wait_step& s, run_state& st);
step_outcome run_hook(const scenario::hook_step& s, run_state& st);
step_outcome run_control(const scenario::control_step& s, run_state& st);

/// Default deadlines (see engine.hpp for the rules).
inline constexpr std::chrono::milliseconds unknown_command_budget{5000};
inline constexpr std::chrono::milliseconds default_urc_budget{60000};
inline constexpr std::chrono::milliseconds default_prompt_budget{5000};
inline constexpr std::chrono::milliseconds default_peer_budget{10000};
inline constexpr std::chrono::milliseconds default_payload_budget{5000};
inline constexpr std::chrono::milliseconds write_budget{5000};

}  // namespace bcconform::runner::detail
