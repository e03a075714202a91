#include "run_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <CLI/CLI.hpp>

#include "bcconform/report/signoff.hpp"
#include "bcconform/runner/run.hpp"
#include "coverage_command.hpp"
#include "exit_codes.hpp"
#include "interrupts.hpp"
#include "module_target.hpp"
#include "progress.hpp"
#include "results_file.hpp"
#include "run_reports.hpp"
#include "run_setup.hpp"

namespace bcconform::cli {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* run_footer =
    R"(Target: without --target or a lab file's target, bcemu beside this executable,
  restarted for every case, with a private control channel and --time-scale.
Variables: --var NAME=VALUE > the lab file's vars > built-ins (module.address,
  peer.address, model).
Sharding: --shard I/N, else GTEST_TOTAL_SHARDS/GTEST_SHARD_INDEX (0-based); the file
  named by GTEST_SHARD_STATUS_FILE is created. Case i of the selection goes to shard i % N.
Reports: JUnit XML and JSON, written before the first case (every case not_run), rewritten
  atomically as cases end (at most once a second) and at the end; transcripts in
  <report-dir>/transcripts/.

Exit status:
  0  nothing failed or errored (with --baseline: nothing changed for the worse)
  1  a case failed (or was inconclusive under --inconc-is-failure)
  2  interrupted by SIGINT/SIGTERM (a second signal stops at once; reports stay valid)
  3  harness or transport error: a case with verdict error (a dead emulator, a vanished
     port), reports that cannot be written, a module whose identity does not match
  4  usage error, or scenario/lab files that do not load (file:line:col: message)
  5  no scenario matched the selection)";

// ---- what the run talks to ---------------------------------------------------------------------

struct target_setup {
  target_config config;
  runner::target_facts facts;
  std::string model;
  std::string module_address, peer_address;
  std::string boot_marker;  ///< awaited before the first AT of a freshly started emulator
  bool emulator = false;
  bool replay = false;
};

// A directory only this user can enter, for the emulator's control socket; removed at the end.
class private_dir {
 public:
  private_dir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/bcconform-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~private_dir() { remove(); }
  private_dir(const private_dir&) = delete;
  private_dir& operator=(const private_dir&) = delete;
  const std::string& path() const { return path_; }
  void remove() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }

 private:
  std::string path_;
};

protocol::result<target_setup> emulator_setup(const run_options& o, const std::string& model,
                                              const private_dir& dir) {
  target_setup t;
  t.emulator = true;
  const std::string bcemu = bundled_bcemu_path();
  auto facts = read_emulator_facts(bcemu, model);
  if (!facts) return facts.error();
  if (dir.path().empty()) {
    return protocol::make_error(protocol::errc::syntax, "cannot create a private directory");
  }
  t.config.control_socket = dir.path() + "/control.sock";
  t.config.uri = emulator_uri(bcemu, model, o.time_scale, t.config.control_socket);
  t.config.restart_per_case = true;
  t.facts.capabilities = std::move(facts->capabilities);
  t.boot_marker = facts->boot_marker;
  t.facts.peer_reachable = true;  // bcemu reaches loopback, where the peers bind
  t.module_address = t.peer_address = "127.0.0.1";
  return t;
}

protocol::result<target_setup> uri_setup(const run_options& o, const std::string& uri,
                                         const scenario::lab* lab) {
  auto parsed = transport::parse_target(uri);
  if (!parsed) return parsed.error();
  target_setup t;
  t.config.uri = std::move(*parsed);
  t.replay = t.config.uri.kind == transport::scheme::replay;
  t.config.control_socket = o.control;
  if (!o.control.empty()) t.facts.capabilities.insert("control-channel");
  if (lab != nullptr && !lab->peer_address.empty()) {
    t.module_address = lab->module_address;
    t.peer_address = lab->peer_address;
  } else if (local_module(t.config.uri)) {
    t.module_address = t.peer_address = "127.0.0.1";
  }
  t.facts.peer_reachable = !t.peer_address.empty();
  return t;
}

