// The device fuzzer's engine: sends generated cases to a module over a transport and judges every
// answer with two oracles.
//
//  - Liveness: after every case the module must answer a plain `AT` with OK within a deadline
//    (AN 2.1: 300 ms, plus the latency allowance). If it does not, the finding is recorded and
//    recovery is tried in order: a wait, Esc (AN 2.1.4 cancels data mode), Ctrl+Z, and the reset
//    hook if one is given. A module that stays dead ends the run (run_end::target_dead).
//  - Well-formedness: every byte the module sends goes through protocol::stream_parser, kept in
//    context by protocol::session_tracker. Noise, overflow, diagnostics other than the benign
//    ones, URCs whose fields do not decode, a final result missing or late for the command's
//    maximum response time (command_spec::max_response), more finals than lines, an OK or a
//    prompt for a line that protocol::check_arguments() refuses, a prompt for a line without a
//    data mode, and a restart (RDY) no command asked for are findings.
//
// A transport that fails (the exec child exits, EOF, a vanished device) ends the run with a
// target_died finding. Interleavings need a peer the module can reach (peer::tcp_server bound to
// `peer_address`); without one they are skipped and a note says so.
//
// All waits use the transport's clock and have deadlines; a scripted transport with a fake clock
// runs the engine without real time.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bcconform/fuzzdev/findings.hpp"
#include "bcconform/fuzzdev/generator.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::fuzzdev {

struct engine_options {
  generator_options generator;  ///< seed, filter, line limit; interleavings need peer_address
  std::uint64_t start = 0;      ///< index of the first case
  std::optional<std::uint64_t> count;                 ///< cases to run; unbounded if absent
  std::optional<std::chrono::milliseconds> duration;  ///< stop starting cases after this long

  /// Real seconds per module second: documented response times are multiplied by it. 1 for a
  /// real module; as bcemu's --time-scale (0.01: a 300 ms limit becomes 3 ms).
  double time_scale = 1.0;
  /// Added to every (scaled) maximum response time: serial transfer and host scheduling.
  std::chrono::milliseconds slack{500};
  /// How long lines that need not be answered (garbage without "AT") may still get an answer.
  std::chrono::milliseconds settle{200};
  /// How long the module may take to answer its first AT (boot, RDY).
  std::chrono::milliseconds startup{15000};
  /// Longest wait for an interleaving's setup (the +QIOPEN URC, the peer's accept).
  std::chrono::milliseconds setup_timeout{10000};
  /// The liveness recovery's first step: wait this long, then probe again.
  std::chrono::milliseconds recovery_wait{2000};

  /// Address the peer binds and the module connects to for interleavings; "" = no peer, the
  /// interleavings are skipped. 127.0.0.1 for an emulator on this host. Each interleaving
  /// listens on a fresh ephemeral port of it, so the module must reach that address on any port.
  std::string peer_address;
  /// Last recovery step: resets the module (power cycle, reset pin). Returns "" on success or
  /// why not. Absent: no reset step.
  std::function<std::string()> reset_hook;

  /// Called for every finding as it is found.
  std::function<void(const finding&)> on_finding;
  /// Called before each case is sent (the CLI notes it in the transcript).
  std::function<void(const fuzz_case&)> on_case;
  /// Called for notes worth showing (interleavings skipped, recovery steps).
  std::function<void(const std::string&)> on_note;
  /// Polled between cases; set: no further case starts (run_end::interrupted).
  const std::atomic<bool>* interrupt = nullptr;
};

enum class run_end : std::uint8_t {
  completed,    ///< count cases run
  duration,     ///< the duration passed
  interrupted,  ///< the interrupt flag was set
  target_dead,  ///< the module stopped answering for good, or the transport failed
  not_ready,    ///< the module never answered AT at the start
};

std::string_view to_string(run_end e) noexcept;

struct run_stats {
  std::uint64_t cases = 0;       ///< generated cases sent
  std::uint64_t lines_sent = 0;  ///< command lines written, probes and setup included
  std::uint64_t interleavings = 0;
  std::uint64_t interleavings_skipped = 0;
  double seconds = 0;  ///< on the transport's clock, from the first case to the last
  std::array<std::uint64_t, finding_kind_count> by_kind{};
  std::uint64_t last_index = 0;  ///< the last case started
  /// Command-table coverage: the cases sent per form of the table (its entry in
  /// protocol::commands()), by case kind.
  std::map<const protocol::form_spec*, std::array<std::uint64_t, case_kind_count>> by_form;
  /// The parameters sent at or beyond a bound (case_kind::boundary): form and parameter name.
  std::set<std::pair<const protocol::form_spec*, std::string>> bounded_params;

  double cases_per_second() const { return seconds > 0 ? static_cast<double>(cases) / seconds : 0; }
};

struct run_result {
  run_stats stats;
  std::vector<finding> findings;
  run_end end = run_end::completed;
  std::string end_detail;  ///< why the run ended early, in words
  std::vector<std::string> notes;
};

/// Runs the fuzzer over `link` (borrowed; the caller opens, taps and closes it).
run_result run(transport::transport& link, const engine_options& options);

}  // namespace bcconform::fuzzdev
