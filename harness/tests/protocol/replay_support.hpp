// Test support shared by golden_test.cpp and parser_hard_cases_test.cpp: replays a two-sided
// conversation through session_tracker + stream_parser in a chosen chunking and checks the
// span invariant of parser.hpp on every event. Header-only because each *_test.cpp file is its
// own executable; nothing here is part of the library.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/event_log.hpp"
#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"

namespace bcconform::protocol::test {

/// One side of the conversation: host bytes go to session_tracker::on_host_bytes(), module
/// bytes to stream_parser::feed(). Consecutive module steps are separate feeds when replayed
/// "whole" (a chunk boundary of the original capture).
struct step {
  bool host = false;
  std::string bytes;
};

inline step host(std::string b) {
  return {true, std::move(b)};
}
inline step module(std::string b) {
  return {false, std::move(b)};
}

struct conversation {
  std::vector<step> steps;
  stream_context initial;  ///< the tracker's starting context
  parser_limits limits;
};

/// The module-side byte stream, the positions at which host bytes were written, and the
/// boundaries of the module records.
struct flat_conversation {
  std::string module;
  std::vector<std::pair<std::size_t, std::string>> host;  ///< (module offset, bytes), in order
  std::vector<std::size_t> record_ends;
};

inline flat_conversation flatten(const conversation& c) {
  flat_conversation f;
  for (const step& s : c.steps) {
    if (s.host) {
      f.host.emplace_back(f.module.size(), s.bytes);
    } else {
      f.module += s.bytes;
      f.record_ends.push_back(f.module.size());
    }
  }
  return f;
}

/// Appends describe() of every event and checks, as events arrive, what parser.hpp promises
/// about spans: contiguous from offset 0, each event's bytes inside its span, and its bytes
/// equal to the stream's bytes at its offset.
class checking_sink : public event_sink {
 public:
  explicit checking_sink(std::string_view stream) : stream_(stream) {}

  void on_event(const event& e) override {
    log += describe(e);
    log += '\n';
    const std::string where = "event " + std::to_string(count_++) + " `" + describe(e) + "`: ";
    if (e.span_begin != next_span_) {
      problems.push_back(where + "span begins at " + std::to_string(e.span_begin) +
                         ", the previous one ended at " + std::to_string(next_span_));
    }
    if (e.offset < e.span_begin || e.offset + e.bytes.size() > e.span_end) {
      problems.push_back(where + "bytes [" + std::to_string(e.offset) + "," +
                         std::to_string(e.offset + e.bytes.size()) + ") outside span [" +
                         std::to_string(e.span_begin) + "," + std::to_string(e.span_end) + ")");
    } else if (e.span_end > stream_.size() || stream_.substr(e.offset, e.bytes.size()) != e.bytes) {
      problems.push_back(where + "bytes differ from the stream at their offset");
    }
    next_span_ = e.span_end;
  }

  /// After finish(): what no span covers must be separators only: CR, LF, and the space that
  /// follows a prompt taken at '>' (parser.hpp, pending()).
  void check_rest() {
    if (next_span_ > stream_.size()) return;
    for (std::size_t i = next_span_; i < stream_.size(); ++i) {
      if (stream_[i] != '\r' && stream_[i] != '\n' && stream_[i] != ' ') {
        problems.push_back("byte " + std::to_string(i) + " after the last span (" +
                           std::to_string(next_span_) + ") is not a separator");
        return;
      }
    }
  }

  std::uint64_t covered() const { return next_span_; }

  std::string log;
  std::vector<std::string> problems;

 private:
  std::string_view stream_;
  std::uint64_t next_span_ = 0;
  std::size_t count_ = 0;
};

struct replay_result {
  std::string log;
  std::vector<std::string> problems;
};

/// Replays `c` feeding the module stream in pieces that end at `cuts` (sorted offsets; 0 and
/// the stream end are implied) and at every host position, applying host bytes at their
/// positions. Each piece is copied into a heap buffer of exactly its size, freed right after
/// feed() returns, so ASan catches reads past a chunk or views kept across chunks.
/// `finish` false stops before stream_parser::finish() (and before the rest check).
inline replay_result replay(const conversation& c, const flat_conversation& f,
                            const std::vector<std::size_t>& cuts, bool finish = true) {
  checking_sink sink(f.module);
  session_tracker tracker(sink, c.initial);
  stream_parser parser(tracker.context(), tracker, c.limits);

  std::set<std::size_t> points(cuts.begin(), cuts.end());
  for (const auto& h : f.host) points.insert(h.first);
  points.insert(f.module.size());
  std::size_t at = 0;
  std::size_t next_host = 0;
  for (const std::size_t point : points) {
    if (point > f.module.size()) break;
    while (next_host < f.host.size() && f.host[next_host].first == at) {
      tracker.on_host_bytes(f.host[next_host++].second);
    }
    if (point <= at) continue;
    const std::size_t n = point - at;
    auto chunk = std::make_unique<char[]>(n);
    std::memcpy(chunk.get(), f.module.data() + at, n);
    parser.feed(std::string_view(chunk.get(), n));
    chunk.reset();
    at = point;
  }
  while (next_host < f.host.size()) tracker.on_host_bytes(f.host[next_host++].second);

  replay_result r;
  if (parser.offset() != f.module.size()) {
    sink.problems.push_back("offset() is " + std::to_string(parser.offset()) + ", fed " +
                            std::to_string(f.module.size()));
  }
  if (finish) {
    parser.finish();
    sink.check_rest();
    if (parser.pending() != f.module.size() - sink.covered()) {
      sink.problems.push_back("pending() after finish() is " + std::to_string(parser.pending()) +
                              ", unattributed bytes " +
                              std::to_string(f.module.size() - sink.covered()));
    }
  }
  r.log = std::move(sink.log);
  r.problems = std::move(sink.problems);
  return r;
}

/// The chunkings every case is replayed in, each with a label for failure messages.
struct chunking {
  std::string label;
  std::vector<std::size_t> cuts;
};

inline chunking chunks_of(const flat_conversation& f, std::size_t size) {
  chunking c{"chunks of " + std::to_string(size), {}};
  for (std::size_t k = size; k < f.module.size(); k += size) c.cuts.push_back(k);
  return c;
}

inline std::vector<chunking> all_chunkings(const flat_conversation& f) {
  std::vector<chunking> out;
  out.push_back({"whole records", f.record_ends});
  for (std::size_t k = 1; k < f.module.size(); ++k) {
    out.push_back({"split at " + std::to_string(k), {k}});
  }
  for (std::size_t size = 1; size <= 16; ++size) out.push_back(chunks_of(f, size));
  return out;
}

/// Replays `c` in every chunking and expects `expected_log` and no span problem each time.
/// Stops at the first chunking that fails so one bug does not print a thousand diffs.
inline void expect_log_in_every_chunking(const conversation& c, const std::string& expected_log) {
  const flat_conversation f = flatten(c);
  for (const chunking& ch : all_chunkings(f)) {
    const replay_result r = replay(c, f, ch.cuts);
    std::string problems;
    for (const auto& p : r.problems) problems += "  " + p + "\n";
    EXPECT_EQ(r.log, expected_log) << "chunking: " << ch.label;
    EXPECT_TRUE(r.problems.empty()) << "chunking: " << ch.label << "\n" << problems;
    if (r.log != expected_log || !r.problems.empty()) return;
  }
}

}  // namespace bcconform::protocol::test
