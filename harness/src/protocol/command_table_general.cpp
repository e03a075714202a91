// General (non-TCP/IP) commands that the note's examples and MCU drivers send around the
// TCP/IP set. The note documents none of them beyond its examples (AN 4.1.1, AN 4.4), so forms
// follow V.250 / 3GPP TS 27.007 and the BC25 behaviour collected in emulator.md §1.2 (E57).
#include <array>
#include <string_view>

#include "command_table_data.hpp"

namespace bcconform::protocol::detail {
namespace {

constexpr response_spec ok{"OK", line_role::final};
constexpr response_spec error{"ERROR", line_role::final};
constexpr response_spec cme_error{"+CME ERROR: <err>", line_role::final};
constexpr std::array<response_spec, 1> ok_only{{ok}};
constexpr std::array<response_spec, 3> ok_or_errors{{ok, error, cme_error}};

// --- ATE (V.250 §6.2.4) -----------------------------------------------------------------------
constexpr std::array<param_spec, 1> ate_params{{
    integer_param("value", 0, 1, 0, "V.250 §6.2.4", "0 echo off, 1 echo on (default after reset)"),
}};

// --- ATI (V.250 §6.1.3) -----------------------------------------------------------------------
constexpr std::array<response_spec, 4> ati_responses{{
    {"Quectel_Ltd", line_role::info},
    {"Quectel_<model>", line_role::info},
    {"Revision: <revision>", line_role::info},
    ok,
}};

// --- AT&W: the XinYi BC25 build accepts AT&W and AT&W0 only (emulator.md §1.2) ----------------
constexpr std::array<param_spec, 1> atw_params{{
    integer_param("profile", 0, 0, 0, "emulator.md §1.2", "E57: only profile 0"),
}};

// --- AT+CGATT (AN 4.1.1 example; 3GPP TS 27.007 §10.1.9) ---------------------------------------
constexpr std::array<response_spec, 2> cgatt_test_responses{
    {{"+CGATT: (0,1)", line_role::info}, ok}};
constexpr std::array<response_spec, 4> cgatt_query_responses{{
    {"+CGATT: <state>", line_role::info},
    ok,
    error,
    cme_error,
}};
constexpr std::array<param_spec, 1> cgatt_params{{
    integer_param("state", 0, 1, 0, "3GPP TS 27.007 §10.1.9", "0 detach, 1 attach"),
}};

// --- AT+CGPADDR (AN 4.1.1 example; 3GPP TS 27.007 §10.1.14) ------------------------------------
constexpr std::array<response_spec, 2> cgpaddr_test_responses{
    {{"+CGPADDR: (1-3)", line_role::info}, ok}};
constexpr std::array<response_spec, 4> cgpaddr_responses{{
    {"+CGPADDR: <cid>,<PDP_addr>", line_role::info},  // AN 4.1.1: address quoted
    ok,
    error,
    cme_error,
}};
constexpr std::array<param_spec, 1> cgpaddr_params{{
    integer_param("cid", 1, 3, 0, "3GPP TS 27.007 §10.1.14", "AN 2.1.1 <contextID> range"),
}};

// --- AT+QSCLK (AN 4.4 example; emulator.md §1.2) ---------------------------------------------
constexpr std::array<response_spec, 2> qsclk_test_responses{
    {{"+QSCLK: (0-2)", line_role::info}, ok}};
constexpr std::array<response_spec, 3> qsclk_query_responses{
    {{"+QSCLK: <n>", line_role::info}, ok, error}};
constexpr std::array<param_spec, 1> qsclk_params{{
    integer_param("n", 0, 2, 0, "AN 4.4",
                  "0 no sleep, 1 deep sleep, 2 light sleep (emulator.md §1.2)"),
}};

// --- AT+CMEE (3GPP TS 27.007 §9.1) ------------------------------------------------------------
constexpr std::array<response_spec, 2> cmee_test_responses{{{"+CMEE: (0-2)", line_role::info}, ok}};
constexpr std::array<response_spec, 2> cmee_query_responses{{{"+CMEE: <n>", line_role::info}, ok}};
constexpr std::array<param_spec, 1> cmee_params{{
    integer_param("n", 0, 2, 0, "3GPP TS 27.007 §9.1",
                  "0 ERROR, 1 numeric, 2 verbose; QI* always ERROR"),
}};

// --- AT+CGMR (3GPP TS 27.007 §5.3) ------------------------------------------------------------
constexpr std::array<response_spec, 3> cgmr_exec_responses{{
    {"Revision: <revision>", line_role::info},
    ok,
    error,
}};

// --- AT+QRST (emulator.md §1.2) ---------------------------------------------------------------
constexpr std::array<response_spec, 2> qrst_test_responses{{{"+QRST: (1)", line_role::info}, ok}};
constexpr std::array<response_spec, 2> qrst_set_responses{{
    ok,  // whether OK precedes the reboot is not documented (emulator.md §1.2)
    {"RDY", line_role::urc},
}};
constexpr std::array<param_spec, 1> qrst_params{{
    integer_param("mode", 1, 1, 0, "emulator.md §1.2", "1: reboot at once"),
}};

}  // namespace

constinit const std::array<form_spec, 1> at_forms{{
    {form::exec, "", {}, ok_only, data_mode::none, "AT", "V.250 §5.2.1"},
}};

// V.250 §6.2.4: "E" without a value is E0.
constinit const std::array<form_spec, 2> ate_forms{{
    {form::exec, "", {}, ok_or_errors, data_mode::none, "ATE", "V.250 §6.2.4"},
    {form::set, "", ate_params, ok_or_errors, data_mode::none, "ATE<value>", "V.250 §6.2.4"},
}};

constinit const std::array<form_spec, 1> ati_forms{{
    {form::exec, "", {}, ati_responses, data_mode::none, "ATI", "V.250 §6.1.3"},
}};

constinit const std::array<form_spec, 2> atw_forms{{
    {form::exec, "", {}, ok_or_errors, data_mode::none, "AT&W", "emulator.md §1.2"},
    {form::set, "", atw_params, ok_or_errors, data_mode::none, "AT&W<profile>", "emulator.md §1.2"},
}};

constinit const std::array<form_spec, 3> cgatt_forms{{
    {form::test,
     "",
     {},
     cgatt_test_responses,
     data_mode::none,
     "AT+CGATT=?",
     "3GPP TS 27.007 §10.1.9"},
    {form::query, "", {}, cgatt_query_responses, data_mode::none, "AT+CGATT?", "AN 4.1.1"},
    {form::set, "", cgatt_params, ok_or_errors, data_mode::none, "AT+CGATT=<state>",
     "3GPP TS 27.007 §10.1.9"},
}};

// AN 4.1.1 uses the query form, which TS 27.007 does not define; drivers also send `=<cid>`
// and the bare execute form (emulator.md §1.2, E57).
constinit const std::array<form_spec, 4> cgpaddr_forms{{
    {form::test,
     "",
     {},
     cgpaddr_test_responses,
     data_mode::none,
     "AT+CGPADDR=?",
     "3GPP TS 27.007 §10.1.14"},
    {form::query, "", {}, cgpaddr_responses, data_mode::none, "AT+CGPADDR?", "AN 4.1.1"},
    {form::set, "", cgpaddr_params, cgpaddr_responses, data_mode::none, "AT+CGPADDR=<cid>",
     "3GPP TS 27.007 §10.1.14"},
    {form::exec,
     "",
     {},
     cgpaddr_responses,
     data_mode::none,
     "AT+CGPADDR",
     "3GPP TS 27.007 §10.1.14"},
}};

constinit const std::array<form_spec, 3> qsclk_forms{{
    {form::test, "", {}, qsclk_test_responses, data_mode::none, "AT+QSCLK=?", "emulator.md §1.2"},
    {form::query, "", {}, qsclk_query_responses, data_mode::none, "AT+QSCLK?", "emulator.md §1.2"},
    {form::set, "", qsclk_params, ok_or_errors, data_mode::none, "AT+QSCLK=<n>", "AN 4.4"},
}};

constinit const std::array<form_spec, 3> cmee_forms{{
    {form::test, "", {}, cmee_test_responses, data_mode::none, "AT+CMEE=?", "3GPP TS 27.007 §9.1"},
    {form::query, "", {}, cmee_query_responses, data_mode::none, "AT+CMEE?", "3GPP TS 27.007 §9.1"},
    {form::set, "", cmee_params, ok_or_errors, data_mode::none, "AT+CMEE=<n>",
     "3GPP TS 27.007 §9.1"},
}};

constinit const std::array<form_spec, 2> cgmr_forms{{
    {form::test, "", {}, ok_only, data_mode::none, "AT+CGMR=?", "3GPP TS 27.007 §5.3"},
    {form::exec, "", {}, cgmr_exec_responses, data_mode::none, "AT+CGMR", "3GPP TS 27.007 §5.3"},
}};

constinit const std::array<form_spec, 2> qrst_forms{{
    {form::test, "", {}, qrst_test_responses, data_mode::none, "AT+QRST=?", "emulator.md §1.2"},
    {form::set, "", qrst_params, qrst_set_responses, data_mode::none, "AT+QRST=1",
     "emulator.md §1.2"},
}};

}  // namespace bcconform::protocol::detail
