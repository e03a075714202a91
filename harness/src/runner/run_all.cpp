// One run: the plan's cases one after another, each on a fresh module with its own transcript,
// the results published before the first case and after every case (so a report on disk is
// never older than the last finished case), interrupts honoured between and inside cases.
#include <exception>
#include <memory>

#include "bcconform/runner/run.hpp"

namespace bcconform::runner {
namespace {

bool stopped(const run_options& o) {
  return o.interrupt != nullptr && o.interrupt->load();
}

std::string where(const planned_case& p) {
  return p.selected.file->path + ":" + std::to_string(p.selected.scenario->pos.line);
}

case_result initial_result(const planned_case& p, const run_options& o) {
  const scenario::scenario& s = *p.selected.scenario;
  case_result r;
  r.id = s.id;
  r.title = s.title;
  r.file = p.selected.file->path;
  r.line = s.pos.line;
  r.suite = suite_name(p.selected.file->path, o.suite_root);
  r.spec = s.spec;
  r.tags = s.tags;
  r.errata = s.errata;
  r.result = p.preset;
  r.reason = p.reason;
  r.attempt = p.attempt;
  return r;
}

void set_error(case_result& r, const planned_case& p, std::string kind, std::string message) {
  r.result = verdict::error;
  r.failure = failure_info{where(p), std::move(kind), std::move(message), {}, {}};
}

// "transcripts/0007.bctr", "transcripts/0007-2.bctr" for the second attempt: from indexes only,
// since scenario ids are untrusted text.
std::string transcript_name(const planned_case& p, const run_options& o, bool repeated) {
  std::string n = std::to_string(p.selected.index);
  if (n.size() < 4) n.insert(0, 4 - n.size(), '0');
  if (repeated) n += "-" + std::to_string(p.attempt);
  return o.transcript_subdir + "/" + n + ".bctr";
}

bool identity_expected(const scenario::module_identity& id) {
  return !id.manufacturer.empty() || !id.model.empty() || !id.revision.empty();
}

class run_state {
 public:
  run_state(const std::vector<planned_case>& plan, run_info info, const run_options& o,
            const run_callbacks& cb)
      : plan_(plan), o_(o), cb_(cb) {
    report_.results.info = std::move(info);
    for (const auto& p : plan_) {
      report_.results.cases.push_back(initial_result(p, o_));
      if (p.attempt > 1) repeated_ = true;
    }
  }

  run_report run() {
    publish();
    for (std::size_t i = 0; i < plan_.size(); ++i) {
      if (plan_[i].preset != verdict::not_run) {
        if (plan_[i].preset == verdict::not_applicable && cb_.case_done) {
          cb_.case_done(report_.results.cases[i]);
        }
        continue;
      }
      if (stopped(o_)) {
        interrupt_from(i);
        break;
      }
      run_one(i);
      publish();
      if (report_.outcome == run_outcome::refused) break;
      if (report_.results.cases[i].result == verdict::interrupted || stopped(o_)) {
        interrupt_from(i + 1);
        break;
      }
    }
    return std::move(report_);
  }

 private:
  void publish() {
    if (cb_.publish) cb_.publish(report_.results);
  }

  void interrupt_from(std::size_t first) {
    report_.outcome = run_outcome::interrupted;
    report_.results.interrupted = true;
    for (std::size_t j = first; j < plan_.size(); ++j) {
      case_result& r = report_.results.cases[j];
      if (r.result != verdict::not_run) continue;
      r.result = verdict::interrupted;
      r.reason = "the run was interrupted before this case";
    }
    publish();
  }

  void run_one(std::size_t i) {
    const planned_case& p = plan_[i];
    case_result& slot = report_.results.cases[i];
    if (cb_.case_started) cb_.case_started(slot);
    transport::tap* link = prepare(p, slot);
    if (link != nullptr) slot = execute(p, *link, slot);
    previous_error_ = slot.result == verdict::error;
    if (cb_.case_done && report_.outcome != run_outcome::refused) cb_.case_done(slot);
  }

