// The command list, URCs, final results, error codes and ping result codes, and the lookups.
// The forms of each command live in command_table_tcpip.cpp and command_table_general.cpp.
#include "bcconform/protocol/command_table.hpp"

#include <array>
#include <cstddef>
#include <string_view>

#include "command_table_data.hpp"

namespace bcconform::protocol {
namespace {

using namespace std::chrono_literals;
using sv = std::string_view;

// Every TCP/IP command answers its final result within 300 ms ("最大响应时间 300 毫秒" in each
// section of AN 2.1). Deferred limits, where the note gives none, are rulings (E48).
constexpr auto at_300ms = std::chrono::milliseconds{300ms};

constexpr std::array<command_spec, 24> command_data{{
    // name, title, section, info_prefix, forms, max_response, max_deferred, nvm, tcpip, basic
    // E7: 300 ms until OK; +QIOPEN within 36 s for an IP address, 176 s for a domain name
    // (AN 2.1.1 note 1): max_deferred is the larger of the two.
    {"+QIOPEN", "Open a socket", "AN 2.1.1", "+QIOPEN", detail::qiopen_forms, at_300ms, 176s, false,
     true, false},
    // E39: CLOSE OK may take up to 10 s (AN 4.3.4).
    {"+QICLOSE", "Close a socket", "AN 2.1.2", "+QICLOSE", detail::qiclose_forms, at_300ms, 10s,
     false, true, false},
    {"+QISTATE", "Query socket status", "AN 2.1.3", "+QISTATE", detail::qistate_forms, at_300ms,
     0ms, false, true, false},
    // E48: SEND OK / SEND FAIL within 10 s, as CLOSE OK.
    {"+QISEND", "Send text data", "AN 2.1.4", "+QISEND", detail::qisend_forms, at_300ms, 10s, false,
     true, false},
    {"+QIRD", "Read received data", "AN 2.1.5", "+QIRD", detail::qird_forms, at_300ms, 0ms, false,
     true, false},
    {"+QISENDEX", "Send hex string data", "AN 2.1.6", "+QISENDEX", detail::qisendex_forms, at_300ms,
     10s, false, true, false},
    // E20: the note says "saved to NVM"; a per-socket mode is not persisted.
    {"+QISWTMD", "Switch data access mode", "AN 2.1.7", "+QISWTMD", detail::qiswtmd_forms, at_300ms,
     0ms, false, true, false},
    // E48: 140 s name resolution + 10 requests x 255 s.
    {"+QPING", "Ping a remote server", "AN 2.1.8", "+QPING", detail::qping_forms, at_300ms, 2690s,
     false, true, false},
    // E48: 140 s name resolution + 36 s exchange, as AT+QIOPEN with a domain name.
    {"+QNTP", "Synchronise local time with NTP", "AN 2.1.9", "+QNTP", detail::qntp_forms, at_300ms,
     176s, false, true, false},
    // E48: the name-resolution share of the 176 s AT+QIOPEN limit.
    {"+QIDNSGIP", "Resolve a domain name", "AN 2.1.10", "+QIDNSGIP", detail::qidnsgip_forms,
     at_300ms, 140s, false, true, false},
    // E34: the settings persist.
    {"+QICFG", "Configure optional parameters", "AN 2.1.11", "+QICFG", detail::qicfg_forms,
     at_300ms, 0ms, true, true, false},
    // E55: reading the last error code does not itself change it.
    {"+QIGETERROR", "Query the last error code", "AN 2.1.12", "+QIGETERROR",
     detail::qigeterror_forms, at_300ms, 0ms, false, false, false},
    {"+QIKALIVE", "Configure TCP keepalive", "AN 2.1.13", "+QIKALIVE", detail::qikalive_forms,
     at_300ms, 0ms, false, true, false},
    {"+QIDNSCFG", "Configure DNS servers", "AN 2.1.14", "+QIDNSCFG", detail::qidnscfg_forms,
     at_300ms, 0ms, false, true, false},

    // General commands (E57). None sets the AT+QIGETERROR code.
    {"", "Attention", "AN 4 (examples); V.250 §5.2.1", "", detail::at_forms, at_300ms, 0ms, false,
     false, true},
    {"E", "Command echo", "V.250 §6.2.4", "", detail::ate_forms, at_300ms, 0ms, false, false, true},
    {"I", "Identification", "V.250 §6.1.3", "", detail::ati_forms, at_300ms, 0ms, false, false,
     true},
    // Saves echo and CMEE modes (emulator.md §1.2).
    {"&W", "Save settings to NVM", "emulator.md §1.2", "", detail::atw_forms, at_300ms, 0ms, true,
     false, true},
    // E57: the note states no limit; 140 s is the attach limit of the sibling BG770A.
    {"+CGATT", "PS attach or detach", "AN 4.1.1 (example)", "+CGATT", detail::cgatt_forms, 140s,
     0ms, false, false, false},
    {"+CGPADDR", "Show PDP addresses", "AN 4.1.1 (example)", "+CGPADDR", detail::cgpaddr_forms,
     at_300ms, 0ms, false, false, false},
    // Persisted in NV on the XinYi BC25 build (emulator.md §1.2).
    {"+QSCLK", "Configure sleep mode", "AN 4.4 (example)", "+QSCLK", detail::qsclk_forms, at_300ms,
     0ms, true, false, false},
    {"+CMEE", "Report mobile termination error", "3GPP TS 27.007 §9.1", "+CMEE", detail::cmee_forms,
     at_300ms, 0ms, false, false, false},
    // "Revision: " has no '+' prefix and is shared with ATI: no info_prefix.
    {"+CGMR", "Firmware revision", "3GPP TS 27.007 §5.3", "", detail::cgmr_forms, at_300ms, 0ms,
     false, false, false},
    // E57: RDY within 10 s of the reboot (a BC25 driver's limit, emulator.md §4.4).
    {"+QRST", "Reboot the module", "emulator.md §1.2", "+QRST", detail::qrst_forms, at_300ms, 10s,
     false, false, false},
}};

// Order follows urc_id so that urc() indexes directly (checked below).
constexpr std::array<urc_spec, 13> urc_data{{
    {urc_id::qiopen, "QIOPEN", "+QIOPEN:", false, "+QIOPEN: <connectID>,<err>", "+QIOPEN",
     "AN 2.1.1"},
    {urc_id::closed, "closed", "+QIURC: \"closed\",", false, "+QIURC: \"closed\",<connectID>", "",
     "AN 2.2.1"},
    {urc_id::recv, "recv", "+QIURC: \"recv\",", false,
     "+QIURC: \"recv\",<connectID>[,<current_recv_length>]", "", "AN 2.2.2"},
    // E50: shares the recv prefix; the last field "buff full" tells it apart.
    {urc_id::buff_full, "buff full", "+QIURC: \"recv\",", false,
     "+QIURC: \"recv\",<connectID>,\"buff full\"", "", "AN 2.2.3"},
    {urc_id::incoming_full, "incoming full", "+QIURC: \"incoming full\"", true,
     "+QIURC: \"incoming full\"", "", "AN 2.2.4"},
    {urc_id::incoming, "incoming", "+QIURC: \"incoming\",", false,
     "+QIURC: \"incoming\",<connectID>,<serverID>,<remoteIP>,<remote_port>", "", "AN 2.2.5"},
    {urc_id::dnsgip, "dnsgip", "+QIURC: \"dnsgip\",", false,
     "+QIURC: \"dnsgip\",<err>,<IP_count>,<DNS_ttl> | +QIURC: \"dnsgip\",<hostIPaddr>", "+QIDNSGIP",
     "AN 2.1.10"},
    {urc_id::qidnsgip, "QIDNSGIP", "+QIDNSGIP:", false,
     "+QIDNSGIP: <err>,<IP_count>,<DNS_ttl> | +QIDNSGIP: <hostIPaddr>", "+QIDNSGIP",
     "emulator.md §2.2"},
    {urc_id::qping, "QPING", "+QPING:", false,
     "+QPING: <result>[,<ip_address>,<bytes>,<time>,<ttl>] | "
     "+QPING: <finresult>[,<sent>,<rcvd>,<lost>,<min>,<max>,<avg>]",
     "+QPING", "AN 2.1.8"},
    {urc_id::qntp, "QNTP", "+QNTP:", false, "+QNTP: <err>[,<time>]", "+QNTP", "AN 2.1.9"},
    {urc_id::qatsleep, "QATSLEEP", "+QATSLEEP", true, "+QATSLEEP", "+QSCLK", "AN 4.4"},
    {urc_id::qatwakeup, "QATWAKEUP", "+QATWAKEUP", true, "+QATWAKEUP", "", "AN 4.4"},
    {urc_id::rdy, "RDY", "RDY", true, "RDY", "", "emulator.md §1.2"},
}};

// Order follows final_id.
constexpr std::array<final_spec, 6> final_data{{
    {final_id::ok, "OK", false, "AN 2.1"},
    {final_id::error, "ERROR", false, "AN 2.1"},
    {final_id::cme_error, "+CME ERROR: ", false, "3GPP TS 27.007 §9.2"},
    {final_id::send_ok, "SEND OK", true, "AN 2.1.4"},
    {final_id::send_fail, "SEND FAIL", true, "AN 2.1.4"},
    {final_id::close_ok, "CLOSE OK", true, "AN 2.1.2"},
}};

// AN 3 table 1. `provokable`: a host with sockets on a host network can make the module
// report the code through the AT interface alone; specs/ERRATA.md lists the others and why.
constexpr std::array<error_code_spec, 26> error_data{{
    {0, "Operation successful", "操作成功", true, "any successful TCP/IP command"},
    {550, "Unknown error", "未知错误", false, "catch-all; no documented trigger"},
    {551, "Operation blocked", "操作受阻", false, "stack-internal; no documented trigger"},
    {552, "Invalid parameters", "无效参数", true, "AN 4.8: a malformed AT+QIOPEN"},
    {553, "Memory not enough", "内存不足", false, "module memory exhaustion"},
    {554, "Create socket failed", "创建 Socket 失败", false, "stack resource failure"},
    {555, "Operation not supported", "操作不支持", true, "\"UDP SERVICE\" (AN 2.1.1 note 2, E3)"},
    {556, "Socket bind failed", "Socket 绑定失败", false,
     "stack-internal; a duplicate <local_port> reports 574"},
    {557, "Socket listen failed", "Socket 监听失败", false, "stack-internal"},
    {558, "Socket write failed", "Socket 写入失败", false,
     "stack-internal; a closed socket is 567"},
    {559, "Socket read failed", "Socket 读取失败", false, "stack-internal"},
    {560, "Socket accept failed", "Socket 接受失败", false, "stack-internal"},
    {561, "Open PDP context failed", "开启 PDP 上下文失败", true,
     "AT+QIOPEN after AT+CGATT=0 (emulator.md §2.2)"},
    {562, "Close PDP context failed", "关闭 PDP 上下文失败", false,
     "no command of this set closes a PDP context"},
    {563, "Socket identity has been used", "Socket 标识被占用", true,
     "AT+QIOPEN with a <connectID> already open (AN 2.1.1 note 3)"},
    {564, "DNS busy", "DNS 忙", true, "a second AT+QIDNSGIP before the first one's result"},
    {565, "DNS parse failed", "DNS 解析失败", true, "AT+QIDNSGIP of a name that does not exist"},
    {566, "Socket connection failed", "Socket 连接失败", true,
     "AT+QIOPEN \"TCP\" to a port without listener"},
    {567, "Socket has been closed", "Socket 已被关闭", true,
     "AT+QICLOSE / AT+QISEND on a <connectID> that is not open"},
    {568, "Operation busy", "操作忙", true, "AT+QISEND before the previous SEND OK (AN 4.1.2)"},
    {569, "Operation timeout", "操作超时", true,
     "AT+QIOPEN \"TCP\" to an address that drops the SYN (36 s)"},
    {570, "PDP context broken down", "PDP 上下文发生故障", true,
     "AT+CGATT=0 while an AT+QIOPEN is still connecting (E60)"},
    {571, "Cancel send", "取消发送", true, "Esc in data mode (AN 2.1.4, E13)"},
    {572, "Operation not allowed", "操作不允许", true,
     "AT+QISEND on a \"TCP LISTENER\" (AN 2.1.4 note 3)"},
    {573, "APN not configured", "APN 未配置", false, "subscription/network provisioning; radio"},
    {574, "Port busy", "端口忙", true, "two sockets with one <local_port> (AN 2.1.1 note 5)"},
}};

// AN 3 table 2.
constexpr std::array<ping_result_spec, 6> ping_data{{
    {0, "PING_ECHO", "回显"},
    {1, "PING_TIMEOUT", "超时"},
    {2, "PING_SUCCESS", "成功"},
    {3, "PING_TCPIP_ERROR", "TCPIP 错误"},
    {4, "PING_ADDRESS_NOT_FOUND", "地址未找到"},
    {5, "PING_PDP_ACT_FAIL", "PDP 激活失败"},
}};

template <class Array>
constexpr bool indexed_by_id(const Array& a) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (static_cast<std::size_t>(a[i].id) != i) return false;
  }
  return true;
}
static_assert(indexed_by_id(urc_data), "urc_data must be in urc_id order");
static_assert(indexed_by_id(final_data), "final_data must be in final_id order");

