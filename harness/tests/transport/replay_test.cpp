// replay: recorded transcripts played back: writes checked byte for byte in any chunking,
// module bytes released after the host bytes that preceded them, mismatch, exhaustion, and
// malformed files reported as FILE:LINE:COL.
#include <gtest/gtest.h>

#include "bcconform/transport/open.hpp"
#include "transport/transport_support.hpp"

namespace bcconform::transport {
namespace {

using test::in;
using test::read_until;
using test::step_budget;
using namespace std::chrono_literals;

// AN 4.1 in miniature: boot URC, a command split over two `>` records, answers split over
// several `<` records, a URC after the answer, notes and blank lines in between.
constexpr std::string_view recording =
    "# bcconform-transcript 1\n"
    "0.000000 < \\r\\nRDY\\r\\n\n"
    "- # boot done\n"
    "0.100000 > AT+CGATT?\n"
    "0.100100 > \\r\n"
    "0.120000 < AT+CGATT?\\r\\r\\n+CGATT: 1\\r\\n\n"
    "\n"
    "0.120500 < \\r\\nOK\\r\\n\n"
    "0.500000 > AT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0\\r\n"
    "0.520000 < \\r\\nOK\\r\\n\n"
    "1.200000 < \\r\\n+QIOPEN: 0,0\\r\\n\n";

class transport_replay : public testing::Test {
 protected:
  result<std::unique_ptr<transport>> open_text(std::string_view text) {
    path_ = dir_.write("run.bctr", text);
    auto t = parse_target("replay:" + path_);
    if (!t) return t.error();
    return open(*t);
  }
  std::string read_all_released(transport& t) {
    std::string out;
    while (t.read(out, 1000, in(step_budget))) {
    }
    return out;
  }

  test::temp_dir dir_;
  std::string path_;
};

TEST_F(transport_replay, plays_the_module_side_after_the_host_side) {
  auto t = open_text(recording);
  ASSERT_TRUE(t) << t.error().detail;
  auto& r = **t;
  EXPECT_EQ(r.describe(), "replay:" + path_);
  std::string out;
  ASSERT_TRUE(r.read(out, 100, in(step_budget)));
  EXPECT_EQ(out, "\r\nRDY\r\n") << "bytes recorded before any host byte are there at once";

  // One write that spans the two `>` records; both `<` records come back as one run.
  ASSERT_TRUE(r.write("AT+CGATT?\r", in(step_budget)));
  out.clear();
  ASSERT_TRUE(r.read(out, 100, in(step_budget)));
  EXPECT_EQ(out, "AT+CGATT?\r\r\n+CGATT: 1\r\n\r\nOK\r\n");

  // A write split anywhere; nothing is released before the last byte.
  ASSERT_TRUE(r.write("AT+QIOPEN=1,0,\"TC", in(step_budget)));
  const auto until = in(50ms);
  out.clear();
  const auto early = r.read(out, 100, until);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, errc::timed_out) << early.error().detail;
  EXPECT_GE(steady().now(), until) << "silence lasts until the deadline, like a real module";
  ASSERT_TRUE(r.write("P\",\"220.18.39.22\",8062,0,0\r", in(step_budget)));
  const auto urc = read_until(r, "+QIOPEN: 0,0\r\n", in(step_budget));
  ASSERT_FALSE(urc.code) << urc.detail;
  EXPECT_EQ(urc.bytes, "\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n");
}

TEST_F(transport_replay, every_write_chunking_gives_the_same_bytes) {
  const std::string host = "AT+CGATT?\rAT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0\r";
  for (std::size_t chunk = 1; chunk <= host.size(); ++chunk) {
    auto t = open_text(recording);
    ASSERT_TRUE(t) << t.error().detail;
    std::string out;
    for (std::size_t at = 0; at < host.size(); at += chunk) {
      ASSERT_TRUE((*t)->write(std::string_view(host).substr(at, chunk), in(step_budget)))
          << "chunk " << chunk << " at " << at;
    }
    EXPECT_EQ(read_all_released(**t),
              "\r\nRDY\r\nAT+CGATT?\r\r\n+CGATT: 1\r\n\r\nOK\r\n\r\nOK\r\n\r\n+QIOPEN: 0,0\r\n")
        << "chunk " << chunk;
  }
}

TEST_F(transport_replay, read_gives_at_most_max_and_keeps_the_rest) {
  auto t = open_text(recording);
  ASSERT_TRUE(t) << t.error().detail;
  std::string out = "x";
  auto n = (*t)->read(out, 3, in(step_budget));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 3u);
  EXPECT_EQ(out, "x\r\nR");
  n = (*t)->read(out, 100, in(step_budget));
  ASSERT_TRUE(n);
  EXPECT_EQ(out, "x\r\nRDY\r\n");
}

TEST_F(transport_replay, a_different_write_is_a_mismatch_that_sticks) {
  auto t = open_text(recording);
  ASSERT_TRUE(t) << t.error().detail;
  ASSERT_TRUE((*t)->write("AT+CG", in(step_budget)));
  const auto w = (*t)->write("ATT=1\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::replay_mismatch);
  const std::string& d = w.error().detail;
  EXPECT_NE(d.find("at host byte 8"), std::string::npos) << d;
  EXPECT_NE(d.find(path_ + ":4"), std::string::npos) << "the `>` record's line: " << d;
  EXPECT_NE(d.find("expected \"?\\r"), std::string::npos) << d;
  EXPECT_NE(d.find("got \"=1\\r\""), std::string::npos) << d;

  // Everything after the first divergence repeats it: the runner sees one clear cause.
  std::string out;
  const auto r = (*t)->read(out, 100, in(step_budget));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::replay_mismatch);
  EXPECT_EQ(r.error().detail, d);
  EXPECT_EQ((*t)->write("?\r", in(step_budget)).error().code, errc::replay_mismatch);
}

