// Typed requests for the TCP/IP commands of AN chapter 2, one struct per command.
//
// encode() goes through encode_command(), so ranges, types and nesting come only from the
// command table: a value the table refuses is refused here with the same error. from() takes
// a parsed command line (it runs check_arguments() on a copy) and gives back the request, so
// that encode → parse_command_line → from returns an equal value.
//
// Optional members are the note's optional parameters; they nest as in the note, so setting
// a later one without an earlier one (access_mode without local_port) is refused by encode().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::protocol {

/// AT+QIOPEN=<contextID>,<connectID>,<service_type>,<IP_address>/<domain_name>,<remote_port>
///           [,<local_port>[,<access_mode>[,<protocol_type>]]]  (AN 2.1.1)
struct qiopen_request {
  int context_id = 1;
  int connect_id = 0;
  std::string service_type = "TCP";  ///< "TCP", "UDP", "TCP LISTENER", "UDP SERVICE"
  std::string host;                  ///< IP address or domain name
  int remote_port = 0;
  std::optional<int> local_port;
  std::optional<int> access_mode;    ///< 0 buffer, 1 direct push
  std::optional<int> protocol_type;  ///< 0 IPv4, 1 IPv6

  result<std::string> encode() const;
  static result<qiopen_request> from(const parsed_command& cmd);
  friend bool operator==(const qiopen_request&, const qiopen_request&) = default;
};

/// AT+QICLOSE=<connectID>  (AN 2.1.2)
struct qiclose_request {
  int connect_id = 0;

  result<std::string> encode() const;
  static result<qiclose_request> from(const parsed_command& cmd);
  friend bool operator==(const qiclose_request&, const qiclose_request&) = default;
};

/// AT+QISTATE? (all sockets), AT+QISTATE=0,<contextID> or AT+QISTATE=1,<connectID>  (AN 2.1.3)
struct qistate_request {
  enum class scope : std::uint8_t { all, context, connection };
  scope by = scope::all;
  int id = 0;  ///< <contextID> for scope::context, <connectID> for scope::connection

  result<std::string> encode() const;
  static result<qistate_request> from(const parsed_command& cmd);
  friend bool operator==(const qistate_request&, const qistate_request&) = default;
};

/// The three set forms of AT+QISEND / AT+QISENDEX (AN 2.1.4, 2.1.6).
enum class send_variant : std::uint8_t {
  inline_data,   ///< =<connectID>,<send_length>,"<data>": data on the command line
  until_ctrl_z,  ///< =<connectID>: `>` prompt, data until Ctrl+Z
  fixed_length,  ///< =<connectID>,<send_length>: `>` prompt, exactly <send_length> bytes
};

/// AT+QISEND  (AN 2.1.4). Text data only (E14).
struct qisend_request {
  send_variant variant = send_variant::inline_data;
  int connect_id = 0;
  int send_length = 0;  ///< inline_data and fixed_length
  std::string data;     ///< inline_data only

  /// The inline form with <send_length> taken from `data`.
  static qisend_request with_data(int connect_id, std::string data);

  result<std::string> encode() const;
  static result<qisend_request> from(const parsed_command& cmd);
  friend bool operator==(const qisend_request&, const qisend_request&) = default;
};

/// AT+QISENDEX  (AN 2.1.6). <send_length> counts bytes, i.e. half the hex digits (E19).
struct qisendex_request {
  send_variant variant = send_variant::inline_data;
  int connect_id = 0;
  int send_length = 0;  ///< bytes; inline_data and fixed_length
  std::string hex;      ///< inline_data only: "3031323334"

  /// The inline form with <send_length> taken from `hex` (its length / 2).
  static qisendex_request with_hex(int connect_id, std::string hex);

  result<std::string> encode() const;
  static result<qisendex_request> from(const parsed_command& cmd);
  friend bool operator==(const qisendex_request&, const qisendex_request&) = default;
};

/// AT+QIRD=<connectID>,<read_length>  (AN 2.1.5)
struct qird_request {
  int connect_id = 0;
  int read_length = 512;

  result<std::string> encode() const;
  static result<qird_request> from(const parsed_command& cmd);
  friend bool operator==(const qird_request&, const qird_request&) = default;
};

/// AT+QISWTMD=<connectID>,<access_mode>  (AN 2.1.7)
struct qiswtmd_request {
  int connect_id = 0;
  int access_mode = 0;

  result<std::string> encode() const;
  static result<qiswtmd_request> from(const parsed_command& cmd);
  friend bool operator==(const qiswtmd_request&, const qiswtmd_request&) = default;
};

/// AT+QPING=<contextID>,<host>[,<time_out>[,<ping_num>[,<ping_size>]]]  (AN 2.1.8)
struct qping_request {
  int context_id = 1;
  std::string host;
  std::optional<int> time_out;  ///< seconds
  std::optional<int> ping_num;
  std::optional<int> ping_size;  ///< bytes

  result<std::string> encode() const;
  static result<qping_request> from(const parsed_command& cmd);
  friend bool operator==(const qping_request&, const qping_request&) = default;
};

/// AT+QNTP=<contextID>,<server>[,<port>[,<autosettime>]]  (AN 2.1.9)
struct qntp_request {
  int context_id = 1;
  std::string server;
  std::optional<int> port;
  std::optional<int> autosettime;

  result<std::string> encode() const;
  static result<qntp_request> from(const parsed_command& cmd);
  friend bool operator==(const qntp_request&, const qntp_request&) = default;
};

/// AT+QIDNSGIP=<contextID>,<hostname>  (AN 2.1.10)
struct qidnsgip_request {
  int context_id = 1;
  std::string hostname;

  result<std::string> encode() const;
  static result<qidnsgip_request> from(const parsed_command& cmd);
  friend bool operator==(const qidnsgip_request&, const qidnsgip_request&) = default;
};

/// AT+QICFG="<key>"[,<values>]  (AN 2.1.11). No values queries the setting (E32).
struct qicfg_request {
  std::string key;          ///< "dataformat", "viewmode", "showlength"
  std::vector<int> values;  ///< dataformat: two; viewmode, showlength: one; or none

  result<std::string> encode() const;
  static result<qicfg_request> from(const parsed_command& cmd);
  friend bool operator==(const qicfg_request&, const qicfg_request&) = default;
};

/// AT+QIGETERROR  (AN 2.1.12)
struct qigeterror_request {
  result<std::string> encode() const;
  static result<qigeterror_request> from(const parsed_command& cmd);
  friend bool operator==(const qigeterror_request&, const qigeterror_request&) = default;
};

/// AT+QIKALIVE=<keepalive_on>[,<idle_time>[,<interval_time>[,<count>]]]  (AN 2.1.13, E35)
struct qikalive_request {
  int keepalive_on = 0;
  std::optional<int> idle_time;      ///< seconds
  std::optional<int> interval_time;  ///< seconds
  std::optional<int> count;

  result<std::string> encode() const;
  static result<qikalive_request> from(const parsed_command& cmd);
  friend bool operator==(const qikalive_request&, const qikalive_request&) = default;
};

/// AT+QIDNSCFG=<primaryDns>[,<secondaryDns>]  (AN 2.1.14)
struct qidnscfg_request {
  std::string primary;
  std::optional<std::string> secondary;

  result<std::string> encode() const;
  static result<qidnscfg_request> from(const parsed_command& cmd);
  friend bool operator==(const qidnscfg_request&, const qidnscfg_request&) = default;
};

}  // namespace bcconform::protocol
