// The TCP/IP commands of AN chapter 2: forms, parameters and documented response lines.
// Parameter names, ranges and defaults are the note's; where the note is silent or
// contradicts itself the entry names the ruling of specs/ERRATA.md that decides it.
#include <array>
#include <string_view>

#include "command_table_data.hpp"

namespace bcconform::protocol::detail {
namespace {

using sv = std::string_view;

// Response lines shared by most commands.
constexpr response_spec ok{"OK", line_role::final};
constexpr response_spec error{"ERROR", line_role::final};
constexpr std::array<response_spec, 2> ok_or_error{{ok, error}};
constexpr std::array<response_spec, 1> ok_only{{ok}};

// AN 2.1.1, 2.1.3: the service types a socket can be opened with. "UDP SERVICE" is
// documented and then declared unsupported (note 2): it stays a valid value here, and the
// module's refusal is behaviour, not syntax (E3, E40).
constexpr std::array<sv, 4> service_types{{"TCP", "UDP", "TCP LISTENER", "UDP SERVICE"}};

// --- AT+QIOPEN (AN 2.1.1) ---------------------------------------------------------------------
constexpr std::array<response_spec, 2> qiopen_test_responses{{
    {"+QIOPEN: (1-3),(0-5),\"TCP/UDP/TCP LISTENER/UDP SERVICE\",\"<IP_address>/<domain_name>\","
     "<remote_port>[,<local_port>[,(0-1)[,(0-1)]]]",
     line_role::info},
    ok,
}};
constexpr std::array<param_spec, 8> qiopen_params{{
    integer_param("contextID", 1, 3, 0, "AN 2.1.1"),
    integer_param("connectID", 0, 5, 0, "AN 2.1.1"),
    enum_param("service_type", service_types, 0, "AN 2.1.1", "E3: \"UDP SERVICE\" not supported"),
    string_param("IP_address/domain_name", 1, 253, 0, "AN 2.1.1",
                 "E52: length not documented; +QIOPEN URC within 36 s for an IP, 176 s for a name"),
    integer_param("remote_port", 0, 65535, 0, "AN 2.1.1",
                  "AN: 1-65535; E5: 0 accepted only for \"TCP LISTENER\"/\"UDP SERVICE\""),
    defaulted_param("local_port", 0, 65535, 0, 1, "AN 2.1.1",
                    "listeners: mandatory and 1-65535 (AN 2.1.1); clients: 0 = automatic"),
    defaulted_param("access_mode", 0, 1, 0, 2, "AN 2.1.1", "0 buffer, 1 direct push"),
    defaulted_param("protocol_type", 0, 1, 0, 3, "AN 2.1.1", "0 IPv4, 1 IPv6"),
}};
constexpr std::array<response_spec, 3> qiopen_set_responses{{
    ok,
    {"+QIOPEN: <connectID>,<err>", line_role::urc},
    error,
}};

// --- AT+QICLOSE (AN 2.1.2) --------------------------------------------------------------------
constexpr std::array<response_spec, 2> qiclose_test_responses{
    {{"+QICLOSE: (0-5)", line_role::info}, ok}};
constexpr std::array<param_spec, 1> qiclose_params{
    {integer_param("connectID", 0, 5, 0, "AN 2.1.2")}};
constexpr std::array<response_spec, 3> qiclose_set_responses{{
    ok,
    {"CLOSE OK", line_role::deferred},
    error,
}};

// --- AT+QISTATE (AN 2.1.3) --------------------------------------------------------------------
constexpr sv qistate_row =
    "+QISTATE: <connectID>,<service_type>,<IP_address>,<remote_port>,<local_port>,"
    "<socket_state>,<contextID>,<access_mode>";
constexpr std::array<response_spec, 3> qistate_responses{
    {{qistate_row, line_role::info}, ok, error}};
// The two set forms differ in the meaning and range of their second parameter, chosen by the
// value of <query_type> (E51).
constexpr std::array<param_spec, 2> qistate_by_context_params{{
    integer_param("query_type", 0, 0, 0, "AN 2.1.3", "0: by <contextID> (E51)"),
    integer_param("contextID", 1, 3, 0, "AN 2.1.3"),
}};
constexpr std::array<param_spec, 2> qistate_by_connection_params{{
    integer_param("query_type", 1, 1, 0, "AN 2.1.3", "1: by <connectID> (E51)"),
    integer_param("connectID", 0, 5, 0, "AN 2.1.3"),
}};

// --- AT+QISEND (AN 2.1.4) ---------------------------------------------------------------------
constexpr std::array<response_spec, 2> qisend_test_responses{{
    {"+QISEND: (0-5),(1-512),\"<data>\"", line_role::info},
    ok,
}};
constexpr std::array<response_spec, 4> send_responses{{
    ok,
    {"SEND OK", line_role::deferred},
    {"SEND FAIL", line_role::deferred},
    error,
}};
constexpr std::array<param_spec, 3> qisend_inline_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.4"),
    integer_param("send_length", 1, 512, 0, "AN 2.1.4", "must equal the byte length of <data>"),
    string_param("data", 1, 512, 0, "AN 2.1.4", "E14: text only"),
}};
constexpr std::array<param_spec, 1> qisend_ctrl_z_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.4", "E12: data up to 512 bytes before Ctrl+Z"),
}};
constexpr std::array<param_spec, 2> qisend_fixed_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.4"),
    integer_param("send_length", 1, 512, 0, "AN 2.1.4"),
}};

