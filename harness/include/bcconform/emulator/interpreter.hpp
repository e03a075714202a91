// The emulated module as a sans-I/O state machine: bytes from the host's serial line in, bytes
// for the serial line and network requests out. Time is injected on every call (no clock
// inside), randomness comes from the seed; the same inputs at the same times give the same
// outputs. The bcemu shell feeds it from stdio, a pty or TCP and executes its net_requests on
// real sockets; the unit tests and fuzz_emulator feed it directly with a fake network.
//
// Behaviour follows the application note (AN) chapters 1-3 and the rulings of specs/ERRATA.md;
// argument checks go through protocol::check_arguments, i.e. the command table.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bcconform/emulator/net.hpp"
#include "bcconform/emulator/profile.hpp"

namespace bcconform::emulator {

/// What the host side executes for the interpreter. Called synchronously from the
/// interpreter's entry points; must not call back into the interpreter.
class host_interface {
 public:
  virtual ~host_interface() = default;
  /// Bytes for the serial line, in order.
  virtual void write(std::string_view bytes) = 0;
  /// A network operation; its outcome comes back later through on_net_event().
  virtual void request(const net_request& r) = 0;
  /// The module rebooted (AT+QRST, a control reset, an injected fault): the host drops
  /// every connection it holds for the interpreter before the next call.
  virtual void rebooted() {}
};

/// Settings that survive a reboot (AN "参数设置将保存至 NVM"; AT&W, emulator.md §1.2).
struct nvm_state {
  bool echo = true;
  int cmee = 0;
  int qsclk = 0;
  bool wakeup_urcs = true;
  int send_format = 0, recv_format = 0;  ///< AT+QICFG="dataformat" (E34)
  int viewmode = 0;                      ///< AT+QICFG="viewmode" (E34)
  int showlength = 0;                    ///< AT+QICFG="showlength" (E34)
  std::string dns_primary, dns_secondary;  ///< AT+QIDNSCFG
  friend bool operator==(const nvm_state&, const nvm_state&) = default;
};

/// Factory settings of a profile.
nvm_state factory_nvm(const profile& p);
/// One-line JSON for the --state file, and back (errors name the key).
std::string to_json(const nvm_state& s);
protocol::result<nvm_state> nvm_from_json(std::string_view text);

/// The module's pins and the lab around it, as driven by the control channel.
enum class control : std::uint8_t {
  wake,       ///< pulse PSM_EINT (AN 4.4)
  reset,      ///< reset pin: reboot
  power_off,  ///< no output, no input until power_on
  power_on,   ///< boot
  drop_link,  ///< the network drops every socket (peer_reset on each)
};

/// Faults the interpreter itself injects (the shell injects the byte-level ones).
struct fault_options {
  std::uint64_t seed = 0;
  int reboot_after_commands = 0;  ///< >0: reboot after this many command lines
  int stall_after_commands = 0;   ///< >0: from then on, commands get no answer
};

class interpreter {
 public:
  interpreter(profile p, host_interface& host, nvm_state nvm, fault_options faults = {});
  ~interpreter();
  interpreter(const interpreter&) = delete;
  interpreter& operator=(const interpreter&) = delete;

  /// Power-on: boot URCs after profile.boot_time (AN: RDY).
  void power_on(timestamp now);
  /// Bytes from the host's serial line, in any chunking.
  void on_host_bytes(timestamp now, std::string_view bytes);
  /// The outcome of an earlier net_request, or an unsolicited network event.
  void on_net_event(timestamp now, const net_event& e);
  /// A pin or lab action.
  void on_control(timestamp now, control c);
  /// Writes `text` as a URC line, as if the module had sent it (fault injection: forged URCs).
  void inject_urc(timestamp now, std::string_view text);
  /// Runs everything due at `now` (timers: delayed results, timeouts, sleep).
  void advance(timestamp now);
  /// When advance() next has work, if ever.
  std::optional<timestamp> next_deadline() const;

  const nvm_state& nvm() const;
  bool asleep() const;
  bool powered() const;
  const profile& config() const;

  /// The module's state, shared by the command handlers; defined in the internal header
  /// harness/src/emulator/state.hpp. Public only so that handler files can name it.
  struct state;

 private:
  std::unique_ptr<state> s_;
};

}  // namespace bcconform::emulator
