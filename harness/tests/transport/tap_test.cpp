// The tap over a scripted transport with a fake clock: records in both directions with exact
// timestamps, flushed per record, notes, errors passed through and noted, and the bounded tail.
#include <deque>

#include <gtest/gtest.h>

#include "bcconform/protocol/transcript.hpp"
#include "bcconform/transport/tap.hpp"
#include "transport/transport_support.hpp"

namespace bcconform::transport {
namespace {

using protocol::direction;
using protocol::transcript_record;
using namespace std::chrono_literals;

class fake_clock final : public clock {
 public:
  time_point now() const override { return now_; }
  void advance(duration d) { now_ += d; }

 private:
  time_point now_{std::chrono::hours(1000)};
};

/// Reads come from a script (bytes, or an error); writes are kept; time is the fake clock.
class scripted final : public transport {
 public:
  explicit scripted(fake_clock& c) : clock_(c) {}
  std::deque<result<std::string>> reads;
  std::optional<error> write_error;
  std::string written;
  bool closed = false;

  result<void> write(std::string_view bytes, deadline) override {
    if (write_error) return *write_error;
    written += bytes;
    return {};
  }
  result<std::size_t> read(std::string& out, std::size_t max, deadline until) override {
    if (reads.empty()) {
      clock_.advance(until - clock_.now());
      return make_error(errc::timed_out, "script: no bytes");
    }
    auto next = std::move(reads.front());
    reads.pop_front();
    if (!next) return next.error();
    const std::size_t n = std::min(max, next->size());
    out += next->substr(0, n);
    return n;
  }
  std::string describe() const override { return "scripted:"; }
  void close() override { closed = true; }
  const bcconform::transport::clock& clock() const override { return clock_; }

 private:
  fake_clock& clock_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

class transport_tap : public testing::Test {
 protected:
  transport_tap() {
    auto inner = std::make_unique<scripted>(clock_);
    inner_ = inner.get();
    tap_ = std::make_unique<tap>(std::move(inner));
  }
  std::vector<std::string> file_lines(const std::string& name = "case.bctr") const {
    return lines_of(test::read_file(dir_.file(name)));
  }
  deadline soon() const { return clock_.now() + 1s; }

  test::temp_dir dir_;
  fake_clock clock_;
  scripted* inner_ = nullptr;
  std::unique_ptr<tap> tap_;
};

TEST_F(transport_tap, records_both_directions_with_times_flushed_per_record) {
  clock_.advance(5s);  // before start(): not counted
  ASSERT_TRUE(tap_->start(dir_.file("case.bctr")));
  EXPECT_EQ(file_lines(), (std::vector<std::string>{"# bcconform-transcript 1"}));

  clock_.advance(500ms);
  ASSERT_TRUE(tap_->write("AT+QIRD=0,512\r", soon()));
  EXPECT_EQ(inner_->written, "AT+QIRD=0,512\r");
  // Read back while the tap is open: the record is already in the file.
  EXPECT_EQ(file_lines().back(), "0.500000 > AT+QIRD=0,512\\r");

  clock_.advance(12734us);
  inner_->reads.push_back(std::string("\r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n"));
  std::string out = "old";
  auto n = tap_->read(out, 1000, soon());
  ASSERT_TRUE(n);
  EXPECT_EQ(out, "old\r\n+QIRD: 4\r\ntest\r\n\r\nOK\r\n") << "the caller's bytes are untouched";
  EXPECT_EQ(file_lines().back(), "0.512734 < \\r\\n+QIRD: 4\\r\\ntest\\r\\n\\r\\nOK\\r\\n")
      << "only the new bytes are recorded";

  clock_.advance(1s);
  tap_->note("step 3: expect");
  EXPECT_EQ(file_lines().back(), "1.512734 # step 3: expect");

  // Binary bytes survive the round trip through the file.
  inner_->reads.push_back(std::string("\0\xff \r", 4));
  ASSERT_TRUE(tap_->read(out, 1000, soon()));
  const auto lines = file_lines();
  ASSERT_EQ(lines.size(), 5u);
  std::vector<transcript_record> parsed;
  for (const auto& l : lines) {
    auto r = protocol::parse_transcript_line(l);
    ASSERT_TRUE(r) << l << ": " << r.error().detail;
    parsed.push_back(*r);
  }
  EXPECT_EQ(parsed[4].dir, direction::from_module);
  EXPECT_EQ(parsed[4].bytes, std::string("\0\xff \r", 4));
  EXPECT_EQ(parsed[1].dir, direction::to_module);
  EXPECT_EQ(parsed[1].seconds, 0.5);
}

TEST_F(transport_tap, inner_errors_pass_through_unchanged_and_are_noted) {
  ASSERT_TRUE(tap_->start(dir_.file("case.bctr")));
  inner_->reads.push_back(make_error(errc::process_exited, "exec:bcemu: the child exited"));
  std::string out;
  const auto r = tap_->read(out, 10, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::process_exited);
  EXPECT_EQ(r.error().detail, "exec:bcemu: the child exited");
  EXPECT_EQ(file_lines().back(),
            "0.000000 # transport error: process exited: exec:bcemu: the child exited");

  inner_->write_error = make_error(errc::device_vanished, "serial:/dev/ttyUSB0: gone");
  clock_.advance(2s);
  const auto w = tap_->write("AT\r", soon());
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::device_vanished);
  EXPECT_EQ(w.error().detail, "serial:/dev/ttyUSB0: gone");
  const auto lines = file_lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[2], "2.000000 > AT\\r") << "what the host meant to send comes first";
  EXPECT_EQ(lines[3], "2.000000 # transport error: device vanished: serial:/dev/ttyUSB0: gone");
}

TEST_F(transport_tap, a_read_timeout_is_silence_not_a_note) {
  ASSERT_TRUE(tap_->start(dir_.file("case.bctr")));
  std::string out;
  const auto r = tap_->read(out, 10, soon());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::timed_out);
  EXPECT_EQ(file_lines().size(), 1u);
}