// --- AT+QIRD (AN 2.1.5) -----------------------------------------------------------------------
constexpr std::array<response_spec, 2> qird_test_responses{
    {{"+QIRD: (0-5),(1-512)", line_role::info}, ok}};
constexpr std::array<param_spec, 2> qird_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.5"),
    integer_param("read_length", 1, 512, 0, "AN 2.1.5", "bytes"),
}};
// E16: the data follows the header (next line in viewmode 0, after a comma in viewmode 1);
// E17: an empty buffer answers "+QIRD: 0" whatever showlength is.
constexpr std::array<response_spec, 3> qird_set_responses{{
    {"+QIRD: <actual_read_length>[,<remaining_length>]", line_role::info},
    ok,
    error,
}};

// --- AT+QISENDEX (AN 2.1.6) -------------------------------------------------------------------
constexpr std::array<response_spec, 2> qisendex_test_responses{{
    {"+QISENDEX: (0-5),(1-512),\"<hex_string>\"", line_role::info},
    ok,
}};
constexpr std::array<param_spec, 3> qisendex_inline_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.6"),
    integer_param("send_length", 1, 512, 0, "AN 2.1.6", "E19: bytes, not hex digits"),
    hex_param("hex_string", 1, 512, 0, "AN 2.1.6", "E19: decoded length must equal <send_length>"),
}};
constexpr std::array<param_spec, 1> qisendex_ctrl_z_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.6", "E12: up to 512 bytes (1024 hex digits)"),
}};
constexpr std::array<param_spec, 2> qisendex_fixed_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.6"),
    integer_param("send_length", 1, 512, 0, "AN 2.1.6", "E19: bytes; the host types 2x hex digits"),
}};

// --- AT+QISWTMD (AN 2.1.7) --------------------------------------------------------------------
constexpr std::array<response_spec, 2> qiswtmd_test_responses{
    {{"+QISWTMD: (0-5),(0-1)", line_role::info}, ok}};
constexpr std::array<param_spec, 2> qiswtmd_params{{
    integer_param("connectID", 0, 5, 0, "AN 2.1.7"),
    integer_param("access_mode", 0, 1, 0, "AN 2.1.7", "E20: not saved to NVM"),
}};

// --- AT+QPING (AN 2.1.8) ----------------------------------------------------------------------
constexpr std::array<response_spec, 2> qping_test_responses{{
    {"+QPING: (1-3),\"<host>\"[,(1-255)[,(1-10)[,(32-200)]]]", line_role::info},
    ok,
}};
constexpr std::array<param_spec, 5> qping_params{{
    integer_param("contextID", 1, 3, 0, "AN 2.1.8"),
    string_param("host", 1, 253, 0, "AN 2.1.8", "E52: length not documented"),
    defaulted_param("time_out", 1, 255, 4, 1, "AN 2.1.8", "seconds per request"),
    defaulted_param("ping_num", 1, 10, 4, 2, "AN 2.1.8"),
    defaulted_param("ping_size", 32, 200, 32, 3, "AN 2.1.8", "bytes"),
}};
constexpr std::array<response_spec, 4> qping_set_responses{{
    ok,
    {"+QPING: <result>[,<ip_address>,<bytes>,<time>,<ttl>]", line_role::urc},
    {"+QPING: <finresult>[,<sent>,<rcvd>,<lost>,<min>,<max>,<avg>]", line_role::urc},
    error,
}};