constexpr char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
}

// V.250 §5.1: command names are case-insensitive.
constexpr bool equal_ignoring_case(sv a, sv b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_upper(a[i]) != to_upper(b[i])) return false;
  }
  return true;
}

// AN chapter 4 "举例": the section headings of the note (L957-L1329). 4.1-4.3 and 4.5 are
// groups of examples; 4.4, 4.6, 4.7 and 4.8 are examples of their own.
constexpr std::array<example_spec, 19> example_data{{
    {"AN 4.1.1", "TCP client, buffer access mode: open a connection"},
    {"AN 4.1.2", "TCP client, buffer access mode: send data"},
    {"AN 4.1.3", "TCP client, buffer access mode: receive data from the remote server"},
    {"AN 4.1.4", "TCP client, buffer access mode: close the connection"},
    {"AN 4.2.1", "TCP client, direct push mode: open a connection"},
    {"AN 4.2.2", "TCP client, direct push mode: send data"},
    {"AN 4.2.3", "TCP client, direct push mode: receive data from the remote server"},
    {"AN 4.2.4", "TCP client, direct push mode: close the connection"},
    {"AN 4.3.1", "TCP server, buffer access mode: start the server"},
    {"AN 4.3.2", "TCP server, buffer access mode: accept a connection"},
    {"AN 4.3.3", "TCP server, buffer access mode: receive data from the new connection"},
    {"AN 4.3.4", "TCP server, buffer access mode: close the server"},
    {"AN 4.4", "UDP client with deep-sleep wake-up"},
    {"AN 4.5.1", "UDP server: start the server"},
    {"AN 4.5.2", "UDP server: receive data from a remote client"},
    {"AN 4.5.3", "UDP server: close the server"},
    {"AN 4.6", "Ping a remote server"},
    {"AN 4.7", "Synchronise the local time"},
    {"AN 4.8", "Get the last error code"},
}};

}  // namespace

