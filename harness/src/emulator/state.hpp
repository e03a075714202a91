// Internal to the emulator: the interpreter's state and the services its command handlers
// share. interpreter.cpp owns the entry points, line assembly, dispatch, output and timers;
// *_commands.cpp files register handlers for their commands; socket_events.cpp turns network
// events into URCs.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/emulator/interpreter.hpp"
#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/command_table.hpp"

namespace bcconform::emulator {

/// AN 2.1.3 <socket_state>.
enum class socket_state : std::uint8_t {
  idle = 0,
  connecting = 1,
  connected = 2,
  closing = 3,
  remote_closing = 4,
  closed = 5
};

/// AN 2.1.1 / 2.1.3 <service_type>; "TCP INCOMING" is an accepted connection (AN 2.2.5).
enum class service : std::uint8_t { tcp, udp, tcp_listener, tcp_incoming, udp_service };

std::string_view to_string(service s) noexcept;

/// One received unit: a TCP segment's bytes or one UDP datagram (AN 2.1.5 note 3: the
/// remaining length is per node).
struct rx_node {
  std::string bytes;
  std::size_t read = 0;  ///< bytes already given out by AT+QIRD
};

struct socket_slot {
  bool in_use = false;
  service type = service::tcp;
  socket_state st = socket_state::idle;
  int context_id = 1;
  std::string remote_host;  ///< as given to AT+QIOPEN (or the peer of an incoming one)
  std::uint16_t remote_port = 0;
  std::uint16_t requested_local_port = 0;  ///< E8: AT+QISTATE shows the requested port
  std::uint16_t actual_local_port = 0;
  int access_mode = 0;            ///< 0 buffer, 1 direct push (AN 1.2)
  int server_id = -1;             ///< TCP INCOMING: the listener's connect ID
  std::deque<rx_node> rx;         ///< buffer mode (AN 2.1.5)
  std::size_t rx_bytes = 0;       ///< unread bytes in rx
  bool recv_urc_pending = false;  ///< "recv" URC given and buffer not yet drained (AN 1.2 note 1)
  bool paused = false;            ///< reading paused at the buffer limit (AN 2.2.3)
  bool send_in_flight = false;    ///< OK given, SEND OK not yet (AN 4.1.2)
  std::size_t unsent = 0;
  std::optional<timestamp> open_deadline;  ///< +QIOPEN timeout (AN 2.1.1 note 1)
  std::uint32_t generation = 0;  ///< bumped by every AT+QIOPEN: late callbacks of an earlier
                                 ///< use of this connect ID compare it and do nothing
  bool survives_sleep() const noexcept { return type == service::udp; }  // AN 2.1.1 note 3
};

/// Data mode after a prompt (AN 2.1.4, 2.1.6).
struct data_mode_state {
  bool active = false;
  int socket = -1;
  bool hex = false;         ///< AT+QISENDEX: hex digits typed, bytes sent (E19)
  std::int64_t fixed = -1;  ///< bytes (wire characters) still expected; -1 = until Ctrl+Z
  std::string buffer;
};

struct interpreter::state {
  state(profile p, host_interface& h, nvm_state n, fault_options f);

  profile prof;
  host_interface& host;
  nvm_state nvm;   ///< saved settings (AT&W, QICFG, ...)
  nvm_state live;  ///< settings in effect now (ATE0 without AT&W changes only this)
  fault_options faults;
  std::mt19937_64 rng;

  timestamp now{0};
  bool powered = false;
  bool booting = false;
  bool sleeping = false;
  timestamp last_activity{0};
  int last_error = 0;  ///< AT+QIGETERROR (AN 2.1.12, AN 3)
  int commands_seen = 0;
  bool stalled = false;
  bool attached = true;        ///< AT+CGATT (AN 4.1.1); AT+QIOPEN while detached → 561
  bool command_tcpip = false;  ///< the command being answered is a TCP/IP one: error() records
                               ///< its code for AT+QIGETERROR (AN 3); stays set in data mode
  bool swallow_lf = false;     ///< the previous byte was the CR ending a command (V.250 §5.2.1)
  bool sleep_timer_armed = false;  ///< a deep-sleep check is scheduled (AN 4.4)

  /// Output of the current instant; the entry points hand it to host.write() once at their end
  /// (and whenever 4 KiB have accumulated). Echo goes straight here, as a UART echoes; the
  /// services above queue behind output still scheduled (out_tail).
  std::string out;
  /// Output already scheduled for later (a delayed final result or URC) ends at this time; later
  /// output is never written before it, so the serial line keeps the order of the calls.
  timestamp out_tail{0};
  /// Output writes scheduled for later and not yet written (the overrun guard counts these).
  std::size_t output_backlog = 0;
  /// When the last final result was (or will be) written: URCs keep profile.urc_delay after it.
  std::optional<timestamp> last_result_at;