protocol::result<target_setup> choose_target(const run_options& o, const scenario::lab* lab,
                                             const private_dir& dir) {
  std::string model = !o.model.empty() ? o.model : lab && !lab->model.empty() ? lab->model : "BC25";
  const std::string uri = !o.target.empty() ? o.target : lab ? lab->target : std::string();
  auto t = uri.empty() ? emulator_setup(o, model, dir) : uri_setup(o, uri, lab);
  if (!t) return t;
  t->model = model;
  if (lab != nullptr) {
    t->config.hooks = lab->hooks;
    if (!lab->capabilities.empty() || !lab->target.empty()) {
      t->facts.capabilities = {lab->capabilities.begin(), lab->capabilities.end()};
      if (!o.control.empty()) t->facts.capabilities.insert("control-channel");
    }
  }
  if (!o.capabilities.empty()) {
    t->facts.capabilities = {o.capabilities.begin(), o.capabilities.end()};
  }
  t->config.hook_timeout = milliseconds(static_cast<long>(o.hook_timeout * 1000));
  return t;
}

// ---- selection ---------------------------------------------------------------------------------

// The shard the run is in, and whether the environment asked for it (GoogleTest's protocol:
// the status file says sharding is understood, even if this shard gets no case).
protocol::result<std::optional<runner::shard>> choose_shard(const run_options& o) {
  if (const char* status = std::getenv("GTEST_SHARD_STATUS_FILE"); status && *status) {
    std::ofstream touch(status, std::ios::app);
  }
  if (o.shard.empty()) return runner::shard_from_environment();
  auto s = runner::parse_shard(o.shard);
  if (!s) {
    return protocol::make_error(protocol::errc::syntax,
                                "--shard " + o.shard + ": expected I/N with 1 <= I <= N");
  }
  return std::optional<runner::shard>(*s);
}

protocol::result<runner::selection_options> choose_selection(const run_options& o) {
  runner::selection_options sel;
  sel.filters = o.filters;
  sel.tags = o.tags;
  auto shard = choose_shard(o);
  if (!shard) return shard.error();
  sel.sharding = *shard;
  if (!o.rerun_failed.empty()) {
    auto ids = failed_ids(o.rerun_failed);
    if (!ids) return ids.error();
    sel.only_ids = std::move(*ids);
  }
  return sel;
}

void print_list(const std::vector<runner::planned_case>& plan) {
  for (const auto& p : plan) {
    if (p.preset == runner::verdict::filtered || p.attempt > 1) continue;
    const auto& s = *p.selected.scenario;
    std::string tags;
    for (const auto& t : s.tags) tags += (tags.empty() ? "" : ",") + printable(t);
    std::printf("%s  %s:%d%s%s\n", printable(s.id).c_str(),
                printable(p.selected.file->path).c_str(), s.pos.line, tags.empty() ? "" : "  ",
                tags.c_str());
  }
}

// ---- the run -----------------------------------------------------------------------------------

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string host_name() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof(buffer) - 1) != 0) return {};
  return buffer;
}

struct report_paths {
  std::string junit, json;
};

// Shards of one run usually share a report directory: by default each writes its own files.
report_paths choose_report_paths(const run_options& o, const std::optional<runner::shard>& s) {
  std::string suffix;
  if (s && s->total > 1) {
    suffix = "-" + std::to_string(s->index + 1) + "-of-" + std::to_string(s->total);
  }
  return {o.junit.empty() ? o.report_dir + "/junit" + suffix + ".xml" : o.junit,
          o.json.empty() ? o.report_dir + "/results" + suffix + ".json" : o.json};
}

std::string make_report_dirs(const run_options& o, const report_paths& paths) {
  std::error_code ec;
  fs::create_directories(fs::path(o.report_dir) / "transcripts", ec);
  if (ec) return "cannot create " + o.report_dir + "/transcripts: " + ec.message();
  for (const auto& p : {paths.junit, paths.json}) {
    const fs::path parent = fs::path(p).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);
    if (ec) return "cannot create " + parent.string() + ": " + ec.message();
  }
  return {};
}

