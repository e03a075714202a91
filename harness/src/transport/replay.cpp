// replay: a recorded transcript (specs/formats/transcript.md) played back as the module.
//
// The recording is two streams: H, every `>` byte in order, and M, every `<` byte in order,
// where each run of `<` records is tied to the number of `>` bytes recorded before it. Record
// boundaries carry no meaning (transcript.md "Records"), so a host write may span or split `>`
// records; it must equal the next bytes of H exactly. A `<` run becomes readable once the host
// has written every `>` byte that preceded it. Notes and timestamps are ignored (no pacing).
//
// Reads that find nothing:
//   - module bytes remain, but are tied to host bytes not written yet: the recorded module was
//     silent here, so the read waits until its deadline and times out, like a real module;
//   - no module bytes remain at all: replay_exhausted at once. Nothing can ever arrive, so
//     waiting would only cost time; the runner tells "the recording ended" apart from "the module
//     did not answer" and can treat it as silence where silence is what a step expects.
// The first mismatching write ends the replay: every later call returns the same error.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include "bcconform/protocol/transcript.hpp"
#include "detail.hpp"

namespace bcconform::transport::detail {
namespace {

struct host_mark {
  std::size_t offset;  ///< where this `>` record's bytes start in H
  std::size_t line;
};

struct module_run {
  std::size_t after;  ///< readable once this many host bytes have been written
  std::string bytes;
  std::size_t line;  ///< the run's first `<` record
};

struct recording {
  std::string host;
  std::vector<host_mark> host_marks;
  std::vector<module_run> module;
  std::size_t lines = 0;
};

/// "column N: what" from parse_transcript_line() becomes "FILE:LINE:N: what".
error file_error(const std::string& file, std::size_t line, std::string_view detail) {
  constexpr std::string_view prefix = "column ";
  std::size_t column = 1;
  if (detail.starts_with(prefix)) {
    const auto rest = detail.substr(prefix.size());
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), column);
    const auto after = rest.substr(static_cast<std::size_t>(end - rest.data()));
    if (ec == std::errc() && after.starts_with(": ")) detail = after.substr(2);
  }
  return make_error(errc::replay_malformed, file + ":" + std::to_string(line) + ":" +
                                                std::to_string(column) + ": " +
                                                std::string(detail));
}

void add_record(recording& rec, const protocol::transcript_record& r, std::size_t line) {
  if (r.bytes.empty()) return;
  if (r.dir == protocol::direction::to_module) {
    rec.host_marks.push_back({rec.host.size(), line});
    rec.host += r.bytes;
  } else if (r.dir == protocol::direction::from_module) {
    if (!rec.module.empty() && rec.module.back().after == rec.host.size()) {
      rec.module.back().bytes += r.bytes;
    } else {
      rec.module.push_back({rec.host.size(), r.bytes, line});
    }
  }
}

result<recording> load(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    const int e = errno;
    return make_error(e == ENOENT ? errc::not_found : errc::io_error,
                      "replay:" + file + ": cannot open: " + std::strerror(e));
  }
  recording rec;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t number = ++rec.lines;
    // A later version must not be misread as this one (transcript.md "File").
    constexpr std::string_view stem = "# bcconform-transcript ";
    if (number == 1 && line.starts_with(stem) && line != protocol::transcript_header) {
      return file_error(
          file, 1,
          "column " + std::to_string(stem.size() + 1) + ": unsupported transcript version");
    }
    auto r = protocol::parse_transcript_line(line);
    if (!r) return file_error(file, number, r.error().detail);
    add_record(rec, *r, number);
  }
  if (in.bad()) return make_error(errc::io_error, "replay:" + file + ": read error");
  return rec;
}

std::string excerpt(std::string_view bytes, std::size_t from) {
  constexpr std::size_t width = 32;
  if (from >= bytes.size()) return "<end of the recording>";
  const auto part = bytes.substr(from, width);
  return "\"" + protocol::escape_bytes(part) + (from + width < bytes.size() ? "\"..." : "\"");
}

class replay_transport final : public transport {
 public:
  replay_transport(const target_uri& t, recording rec) : target_(t), rec_(std::move(rec)) {}

  result<void> write(std::string_view bytes, deadline until) override;
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override;
  std::string describe() const override { return "replay:" + target_.path; }
  void close() override { closed_ = true; }

 private:
  error fail(errc e, const std::string& what) const {
    return make_error(e, describe() + ": " + what);
  }
  error mismatch(std::string_view bytes, std::size_t at);
  void release();

  target_uri target_;
  recording rec_;
  std::size_t written_ = 0;      // host bytes matched so far
  std::size_t next_run_ = 0;     // first module run not released yet
  std::string pending_;          // released module bytes not read yet
  std::optional<error> failed_;  // the first mismatch, repeated by every later call
  bool closed_ = false;
};

void replay_transport::release() {
  while (next_run_ < rec_.module.size() && rec_.module[next_run_].after <= written_) {
    pending_ += rec_.module[next_run_++].bytes;
  }
}

error replay_transport::mismatch(std::string_view bytes, std::size_t at) {
  const std::size_t offset = written_ + at;
  std::string where = "past the last > record";
  const auto mark =
      std::upper_bound(rec_.host_marks.begin(), rec_.host_marks.end(), offset,
                       [](std::size_t o, const host_mark& m) { return o < m.offset; });
  if (offset < rec_.host.size() && mark != rec_.host_marks.begin()) {
    where = target_.path + ":" + std::to_string(std::prev(mark)->line);
  }
  failed_ =
      fail(errc::replay_mismatch, "the host wrote other bytes than recorded at host byte " +
                                      std::to_string(offset) + " (" + where + "): expected " +
                                      excerpt(rec_.host, offset) + ", got " + excerpt(bytes, at));
  return *failed_;
}

result<void> replay_transport::write(std::string_view bytes, deadline) {
  if (closed_) return fail(errc::closed, "write after close()");
  if (failed_) return *failed_;
  const std::string_view expected = std::string_view(rec_.host).substr(written_);
  const auto n = std::min(bytes.size(), expected.size());
  const auto diff = std::mismatch(bytes.begin(), bytes.begin() + n, expected.begin());
  const auto same = static_cast<std::size_t>(diff.first - bytes.begin());
  if (same < bytes.size()) return mismatch(bytes, same);
  written_ += bytes.size();
  release();
  return {};
}

result<std::size_t> replay_transport::read(std::string& out, std::size_t max, deadline until) {
  if (closed_) return fail(errc::closed, "read after close()");
  if (failed_) return *failed_;
  release();
  if (!pending_.empty()) {
    const std::size_t n = std::min(std::max<std::size_t>(max, 1), pending_.size());
    out.append(pending_, 0, n);
    pending_.erase(0, n);
    return n;
  }
  if (next_run_ == rec_.module.size()) {
    return fail(errc::replay_exhausted, "the recording has no more module bytes (it ends at line " +
                                            std::to_string(rec_.lines) + ")");
  }
  std::this_thread::sleep_until(until);
  const auto& next = rec_.module[next_run_];
  return fail(errc::timed_out,
              "no bytes before the deadline: the next recorded module bytes (line " +
                  std::to_string(next.line) + ") follow host byte " + std::to_string(next.after) +
                  ", the host has written " + std::to_string(written_));
}

}  // namespace

result<std::unique_ptr<transport>> open_replay(const target_uri& t, const open_options&) {
  auto rec = load(t.path);
  if (!rec) return rec.error();
  return std::unique_ptr<transport>(std::make_unique<replay_transport>(t, std::move(*rec)));
}

}  // namespace bcconform::transport::detail
