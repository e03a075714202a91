#include "fuzz_device_command.hpp"

#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>

#include <CLI/CLI.hpp>

#include "bcconform/fuzzdev/engine.hpp"
#include "bcconform/fuzzdev/report.hpp"
#include "bcconform/transport/open.hpp"
#include "bcconform/transport/tap.hpp"
#include "exit_codes.hpp"
#include "hook_process.hpp"
#include "interrupts.hpp"
#include "module_target.hpp"

namespace bcconform::cli {
namespace {

constexpr std::uint64_t default_count = 1000;
constexpr double default_emulator_scale = 0.01;  // bcemu --time-scale of the default target
constexpr auto hook_timeout = std::chrono::minutes(2);

std::string footer_text() {
  std::string deny;
  for (const protocol::command_spec& c : protocol::commands()) {
    if (c.nvm) deny += " AT" + std::string(c.name);
  }
  for (const fuzzdev::persistent_name& p : fuzzdev::persistent_names()) {
    deny += " AT" + std::string(p.name);
  }
  return R"(Target: without --target, bcemu beside this executable:
  exec:<dir>/bcemu --stdio --time-scale 0.01 --quiet
Cases: generated from the command table (valid forms, boundary values, wrong types, missing,
  extra and empty parameters, overlong strings and lines, quoting errors, byte mutations) and
  interleaved with data mode, a pending +QIOPEN and a peer flooding a socket. Case I of seed S
  is always the same bytes: --seed S --start I --count 1 sends it again.
Oracles: after every case a plain AT must get OK (else: wait, Esc, Ctrl+Z, --reset-hook; a
  module that stays dead ends the run); every byte the module sends is decoded; noise, finals
  missing, late or extra, OK to lines the table refuses, undecodable URCs are findings.
Deny-list: commands whose effect outlives the run are never sent unless --allow-persistent:
 )" + deny +
         R"(
  (NVM writes, reboot, baud rate, bands, power, firmware, files). It applies to the emulator
  too, so a run means the same on every target. Lifted, AT+QSCLK=1 lets the module sleep
  (AN 4.4): it then stops answering until woken; add --deny +QSCLK or a --reset-hook.
Interleavings need a peer the module can reach: 127.0.0.1 for a module on this host (exec:,
  pty:, tcp: on loopback), else --peer-address; without one they are skipped.

Exit status:
  0  no findings
  1  findings
  3  the target died (the module stopped answering, the exec child exited, the port vanished),
     the transport could not be opened, or a report could not be written
  4  usage error)";
}

transport::target_uri default_target() {
  transport::target_uri u;
  u.kind = transport::scheme::exec;
  u.argv = {bundled_bcemu_path(), "--stdio", "--time-scale", "0.01", "--quiet"};
  u.text = "exec:" + u.argv[0] + " --stdio --time-scale 0.01 --quiet";
  return u;
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_of(" \t'\"\\$`!*?") == std::string::npos) return s;
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The flags that shape generation and timing, for reproducers: the same seed and index with
// these send the same bytes to the same target.
std::string generation_flags(const fuzz_device_options& o) {
  std::string out;
  auto add = [&](const std::string& flag) { out += (out.empty() ? "" : " ") + flag; };
  if (!o.target.empty()) add("--target " + shell_quote(o.target));
  if (o.allow_persistent) add("--allow-persistent");
  for (const std::string& n : o.only) add("--only " + shell_quote(n));
  for (const std::string& n : o.deny) add("--deny " + shell_quote(n));
  if (o.line_limit != fuzz_device_options{}.line_limit) {
    add("--line-limit " + std::to_string(o.line_limit));
  }
  if (o.time_scale) {
    std::ostringstream scale;
    scale << *o.time_scale;
    add("--time-scale " + scale.str());
  }
  return out;
}

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "bcconform fuzz-device: %s\n", message.c_str());
  return code;
}

// Command-table coverage: forms reached, parameters sent at their bounds, cases by kind, and the
// forms no case reached (deny-listed, filtered out, or a run too short to draw them).
void print_coverage(const fuzzdev::run_stats& s, const fuzzdev::command_filter& filter) {
  const std::vector<fuzzdev::form_coverage> rows = fuzzdev::table_coverage(s);
  std::array<std::uint64_t, fuzzdev::case_kind_count> by_kind{};
  std::size_t reached = 0, params = 0, bounded = 0;
  std::string missed;
  for (const fuzzdev::form_coverage& row : rows) {
    for (std::size_t k = 0; k < by_kind.size(); ++k) by_kind[k] += row.by_kind[k];
    params += row.params;
    bounded += row.params_bounded;
    if (row.total() > 0) {
      ++reached;
    } else {
      missed += "\n  " + std::string(row.form->syntax);
      if (!filter.allows(*row.command)) missed += "  (not sent: deny-list or --only/--deny)";
    }
  }
  std::printf("command table: %zu of %zu forms reached, %zu of %zu parameters at their bounds\n",
              reached, rows.size(), bounded, params);
  std::printf("cases by kind:");
  for (int k = 0; k < fuzzdev::case_kind_count; ++k) {
    std::printf(" %s %llu",
                std::string(fuzzdev::to_string(static_cast<fuzzdev::case_kind>(k))).c_str(),
                static_cast<unsigned long long>(by_kind[static_cast<std::size_t>(k)]));
  }
  std::printf("\n");
  if (!missed.empty()) std::printf("forms not reached:%s\n", missed.c_str());
}