  std::string line;  ///< command line being typed
  bool line_overflow = false;
  data_mode_state data;
  /// URCs that became due while the host typed data-mode input: written after the send's
  /// result, in order (E79).
  std::vector<std::string> held_urcs;
  std::size_t held_bytes = 0;
  std::array<socket_slot, protocol::protocol_limits::connect_id_max + 1> sockets{};
  keepalive_settings keepalive;

  /// Pending network operations that answer through URCs (ping, ntp, dns), by token.
  std::uint32_t next_token = 1;
  std::map<std::uint32_t, std::function<void(const net_event&)>> awaiting;
  /// AT+QPING / AT+QIDNSGIP / AT+QNTP running (their results still to come): a second one is
  /// refused (net_commands.cpp).
  struct {
    bool ping = false, dns = false, ntp = false;
  } net_busy;
  std::uint32_t socket_generation = 0;  ///< source of socket_slot::generation

  /// Timers: callbacks due at a time; ties run in insertion order.
  struct timer {
    timestamp at;
    std::uint64_t seq;
    std::function<void()> fn;
  };
  std::vector<timer> timers;
  std::uint64_t timer_seq = 0;

  // --- services for handlers (interpreter.cpp) ------------------------------------------------
  /// Raw bytes to the serial line (nothing while powered off).
  void write(std::string_view bytes);
  /// "\r\n<text>\r\n".
  void line_out(std::string_view text);
  /// Final result OK (after profile.response_delay).
  void ok();
  /// Final ERROR; for TCP/IP commands also records `code` for AT+QIGETERROR (AN 3; TCP/IP
  /// commands answer plain ERROR whatever CMEE says, emulator.md §1.2).
  void error(int code);
  /// A URC line (after profile.urc_delay when it follows a result in the same instant).
  void urc(std::string_view text);
  /// Runs fn at `at` (>= now).
  void schedule(timestamp at, std::function<void()> fn);
  std::uint32_t await(std::function<void(const net_event&)> fn);
  void reboot();
  /// Several information lines as one response: "\r\n<l1>\r\n<l2>\r\n" (ATI, test forms).
  void info_lines(const std::vector<std::string>& lines);
  /// Applies a setting to the live settings, and to the saved ones when the command table marks
  /// the command as saved to NVM ("参数设置将保存至 NVM", e.g. AN 2.1.11, E34).
  void apply(const protocol::parsed_command& cmd, const std::function<void(nvm_state&)>& set);
};

/// A handler for one command; `cmd` has passed protocol::check_arguments, so every argument
/// is within the table's ranges. Handlers answer through the state's services.
using command_handler = std::function<void(interpreter::state&, const protocol::parsed_command&)>;

/// Handlers by command name ("+QIOPEN", "E", ...) and form.
class handler_registry {
 public:
  void add(std::string_view name, protocol::form f, command_handler h);
  const command_handler* find(std::string_view name, protocol::form f) const;

 private:
  std::map<std::pair<std::string, protocol::form>, command_handler> map_;
};

/// Reboots once the output written so far is out: at once, or after a delayed final result
/// (AT+QRST=1 after its OK, the reboot_after_commands fault). interpreter.cpp.
void reboot_after_output(interpreter::state& s);

/// Parameter `index` of a checked set command as an integer; when omitted, the default the
/// command table documents (0 if it documents none).
std::int64_t integer_or_default(const protocol::parsed_command& cmd, std::size_t index);

// Registration, one function per file.
void register_general_commands(handler_registry& r);  // general_commands.cpp
void register_config_commands(handler_registry& r);   // config_commands.cpp
void register_socket_commands(handler_registry& r);   // socket_commands.cpp
void register_net_commands(handler_registry& r);      // net_commands.cpp

/// Data-mode bytes (socket_commands.cpp): called by interpreter.cpp for every byte typed while
/// `data.active`. interpreter.cpp has already echoed the byte (echo on and
/// profile.data_mode_echo; Ctrl+Z and Esc of the variable-length mode are not echoed).
void on_data_mode_byte(interpreter::state& s, char c);
/// Network events for sockets (socket_events.cpp).
void on_socket_event(interpreter::state& s, const net_event& e);
/// Deep sleep (AN 4.4): TCP sockets are lost, UDP ones survive (AN 2.1.1 note 3).
void drop_sockets_for_sleep(interpreter::state& s);
/// Reboot / drop_link: every socket gone (socket_events.cpp).
void drop_all_sockets(interpreter::state& s, bool announce_closed);

}  // namespace bcconform::emulator