TEST_F(transport_tap, the_tail_keeps_the_last_bytes) {
  ASSERT_TRUE(tap_->start(dir_.file("case.bctr")));
  EXPECT_TRUE(tap_->tail().empty());
  std::string all;
  for (int i = 0; i < 100; ++i) {
    const std::string chunk = std::to_string(i) + std::string(60, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(tap_->write(chunk, soon()));
    all += chunk;
  }
  tap_->note("end");
  all += "end";
  std::string kept;
  for (const auto& r : tap_->tail()) kept += r.bytes;
  EXPECT_EQ(kept.size(), tap::tail_limit);
  EXPECT_EQ(kept, all.substr(all.size() - tap::tail_limit));
  EXPECT_EQ(tap_->tail().back().dir, direction::note);
  EXPECT_EQ(tap_->tail().front().dir, direction::to_module);
  EXPECT_LT(tap_->tail().front().bytes.size(), 62u) << "the oldest record was cut at its front";
  EXPECT_EQ(file_lines().size(), 102u) << "the file keeps everything";
}

TEST_F(transport_tap, start_begins_a_new_file_and_a_new_tail) {
  ASSERT_TRUE(tap_->start(dir_.file("one.bctr")));
  ASSERT_TRUE(tap_->write("AT\r", soon()));
  clock_.advance(3s);
  ASSERT_TRUE(tap_->start(dir_.file("two.bctr")));
  EXPECT_TRUE(tap_->tail().empty());
  ASSERT_TRUE(tap_->write("ATI\r", soon()));
  EXPECT_EQ(file_lines("one.bctr"),
            (std::vector<std::string>{"# bcconform-transcript 1", "0.000000 > AT\\r"}));
  EXPECT_EQ(file_lines("two.bctr"),
            (std::vector<std::string>{"# bcconform-transcript 1", "0.000000 > ATI\\r"}));
  tap_->stop();
  ASSERT_TRUE(tap_->write("AT\r", soon())) << "without a file the tap only forwards";
  EXPECT_EQ(file_lines("two.bctr").size(), 2u);
  EXPECT_EQ(inner_->written, "AT\rATI\rAT\r");
}

TEST_F(transport_tap, a_file_that_cannot_be_created_is_an_error) {
  const auto r = tap_->start(dir_.file("no/such/dir/case.bctr"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::io_error);
  EXPECT_NE(r.error().detail.find("no/such/dir/case.bctr"), std::string::npos);
  ASSERT_TRUE(tap_->write("AT\r", soon()));
  EXPECT_TRUE(tap_->tail().empty());
}

TEST_F(transport_tap, forwards_describe_clock_and_close) {
  EXPECT_EQ(tap_->describe(), "scripted:");
  EXPECT_EQ(&tap_->clock(), &clock_);
  EXPECT_EQ(&tap_->inner(), inner_);
  ASSERT_TRUE(tap_->start(dir_.file("case.bctr")));
  tap_->close();
  EXPECT_TRUE(inner_->closed);
  tap_->note("after close");
  EXPECT_EQ(file_lines().size(), 1u) << "close() also closes the file";
}

}  // namespace
}  // namespace bcconform::transport
