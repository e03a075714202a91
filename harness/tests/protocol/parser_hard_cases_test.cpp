// The hard cases of parsers.md §4 (cases 1-40) and a few more, each replayed through
// session_tracker + stream_parser whole (a module record per feed, the ⏸ chunk boundaries of
// the case being separate records), split at every offset and in chunk sizes 1..16, with the
// span invariant checked on every replay (replay_support.hpp).
//
// parsers.md proposes its own event vocabulary; here it maps onto parser.hpp's kinds:
//   Echo(s), DataEcho(b)       -> echo (data-mode echo is an echo event of the data bytes)
//   Info(s)                    -> info, named by the command table ("QIRD", "AT")
//   Final(..), Result(SEND OK|SEND FAIL|CLOSE OK) -> final
//   Urc(name, ..)              -> urc, named by the table ("closed", "buff full", "QPING")
//   Qird(n[,rem]) + Payload(b) -> info QIRD, then data with the connect ID of the AT+QIRD
//   Recv(id, len, b)           -> urc recv, then data (direct push)
//   Unknown(s)                 -> noise (or info, when a command is in flight)
//   Overflow(n)                -> overflow with len=n
//   Urc/Info(malformed)        -> diag=bad_header where the line carries a payload length;
//                                 other field checks belong to the decoders (decoders.hpp)
//   Desync(..)                 -> none: the parser has no clock (case 27 gives what the count
//                                 gives; a timeout is the session's business)
// Addresses of the cases are replaced by loopback ones. AT+CSQ is not in the command table
// (the note never uses it); AT+CGATT? of AN 4.1.1 plays its part in cases 4 and 29.
// Expected logs follow from the note, the errata rulings, parser.hpp and session.hpp.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "replay_support.hpp"