void print_summary(const fuzzdev::run_result& r, const fuzzdev::command_filter& filter) {
  const fuzzdev::run_stats& s = r.stats;
  std::uint64_t total = 0;
  for (const auto n : s.by_kind) total += n;
  std::printf(
      "\n%llu cases, %llu lines sent, %llu interleavings (%llu skipped), %.1f s, "
      "%.1f exec/s\n",
      static_cast<unsigned long long>(s.cases), static_cast<unsigned long long>(s.lines_sent),
      static_cast<unsigned long long>(s.interleavings),
      static_cast<unsigned long long>(s.interleavings_skipped), s.seconds, s.cases_per_second());
  std::printf("findings: %llu\n", static_cast<unsigned long long>(total));
  for (int k = 0; k < fuzzdev::finding_kind_count; ++k) {
    const auto n = s.by_kind[static_cast<std::size_t>(k)];
    if (n == 0) continue;
    std::printf("  %-18s %llu\n",
                std::string(fuzzdev::to_string(static_cast<fuzzdev::finding_kind>(k))).c_str(),
                static_cast<unsigned long long>(n));
  }
  print_coverage(s, filter);
  std::printf("end: %s%s%s\n", std::string(fuzzdev::to_string(r.end)).c_str(),
              r.end_detail.empty() ? "" : ": ", r.end_detail.c_str());
  std::fflush(stdout);
}

struct prepared {
  fuzzdev::engine_options engine;
  transport::target_uri uri;
};

protocol::result<prepared> prepare(const fuzz_device_options& o) {
  prepared p;
  auto filter = fuzzdev::command_filter::make({o.allow_persistent, o.only, o.deny});
  if (!filter) return filter.error();
  if (o.target.empty()) {
    p.uri = default_target();
  } else {
    auto uri = transport::parse_target(o.target);
    if (!uri) return uri.error();
    p.uri = std::move(*uri);
  }
  fuzzdev::engine_options& e = p.engine;
  e.generator.seed = o.seed ? *o.seed : std::random_device{}();
  e.generator.filter = std::move(*filter);
  e.generator.line_limit = o.line_limit;
  e.start = o.start;
  e.count = o.count ? o.count : (o.duration ? std::nullopt : std::optional(default_count));
  if (o.duration) {
    e.duration = std::chrono::milliseconds(static_cast<std::int64_t>(*o.duration * 1000.0));
  }
  e.slack = std::chrono::milliseconds(o.slack_ms);
  e.time_scale = o.time_scale ? *o.time_scale : o.target.empty() ? default_emulator_scale : 1.0;
  e.peer_address = !o.peer_address.empty() ? o.peer_address
                   : local_module(p.uri)   ? std::string("127.0.0.1")
                                           : std::string();
  if (!o.reset_hook.empty()) {
    e.reset_hook = [cmd = o.reset_hook]() -> std::string {
      const hook_outcome h = run_hook_command(cmd, hook_timeout);
      return h.ok ? std::string() : h.message;
    };
  }
  return p;
}

// Findings to standard output as they are found, each with its reproducer; notes to standard
// error; both, and a marker before each case, into the transcript.
void connect_output(fuzzdev::engine_options& e, transport::tap& link, const std::string& flags,
                    bool quiet) {
  e.on_finding = [flags](const fuzzdev::finding& f) {
    std::printf("%s\n    reproduce: bcconform fuzz-device %s\n", fuzzdev::format_finding(f).c_str(),
                fuzzdev::reproduce_args(f.seed, f.index, flags).c_str());
    std::fflush(stdout);
  };
  e.on_case = [&link](const fuzzdev::fuzz_case& c) {
    std::string text = "case " + std::to_string(c.index) + ": " + c.description;
    if (c.with != fuzzdev::interleave::none) {
      text += " [" + std::string(fuzzdev::to_string(c.with)) + "]";
    }
    link.note(text);
  };
  e.on_note = [&link, quiet](const std::string& n) {
    link.note(n);
    if (!quiet) std::fprintf(stderr, "note: %s\n", n.c_str());
  };
}

}  // namespace