runner::run_options engine_options(const run_options& o, const target_setup& t,
                                   const scenario::lab* lab,
                                   std::map<std::string, std::string> vars,
                                   const std::vector<scenario::suite_file>& files) {
  runner::run_options r;
  r.vars = std::move(vars);
  if (lab != nullptr) {
    r.ignore_urcs = lab->ignore_urcs;
    r.expected_identity = lab->identity;
  }
  if (!t.peer_address.empty()) r.peer_bind_address = t.peer_address;
  r.probe_module = !t.replay;
  r.boot_marker = t.boot_marker;
  r.ready_timeout = milliseconds(static_cast<long>(o.ready_timeout * 1000));
  r.report_dir = o.report_dir;
  r.suite_root = runner::common_root(files);
  return r;
}

int exit_status(const runner::run_report& rep, const runner::run_summary& s,
                const std::string& report_error) {
  if (rep.outcome == runner::run_outcome::interrupted) return exit_interrupted;
  if (rep.outcome == runner::run_outcome::refused || !report_error.empty() || s.errored > 0) {
    return exit_harness;
  }
  return s.failed > 0 ? exit_failed : exit_ok;
}

runner::run_callbacks callbacks(module_target& target, run_reports& reports, progress& out) {
  runner::run_callbacks cb;
  cb.fresh_module = [&](bool previous_error) { return target.fresh(previous_error); };
  cb.publish = [&](const runner::run_results& r) { reports.publish(r); };
  cb.case_done = [&](const runner::case_result& c) { out.case_done(c); };
  cb.hook = [&](const std::string& name) { return target.hook(name); };
  if (target.has_control()) {
    cb.control = [&](const std::string& line, std::string& reply, std::string& error) {
      return target.control(line, reply, error);
    };
  }
  return cb;
}

int usage(const std::string& message) {
  std::fprintf(stderr, "bcconform: %s\n", message.c_str());
  return exit_usage;
}

// One `bcconform run`: each phase returns an exit code, or `proceed` to go on.
class run_session {
 public:
  static constexpr int proceed = -1;

  explicit run_session(const run_options& o) : o_(o) {}

  int run() {
    for (int (run_session::*phase)() :
         {&run_session::load, &run_session::choose, &run_session::execute}) {
      if (const int code = (this->*phase)(); code != proceed) return code;
    }
    return exit_ok;
  }

 private:
  const scenario::lab* lab() const { return lab_ ? &*lab_ : nullptr; }

  // The lab file, the target, the variables, the scenario files.
  int load() {
    auto cli_vars = parse_vars(o_.vars);
    if (!cli_vars) return usage(cli_vars.error().detail);
    bool lab_ok = true;
    lab_ = load_lab_file(o_.lab, lab_ok);
    if (!lab_ok) return exit_usage;
    auto target = choose_target(o_, lab(), temp_);
    if (!target) return usage(target.error().detail);
    target_ = std::move(*target);
    const std::map<std::string, std::string> builtins = {{"module.address", target_.module_address},
                                                         {"peer.address", target_.peer_address},
                                                         {"model", target_.model}};
    vars_ = merge_vars(builtins, lab(), *cli_vars);
    auto files = load_scenarios(o_.paths, defined_names(vars_));
    if (!files) return exit_usage;
    files_ = std::move(*files);
    return proceed;
  }

  // The selection, the baseline, the plan; --list ends here.
  int choose() {
    auto selection = choose_selection(o_);
    if (!selection) return usage(selection.error().detail);
    if (!o_.rerun_failed.empty() && selection->only_ids.empty()) {
      std::fprintf(stderr, "bcconform: %s: nothing failed, nothing to rerun\n",
                   o_.rerun_failed.c_str());
      return exit_nothing_selected;
    }
    if (!o_.baseline.empty()) {
      auto b = load_baseline(o_.baseline);
      if (!b) return usage(b.error().detail);
      baseline_ = std::move(*b);
    }
    if (std::string why = load_signoff_inputs(); !why.empty()) return usage(why);
    sharded_ = selection->sharding.has_value();
    runner::selection_options unsharded = *selection;
    unsharded.sharding.reset();
    const bool nothing = runner::select(files_, unsharded).empty();
    plan_ = runner::make_plan(files_, {*selection, target_.facts, o_.repeat});
    paths_ = choose_report_paths(o_, selection->sharding);
    if (o_.list) {
      print_list(plan_);
      return nothing ? exit_nothing_selected : exit_ok;
    }
    if (!nothing) return proceed;
    std::fprintf(stderr, "bcconform: no scenario matches the selection\n");
    return exit_nothing_selected;
  }

