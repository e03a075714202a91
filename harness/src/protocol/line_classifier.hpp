// Internal: classifies one complete module line using the command table only.
#pragma once

#include <string_view>

#include "bcconform/protocol/command_table.hpp"

namespace bcconform::protocol::detail {

/// What the table says a line is, before any context is applied.
struct line_class {
  const final_spec* final = nullptr;   ///< whole-line final (or +CME ERROR: prefix)
  const urc_spec* urc = nullptr;       ///< URC whose match string fits the line
  const command_spec* info = nullptr;  ///< command whose info prefix the line carries
  std::string_view prefix;             ///< "+QIRD" for `+QIRD: 10`; "" without a colon
  std::string_view params;             ///< text after "<prefix>: "
  std::string_view qiurc_subtype;      ///< `recv` for `+QIURC: "recv",...`
  std::string_view info_name;          ///< display_name(*info) when info is set
};

/// Looks the line up in indexes built once from the command table. Allocation-free.
line_class classify_line(std::string_view line) noexcept;

/// "QIRD" for +QIRD, "ATI" for ATI, "AT" for AT: a stable display name for a command.
std::string_view display_name(const command_spec& spec) noexcept;

/// Builds the indexes; call once before any feed() so feed() never allocates.
void warm_up_classifier();

}  // namespace bcconform::protocol::detail
