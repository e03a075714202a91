// The reports of a run on disk: JUnit XML and JSON results, rewritten whole and atomically
// (report::write_atomically), so a reader, a crash or a kill at any instant finds complete
// files. Each rewrite costs time in proportion to the cases so far, so they are at most
// `min_interval` apart (a suite of short cases would otherwise spend most of its time writing
// reports): the files on disk lag the run by at most that, flush() and an interruption bring
// them up to date. Thread-safe: the interrupt watcher may write the last version while the
// run's thread is between cases.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bcconform/runner/results.hpp"

namespace bcconform::cli {

class run_reports {
 public:
  run_reports(std::string junit_path, std::string json_path,
              std::chrono::milliseconds min_interval = std::chrono::milliseconds(1000));

  /// Remembers the results as the latest and writes both files, unless the last write was less
  /// than min_interval ago (the first publish always writes). False (and the error kept) when a
  /// file could not be written.
  bool publish(const runner::run_results& r);

  /// Writes the latest results if a publish since the last write was not written.
  bool flush();

  /// After a second signal: the latest results with every case still not_run (including the
  /// one in progress) marked interrupted, written once more.
  void publish_interrupted();

  /// The first write error, "" if none.
  std::string error() const;
  std::vector<std::string> paths() const { return {junit_path_, json_path_}; }

 private:
  bool write_locked(const runner::run_results& r);

  std::string junit_path_, json_path_;
  mutable std::mutex mutex_;
  runner::run_results latest_;
  bool unwritten_ = false;
  std::chrono::milliseconds min_interval_;
  std::optional<std::chrono::steady_clock::time_point> last_write_;
  std::string error_;
};

}  // namespace bcconform::cli
