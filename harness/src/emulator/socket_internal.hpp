// Internal to the socket and network commands of the emulator (socket_commands.cpp,
// socket_send.cpp, socket_events.cpp, net_commands.cpp, socket_common.cpp): the AN chapter 3
// codes they report and the helpers they share.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "state.hpp"

namespace bcconform::emulator::detail {

/// AN 3 table 1: the codes these commands report, with the cases that report them
/// (specs/ERRATA.md "Error codes the AT interface cannot provoke" lists how each is provoked).
namespace qi_err {
inline constexpr int invalid_parameters = 552;  ///< bad hex typed in data mode (E19), > 512 bytes
inline constexpr int not_supported = 555;       ///< "UDP SERVICE" (E3)
inline constexpr int pdp_failed = 561;          ///< AT+QIOPEN while detached (AT+CGATT=0)
inline constexpr int id_in_use = 563;           ///< AT+QIOPEN on an open <connectID>
inline constexpr int dns_busy = 564;            ///< AT+QIDNSGIP while one is running
inline constexpr int dns_failed = 565;          ///< a name that does not resolve
inline constexpr int connect_failed = 566;      ///< refused / unreachable peer
inline constexpr int socket_closed = 567;       ///< a socket that is not open (or not connected)
inline constexpr int busy = 568;                ///< AN 4.1.2: send before SEND OK; QPING/QNTP busy
inline constexpr int timeout = 569;             ///< AN 2.1.1 note 1: no answer in 36 s / 176 s
inline constexpr int pdp_broken = 570;   ///< the network dropped the link (control drop_link)
inline constexpr int cancel_send = 571;  ///< Esc in data mode (E13)
inline constexpr int not_allowed = 572;  ///< send/read on a listener (AN 2.1.4 note 3)
inline constexpr int port_busy = 574;    ///< a <local_port> already in use (AN 2.1.1 note 5)
}  // namespace qi_err

/// AN 2.1.4, 2.1.6: at most 512 bytes per send in every form (E12).
inline constexpr std::size_t max_send_bytes = protocol::protocol_limits::max_send_length;

// --- arguments (socket_common.cpp) -------------------------------------------------------------
/// Parameter `i` of a checked command as an integer, or `fallback` when omitted.
int int_arg(const protocol::parsed_command& c, std::size_t i, int fallback = 0);
/// Parameter `i` as text (quoted or unquoted), "" when omitted.
std::string_view text_arg(const protocol::parsed_command& c, std::size_t i);

// --- data ----------------------------------------------------------------------------------------
std::string to_hex(std::string_view bytes);
/// Decodes hex digits (either case); nullopt for an odd count or a non-hex digit.
std::optional<std::string> from_hex(std::string_view digits);
/// Received bytes as the module prints them: raw, or 2 hex digits a byte when
/// AT+QICFG="dataformat" has <recv_data_format> 1 (AN 2.1.11, E46).
std::string wire_payload(const interpreter::state& s, std::string_view bytes);

// --- names and addresses -------------------------------------------------------------------------
/// Dotted IPv4 or textual IPv6: no name resolution needed (AN 2.1.1 <IP_address>).
bool is_ip_literal(std::string_view host);
/// The servers set by AT+QIDNSCFG (AN 2.1.14); empty = the host's default.
std::vector<std::string> dns_servers(const interpreter::state& s);
/// Issues a request to the host.
void request(interpreter::state& s, net_request r);
/// A request that names only a socket (close, pause_reading, resume_reading, ...).
void request(interpreter::state& s, net_request::kind k, int socket);

/// Waits for the answer to a token request, at most `limit`: `fn` runs exactly once, with the
/// event, or with nullptr when the limit passes first (the host may never answer; every wait
/// has a deadline). Returns the token to put in the request.
std::uint32_t await_within(interpreter::state& s, std::chrono::milliseconds limit,
                           std::function<void(const net_event*)> fn);
/// How long a name resolution may take: the part of the 176 s of AN 2.1.1 note 1 that is not
/// the 36 s connect (E48: 140 s), from the profile so that a time scale applies to it.
std::chrono::milliseconds dns_limit(const interpreter::state& s);

// --- sockets (socket_events.cpp) -----------------------------------------------------------------
/// The slot of `id` if it is open, else nullptr.
socket_slot* open_slot(interpreter::state& s, int id);
/// Frees the slot: not listed, its ID free for AT+QIOPEN (does not talk to the host).
void release(interpreter::state& s, int id);
/// AT+QIKALIVE settings onto a connected TCP socket (AN 2.1.13).
void apply_keepalive(interpreter::state& s, int id);
/// +QIOPEN: <id>,<err> for an open that failed; frees the slot (E60).
void fail_open(interpreter::state& s, int id, int err);
/// One direct-push URC with its data (AN 2.2.2, E2, E47).
void push(interpreter::state& s, int id, std::string_view bytes);
/// Pushes the unread buffered data as direct-push URCs (AT+QISWTMD to 1, E62).
void flush_buffer_as_push(interpreter::state& s, int id);
/// After AT+QIRD took bytes: lifts back-pressure once the buffer is below the limit (AN 2.2.3).
void after_read(interpreter::state& s, int id);

// --- sending (socket_send.cpp) -------------------------------------------------------------------
void register_send_commands(handler_registry& r);

}  // namespace bcconform::emulator::detail