// --- AT+QNTP (AN 2.1.9) -----------------------------------------------------------------------
constexpr std::array<response_spec, 2> qntp_test_responses{{
    {"+QNTP: (1-3),\"<server>\"[,<port>[,(0,1)]]", line_role::info},
    ok,
}};
constexpr std::array<param_spec, 4> qntp_params{{
    integer_param("contextID", 1, 3, 0, "AN 2.1.9"),
    string_param("server", 1, 253, 0, "AN 2.1.9", "E52: length not documented"),
    defaulted_param("port", 1, 65535, 123, 1, "AN 2.1.9", "E27 name; E52: range not documented"),
    defaulted_param("autosettime", 0, 1, 1, 2, "AN 2.1.9", "E27 name"),
}};
constexpr std::array<response_spec, 3> qntp_set_responses{{
    ok,
    {"+QNTP: <err>,<time>", line_role::urc},
    error,
}};

// --- AT+QIDNSGIP (AN 2.1.10) ------------------------------------------------------------------
constexpr std::array<response_spec, 2> qidnsgip_test_responses{{
    {"+QIDNSGIP: (1-3),\"<hostname>\"", line_role::info},
    ok,
}};
constexpr std::array<param_spec, 2> qidnsgip_params{{
    integer_param("contextID", 1, 3, 0, "AN 2.1.10"),
    string_param("hostname", 1, 253, 0, "AN 2.1.10", "E52: length not documented"),
}};
constexpr std::array<response_spec, 4> qidnsgip_set_responses{{
    ok,
    {"+QIURC: \"dnsgip\",<err>,<IP_count>,<DNS_ttl>", line_role::urc},
    {"+QIURC: \"dnsgip\",<hostIPaddr>", line_role::urc},
    error,
}};

// --- AT+QICFG (AN 2.1.11) ---------------------------------------------------------------------
constexpr std::array<response_spec, 4> qicfg_test_responses{{
    {"+QICFG: \"dataformat\",(0,1),(0,1)", line_role::info},
    {"+QICFG: \"viewmode\",(0,1)", line_role::info},
    {"+QICFG: \"showlength\",(0,1)", line_role::info},
    ok,
}};
// E32: omitting the values queries the setting; the values nest at depth 1 as one group.
constexpr std::array<param_spec, 2> qicfg_dataformat_params{{
    defaulted_param("send_data_format", 0, 1, 0, 1, "AN 2.1.11",
                    "0 text, 1 hex; only 0 works (note 1)"),
    defaulted_param("recv_data_format", 0, 1, 0, 1, "AN 2.1.11", "0 text, 1 hex (E46)"),
}};
constexpr std::array<param_spec, 1> qicfg_viewmode_params{{
    defaulted_param("view_mode", 0, 1, 0, 1, "AN 2.1.11", "0 header CRLF data, 1 header,data"),
}};
constexpr std::array<param_spec, 1> qicfg_showlength_params{{
    defaulted_param("show_length_mode", 0, 1, 0, 1, "AN 2.1.11", "E33: default 0"),
}};
// E30: a set echoes the value, as a query answers it.
constexpr std::array<response_spec, 3> qicfg_dataformat_responses{{
    {"+QICFG: \"dataformat\",<send_data_format>,<recv_data_format>", line_role::info},
    ok,
    error,
}};
constexpr std::array<response_spec, 3> qicfg_viewmode_responses{{
    {"+QICFG: \"viewmode\",<view_mode>", line_role::info},
    ok,
    error,
}};
constexpr std::array<response_spec, 3> qicfg_showlength_responses{{
    {"+QICFG: \"showlength\",<show_length_mode>", line_role::info},
    ok,
    error,
}};

// --- AT+QIGETERROR (AN 2.1.12) ----------------------------------------------------------------
constexpr std::array<response_spec, 3> qigeterror_exec_responses{{
    {"+QIGETERROR: <err>,<errcode_description>", line_role::info},
    ok,
    error,
}};

// --- AT+QIKALIVE (AN 2.1.13) ------------------------------------------------------------------
constexpr std::array<response_spec, 2> qikalive_test_responses{{
    // As printed, brackets unbalanced (E35).
    {"+QIKALIVE: <keepalive_on>[,<keepalive_idle_time>[,<keepalive_interval_time>[,"
     "<keepalive_count>,[\"<keepalive_data>\"]]]]]",
     line_role::info},
    ok,
}};
constexpr std::array<response_spec, 3> qikalive_query_responses{{
    {"+QIKALIVE: <keepalive_on>,<keepalive_idle_time>,<keepalive_interval_time>,<keepalive_count>",
     line_role::info},
    ok,
    error,
}};
// E35: <keepalive_data> is documented but not supported (note 1) and is not accepted.
constexpr std::array<param_spec, 4> qikalive_params{{
    integer_param("keepalive_on", 0, 1, 0, "AN 2.1.13"),
    defaulted_param("keepalive_idle_time", 1, 36000, 60, 1, "AN 2.1.13", "seconds (E36)"),
    defaulted_param("keepalive_interval_time", 10, 20, 10, 2, "AN 2.1.13", "seconds"),
    defaulted_param("keepalive_count", 1, 127, 9, 3, "AN 2.1.13", "E36: range not documented"),
}};