  // A fresh, ready module (and the identity check on the first one), or nullptr with the
  // case's verdict set.
  transport::tap* prepare(const planned_case& p, case_result& slot) {
    auto link = cb_.fresh_module(previous_error_);
    if (!link) {
      set_error(slot, p, "transport", "cannot open the target: " + link.error().detail);
      return nullptr;
    }
    if (!o_.probe_module) return *link;
    std::string why =
        wait_until_ready(**link, o_.ready_timeout, o_.ready_interval, o_.interrupt, o_.boot_marker);
    if (!why.empty()) {
      if (stopped(o_)) {
        slot.result = verdict::interrupted;
        slot.reason = why;
      } else {
        set_error(slot, p, "readiness", why);
      }
      return nullptr;
    }
    if (identity_read_) return *link;
    identity_read_ = true;
    why = read_identity(**link, o_.expected_identity, o_.identity_timeout, report_.results.info);
    if (!why.empty() && identity_expected(o_.expected_identity)) {
      report_.outcome = run_outcome::refused;
      report_.message = why;
      set_error(slot, p, "identity", why);
      return nullptr;
    }
    return *link;
  }

  case_result execute(const planned_case& p, transport::tap& link, const case_result& slot) {
    const std::string name = transcript_name(p, o_, repeated_);
    if (auto started = link.start(o_.report_dir + "/" + name); !started) {
      case_result r = slot;
      set_error(r, p, "harness", "cannot create the transcript: " + started.error().detail);
      return r;
    }
    case_result r = call_engine(p, link);
    for (const auto& rec : link.tail()) r.transcript_tail.push_back(rec);
    link.stop();
    r.transcript_file = name;
    // The engine's view of identity fields is the scenario's; the run's own fields are ours.
    r.suite = slot.suite;
    r.attempt = slot.attempt;
    if (r.file.empty()) r.file = slot.file;
    if (r.id.empty()) r.id = slot.id;
    if (r.result == verdict::not_run) {
      set_error(r, p, "harness", "the engine returned no verdict");
    }
    return r;
  }

  case_result call_engine(const planned_case& p, transport::tap& link) {
    case_context ctx;
    ctx.link = &link;
    ctx.peers = peers();
    ctx.vars = o_.vars;
    ctx.ignore_urcs = o_.ignore_urcs;
    ctx.peer_bind_address = o_.peer_bind_address;
    ctx.hook = cb_.hook;
    ctx.control = cb_.control;
    ctx.interrupt = o_.interrupt;
    ctx.note = [&link](const std::string& text) { link.note(text); };
    try {
      return cb_.engine ? cb_.engine(*p.selected.scenario, ctx)
                        : run_case(*p.selected.scenario, ctx);
    } catch (const std::exception& e) {
      // The engine reports faults as verdicts; an exception is a harness bug, kept as evidence.
      case_result r = initial_result(p, o_);
      set_error(r, p, "harness", std::string("internal error: ") + e.what());
      return r;
    }
  }

  // One peer host for the whole run, made on first use; a failure leaves peer steps to give
  // `error` (case_context::peers == nullptr).
  peer::host* peers() {
    if (!peers_tried_) {
      peers_tried_ = true;
      try {
        peers_ = std::make_unique<peer::host>();
      } catch (const std::exception&) {
        peers_.reset();
      }
    }
    return peers_.get();
  }

  const std::vector<planned_case>& plan_;
  const run_options& o_;
  const run_callbacks& cb_;
  run_report report_;
  bool repeated_ = false;
  bool previous_error_ = false;
  bool identity_read_ = false;
  bool peers_tried_ = false;
  std::unique_ptr<peer::host> peers_;
};

}  // namespace

run_report run_all(const std::vector<planned_case>& plan, run_info info, const run_options& o,
                   const run_callbacks& cb) {
  return run_state(plan, std::move(info), o, cb).run();
}

}  // namespace bcconform::runner