  runner::run_info info(const module_target& target, bool inconc_is_failure) const {
    runner::run_info i;
    i.harness_version = BCCONFORM_VERSION;
    i.target = target.describe();
    i.model = target_.model;
    i.started_utc = utc_now();
    i.hostname = host_name();
    i.inconc_is_failure = inconc_is_failure;
    return i;
  }

  int execute() {
    if (std::string why = make_report_dirs(o_, paths_); !why.empty()) {
      std::fprintf(stderr, "bcconform: %s\n", why.c_str());
      return exit_harness;
    }
    const auto started = std::chrono::steady_clock::now();
    // inconc on the emulator is a harness or emulator bug: there is no radio to blame.
    const bool inconc = o_.inconc_is_failure || (target_.emulator && !o_.no_inconc_is_failure);
    module_target target(target_.config);
    run_reports reports(paths_.junit, paths_.json);
    progress out(stdout, o_.quiet, progress::colour_wanted(stdout));
    interrupt_guard guard(
        [&] {
          reports.publish_interrupted();
          temp_.remove();
        },
        exit_interrupted);
    runner::run_options ro = engine_options(o_, target_, lab(), vars_, files_);
    ro.interrupt = &guard.flag();
    const runner::run_report rep =
        runner::run_all(plan_, info(target, inconc), ro, callbacks(target, reports, out));
    reports.flush();
    if (rep.outcome == runner::run_outcome::refused) {
      std::fprintf(stderr, "bcconform: refusing to run: %s\n", printable(rep.message).c_str());
    }
    const runner::run_summary s =
        runner::summarize(rep.results, inconc, baseline_ ? &*baseline_ : nullptr);
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    out.summary(rep.results, s, reports.paths(), wall.count());
    std::string report_error = reports.error();
    if (report_error.empty() && !sharded_) report_error = write_signoff(rep.results);
    if (!report_error.empty()) std::fprintf(stderr, "bcconform: %s\n", report_error.c_str());
    return exit_status(rep, s, report_error);
  }

  // The errata text and the waivers the sign-off report uses; "" or why not.
  std::string load_signoff_inputs() {
    std::string error;
    if (!read_errata(o_.errata, errata_, error)) return error;
    if (o_.waivers.empty()) return "";
    std::string text;
    if (!read_text_file(o_.waivers, text, error)) return error;
    auto w = report::parse_waivers(text);
    if (!w) return o_.waivers + ": " + w.error().detail;
    waivers_ = std::move(*w);
    return "";
  }

  // reports/signoff.md and signoff.html. A shard sees only its part of the suite, so sharded
  // runs leave the sign-off to a run over the whole selection.
  std::string write_signoff(const runner::run_results& results) const {
    report::signoff_input in(results);
    in.errata_markdown = errata_;
    in.waivers = waivers_;
    if (baseline_) {
      in.baseline = baseline_->expected;
      in.baseline_label = o_.baseline;
    }
    in.junit_file = std::filesystem::relative(paths_.junit, o_.report_dir).generic_string();
    auto r = report::write_signoff(in, o_.report_dir);
    return r ? "" : r.error().detail;
  }

  const run_options& o_;
  std::string errata_;
  std::vector<report::waiver> waivers_;
  bool sharded_ = false;
  private_dir temp_;
  std::optional<scenario::lab> lab_;
  target_setup target_;
  std::map<std::string, std::string> vars_;
  std::vector<scenario::suite_file> files_;
  std::optional<runner::baseline> baseline_;
  std::vector<runner::planned_case> plan_;
  report_paths paths_;
};

}  // namespace

