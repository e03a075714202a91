// Internal to the command table: the per-area form arrays (defined in
// command_table_tcpip.cpp and command_table_general.cpp) and the small constexpr helpers that
// keep their entries short. command_table.cpp assembles the command list from these arrays.
//
// The arrays are declared with their sizes so that command_table.cpp can build its constexpr
// command list from their addresses; a size that disagrees with the definition does not
// compile. Everything here is constant-initialised: no global constructors.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "bcconform/protocol/command_table.hpp"

namespace bcconform::protocol::detail {

/// An integer parameter without a documented default.
constexpr param_spec integer_param(std::string_view name, std::int64_t min, std::int64_t max,
                                   std::uint8_t depth, std::string_view section,
                                   std::string_view note = {}) {
  return {name, param_type::integer, min, max, {}, false, 0, depth, section, note};
}

/// An integer parameter whose default the note states (used when the parameter is omitted).
constexpr param_spec defaulted_param(std::string_view name, std::int64_t min, std::int64_t max,
                                     std::int64_t default_value, std::uint8_t depth,
                                     std::string_view section, std::string_view note = {}) {
  return {name, param_type::integer, min, max, {}, true, default_value, depth, section, note};
}

/// A quoted string parameter; min/max are lengths in bytes.
constexpr param_spec string_param(std::string_view name, std::int64_t min_len, std::int64_t max_len,
                                  std::uint8_t depth, std::string_view section,
                                  std::string_view note = {}) {
  return {name, param_type::quoted_string, min_len, max_len, {}, false, 0, depth, section, note};
}

/// A quoted parameter restricted to documented literals (compared case-sensitively).
constexpr param_spec enum_param(std::string_view name, std::span<const std::string_view> choices,
                                std::uint8_t depth, std::string_view section,
                                std::string_view note = {}) {
  return {name, param_type::quoted_enum, 0, 0, choices, false, 0, depth, section, note};
}

/// A quoted hex string; min/max count decoded bytes (E19).
constexpr param_spec hex_param(std::string_view name, std::int64_t min_bytes,
                               std::int64_t max_bytes, std::uint8_t depth, std::string_view section,
                               std::string_view note = {}) {
  return {name, param_type::quoted_hex, min_bytes, max_bytes, {}, false, 0, depth, section, note};
}

// --- TCP/IP commands (AN chapter 2), command_table_tcpip.cpp ---------------------------------
extern const std::array<form_spec, 2> qiopen_forms;
extern const std::array<form_spec, 2> qiclose_forms;
extern const std::array<form_spec, 4> qistate_forms;
extern const std::array<form_spec, 4> qisend_forms;
extern const std::array<form_spec, 2> qird_forms;
extern const std::array<form_spec, 4> qisendex_forms;
extern const std::array<form_spec, 3> qiswtmd_forms;
extern const std::array<form_spec, 2> qping_forms;
extern const std::array<form_spec, 2> qntp_forms;
extern const std::array<form_spec, 2> qidnsgip_forms;
extern const std::array<form_spec, 4> qicfg_forms;
extern const std::array<form_spec, 2> qigeterror_forms;
extern const std::array<form_spec, 3> qikalive_forms;
extern const std::array<form_spec, 3> qidnscfg_forms;

// --- General commands around the TCP/IP set, command_table_general.cpp -----------------------
extern const std::array<form_spec, 1> at_forms;
extern const std::array<form_spec, 2> ate_forms;
extern const std::array<form_spec, 1> ati_forms;
extern const std::array<form_spec, 2> atw_forms;
extern const std::array<form_spec, 3> cgatt_forms;
extern const std::array<form_spec, 4> cgpaddr_forms;
extern const std::array<form_spec, 3> qsclk_forms;
extern const std::array<form_spec, 3> cmee_forms;
extern const std::array<form_spec, 2> cgmr_forms;
extern const std::array<form_spec, 2> qrst_forms;

}  // namespace bcconform::protocol::detail