CLI::App& add_fuzz_device_command(CLI::App& app, fuzz_device_options& o) {
  CLI::App* f =
      app.add_subcommand("fuzz-device",
                         "Send generated AT command lines to a module or the emulator and check "
                         "that it stays alive and answers well-formed");
  f->add_option("--target", o.target, "Target URI (exec:, serial:, pty:, tcp:); default bcemu")
      ->type_name("URI");
  f->add_option("--seed", o.seed, "Seed of the generator (default: random, printed)")
      ->type_name("N");
  f->add_option("--start", o.start, "Index of the first case")->type_name("I");
  f->add_option("--count", o.count, "Cases to send (default 1000, or unbounded with --duration)")
      ->check(CLI::Range(std::uint64_t{1}, ~std::uint64_t{0}))
      ->type_name("N");
  f->add_option("--duration", o.duration, "Stop starting cases after this many seconds")
      ->check(CLI::PositiveNumber)
      ->type_name("SECONDS");
  f->add_option("--report", o.report, "Write the findings as JSON")->type_name("FILE");
  f->add_option("--transcript", o.transcript, "Record the whole conversation (transcript format)")
      ->type_name("FILE");
  f->add_flag("--allow-persistent", o.allow_persistent,
              "Also send commands that outlive the run (NVM, reboot, baud rate, ...)");
  f->add_option("--only", o.only, "Send only this table command (repeatable): AT+QIRD, +QIRD")
      ->allow_extra_args(false)
      ->type_name("CMD");
  f->add_option("--deny", o.deny, "Never send this command (repeatable)")
      ->allow_extra_args(false)
      ->type_name("CMD");
  f->add_option("--peer-address", o.peer_address,
                "Address the peer binds and the module connects to, for the interleavings")
      ->type_name("ADDR");
  f->add_option("--reset-hook", o.reset_hook,
                "Shell command that resets the module: the last liveness recovery step")
      ->type_name("CMD");
  f->add_option("--line-limit", o.line_limit, "The module's longest command line, in bytes")
      ->check(CLI::Range(std::size_t{64}, std::size_t{1} << 20))
      ->capture_default_str()
      ->type_name("BYTES");
  f->add_option("--slack", o.slack_ms,
                "Milliseconds added to each documented maximum response time")
      ->check(CLI::Range(0u, 600000u))
      ->capture_default_str()
      ->type_name("MS");
  f->add_option("--time-scale", o.time_scale,
                "The target's real seconds per module second, as bcemu --time-scale: documented "
                "response times are scaled by it (default 0.01 for the default target, else 1)")
      ->check(CLI::PositiveNumber)
      ->type_name("FACTOR");
  f->add_flag("--quiet", o.quiet, "Print only findings and the summary");
  f->footer(footer_text());
  return *f;
}

int run_fuzz_device(const fuzz_device_options& o) {
  auto p = prepare(o);
  if (!p) return fail(exit_usage, p.error().detail);
  auto opened = transport::open(p->uri);
  if (!opened) {
    return fail(exit_harness, "cannot open " + p->uri.text + ": " + opened.error().detail);
  }
  transport::tap link(std::move(*opened));
  if (!o.transcript.empty()) {
    if (auto started = link.start(o.transcript); !started) {
      return fail(exit_harness, started.error().detail);
    }
  }
  // A first SIGINT/SIGTERM ends the run after the current case; the summary and the report
  // are still written. A second one exits at once.
  interrupt_guard guard([] {}, exit_interrupted);
  fuzzdev::engine_options& e = p->engine;
  const std::string flags = generation_flags(o);
  e.interrupt = &guard.flag();
  connect_output(e, link, flags, o.quiet);
  if (!o.quiet) {
    const auto seed = static_cast<unsigned long long>(e.generator.seed);
    std::fprintf(stderr,
                 "fuzz-device: %s, seed %llu (--seed %llu repeats this run), from case %llu\n",
                 link.describe().c_str(), seed, seed, static_cast<unsigned long long>(e.start));
  }
  const fuzzdev::run_result r = fuzzdev::run(link, e);
  link.close();
  print_summary(r, e.generator.filter);
  if (!o.report.empty()) {
    const fuzzdev::report_context ctx{p->uri.text, e.generator.seed, e.start, flags};
    if (auto w = fuzzdev::write_report(o.report, r, ctx); !w) {
      return fail(exit_harness, w.error().detail);
    }
  }
  if (r.end == fuzzdev::run_end::target_dead || r.end == fuzzdev::run_end::not_ready) {
    return exit_harness;
  }
  return r.findings.empty() ? exit_ok : exit_failed;
}

}  // namespace bcconform::cli