TEST_F(transport_replay, writing_past_the_recording_is_a_mismatch) {
  auto t = open_text("> AT\\r\n< OK\n");
  ASSERT_TRUE(t) << t.error().detail;
  const auto w = (*t)->write("AT\rAT\r", in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code, errc::replay_mismatch);
  EXPECT_NE(w.error().detail.find("at host byte 3 (past the last > record): expected <end of the "
                                  "recording>, got \"AT\\r\""),
            std::string::npos)
      << w.error().detail;
}

TEST_F(transport_replay, a_long_mismatch_is_shown_in_part) {
  const std::string line(100, 'A');
  auto t = open_text("> " + line + "\n");
  ASSERT_TRUE(t) << t.error().detail;
  const auto w = (*t)->write(std::string(99, 'A') + "B" + std::string(60, '\x01'), in(step_budget));
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().detail.find("expected \"A\", got \"B\\x01\\x01"), std::string::npos)
      << w.error().detail;
  EXPECT_NE(w.error().detail.find("\"..."), std::string::npos) << "cut: " << w.error().detail;
}

TEST_F(transport_replay, a_finished_recording_is_exhausted_at_once) {
  auto t = open_text(recording);
  ASSERT_TRUE(t) << t.error().detail;
  ASSERT_TRUE(
      (*t)->write("AT+CGATT?\rAT+QIOPEN=1,0,\"TCP\",\"220.18.39.22\",8062,0,0\r", in(step_budget)));
  std::string out;
  ASSERT_TRUE((*t)->read(out, 1000, in(step_budget)));
  const auto start = steady().now();
  const auto r = (*t)->read(out, 1000, in(step_budget));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::replay_exhausted);
  EXPECT_NE(r.error().detail.find("ends at line 11"), std::string::npos) << r.error().detail;
  EXPECT_LT(steady().now() - start, std::chrono::seconds(1)) << "no wait for the deadline";
}

TEST_F(transport_replay, an_empty_recording_is_exhausted_and_takes_no_writes) {
  auto t = open_text("# bcconform-transcript 1\n- # nothing happened\n");
  ASSERT_TRUE(t) << t.error().detail;
  std::string out;
  EXPECT_EQ((*t)->read(out, 10, in(step_budget)).error().code, errc::replay_exhausted);
  EXPECT_EQ((*t)->write("AT\r", in(step_budget)).error().code, errc::replay_mismatch);
}

TEST_F(transport_replay, a_file_without_a_header_or_final_newline_is_read) {
  auto t = open_text("> AT\\r\n1.5 < \\r\\nOK\\r\\n");
  ASSERT_TRUE(t) << t.error().detail;
  ASSERT_TRUE((*t)->write("AT\r", in(step_budget)));
  EXPECT_EQ(read_all_released(**t), "\r\nOK\r\n");
}

struct malformed_case {
  const char* name;
  const char* text;
  const char* where;  // LINE:COL
  const char* says;
};

/// For GoogleTest's messages.
void PrintTo(const malformed_case& c, std::ostream* os) {
  *os << c.name;
}

const malformed_case malformed_cases[] = {
    {"unknown_escape", "# bcconform-transcript 1\n> AT\\r\n< OK\\q\n", "3:5", "unknown escape \\q"},
    {"short_hex", "> AT\n< \\x4\n", "2:3", "\\x needs two hex digits"},
    {"no_direction", "> AT\n0.5 AT\n", "2:5", "expected a direction"},
    {"bad_time", "1.2.x > AT\n", "1:5", "a time is digits"},
    {"trailing_space", "> AT \n", "1:5", "trailing space"},
    {"raw_control_byte", "> AT\r\n", "1:5", "must be escaped"},
    {"missing_space", ">AT\n", "1:2", "expected a space"},
    {"later_version", "# bcconform-transcript 2\n> AT\n", "1:24", "unsupported transcript version"},
};

class transport_replay_malformed : public transport_replay,
                                   public testing::WithParamInterface<malformed_case> {};

TEST_P(transport_replay_malformed, names_file_line_and_column) {
  const auto& c = GetParam();
  auto t = open_text(c.text);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, errc::replay_malformed);
  EXPECT_EQ(t.error().detail.rfind(path_ + ":" + c.where + ": ", 0), 0u) << t.error().detail;
  EXPECT_NE(t.error().detail.find(c.says), std::string::npos) << t.error().detail;
}

INSTANTIATE_TEST_SUITE_P(transport, transport_replay_malformed, testing::ValuesIn(malformed_cases),
                         [](const auto& i) { return std::string(i.param.name); });

TEST_F(transport_replay, a_missing_file_is_not_found) {
  auto t = parse_target("replay:" + dir_.file("absent.bctr"));
  ASSERT_TRUE(t);
  auto r = open(*t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_found);
  EXPECT_NE(r.error().detail.find("absent.bctr"), std::string::npos) << r.error().detail;
}

TEST_F(transport_replay, close_is_final) {
  auto t = open_text(recording);
  ASSERT_TRUE(t);
  (*t)->close();
  std::string out;
  EXPECT_EQ((*t)->read(out, 10, in(step_budget)).error().code, errc::closed);
  EXPECT_EQ((*t)->write("AT", in(step_budget)).error().code, errc::closed);
}

}  // namespace
}  // namespace bcconform::transport