std::string_view to_string(form f) noexcept {
  switch (f) {
    case form::test:
      return "test";
    case form::query:
      return "query";
    case form::set:
      return "set";
    case form::exec:
      return "exec";
  }
  return "?";
}

std::span<const command_spec> commands() noexcept {
  return command_data;
}
std::span<const urc_spec> urcs() noexcept {
  return urc_data;
}
std::span<const final_spec> finals() noexcept {
  return final_data;
}
std::span<const error_code_spec> error_codes() noexcept {
  return error_data;
}
std::span<const ping_result_spec> ping_results() noexcept {
  return ping_data;
}
std::span<const example_spec> examples() noexcept {
  return example_data;
}

const command_spec* find_command(std::string_view name) noexcept {
  for (const auto& c : command_data) {
    if (equal_ignoring_case(c.name, name)) return &c;
  }
  return nullptr;
}

const command_spec* find_command_by_info_prefix(std::string_view prefix) noexcept {
  if (prefix.empty()) return nullptr;
  for (const auto& c : command_data) {
    if (c.info_prefix == prefix) return &c;
  }
  return nullptr;
}

// Keys are quoted literals and compare exactly, like quoted_enum values (E56). Forms without
// a key have key "", so an empty `key` never finds a keyed form.
const form_spec* find_form(const command_spec& cmd, form f, std::string_view key) noexcept {
  for (const auto& fs : cmd.forms) {
    if (fs.kind == f && fs.key == key) return &fs;
  }
  return nullptr;
}

const urc_spec& urc(urc_id id) noexcept {
  return urc_data[static_cast<std::size_t>(id)];
}

const final_spec& final_result(final_id id) noexcept {
  return final_data[static_cast<std::size_t>(id)];
}

const error_code_spec* find_error_code(int code) noexcept {
  for (const auto& e : error_data) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

const ping_result_spec* find_ping_result(int code) noexcept {
  for (const auto& p : ping_data) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

}  // namespace bcconform::protocol