namespace bcconform::protocol::test {
namespace {

using namespace std::string_literals;

/// What a case assumes beyond the bytes: parsers.md §4 "Unless noted, echo is off (ATE0) and
/// viewmode=0, showlength=0, dataformat=0,0"; sockets are in buffer mode unless listed in `push`.
struct hard_context {
  bool echo = false;
  int viewmode = 0;
  bool showlength = false;
  bool hex = false;  ///< receive data format hex (AT+QICFG="dataformat",0,1)
  std::vector<int> push{};
  std::size_t max_line = parser_limits{}.max_line;
};

const std::size_t default_max_line = parser_limits{}.max_line;

struct hard_case {
  std::string name;
  std::string source;  ///< the parsers.md case and what it checks
  hard_context ctx;
  std::vector<step> steps;
  std::string expected;
};

conversation to_conversation(const hard_case& c) {
  conversation conv;
  conv.steps = c.steps;
  conv.initial.echo = c.ctx.echo;
  conv.initial.viewmode = c.ctx.viewmode;
  conv.initial.showlength = c.ctx.showlength;
  conv.initial.recv_format = c.ctx.hex ? data_format::hex : data_format::text;
  for (const int id : c.ctx.push)
    conv.initial.access[static_cast<std::size_t>(id)] = access_mode::direct_push;
  conv.limits.max_line = c.ctx.max_line;
  return conv;
}

// clang-format off
const std::vector<hard_case>& hard_cases() {
  static const std::vector<hard_case> cases = {
    {"c01_echo_cr_cr_lf", "case 1: the echo ends with the host CR, then the module CR LF",
     {.echo = true},
     {host("AT\r"s),
      module("AT\r\r\nOK\r\n"s)},
     R"log(0 echo "AT"
5 final OK "OK"
)log"},
    {"c02_byte_by_byte", "case 2: every byte its own chunk; one final after the last byte",
     {},
     {module("\r"s),
      module("\n"s),
      module("O"s),
      module("K"s),
      module("\r"s),
      module("\n"s)},
     R"log(2 final OK "OK"
)log"},
    {"c02_crlf_split", "case 2: the LF opening chunk 2 completes the line, no empty line",
     {},
     {module("\r\nOK\r"s),
      module("\n\r\n+QIURC: \"closed\",0\r\n"s)},
     R"log(2 final OK "OK"
8 urc closed "+QIURC: \x22closed\x22,0"
)log"},
    {"c03_echo_glued_to_send_ok", "case 3: echo right after SEND OK, recognised by the text sent",
     {.echo = true},
     {host("AT+QISEND=0,10,\"1234567890\"\r"s),
      module("AT+QISEND=0,10,\"1234567890\"\r\r\nOK\r\n"s),
      module("\r\nSEND OK\r\n"s),
      host("AT+QIRD=0,512\r"s),
      module("AT+QIRD=0,512\r\r\n+QIRD: 0\r\n\r\nOK\r\n"s)},
     R"log(0 echo "AT+QISEND=0,10,\x221234567890\x22"
30 final OK "OK"
36 final SEND OK "SEND OK"
45 echo "AT+QIRD=0,512"
61 info QIRD "+QIRD: 0"
73 final OK "OK"
)log"},
    {"c04_echo_off_first_line_is_info",
     "case 4: echo off, nothing is eaten as echo (AT+CSQ is not in the table; AT+CGATT? of AN 4.1.1 plays its part)",
     {},
     {host("AT+CGATT?\r"s),
      module("\r\n+CGATT: 1\r\n\r\nOK\r\n"s)},
     R"log(2 info CGATT "+CGATT: 1"
15 final OK "OK"
)log"},
    {"c05_garbage_then_urc", "case 5: boot garbage lines are noise, the URC after them survives",
     {},
     {module("\000\377\r\nF1: 0000 0000\r\naa\r\n\r\nRDY\r\n"s)},
     R"log(0 noise "\x00\xFF"
4 noise "F1: 0000 0000"
19 noise "aa"
25 urc RDY "RDY"
)log"},
    {"c06_partial_line_across_pause", "case 6: a URC split across a long pause is one URC",
     {},
     {module("\r\n+QIURC: \"clo"s),
      module("sed\",0\r\n"s)},
     R"log(2 urc closed "+QIURC: \x22closed\x22,0"
)log"},
    {"c07_overlong_line_then_final",
     "case 7: 4000-byte line: one overflow event with its length, OK survives",
     {},
     {module(std::string("\r\n") + std::string(4000, 'A') + "\r\n\r\nOK\r\n")},
     R"log(2 overflow len=4000 ""
4006 final OK "OK"
)log"},
    {"c08_burst_of_urcs", "case 8: four URCs in one read, in order",
     {},
     {module("\r\n+QIURC: \"closed\",0\r\n\r\n+QIURC: \"closed\",1\r\n\r\n+QIURC: \"incoming full\"\r\n\r\n+QIURC: \"recv\",2\r\n"s)},
     R"log(2 urc closed "+QIURC: \x22closed\x22,0"
24 urc closed "+QIURC: \x22closed\x22,1"
46 urc incoming full "+QIURC: \x22incoming full\x22"
73 urc recv id=2 "+QIURC: \x22recv\x22,2"
)log"},
    {"c09_close_ok_is_not_ok",
     "case 9: CLOSE OK then the next command's answer (Result(CLOSE OK) = final CLOSE OK)",
     {},
     {host("AT+QICLOSE=0\r"s),
      module("\r\nOK\r\n"s),
      host("AT+QISTATE=1,0\r"s),
      module("\r\nCLOSE OK\r\n\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",8062,0,4,1,0\r\n\r\nOK\r\n"s)},
     R"log(2 final OK "OK"
8 final CLOSE OK "CLOSE OK"
20 info QISTATE "+QISTATE: 0,\x22TCP\x22,\x22127.0.0.1\x22,8062,0,4,1,0"
66 final OK "OK"
)log"},
    {"c10_urc_between_ok_and_send_ok", "case 10: a URC between OK and SEND OK",
     {},
     {host("AT+QISEND=0,10,\"1234567890\"\r"s),
      module("\r\nOK\r\n\r\n+QIURC: \"recv\",0\r\n\r\nSEND OK\r\n"s)},
     R"log(2 final OK "OK"
8 urc recv id=0 "+QIURC: \x22recv\x22,0"
28 final SEND OK "SEND OK"
)log"},
    {"c11_overlapping_sends",
     "case 11 (AN 4.1.2): ERROR for the second send, SEND OK for the first",
     {},
     {host("AT+QISEND=0,10,\"1234567890\"\r"s),
      module("\r\nOK\r\n"s),
      host("AT+QISEND=0,10,\"1234567890\"\r"s),
      module("\r\nERROR\r\n\r\nSEND OK\r\n"s)},
     R"log(2 final OK "OK"
8 final ERROR "ERROR"
17 final SEND OK "SEND OK"
)log"},
    {"c12_send_fail_on_empty_data",
     "case 12: data mode, only Ctrl+Z: SEND FAIL at once (AN 2.1.4 note 4)",
     {},
     {host("AT+QISEND=0\r"s),
      module("\r\n> "s),
      host("\032"s),
      module("\r\nSEND FAIL\r\n"s)},
     R"log(2 prompt ">"
6 final SEND FAIL "SEND FAIL"
)log"},
    {"c12_escape_cancels",
     "case 12: data mode cancelled with Esc; the answer (E13) closes the command",
     {},
     {host("AT+QISEND=0\r"s),
      module("\r\n> "s),
      host("abc\033"s),
      module("\r\nERROR\r\n"s)},
     R"log(2 prompt ">"
6 final ERROR "ERROR"
)log"},
    {"c13_whole_line_finals", "case 13: OKAY is not OK; ERROR inside an info line is not a final",
     {},
     {host("AT\r"s),
      module("\r\nOKAY\r\n\r\nOK\r\n"s),
      host("AT+QIGETERROR\r"s),
      module("\r\n+QIGETERROR: 552, invalid parameters\r\n\r\nOK\r\n"s)},
     R"log(2 info AT "OKAY"
10 final OK "OK"
16 info QIGETERROR "+QIGETERROR: 552, invalid parameters"
56 final OK "OK"
)log"},
    {"c14_error_forms", "case 14: ERROR, +CME ERROR: <n> and the CMEE=2 text form",
     {},
     {host("AT+QIRD=0,0\r"s),
      module("\r\nERROR\r\n"s),
      host("AT+CGATT=1\r"s),
      module("\r\n+CME ERROR: 50\r\n"s),
      host("AT+CMEE=2\r"s),
      module("\r\nOK\r\n"s),
      host("AT+CGATT=1\r"s),
      module("\r\n+CME ERROR: Incorrect parameters\r\n"s)},
     R"log(2 final ERROR "ERROR"
11 final CME ERROR "+CME ERROR: 50"
29 final OK "OK"
35 final CME ERROR "+CME ERROR: Incorrect parameters"
)log"},
    {"c15_test_answer_with_urc_prefix",
     "case 15: test answers sharing a URC prefix are info (decided by shape)",
     {},
     {host("AT+QPING=?\r"s),
      module("\r\n+QPING: (1-3),\"<host>\",(1-255),(1-10),(32-200)\r\n\r\nOK\r\n"s),
      host("AT+QNTP=?\r"s),
      module("\r\n+QNTP: (1-3),\"<server>\",(1-65535),(0,1)\r\n\r\nOK\r\n"s),
      host("AT+QIDNSGIP=?\r"s),
      module("\r\n+QIDNSGIP: (1-3),\"<hostname>\"\r\n\r\nOK\r\n"s)},
     R"log(2 info QPING diag=test_form_shape "+QPING: (1-3),\x22<host>\x22,(1-255),(1-10),(32-200)"
52 final OK "OK"
58 info QNTP diag=test_form_shape "+QNTP: (1-3),\x22<server>\x22,(1-65535),(0,1)"
101 final OK "OK"
107 info QIDNSGIP diag=test_form_shape "+QIDNSGIP: (1-3),\x22<hostname>\x22"
140 final OK "OK"
)log"},
    {"c16_late_urc_during_same_prefix_test",
     "case 16: a ping reply while AT+QPING=? is in flight stays a URC",
     {},
     {host("AT+QPING=1,\"127.0.0.1\"\r"s),
      module("\r\nOK\r\n"s),
      host("AT+QPING=?\r"s),
      module("\r\n+QPING: 0,127.0.0.1,32,192,255\r\n\r\n+QPING: (1-3),\"<host>\",(1-255),(1-10),(32-200)\r\n\r\nOK\r\n"s)},
     R"log(2 final OK "OK"
8 urc QPING diag=test_form_shape "+QPING: 0,127.0.0.1,32,192,255"
42 info QPING diag=test_form_shape "+QPING: (1-3),\x22<host>\x22,(1-255),(1-10),(32-200)"
92 final OK "OK"
)log"},
    {"c17_urc_between_echo_and_info",
     "case 17: a URC right after the echo is not the first answer line",
     {.echo = true},
     {host("AT+QISTATE=1,0\r"s),
      module("AT+QISTATE=1,0\r\r\n\r\n+QIOPEN: 0,0\r\n\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",8062,0,2,1,0\r\n\r\nOK\r\n"s)},
     R"log(0 echo "AT+QISTATE=1,0"
19 urc QIOPEN "+QIOPEN: 0,0"
35 info QISTATE "+QISTATE: 0,\x22TCP\x22,\x22127.0.0.1\x22,8062,0,2,1,0"
81 final OK "OK"
)log"},
    {"c18_urc_between_info_and_ok", "case 18: a URC between the last info line and OK",
     {},
     {host("AT+QISTATE=1,0\r"s),
      module("\r\n+QISTATE: 0,\"TCP\",\"127.0.0.1\",8062,0,2,1,0\r\n\r\n+QIURC: \"closed\",0\r\n\r\nOK\r\n"s)},
     R"log(2 info QISTATE "+QISTATE: 0,\x22TCP\x22,\x22127.0.0.1\x22,8062,0,2,1,0"
48 urc closed "+QIURC: \x22closed\x22,0"
70 final OK "OK"
)log"},
    {"c19_urc_right_after_ok", "case 19: a URC in the same write as OK",
     {},
     {host("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,0\r"s),
      module("\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n"s)},
     R"log(2 final OK "OK"
8 urc QIOPEN "+QIOPEN: 0,0"
)log"},
    {"c20_payload_contains_ok",
     "case 20: a payload of CR LF OK CR LF is taken by count; then an empty read",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 6\r\n\r\nOK\r\n\r\nOK\r\n"s),
      host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 0\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 6"
12 data id=0 len=6 "\r\nOK\r\n"
20 final OK "OK"
26 info QIRD "+QIRD: 0"
38 final OK "OK"
)log"},
    {"c21_payload_contains_urc", "case 21: a complete URC inside the payload is payload",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 20\r\n+QIURC: \"closed\",0\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 20"
13 data id=0 len=20 "+QIURC: \x22closed\x22,0\r\n"
35 final OK "OK"
)log"},
    {"c22_payload_prompt_at_chunk_edge",
     "case 22: \"> \" inside the payload at a chunk edge is no prompt",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 4\r\n\r\n>"s),
      module(" \r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 4"
12 data id=0 len=4 "\r\n>\x20"
20 final OK "OK"
)log"},
    {"c23_binary_payload", "case 23: NUL, Ctrl+Z, Esc, 0xFF and a final bare LF in the payload",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 5\r\n\000\032\033\377\n\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 5"
12 data id=0 len=5 "\x00\x1A\x1B\xFF\n"
21 final OK "OK"
)log"},
    {"c24_length_and_crlf_split", "case 24: the length split mid-number and the header CR LF split",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 1"s),
      module("2\r"s),
      module("\nhello world!\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 12"
13 data id=0 len=12 "hello world!"
29 final OK "OK"
)log"},
    {"c25_showlength_remaining", "case 25: showlength 1: the second number is <remaining_length>",
     {.showlength = true},
     {host("AT+QIRD=0,10\r"s),
      module("\r\n+QIRD: 10,2\r\n1234567890\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 10,2"
15 data id=0 len=10 "1234567890"
29 final OK "OK"
)log"},
    {"c26_viewmode1_showlength1",
     "case 26: viewmode 1, showlength 1; the stray line of AN 4.1.3 (E31) does not break the read",
     {.viewmode = 1, .showlength = true},
     {host("AT+QIRD=0,10\r"s),
      module("\r\n+QIRD: 10,2,0123456789\r\n+QICFG: \"viewemode\",1\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 10,2"
14 data id=0 len=10 "0123456789"
26 info QICFG "+QICFG: \x22viewemode\x22,1"
51 final OK "OK"
)log"},
    {"c26_viewmode1_showlength0",
     "case 26: viewmode 1, showlength 0: \"2,\" is payload, not a remaining length",
     {.viewmode = 1},
     {host("AT+QIRD=0,5\r"s),
      module("\r\n+QIRD: 5,2,abc\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 5"
11 data id=0 len=5 "2,abc"
20 final OK "OK"
)log"},
    {"c27_declared_length_longer",
     "case 27: the count swallows what follows; no clock in the parser, so no Desync event",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 12\r\nabcd\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 12"
13 data id=0 len=12 "abcd\r\n\r\nOK\r\n"
)log"},
    {"c28_same_header_buffer_mode",
     "case 28: buffer mode, showlength 1: the URC has no payload; the next line is noise",
     {.showlength = true},
     {module("\r\n+QIURC: \"recv\",0,5\r\n12345\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,5"
22 noise "12345"
)log"},
    {"c28_same_header_direct_push", "case 28: direct push: Recv(0,5,..) = urc recv then data",
     {.showlength = true, .push = {0}},
     {module("\r\n+QIURC: \"recv\",0,5\r\n12345\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,5"
22 data id=0 len=5 "12345"
)log"},
    {"c29_push_payload_inside_response",
     "case 29: direct-push data containing OK inside another command's response (AT+CGATT? for AT+CSQ)",
     {.echo = true, .showlength = true, .push = {0}},
     {host("AT+CGATT?\r"s),
      module("AT+CGATT?\r\r\n\r\n+QIURC: \"recv\",0,4\r\nOK\r\n\r\n\r\n+CGATT: 1\r\n\r\nOK\r\n"s)},
     R"log(0 echo "AT+CGATT?"
14 urc recv id=0 "+QIURC: \x22recv\x22,0,4"
34 data id=0 len=4 "OK\r\n"
42 info CGATT "+CGATT: 1"
55 final OK "OK"
)log"},
    {"c30_push_viewmode1",
     "case 30: viewmode 1 direct push; commas and quotes inside the counted data",
     {.viewmode = 1, .showlength = true, .push = {0}},
     {module("\r\n+QIURC: \"recv\",0,12,012345678901\r\n"s),
      module("\r\n+QIURC: \"recv\",0,7,a,\"b\"\r\n\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,12"
22 data id=0 len=12 "012345678901"
38 urc recv id=0 "+QIURC: \x22recv\x22,0,7"
57 data id=0 len=7 "a,\x22b\x22\r\n"
)log"},
    {"c31_push_without_length",
     "case 31: showlength 0: the data is delimited by its line end (unframed)",
     {.push = {0}},
     {module("\r\n+QIURC: \"recv\",0\r\nhello\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0"
20 data id=0 len=5 diag=unframed "hello"
)log"},
    {"c32_push_hex", "case 32: hex receive format: the length counts bytes, 2 hex digits each",
     {.showlength = true, .hex = true, .push = {0}},
     {module("\r\n+QIURC: \"recv\",0,5\r\n3031323334\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,5"
22 data id=0 len=5 "3031323334"
)log"},
    {"c33_buff_full",
     "case 33: \"buff full\" where a length could be; no payload state, even in direct push",
     {.push = {0}},
     {module("\r\n+QIURC: \"recv\",0,\"buff full\"\r\n\r\n+QIURC: \"closed\",0\r\n"s)},
     R"log(2 urc buff full id=0 "+QIURC: \x22recv\x22,0,\x22buff full\x22"
34 urc closed "+QIURC: \x22closed\x22,0"
)log"},
    {"c34_prompt_without_crlf",
     "case 34: the prompt is reported at once, with no line end after it",
     {},
     {host("AT+QISEND=0,5\r"s),
      module("\r\n> "s)},
     R"log(2 prompt ">"
)log"},
    {"c35_prompt_split", "case 35: the prompt split between > and its space",
     {},
     {host("AT+QISEND=0,5\r"s),
      module("\r\n>"s),
      module(" "s)},
     R"log(2 prompt ">"
)log"},
    {"c35_prompt_then_urc",
     "case 35: \"> \" then a URC in one read, no data-mode command in flight",
     {},
     {module("\r\n> \r\n+QIURC: \"closed\",0\r\n"s)},
     R"log(2 prompt ">\x20"
6 urc closed "+QIURC: \x22closed\x22,0"
)log"},
    {"c36_data_echo",
     "case 36: echo on, fixed length: DataEcho(hello) = an echo event of the data bytes",
     {.echo = true},
     {host("AT+QISEND=0,5\r"s),
      module("AT+QISEND=0,5\r\r\n> "s),
      host("hello"s),
      module("hello\r\nOK\r\n\r\nSEND OK\r\n"s)},
     R"log(0 echo "AT+QISEND=0,5"
16 prompt ">"
18 echo "hello"
25 final OK "OK"
31 final SEND OK "SEND OK"
)log"},
    {"c37_dns_group", "case 37: the dnsgip header and address URCs share the prefix; failure form",
     {},
     {host("AT+QIDNSGIP=1,\"localhost\"\r"s),
      module("\r\nOK\r\n\r\n+QIURC: \"dnsgip\",0,2,399\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.1\"\r\n\r\n+QIURC: \"dnsgip\",\"127.0.0.2\"\r\n"s),
      host("AT+QIDNSGIP=1,\"nonexistent.invalid\"\r"s),
      module("\r\nOK\r\n\r\n+QIURC: \"dnsgip\",565\r\n"s)},
     R"log(2 final OK "OK"
8 urc dnsgip "+QIURC: \x22dnsgip\x22,0,2,399"
36 urc dnsgip "+QIURC: \x22dnsgip\x22,\x22127.0.0.1\x22"
68 urc dnsgip "+QIURC: \x22dnsgip\x22,\x22127.0.0.2\x22"
100 final OK "OK"
106 urc dnsgip "+QIURC: \x22dnsgip\x22,565"
)log"},
    {"c38_quoting_and_spacing",
     "case 38: unquoted and quoted ping addresses, a space after a comma (fields are the decoders' job)",
     {},
     {host("AT+QPING=1,\"localhost\"\r"s),
      module("\r\nOK\r\n\r\n+QPING: 0,127.0.0.1,32,192,255\r\n\r\n+QPING: 0,\"127.0.0.1\",32,930,51\r\n\r\n+QPING: 2,4,4,0,192,479,288\r\n"s),
      host("AT+QNTP=1,\"localhost\"\r"s),
      module("\r\nOK\r\n\r\n+QNTP: 0, \"18/04/20,11:08:20+32\"\r\n"s)},
     R"log(2 final OK "OK"
8 urc QPING "+QPING: 0,127.0.0.1,32,192,255"
42 urc QPING "+QPING: 0,\x22127.0.0.1\x22,32,930,51"
77 urc QPING "+QPING: 2,4,4,0,192,479,288"
108 final OK "OK"
114 urc QNTP "+QNTP: 0, \x2218/04/20,11:08:20+32\x22"
)log"},
    {"c39_prefix_colliding_urcs", "case 39: \"incoming full\" and \"incoming\" are distinct URCs",
     {},
     {module("\r\n+QIURC: \"incoming full\"\r\n\r\n+QIURC: \"incoming\",2,0,\"127.0.0.1\",36566\r\n"s)},
     R"log(2 urc incoming full "+QIURC: \x22incoming full\x22"
29 urc incoming "+QIURC: \x22incoming\x22,2,0,\x22127.0.0.1\x22,36566"
)log"},
    {"c40_malicious_fields",
     "case 40: short and out-of-range fields: no payload state, no huge length; Urc/Info(malformed) = bad_header where a length is read",
     {.showlength = true, .push = {0, 1, 2, 3, 4, 5}},
     {module("\r\n+QIOPEN: 0\r\n\r\n+QIURC: \"recv\",99999999999,5\r\n"s),
      host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: -1\r\n\r\nOK\r\n"s),
      host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 4294967301\r\n\r\nOK\r\n"s)},
     R"log(2 urc QIOPEN "+QIOPEN: 0"
16 urc recv diag=bad_header "+QIURC: \x22recv\x22,99999999999,5"
48 info QIRD diag=bad_header "+QIRD: -1"
61 final OK "OK"
67 info QIRD diag=bad_header "+QIRD: 4294967301"
88 final OK "OK"
)log"},
    {"x_urc_between_qird_header_and_payload", "a URC inside the announced count is payload",
     {},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 25\r\n"s),
      module("\r\n+QIURC: \"closed\",0\r\n"s),
      module("abc\r\n\r\nOK\r\n"s)},
     R"log(2 info QIRD "+QIRD: 25"
13 data id=0 len=25 "\r\n+QIURC: \x22closed\x22,0\r\nabc"
42 final OK "OK"
)log"},
    {"x_recv_12_buffer_mode", "+QIURC: \"recv\",0,12 in buffer mode: no payload follows",
     {.showlength = true},
     {module("\r\n+QIURC: \"recv\",0,12\r\n\r\n+QIURC: \"closed\",0\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,12"
25 urc closed "+QIURC: \x22closed\x22,0"
)log"},
    {"x_recv_12_direct_push", "+QIURC: \"recv\",0,12 in direct push: 12 bytes follow",
     {.showlength = true, .push = {0}},
     {module("\r\n+QIURC: \"recv\",0,12\r\nhello\r\nworld\r\n"s)},
     R"log(2 urc recv id=0 "+QIURC: \x22recv\x22,0,12"
23 data id=0 len=12 "hello\r\nworld"
)log"},
    {"x_line_at_max_line",
     "a line of exactly max_line bytes is kept; one more byte is an overflow; OK survives",
     {.max_line = 16},
     {module("\r\nAAAAAAAAAAAAAAAA\r\n\r\nBBBBBBBBBBBBBBBBB\r\n\r\nOK\r\n"s)},
     R"log(2 noise "AAAAAAAAAAAAAAAA"
22 overflow len=17 ""
43 final OK "OK"
)log"},
    {"x_line_at_default_max_line", "the same at the default limit (parser_limits{}.max_line)",
     {},
     {module("\r\n" + std::string(default_max_line, 'A') + "\r\n\r\n" +
             std::string(default_max_line + 1, 'B') + "\r\n\r\nOK\r\n")},
     "2 noise \"" + std::string(default_max_line, 'A') + "\"\n" +
         std::to_string(default_max_line + 6) + " overflow len=" +
         std::to_string(default_max_line + 1) + " \"\"\n" +
         std::to_string(2 * default_max_line + 11) + " final OK \"OK\"\n"},
    {"x_nul_and_ff_in_lines", "NUL and 0xFF are line bytes, not terminators",
     {},
     {module("\r\nab\000cd\377\r\n"s),
      host("AT\r"s),
      module("\r\n\377\000\r\n\r\nOK\r\n"s)},
     R"log(2 noise "ab\x00cd\xFF"
12 info AT "\xFF\x00"
18 final OK "OK"
)log"},
    {"x_cr_only_and_lf_only", "CR-only and LF-only line ends, also around a counted payload",
     {},
     {module("\rOK\r\nOK\n\r\n+QIURC: \"closed\",0\r+QIURC: \"closed\",1\n\nRDY\r"s),
      host("AT+QIRD=0,512\r"s),
      module("\n+QIRD: 3\nabc\n\nOK\n"s),
      host("AT+QIRD=0,512\r"s),
      module("\r+QIRD: 3\rxyz\r\rOK\r"s)},
     R"log(1 final OK "OK"
5 final OK "OK"
10 urc closed "+QIURC: \x22closed\x22,0"
29 urc closed "+QIURC: \x22closed\x22,1"
49 urc RDY "RDY"
54 info QIRD "+QIRD: 3"
63 data id=0 len=3 "abc"
68 final OK "OK"
72 info QIRD "+QIRD: 3"
81 data id=0 len=3 "xyz"
86 final OK "OK"
)log"},
    {"x_payload_over_limit",
     "an announced length over max_payload (1500) is a bad header, not a count",
     {.showlength = true, .push = {1}},
     {host("AT+QIRD=0,512\r"s),
      module("\r\n+QIRD: 1501\r\n\r\nOK\r\n"s),
      module("\r\n+QIURC: \"recv\",1,1501\r\n\r\n+QIURC: \"closed\",1\r\n"s)},
     R"log(2 info QIRD diag=bad_header "+QIRD: 1501"
17 final OK "OK"
23 urc recv id=1 diag=bad_header "+QIURC: \x22recv\x22,1,1501"
48 urc closed "+QIURC: \x22closed\x22,1"
)log"},
    {"x_recv_connect_id_out_of_range",
     "a connect ID over 5 (AN 2.1.1 range 0-5) is a bad header, never an index",
     {.showlength = true, .push = {0, 1, 2, 3, 4, 5}},
     {module("\r\n+QIURC: \"recv\",6,5\r\nhello\r\n\r\n+QIURC: \"recv\",9\r\n"s)},
     R"log(2 urc recv diag=bad_header "+QIURC: \x22recv\x22,6,5"
22 noise "hello"
31 urc recv diag=bad_header "+QIURC: \x22recv\x22,9"
)log"},
    {"x_recv_connect_id_out_of_range_viewmode1",
     "the same in viewmode 1, where the header is read at its comma",
     {.viewmode = 1, .showlength = true, .push = {0, 1, 2, 3, 4, 5}},
     {module("\r\n+QIURC: \"recv\",7,3,abc\r\n"s)},
     R"log(2 urc recv diag=bad_header "+QIURC: \x22recv\x22,7,3,abc"
)log"},
    {"x_representative_session",
     "a session touching every element kind; also replayed truncated at every byte",
     {.echo = true},
     {host("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1\r"s),
      module("AT+QIOPEN=1,0,\"TCP\",\"127.0.0.1\",8062,0,1\r\r\nOK\r\n"s),
      module("\r\n+QIOPEN: 0,0\r\n"s),
      host("AT+QICFG=\"showlength\",1\r"s),
      module("AT+QICFG=\"showlength\",1\r\r\n+QICFG: \"showlength\",1\r\n\r\nOK\r\n"s),
      module("\r\n+QIURC: \"recv\",0,5\r\nhe\r\no\r\n"s),
      host("AT+QISEND=0,5\r"s),
      module("AT+QISEND=0,5\r\r\n> "s),
      host("hello"s),
      module("hello\r\nOK\r\n\r\nSEND OK\r\n"s),
      host("AT+QISWTMD=0,0\r"s),
      module("AT+QISWTMD=0,0\r\r\nOK\r\n"s),
      module("\r\n+QIURC: \"recv\",0\r\n"s),
      host("AT+QIRD=0,512\r"s),
      module("AT+QIRD=0,512\r\r\n+QIRD: 4,0\r\nab\r\n\r\nOK\r\n"s)},
     R"log(0 echo "AT+QIOPEN=1,0,\x22TCP\x22,\x22127.0.0.1\x22,8062,0,1"
43 final OK "OK"
49 urc QIOPEN "+QIOPEN: 0,0"
63 echo "AT+QICFG=\x22showlength\x22,1"
89 info QICFG "+QICFG: \x22showlength\x22,1"
115 final OK "OK"
121 urc recv id=0 "+QIURC: \x22recv\x22,0,5"
141 data id=0 len=5 "he\r\no"
148 echo "AT+QISEND=0,5"
164 prompt ">"
166 echo "hello"
173 final OK "OK"
179 final SEND OK "SEND OK"
188 echo "AT+QISWTMD=0,0"
205 final OK "OK"
211 urc recv id=0 "+QIURC: \x22recv\x22,0"
229 echo "AT+QIRD=0,512"
245 info QIRD "+QIRD: 4,0"
257 data id=0 len=4 "ab\r\n"
263 final OK "OK"
)log"},
  };
  return cases;
}
// clang-format on

class hard_case_test : public testing::TestWithParam<hard_case> {};

TEST_P(hard_case_test, gives_the_expected_log_in_every_chunking) {
  const hard_case& c = GetParam();
  SCOPED_TRACE(c.source);
  expect_log_in_every_chunking(to_conversation(c), c.expected);
}

void PrintTo(const hard_case& c, std::ostream* os) {
  *os << c.name;
}

INSTANTIATE_TEST_SUITE_P(parsers_md, hard_case_test, testing::ValuesIn(hard_cases()),
                         [](const auto& param_info) { return param_info.param.name; });

std::vector<std::string> split_lines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The conversation cut after `cut` module bytes: host writes made before that point are kept.
conversation truncated(const conversation& full, std::size_t cut) {
  conversation c = full;
  c.steps.clear();
  std::size_t fed = 0;
  for (const step& s : full.steps) {
    if (s.host) {
      if (fed <= cut) c.steps.push_back(s);
      continue;
    }
    if (fed >= cut) break;
    c.steps.push_back(module(s.bytes.substr(0, cut - fed)));
    fed += c.steps.back().bytes.size();
  }
  return c;
}

// The hard cases' representative session, or nullptr when it went missing.
const hard_case* representative_session() {
  for (const hard_case& c : hard_cases()) {
    if (c.name == "x_representative_session") return &c;
  }
  return nullptr;
}

// A stream cut at every byte, then finish(): no crash (ASan/UBSan build), every event before
// the cut is the one the whole stream gives, and a partial element at the cut is reported
// with diag=truncated (parser.hpp, finish()).
TEST(truncation, every_cut_of_a_session_gives_a_prefix_of_its_log) {
  const hard_case* session = representative_session();
  ASSERT_NE(session, nullptr);
  const conversation full = to_conversation(*session);
  const std::vector<std::string> want = split_lines(session->expected);
  const std::size_t size = flatten(full).module.size();
  for (std::size_t cut = 0; cut <= size; ++cut) {
    const conversation c = truncated(full, cut);
    const flat_conversation f = flatten(c);
    ASSERT_EQ(f.module.size(), cut);
    for (const chunking& ch : {chunking{"whole records", f.record_ends}, chunks_of(f, 1)}) {
      const replay_result r = replay(c, f, ch.cuts);
      const std::vector<std::string> got = split_lines(r.log);
      const std::string where = "cut at " + std::to_string(cut) + ", " + ch.label + "\n" + r.log;
      std::size_t same = 0;
      while (same < got.size() && same < want.size() && got[same] == want[same]) ++same;
      ASSERT_GE(same + 1, got.size()) << where;
      if (same < got.size()) {
        const std::string& last = got.back();
        // A partial line or payload is noise; a partial data echo stays an echo, and a cut
        // inside an overlong line still reports the overflow (parser.hpp, finish()).
        const bool kind_ok = last.find(" noise ") != std::string::npos ||
                             last.find(" echo ") != std::string::npos ||
                             last.find(" overflow ") != std::string::npos;
        EXPECT_TRUE(kind_ok) << where;
        EXPECT_NE(last.find(" diag=truncated "), std::string::npos) << where;
      }
      if (cut == size) {
        EXPECT_EQ(got, want) << where;
      }
      for (const auto& p : r.problems) ADD_FAILURE() << where << p;
    }
  }
}

// Forwards to a sink that can be swapped between streams: stream_parser keeps its sink.
class forwarding_sink : public event_sink {
 public:
  void on_event(const event& e) override { to->on_event(e); }
  event_sink* to = nullptr;
};

// reset() after any prefix of a session, whether cut between lines or inside a line, a
// payload or a data echo, leaves the parser as a new one: the whole session fed after it
// gives a new parser's log, with spans from offset 0 again (parser.hpp, reset()).
TEST(reset, after_every_cut_of_a_session_the_parser_is_as_new) {
  const hard_case* session = representative_session();
  ASSERT_NE(session, nullptr);
  const conversation full = to_conversation(*session);
  const std::string stream = flatten(full).module;
  stream_context ctx = full.initial;
  ctx.access[0] = access_mode::direct_push;  // "recv" URCs announce payloads too

  forwarding_sink sink;
  checking_sink first(stream);
  sink.to = &first;
  stream_parser fresh(ctx, sink, full.limits);
  fresh.feed(stream);
  fresh.finish();
  ASSERT_TRUE(first.problems.empty()) << first.problems.front();

  stream_parser parser(ctx, sink, full.limits);  // one parser, reset after every cut
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    checking_sink before(stream);
    sink.to = &before;
    parser.feed(std::string_view(stream).substr(0, cut));
    checking_sink after(stream);
    sink.to = &after;
    parser.reset();
    EXPECT_EQ(parser.offset(), 0u);
    EXPECT_EQ(parser.pending(), 0u);
    parser.feed(stream);
    parser.finish();
    EXPECT_EQ(after.log, first.log) << "reset after " << cut << " bytes";
    for (const auto& p : after.problems) ADD_FAILURE() << "reset after " << cut << ": " << p;
  }
}

}  // namespace
}  // namespace bcconform::protocol::test