// --- AT+QIDNSCFG (AN 2.1.14) ------------------------------------------------------------------
constexpr std::array<response_spec, 2> qidnscfg_test_responses{{
    {"+QIDNSCFG: <primaryDns>[,<secondaryDns>]", line_role::info},
    ok,
}};
constexpr std::array<response_spec, 3> qidnscfg_query_responses{{
    {"+QIDNSCFG: <primaryDns>,<secondaryDns>", line_role::info},
    ok,
    error,
}};
constexpr std::array<param_spec, 2> qidnscfg_params{{
    string_param("primaryDns", 0, 45, 0, "AN 2.1.14",
                 "E52: an IP address, at most 45 characters; E59: \"\" returns to the network's"),
    string_param("secondaryDns", 0, 45, 1, "AN 2.1.14", "E52; E59: \"\" for none"),
}};

}  // namespace

constinit const std::array<form_spec, 2> qiopen_forms{{
    {form::test, "", {}, qiopen_test_responses, data_mode::none, "AT+QIOPEN=?", "AN 2.1.1"},
    {form::set, "", qiopen_params, qiopen_set_responses, data_mode::none,
     "AT+QIOPEN=<contextID>,<connectID>,<service_type>,<IP_address>/<domain_name>,<remote_port>"
     "[,<local_port>[,<access_mode>[,<protocol_type>]]]",
     "AN 2.1.1"},
}};

constinit const std::array<form_spec, 2> qiclose_forms{{
    {form::test, "", {}, qiclose_test_responses, data_mode::none, "AT+QICLOSE=?", "AN 2.1.2"},
    {form::set, "", qiclose_params, qiclose_set_responses, data_mode::none,
     "AT+QICLOSE=<connectID>", "AN 2.1.2"},
}};

constinit const std::array<form_spec, 4> qistate_forms{{
    {form::test, "", {}, ok_only, data_mode::none, "AT+QISTATE=?", "AN 2.1.3"},
    {form::query, "", {}, qistate_responses, data_mode::none, "AT+QISTATE?", "AN 2.1.3"},
    {form::set, "", qistate_by_context_params, qistate_responses, data_mode::none,
     "AT+QISTATE=<query_type>,<contextID>", "AN 2.1.3"},
    {form::set, "", qistate_by_connection_params, qistate_responses, data_mode::none,
     "AT+QISTATE=<query_type>,<connectID>", "AN 2.1.3"},
}};

constinit const std::array<form_spec, 4> qisend_forms{{
    {form::test, "", {}, qisend_test_responses, data_mode::none, "AT+QISEND=?", "AN 2.1.4"},
    {form::set, "", qisend_inline_params, send_responses, data_mode::none,
     "AT+QISEND=<connectID>,<send_length>,<data>", "AN 2.1.4"},
    {form::set, "", qisend_ctrl_z_params, send_responses, data_mode::until_ctrl_z,
     "AT+QISEND=<connectID>", "AN 2.1.4"},
    {form::set, "", qisend_fixed_params, send_responses, data_mode::fixed_length,
     "AT+QISEND=<connectID>,<send_length>", "AN 2.1.4"},
}};

constinit const std::array<form_spec, 2> qird_forms{{
    {form::test, "", {}, qird_test_responses, data_mode::none, "AT+QIRD=?", "AN 2.1.5"},
    {form::set, "", qird_params, qird_set_responses, data_mode::none,
     "AT+QIRD=<connectID>,<read_length>", "AN 2.1.5"},
}};

constinit const std::array<form_spec, 4> qisendex_forms{{
    {form::test, "", {}, qisendex_test_responses, data_mode::none, "AT+QISENDEX=?", "AN 2.1.6"},
    {form::set, "", qisendex_inline_params, send_responses, data_mode::none,
     "AT+QISENDEX=<connectID>,<send_length>,<hex_string>", "AN 2.1.6"},
    {form::set, "", qisendex_ctrl_z_params, send_responses, data_mode::until_ctrl_z,
     "AT+QISENDEX=<connectID>", "AN 2.1.6"},
    {form::set, "", qisendex_fixed_params, send_responses, data_mode::fixed_length,
     "AT+QISENDEX=<connectID>,<send_length>", "AN 2.1.6"},
}};

