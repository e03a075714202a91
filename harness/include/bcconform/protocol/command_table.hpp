// The command table: one declarative description of every AT command, URC, final result,
// error code and ping result code that bcconform knows, each with the section of the
// application note ("AN", BC25&BC32 TCP/IP Application Note V1.0) it comes from.
//
// This is the single source of truth. The encoders, the parser's line classification, the
// emulator's argument checks, the device fuzzer's generator, the fuzz dictionaries and the
// coverage report all read it; no protocol fact is written anywhere else. Where the note
// contradicts itself the entry follows a ruling in specs/ERRATA.md and names it ("E5").
//
// All data is static and immutable; every view returned here lives for the whole program.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string_view>

namespace bcconform::protocol {

/// The four forms of an AT command (3GPP TS 27.007 §4.1; ITU-T V.250 §5.3):
/// test `AT+X=?`, query `AT+X?`, set `AT+X=<...>`, execute `AT+X` (or a basic `ATE1`).
enum class form : std::uint8_t { test, query, set, exec };

std::string_view to_string(form f) noexcept;

enum class param_type : std::uint8_t {
  integer,        ///< unquoted decimal integer; range [min, max]
  quoted_string,  ///< "text"; length in [min, max] bytes
  quoted_enum,    ///< "TCP"; one of `choices`, compared case-sensitively
  quoted_hex,     ///< "3031"; an even number of hex digits, [min, max] *bytes* once decoded
  raw_text,       ///< unquoted bytes up to the end of the line (data-mode payload); not in a list
};

/// One parameter of a set form. Optional parameters nest: `depth` is how many `[` brackets
/// enclose it in the note's syntax, so `AT+QIOPEN=<a>,<b>[,<c>[,<d>]]` gives depths 0,0,1,2.
/// A parameter at depth k may only be present when every parameter before it is present.
struct param_spec {
  std::string_view name;  ///< as in the note, without angle brackets: "connectID"
  param_type type;
  std::int64_t min;                           ///< integer: lowest value; strings: minimum length
  std::int64_t max;                           ///< integer: highest value; strings: maximum length
  std::span<const std::string_view> choices;  ///< quoted_enum only
  bool has_default;                           ///< the note gives a default used when omitted
  std::int64_t default_value;                 ///< integer default (meaningful when has_default)
  std::uint8_t depth;                         ///< 0 = mandatory
  std::string_view section;                   ///< "AN 2.1.1"
  std::string_view note;  ///< ruling or remark, e.g. "E5: 0 accepted for listeners"
};

/// How a set form continues after its command line.
enum class data_mode : std::uint8_t {
  none,          ///< an ordinary command line
  until_ctrl_z,  ///< `> ` prompt, then data until Ctrl+Z (0x1A) sends or Esc (0x1B) cancels
  fixed_length,  ///< `> ` prompt, then exactly <send_length> bytes
};

/// The role a documented response line plays.
enum class line_role : std::uint8_t {
  info,      ///< information response before the final result
  final,     ///< final result code of the command
  deferred,  ///< second-stage result after the final (SEND OK, CLOSE OK)
  urc,       ///< unsolicited result the command causes (+QIOPEN, +QPING, ...)
};

struct response_spec {
  std::string_view format;  ///< as documented: "+QIRD: <actual_read_length>[,<remaining_length>]"
  line_role role;
};

struct form_spec {
  form kind;
  std::string_view key;  ///< keyed set forms: first parameter's literal ("viewmode"), else ""
  std::span<const param_spec> params;  ///< set forms (the key is not listed here)
  std::span<const response_spec> responses;
  data_mode data;           ///< set forms that enter data mode
  std::string_view syntax;  ///< as documented: "AT+QIRD=<connectID>,<read_length>"
  std::string_view section;
};

struct command_spec {
  std::string_view name;         ///< text after "AT", upper case: "+QIOPEN", "E", "I", "&W", ""
  std::string_view title;        ///< short English description
  std::string_view section;      ///< "AN 2.1.1"; general commands: "AN 4.1.1 (example)" etc.
  std::string_view info_prefix;  ///< prefix of its information lines ("+QIRD"), "" if none
  std::span<const form_spec> forms;
  std::chrono::milliseconds max_response;  ///< until the final result (AN: "最大响应时间")
  std::chrono::milliseconds max_deferred;  ///< until the deferred result or URC; 0 = none
  bool nvm;    ///< settings saved to NVM (AN: "参数设置将保存至 NVM")
  bool tcpip;  ///< TCP/IP family: errors set the AT+QIGETERROR code (AN 3)
  bool basic;  ///< V.250 basic syntax (ATE1, ATI, AT&W) rather than extended
};

/// Unsolicited result codes (AN 2.2 and the command sections that announce them).
enum class urc_id : std::uint8_t {
  qiopen,         ///< +QIOPEN: <connectID>,<err>                       AN 2.1.1
  closed,         ///< +QIURC: "closed",<connectID>                     AN 2.2.1
  recv,           ///< +QIURC: "recv",<connectID>[,<len>] (+ data in direct push) AN 2.2.2
  buff_full,      ///< +QIURC: "recv",<connectID>,"buff full"           AN 2.2.3
  incoming_full,  ///< +QIURC: "incoming full"                          AN 2.2.4
  incoming,       ///< +QIURC: "incoming",<id>,<serverID>,<ip>,<port>   AN 2.2.5
  dnsgip,         ///< +QIURC: "dnsgip",... (header or address line)    AN 2.1.10
  qidnsgip,       ///< +QIDNSGIP: ... (prefix used by sibling firmware; test-form prefix)
  qping,          ///< +QPING: <result>[,...] / summary                 AN 2.1.8
  qntp,           ///< +QNTP: <err>[,<time>]                            AN 2.1.9
  qatsleep,       ///< +QATSLEEP                                        AN 4.4
  qatwakeup,      ///< +QATWAKEUP                                       AN 4.4
  rdy,            ///< RDY (boot)                                       emulator.md §1.2
};

struct urc_spec {
  urc_id id;
  std::string_view name;     ///< short name used in events and reports: "recv", "QIOPEN"
  std::string_view match;    ///< what a line starts with: "+QIURC: \"recv\",", "+QIOPEN:", "RDY"
  bool whole_line;           ///< `match` must be the entire line (RDY, +QATSLEEP, "incoming full")
  std::string_view format;   ///< documented format
  std::string_view trigger;  ///< command that causes it ("+QIOPEN"), "" if spontaneous
  std::string_view section;
};

/// Final and deferred result codes, matched against whole lines only (never as substrings).
enum class final_id : std::uint8_t { ok, error, cme_error, send_ok, send_fail, close_ok };

struct final_spec {
  final_id id;
  std::string_view text;  ///< "OK", "SEND OK"; for cme_error the prefix "+CME ERROR: "
  bool deferred;          ///< SEND OK / SEND FAIL / CLOSE OK follow an earlier OK
  std::string_view section;
};

/// AN 3, table 1. Code 0 is "Operation successful".
struct error_code_spec {
  int code;
  std::string_view description;     ///< English text of the table
  std::string_view description_zh;  ///< Chinese text of the table
  bool provokable;                  ///< reachable from the AT interface with a host network
  std::string_view note;            ///< why not provokable, or which ruling applies
};

/// AN 3, table 2 (ping <result>/<finresult>).
struct ping_result_spec {
  int code;
  std::string_view name;  ///< "PING_SUCCESS"
  std::string_view description_zh;
};

/// One worked example of AN chapter 4 "举例" (section headings of the note, L957-L1329).
struct example_spec {
  std::string_view section;  ///< "AN 4.1.2"
  std::string_view title;    ///< English rendering of the heading
};

std::span<const command_spec> commands() noexcept;
std::span<const urc_spec> urcs() noexcept;
std::span<const final_spec> finals() noexcept;
std::span<const error_code_spec> error_codes() noexcept;
std::span<const ping_result_spec> ping_results() noexcept;
/// Every example of AN chapter 4, in the note's order.
std::span<const example_spec> examples() noexcept;

/// Looks a command up by the text after "AT" ("+qird" and "+QIRD" both find AT+QIRD;
/// V.250 makes command names case-insensitive). nullptr if unknown.
const command_spec* find_command(std::string_view name) noexcept;
/// The command whose information lines start with `prefix` ("+QISTATE"), or nullptr.
const command_spec* find_command_by_info_prefix(std::string_view prefix) noexcept;
/// The form of `cmd` of kind `f` (for keyed set forms, the one with `key`), or nullptr.
const form_spec* find_form(const command_spec& cmd, form f, std::string_view key = {}) noexcept;
const urc_spec& urc(urc_id id) noexcept;
const final_spec& final_result(final_id id) noexcept;
/// nullptr for codes not in AN 3 table 1.
const error_code_spec* find_error_code(int code) noexcept;
const ping_result_spec* find_ping_result(int code) noexcept;

/// Limits the note states that are not parameters of a single command.
struct protocol_limits {
  static constexpr int connect_id_min = 0;  ///< AN 2.1.1 <connectID> 0-5
  static constexpr int connect_id_max = 5;
  static constexpr int context_id_min = 1;  ///< AN 2.1.1 <contextID> 1-3
  static constexpr int context_id_max = 3;
  static constexpr int max_send_length = 512;  ///< AN 2.1.4 <send_length>
  static constexpr int max_read_length = 512;  ///< AN 2.1.5 <read_length>
};

}  // namespace bcconform::protocol
