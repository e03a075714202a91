// The reports of a run on disk: JUnit XML and JSON results, rewritten whole and atomically
// (report::write_atomically) every time the results change, so a reader, a crash or a kill at
// any instant finds complete files. Thread-safe: the interrupt watcher may write the last
// version while the run's thread is between cases.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "bcconform/runner/results.hpp"

namespace bcconform::cli {

class run_reports {
 public:
  run_reports(std::string junit_path, std::string json_path);

  /// Writes both files; remembers the results as the latest. False (and the error kept) when a
  /// file could not be written.
  bool publish(const runner::run_results& r);

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
  std::string error_;
};

}  // namespace bcconform::cli