CLI::App& add_run_command(CLI::App& app, run_options& o) {
  CLI::App* run = app.add_subcommand("run", "Run scenarios against a module or the emulator");
  run->add_option("paths", o.paths, "Scenario files or directories (default: specs)");
  run->add_option("--lab", o.lab, "Lab file: target, model, addresses, identity, hooks, vars")
      ->type_name("FILE");
  run->add_option("--target", o.target,
                  "Target URI (exec:, serial:, pty:, tcp:, replay:), over the lab's")
      ->type_name("URI");
  run->add_option("--model", o.model, "Module model: BC25 or BC32 (default: the lab's, or BC25)")
      ->type_name("MODEL");
  run->add_option("--var", o.vars, "NAME=VALUE for ${NAME} in scenarios (repeatable)")
      ->allow_extra_args(false)
      ->type_name("NAME=VALUE");
  run->add_option("--filter", o.filters, "Glob on scenario ids, * and ? (repeatable: any)")
      ->allow_extra_args(false)
      ->type_name("GLOB");
  run->add_option("--tag", o.tags, "Run cases with this tag (repeatable: any)")
      ->allow_extra_args(false)
      ->type_name("TAG");
  run->add_option("--shard", o.shard, "I/N: run the I-th of N shards (1-based)")->type_name("I/N");
  run->add_option("--rerun-failed", o.rerun_failed,
                  "A previous results.json: run the cases that failed, errored, were "
                  "inconclusive or interrupted")
      ->type_name("FILE");
  run->add_option("--repeat", o.repeat, "Run each case N times")
      ->check(CLI::Range(1, 100000))
      ->type_name("N");
  run->add_option("--report-dir", o.report_dir, "Where reports and transcripts go")
      ->capture_default_str()
      ->type_name("DIR");
  run->add_option("--junit", o.junit, "JUnit XML file (default: <report-dir>/junit.xml)")
      ->type_name("FILE");
  run->add_option("--json", o.json, "JSON results file (default: <report-dir>/results.json)")
      ->type_name("FILE");
  run->add_option("--baseline", o.baseline,
                  "Expected verdicts (specs/formats/baseline.md): the exit status reflects only "
                  "changes against it")
      ->type_name("FILE");
  run->add_option("--errata", o.errata,
                  "Errata rulings named in the sign-off report (default: specs/ERRATA.md when "
                  "it exists)")
      ->type_name("FILE");
  run->add_option("--waivers", o.waivers,
                  "Accepted deviations for the sign-off report: lines of `<id or glob> <reason>`")
      ->type_name("FILE");
  auto* on = run->add_flag("--inconc-is-failure", o.inconc_is_failure,
                           "inconc counts as a failure (default on the emulator)");
  run->add_flag("--no-inconc-is-failure", o.no_inconc_is_failure,
                "inconc does not count as a failure (default on other targets)")
      ->excludes(on);
  run->add_flag("--list", o.list, "Print the selected cases (id, file:line, tags) and exit");
  run->add_flag("--quiet", o.quiet, "Print only the summary");
  run->add_option("--time-scale", o.time_scale,
                  "The default emulator's --time-scale (real seconds per module second)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->type_name("FACTOR");
  run->add_option("--control", o.control,
                  "Control socket of an emulator started elsewhere (enables control steps)")
      ->type_name("SOCKET");
  run->add_option("--capability", o.capabilities,
                  "What the target offers, replacing its own list (repeatable)")
      ->allow_extra_args(false)
      ->type_name("NAME");
  run->add_option("--ready-timeout", o.ready_timeout, "Seconds to wait for AT -> OK")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->type_name("SECONDS");
  run->add_option("--hook-timeout", o.hook_timeout, "Seconds a lab hook may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->type_name("SECONDS");
  run->footer(run_footer);
  return *run;
}

int run_run(const run_options& o) {
  return run_session(o).run();
}

}  // namespace bcconform::cli
