// The validated in-memory form of a scenario file (specs/formats/scenario.md). The loader
// (loader.hpp) builds it from YAML; the runner executes it. Every node remembers where it came
// from, so a verdict can say `file:line` and a lint error `file:line:col`.
//
// Strings that may contain `${name}` references are kept as written (`templated`); the runner
// substitutes them when the step runs, because captures and peer ports only exist then. The
// loader has already checked that every reference names a variable defined before its use.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace bcconform::scenario {

struct source_pos {
  std::string file;  ///< as given to the loader (relative paths stay relative)
  int line = 0;      ///< 1-based; 0 = unknown
  int column = 0;    ///< 1-based; 0 = unknown
  std::string to_string() const;  ///< "file:line:col" ("file:line" when column is 0)
  friend bool operator==(const source_pos&, const source_pos&) = default;
};

/// Why a file was refused.
struct load_error {
  source_pos pos;
  std::string message;            ///< "expected a sequence of steps, got a scalar"
  std::string to_string() const;  ///< "file:line:col: message"
};

/// A string as written, possibly holding `${name}` references.
struct templated {
  std::string text;
  friend bool operator==(const templated&, const templated&) = default;
};

using duration = std::chrono::milliseconds;

/// Bytes given as text (YAML escapes allowed, `${}` substituted) or as hex digits.
struct bytes_spec {
  enum class kind { text, hex } encoding = kind::text;
  templated value;
};

/// One element of an `expect` list.
struct line_matcher {
  enum class kind {
    exact,      ///< `OK`, `{line: "+QIRD: 4"}`: the whole line, byte for byte (after ${})
    regex,      ///< `{re: '\+QISTATE: (?P<cid>\d),.*'}`: RE2, whole line; named groups captured
    any_final,  ///< `{final: any}`: whatever final result (AN 3 / parsers.md)
    payload,    ///< `{payload: ...}`: the payload announced by the previous line
  } match = kind::exact;
  templated text;                        ///< exact text or the pattern
  std::optional<bytes_spec> payload;     ///< payload: exact bytes
  std::optional<std::size_t> length;     ///< payload: only its length
  std::optional<templated> payload_re;   ///< payload: RE2 over the bytes (Latin-1)
  source_pos pos;
};

struct send_step {
  templated line;  ///< without CR; the runner appends `\r`
};
struct expect_step {
  std::vector<line_matcher> lines;  ///< the response of the command in flight, in order
  std::optional<duration> timeout;  ///< default: the command table's max response time
};
struct urc_step {
  templated pattern;                ///< RE2, whole line; named groups become variables
  std::optional<duration> timeout;  ///< default: the in-flight command's max_deferred, else 60 s
};
struct prompt_step {
  std::optional<duration> timeout;
};
struct data_step {
  bytes_spec bytes;
  /// What ends data mode after the bytes: `auto` = Ctrl+Z (0x1A) when the command in flight has
  /// no length parameter, nothing when it has one (AN 2.1.4); `esc` cancels (0x1B).
  enum class end { automatic, ctrl_z, esc, none } terminator = end::automatic;
};
/// Claims the payload attached to the line claimed last by `urc` (direct push, AN 2.2.2).
struct payload_step {
  std::optional<bytes_spec> bytes;
  std::optional<std::size_t> length;
  std::optional<templated> pattern;
  std::optional<duration> timeout;
};

/// The remote end of the module's sockets (harness/include/bcconform/peer).
struct peer_step {
  enum class op {
    tcp_listen,    ///< `{tcp_listen: srv}`: defines ${srv.address} and ${srv.port}
    udp_open,      ///< `{udp_open: u}`: defines ${u.address} and ${u.port}
    accept,        ///< `{accept: srv, as: c}`: the next connection the module made to srv
    connect,       ///< `{connect: c, to: "${module.address}:${port}"}`: to the module's listener
    send,          ///< `{send: c, text|hex: ...}`; UDP also `to: HOST:PORT` (default: last sender)
    expect,        ///< `{expect: c, text|hex|length|re: ...}`; UDP: one datagram
    close,         ///< `{close: c}`: FIN
    reset,         ///< `{reset: c}`: RST
    expect_close,  ///< `{expect_close: c}`: the module closed the connection (FIN or RST)
    dns,           ///< `{dns: d, records: {name: [ip, ...]}}`: defines ${d.address}, ${d.port}
    sntp,          ///< `{sntp: s}`: defines ${s.address} and ${s.port}
  } action = op::tcp_listen;
  std::string object;                      ///< the name the action applies to or creates
  std::string as;                          ///< accept: name of the new connection
  std::optional<templated> to;             ///< connect / UDP send: HOST:PORT
  std::optional<bytes_spec> bytes;         ///< send / expect exact
  std::optional<std::size_t> length;       ///< expect: that many bytes
  std::optional<templated> pattern;        ///< expect: RE2 (Latin-1, (?s) for newlines)
  std::map<std::string, std::vector<std::string>> records;  ///< dns
  std::optional<duration> timeout;         ///< default 10 s
};

struct wait_step {
  duration time{0};  ///< only where the protocol itself needs wall time (AN 4.4 deep sleep)
};
struct hook_step {
  std::string name;  ///< a hook of the lab file: reset, wake, power-cycle, ...
};
/// A line for bcemu's control channel (fault injection); only on targets that have one.
struct control_step {
  templated line;
  std::optional<templated> expect_reply;  ///< RE2 over the reply line; default: "ok.*"
};

using step_body = std::variant<send_step, expect_step, urc_step, prompt_step, data_step,
                               payload_step, peer_step, wait_step, hook_step, control_step>;

struct step {
  step_body body;
  source_pos pos;  ///< where the step's mapping starts (inside an include: the fragment file)
  std::string included_from;  ///< "file:line" of the include step, "" if none
};

/// What happens to a URC nobody claimed and no ignore pattern covers (TTCN-3 default).
enum class unclaimed_policy { fail, inconc, ignore };

struct scenario {
  std::string id;     ///< unique in a run; untrusted text: never a path, escaped in reports
  std::string title;
  std::vector<std::string> spec;      ///< "AN 4.1.2", "AN 2.1.4", ...
  std::vector<std::string> tags;
  std::vector<std::string> requires_; ///< capabilities: network, deep-sleep, control-channel, ...
  std::map<std::string, std::string> vars;  ///< scenario vars merged over the file's
  std::vector<step> setup, steps, teardown;
  std::vector<std::string> ignore_urcs;     ///< RE2 patterns: the file's list and the scenario's
  unclaimed_policy unclaimed = unclaimed_policy::fail;
  std::vector<std::string> errata;          ///< rulings this case follows: "E12", ...
  source_pos pos;
};

/// One loaded file: its scenarios in file order.
struct suite_file {
  std::string path;   ///< as given
  std::string title;  ///< file-level `title`, may be empty
  std::vector<scenario> scenarios;
};

}  // namespace bcconform::scenario
