// Typed decoders for every information line and URC of the note, and the matching encoders
// (value → line text without CR LF). decode(encode(x)) == x for every value a decoder can
// produce; the fuzz target fuzz_decoders checks exactly that.
//
// Decoders take one line without its terminator and never throw; a line of another kind
// gives errc::wrong_prefix, a line of the right kind with bad fields errc::syntax /
// errc::out_of_range with a detail naming the field.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "bcconform/protocol/result.hpp"

namespace bcconform::protocol {

/// +QIOPEN: <connectID>,<err>  (AN 2.1.1)
struct qiopen_result {
  int connect_id = 0;
  int err = 0;
  friend bool operator==(const qiopen_result&, const qiopen_result&) = default;
};

/// +QIURC: "closed",<connectID>  (AN 2.2.1)
struct closed_urc {
  int connect_id = 0;
  friend bool operator==(const closed_urc&, const closed_urc&) = default;
};

/// +QIURC: "recv",<connectID>[,<current_recv_length>]  (AN 2.2.2), header only: a direct-push
/// payload is not part of the line; +QIURC: "recv",<connectID>,"buff full"  (AN 2.2.3).
struct recv_urc {
  int connect_id = 0;
  std::optional<int> length;
  bool buff_full = false;
  friend bool operator==(const recv_urc&, const recv_urc&) = default;
};

/// +QIURC: "incoming full"  (AN 2.2.4)
struct incoming_full_urc {
  friend bool operator==(const incoming_full_urc&, const incoming_full_urc&) = default;
};

/// +QIURC: "incoming",<connectID>,<serverID>,"<remoteIP>",<remote_port>  (AN 2.2.5)
struct incoming_urc {
  int connect_id = 0;
  int server_id = 0;
  std::string remote_ip;
  int remote_port = 0;
  bool ip_quoted = true;
  friend bool operator==(const incoming_urc&, const incoming_urc&) = default;
};

/// +QIURC: "dnsgip",<err>[,<ip_count>,<dns_ttl>]  or  +QIURC: "dnsgip","<hostIPaddr>"
/// (AN 2.1.10; E29: address quoted). The same shapes with the +QIDNSGIP: prefix decode too.
struct dnsgip_urc {
  bool is_address = false;
  int err = 0;                  ///< header
  std::optional<int> ip_count;  ///< header
  std::optional<int> ttl;       ///< header
  std::string address;          ///< address line
  bool address_quoted = true;
  bool qidnsgip_prefix = false;  ///< line used +QIDNSGIP: rather than +QIURC: "dnsgip"
  friend bool operator==(const dnsgip_urc&, const dnsgip_urc&) = default;
};

/// +QPING: <result>[,<ip>,<bytes>,<time>,<ttl>]  or
/// +QPING: <finresult>[,<sent>,<rcvd>,<lost>,<min>,<max>,<avg>]  (AN 2.1.8, AN 3 table 2)
struct qping_urc {
  enum class shape : std::uint8_t { reply, summary, code_only };
  shape kind = shape::code_only;
  int code = 0;
  std::string ip;                       ///< reply
  bool ip_quoted = false;               ///< E22: the note prints it unquoted
  int bytes = 0, time_ms = 0, ttl = 0;  ///< reply
  int sent = 0, rcvd = 0, lost = 0, min = 0, max = 0, avg = 0;  ///< summary
  friend bool operator==(const qping_urc&, const qping_urc&) = default;
};

/// +QNTP: <err>[,"<time>"]  (AN 2.1.9; E28: no space after the comma on output)
struct qntp_urc {
  int err = 0;
  std::optional<std::string> time;
  friend bool operator==(const qntp_urc&, const qntp_urc&) = default;
};

/// +QISTATE: <connectID>,"<service_type>","<IP_address>",<remote_port>,<local_port>,
///           <socket_state>,<contextID>,<access_mode>  (AN 2.1.3)
struct qistate_row {
  int connect_id = 0;
  std::string service_type;
  std::string ip;
  int remote_port = 0;
  int local_port = 0;
  int socket_state = 0;
  int context_id = 0;
  int access_mode = 0;
  friend bool operator==(const qistate_row&, const qistate_row&) = default;
};

/// +QIRD: <actual_read_length>[,<remaining_length>]  (AN 2.1.5), header only.
struct qird_header {
  int read_length = 0;
  std::optional<int> remaining;
  friend bool operator==(const qird_header&, const qird_header&) = default;
};

/// +QIGETERROR: <err>,<errcode_description>  (AN 2.1.12; E42: description per profile)
struct qigeterror_info {
  int err = 0;
  std::string description;
  friend bool operator==(const qigeterror_info&, const qigeterror_info&) = default;
};

/// +QICFG: "<key>",<v>[,<v2>]  (AN 2.1.11), set echo or query answer.
struct qicfg_info {
  std::string key;
  int value1 = 0;
  std::optional<int> value2;  ///< "dataformat" has two values
  friend bool operator==(const qicfg_info&, const qicfg_info&) = default;
};

/// +QIKALIVE: <on>,<idle>,<interval>,<count>  (AN 2.1.13 query form)
struct qikalive_info {
  int on = 0, idle = 0, interval = 0, count = 0;
  friend bool operator==(const qikalive_info&, const qikalive_info&) = default;
};

/// +QIDNSCFG: <primaryDns>,<secondaryDns>  (AN 2.1.14 query form)
struct qidnscfg_info {
  std::string primary;
  std::string secondary;
  friend bool operator==(const qidnscfg_info&, const qidnscfg_info&) = default;
};

/// +CGATT: <state>  (AN 4.1.1 example; 3GPP TS 27.007 §10.1.9)
struct cgatt_info {
  int state = 0;
  friend bool operator==(const cgatt_info&, const cgatt_info&) = default;
};

/// +CGPADDR: <cid>,"<address>"  (AN 4.1.1 example; 3GPP TS 27.007 §10.1.14)
struct cgpaddr_info {
  int cid = 0;
  std::string address;
  friend bool operator==(const cgpaddr_info&, const cgpaddr_info&) = default;
};

/// +CME ERROR: <n> or +CME ERROR: <text>  (3GPP TS 27.007 §9.2)
struct cme_error {
  std::optional<int> code;
  std::string text;  ///< when not numeric
  friend bool operator==(const cme_error&, const cme_error&) = default;
};

/// +QIURC: "recv",... etc. ... every decoded shape.
using decoded_line =
    std::variant<qiopen_result, closed_urc, recv_urc, incoming_full_urc, incoming_urc, dnsgip_urc,
                 qping_urc, qntp_urc, qistate_row, qird_header, qigeterror_info, qicfg_info,
                 qikalive_info, qidnscfg_info, cgatt_info, cgpaddr_info, cme_error>;

result<qiopen_result> decode_qiopen(std::string_view line);
result<closed_urc> decode_closed(std::string_view line);
result<recv_urc> decode_recv(std::string_view line);
result<incoming_full_urc> decode_incoming_full(std::string_view line);
result<incoming_urc> decode_incoming(std::string_view line);
result<dnsgip_urc> decode_dnsgip(std::string_view line);
result<qping_urc> decode_qping(std::string_view line);
result<qntp_urc> decode_qntp(std::string_view line);
result<qistate_row> decode_qistate(std::string_view line);
result<qird_header> decode_qird(std::string_view line);
result<qigeterror_info> decode_qigeterror(std::string_view line);
result<qicfg_info> decode_qicfg(std::string_view line);
result<qikalive_info> decode_qikalive(std::string_view line);
result<qidnscfg_info> decode_qidnscfg(std::string_view line);
result<cgatt_info> decode_cgatt(std::string_view line);
result<cgpaddr_info> decode_cgpaddr(std::string_view line);
result<cme_error> decode_cme_error(std::string_view line);

/// Tries the decoder that the line's prefix selects. errc::wrong_prefix when no typed decoder
/// exists for that prefix (ATI lines, test-form range lists such as "+QIRD: (0-5),(1-512)").
result<decoded_line> decode_line(std::string_view line);

/// Encodes a value back into its line (no CR LF), in the note's format.
std::string encode_line(const decoded_line& value);

/// A short name for the variant alternative: "QIOPEN", "closed", "recv", "QISTATE", ...
std::string_view decoded_name(const decoded_line& value) noexcept;

}  // namespace bcconform::protocol
