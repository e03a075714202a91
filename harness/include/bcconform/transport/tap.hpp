// A transport decorator that records every byte written and read as a bcconform transcript
// (specs/formats/transcript.md): one timestamped, direction-tagged record per write and per
// read, flushed after each record so a crash loses at most the record being written.
#pragma once

#include <cstdio>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "bcconform/protocol/transcript.hpp"
#include "bcconform/transport/transport.hpp"

namespace bcconform::transport {

class tap final : public transport {
 public:
  /// Wraps `inner` (owned). Records nothing until start() names a file.
  explicit tap(std::unique_ptr<transport> inner);
  ~tap() override;

  /// Starts a new side file (header line, times counted from now on clock(); an existing file is
  /// replaced) and closes the previous one; the tail starts empty. Error (io_error) if the file
  /// cannot be created. The harness calls this once per case.
  result<void> start(const std::string& path);
  /// Adds a note record ("# step 3: expect").
  void note(std::string_view text);
  /// Closes the side file (flushing it).
  void stop();
  /// The most recent records of the current file, raw (unescaped), oldest first, totalling at
  /// most tail_limit bytes (the oldest record may be cut at its front): what a report shows as
  /// the transcript tail.
  const std::deque<protocol::transcript_record>& tail() const { return tail_; }
  static constexpr std::size_t tail_limit = 4096;

  /// Records the bytes (`>`), then writes them: a failed write still shows what was meant.
  /// Errors of the inner transport are returned unchanged and noted ("# transport error: ...").
  result<void> write(std::string_view bytes, deadline until) override;
  /// Records what arrived (`<`). Errors are returned unchanged and noted, except timed_out: a
  /// read that times out is how silence is observed, and the runner notes the step that failed.
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override;
  std::string describe() const override;
  /// Closes the inner transport and the side file (the tail stays readable).
  void close() override;
  const bcconform::transport::clock& clock() const override;

  transport& inner() { return *inner_; }

 private:
  void record(char dir, std::string_view bytes);

  std::unique_ptr<transport> inner_;
  std::FILE* file_ = nullptr;
  time_point started_{};
  std::deque<protocol::transcript_record> tail_;
  std::size_t tail_bytes_ = 0;
};

}  // namespace bcconform::transport