constinit const std::array<form_spec, 3> qiswtmd_forms{{
    {form::test, "", {}, qiswtmd_test_responses, data_mode::none, "AT+QISWTMD=?", "AN 2.1.7"},
    {form::query, "", {}, ok_only, data_mode::none, "AT+QISWTMD?", "AN 2.1.7"},  // E21
    {form::set, "", qiswtmd_params, ok_or_error, data_mode::none,
     "AT+QISWTMD=<connectID>,<access_mode>", "AN 2.1.7"},
}};

constinit const std::array<form_spec, 2> qping_forms{{
    {form::test, "", {}, qping_test_responses, data_mode::none, "AT+QPING=?", "AN 2.1.8"},
    {form::set, "", qping_params, qping_set_responses, data_mode::none,
     "AT+QPING=<contextID>,<host>[,<time_out>[,<ping_num>[,<ping_size>]]]", "AN 2.1.8"},
}};

constinit const std::array<form_spec, 2> qntp_forms{{
    {form::test, "", {}, qntp_test_responses, data_mode::none, "AT+QNTP=?", "AN 2.1.9"},
    {form::set, "", qntp_params, qntp_set_responses, data_mode::none,
     "AT+QNTP=<contextID>,<server>[,<port>[,<autosettime>]]", "AN 2.1.9"},
}};

constinit const std::array<form_spec, 2> qidnsgip_forms{{
    {form::test, "", {}, qidnsgip_test_responses, data_mode::none, "AT+QIDNSGIP=?", "AN 2.1.10"},
    {form::set, "", qidnsgip_params, qidnsgip_set_responses, data_mode::none,
     "AT+QIDNSGIP=<contextID>,<hostname>", "AN 2.1.10"},
}};

constinit const std::array<form_spec, 4> qicfg_forms{{
    {form::test, "", {}, qicfg_test_responses, data_mode::none, "AT+QICFG=?", "AN 2.1.11"},
    {form::set, "dataformat", qicfg_dataformat_params, qicfg_dataformat_responses, data_mode::none,
     "AT+QICFG=\"dataformat\"[,<send_data_format>,<recv_data_format>]", "AN 2.1.11"},
    {form::set, "viewmode", qicfg_viewmode_params, qicfg_viewmode_responses, data_mode::none,
     "AT+QICFG=\"viewmode\"[,<view_mode>]", "AN 2.1.11"},
    {form::set, "showlength", qicfg_showlength_params, qicfg_showlength_responses, data_mode::none,
     "AT+QICFG=\"showlength\"[,<show_length_mode>]", "AN 2.1.11"},
}};

constinit const std::array<form_spec, 2> qigeterror_forms{{
    {form::test, "", {}, ok_only, data_mode::none, "AT+QIGETERROR=?", "AN 2.1.12"},
    {form::exec, "", {}, qigeterror_exec_responses, data_mode::none, "AT+QIGETERROR", "AN 2.1.12"},
}};

constinit const std::array<form_spec, 3> qikalive_forms{{
    {form::test, "", {}, qikalive_test_responses, data_mode::none, "AT+QIKALIVE=?", "AN 2.1.13"},
    {form::query, "", {}, qikalive_query_responses, data_mode::none, "AT+QIKALIVE?", "AN 2.1.13"},
    {form::set, "", qikalive_params, ok_or_error, data_mode::none,
     "AT+QIKALIVE=<keepalive_on>[,<keepalive_idle_time>[,<keepalive_interval_time>"
     "[,<keepalive_count>]]]",
     "AN 2.1.13"},
}};

constinit const std::array<form_spec, 3> qidnscfg_forms{{
    {form::test, "", {}, qidnscfg_test_responses, data_mode::none, "AT+QIDNSCFG=?", "AN 2.1.14"},
    {form::query, "", {}, qidnscfg_query_responses, data_mode::none, "AT+QIDNSCFG?", "AN 2.1.14"},
    {form::set, "", qidnscfg_params, ok_or_error, data_mode::none,
     "AT+QIDNSCFG=<primaryDns>[,<secondaryDns>]", "AN 2.1.14"},
}};

}  // namespace bcconform::protocol::detail
