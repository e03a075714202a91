// A module profile: the knobs where BC25 and BC32 firmware may differ, or where the note leaves
// a choice open, as data. One JSON file per model (tools/bcemu/profiles/<MODEL>.json).
//
// Ranges, forms and response formats are not here: those are the command table's. A profile
// only chooses among documented alternatives and supplies what the note does not state.
//
// File format: an object whose members are knobs; every knob is `{"value": V, "source": S}`,
// where S cites the note ("AN 2.1.1 note 1"), a ruling ("E9"), or begins with "chosen:" and
// says why the value was picked where nothing documents it. Unknown keys, missing knobs,
// wrong types and values outside a knob's domain are errors naming the key. Knobs are named
// after the members below; durations are integers in milliseconds, named with an "_ms" suffix
// ("boot_time_ms"). profile_knobs() lists them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/result.hpp"

namespace bcconform::emulator {

struct profile {
  std::string model;                    ///< "BC25"
  // Identity (emulator.md §1.2)
  std::vector<std::string> ati_lines;   ///< ATI information lines
  std::string revision;                 ///< firmware revision, for ATI and AT+CGMR
  std::string pdp_address;              ///< AT+CGPADDR? address (AN 4.1.1)
  // Defaults after a factory reset
  bool echo_default = true;             ///< ATE1 (emulator.md §1.2)
  int cmee_default = 0;
  int qsclk_default = 0;                ///< deep sleep off until AT+QSCLK=1
  bool wakeup_urcs = true;              ///< +QATSLEEP/+QATWAKEUP shown (E44)
  std::vector<std::string> boot_urcs;   ///< {"RDY"}
  bool qrst_ok_before_reboot = true;
  // Choices among documented alternatives
  bool udp_service_supported = false;   ///< E3, E40
  bool qiopen_test_lists_udp_service = false;  ///< E3
  bool qistate_lists_incoming = true;   ///< E11
  int remote_close_state = 4;           ///< E9: socket_state after a peer close
  bool qiclose_closed_id_is_error = true;  ///< close of an ID that is not open
  bool incoming_lowest_free_id = false; ///< false: highest free ID (emulator.md §2.2)
  bool esc_cancel_is_error = true;      ///< E13: Esc in data mode → ERROR + 571
  bool data_mode_echo = true;           ///< echo of data-mode bytes while echo is on
  bool qicfg_set_echoes_value = true;   ///< E30
  bool qping_ip_quoted = false;         ///< E22
  bool dns_ip_quoted = true;            ///< E29
  std::string qigeterror_separator;     ///< ", " as AN 4.8 prints it
  bool qigeterror_lower_case = true;    ///< AN 4.8 "invalid parameters" (E42)
  bool ping_simulated = false;          ///< true: replies are simulated, and say so
  // Limits
  std::size_t buffer_limit = 0;         ///< bytes kept per socket before "buff full" (AN 2.2.3)
  std::size_t send_buffer_limit = 0;    ///< unsent bytes per socket before SEND FAIL (AN 2.1.4)
  // Timings
  std::chrono::milliseconds qiopen_timeout_ip{36000};     ///< AN 2.1.1 note 1
  std::chrono::milliseconds qiopen_timeout_name{176000};  ///< AN 2.1.1 note 1
  std::chrono::milliseconds response_delay{0};   ///< before each final result
  std::chrono::milliseconds urc_delay{0};        ///< between OK and a following URC (§1.1)
  std::chrono::milliseconds sleep_after{0};      ///< idle time before +QATSLEEP (AN 4.4)
  std::chrono::milliseconds boot_time{0};        ///< reset until RDY

  /// Knob name → source, as read from the file (for the report and the tests).
  std::map<std::string, std::string> sources;
};

/// Parses a profile file's text. `origin` names the file in error details.
protocol::result<profile> parse_profile(std::string_view json_text, std::string_view origin);

/// Every knob name a profile file must define, in file order.
const std::vector<std::string_view>& profile_knobs();

}  // namespace bcconform::emulator
