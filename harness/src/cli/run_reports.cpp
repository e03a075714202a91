#include "run_reports.hpp"

#include "bcconform/report/junit.hpp"

namespace bcconform::cli {

run_reports::run_reports(std::string junit_path, std::string json_path,
                         std::chrono::milliseconds min_interval)
    : junit_path_(std::move(junit_path)),
      json_path_(std::move(json_path)),
      min_interval_(min_interval) {}

bool run_reports::publish(const runner::run_results& r) {
  const std::lock_guard<std::mutex> lock(mutex_);
  latest_ = r;
  unwritten_ = true;
  const auto now = std::chrono::steady_clock::now();
  if (last_write_ && now - *last_write_ < min_interval_) return error_.empty();
  return write_locked(latest_);
}

bool run_reports::flush() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return unwritten_ ? write_locked(latest_) : error_.empty();
}

void run_reports::publish_interrupted() {
  const std::lock_guard<std::mutex> lock(mutex_);
  latest_.interrupted = true;
  for (auto& c : latest_.cases) {
    if (c.result != runner::verdict::not_run) continue;
    c.result = runner::verdict::interrupted;
    c.reason = "the run was stopped by a second signal";
  }
  write_locked(latest_);
}

std::string run_reports::error() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

bool run_reports::write_locked(const runner::run_results& r) {
  last_write_ = std::chrono::steady_clock::now();
  unwritten_ = false;
  bool ok = true;
  const std::pair<const std::string*, std::string> docs[] = {
      {&junit_path_, report::junit_xml(r)}, {&json_path_, report::results_json(r)}};
  for (const auto& [path, text] : docs) {
    if (auto w = report::write_atomically(*path, text); !w) {
      ok = false;
      if (error_.empty()) error_ = "cannot write " + *path + ": " + w.error().detail;
    }
  }
  return ok;
}

}  // namespace bcconform::cli
