// Byte-level faults on the module's output: pacing, drops and corruption, reproducible by seed.
#include "output_shaper.hpp"

#include <gtest/gtest.h>

#include "loopback.hpp"

namespace bcconform::emulator_host::detail {
namespace {

using emulator_host::testing::run_until;

const std::string text = "\r\n+QIURC: \"recv\",0,12\r\n012345678901\r\n\r\nOK\r\n";

std::string mangle(const byte_fault_options& o, const std::vector<std::string>& chunks) {
  byte_mangler m(o);
  std::string out;
  for (const auto& c : chunks) out += m.apply(c);
  return out;
}

TEST(byte_mangler, no_faults_changes_nothing) {
  EXPECT_EQ(mangle({}, {text}), text);
}

TEST(byte_mangler, same_seed_same_damage_in_any_chunking) {
  const byte_fault_options o{42, {}, 0.2, 0.2};
  const auto whole = mangle(o, {text});
  EXPECT_NE(whole, text);
  EXPECT_EQ(mangle(o, {text.substr(0, 5), text.substr(5, 20), text.substr(25)}), whole);
  EXPECT_NE(mangle({43, {}, 0.2, 0.2}, {text}), whole) << "another seed, another run";
}

TEST(byte_mangler, rates_are_respected) {
  const std::string big(100000, 'x');
  byte_mangler drop_all({1, {}, 1.0, 0.0});
  EXPECT_EQ(drop_all.apply(big), "");
  byte_mangler corrupt_all({1, {}, 0.0, 1.0});
  const auto c = corrupt_all.apply(big);
  ASSERT_EQ(c.size(), big.size());
  EXPECT_EQ(c.find('x'), std::string::npos) << "a corrupted byte always differs";
  byte_mangler tenth({7, {}, 0.1, 0.0});
  const auto kept = tenth.apply(big).size();
  EXPECT_NEAR(static_cast<double>(kept), 90000.0, 1500.0);
  EXPECT_EQ(tenth.dropped(), big.size() - kept);
}

// --byte-delay-us: n bytes take at least (n - 1) delays, and arrive in order.
TEST(output_shaper, paces_bytes) {
  boost::asio::io_context io;
  std::string got;
  output_shaper s(io, {0, std::chrono::microseconds(2000), 0.0, 0.0},
                  [&](std::string_view b) { got += b; });
  const auto start = std::chrono::steady_clock::now();
  s.write("0123456789");
  EXPECT_EQ(s.pending(), 10u);
  ASSERT_TRUE(run_until(io, [&] { return got.size() == 10; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(18));
  EXPECT_EQ(got, "0123456789");
}

TEST(output_shaper, flush_releases_everything_at_once) {
  boost::asio::io_context io;
  std::string got;
  output_shaper s(io, {0, std::chrono::microseconds(1000000), 0.0, 0.0},
                  [&](std::string_view b) { got += b; });
  s.write("RDY");
  s.flush();
  EXPECT_EQ(got, "RDY");
  EXPECT_EQ(s.pending(), 0u);
}

TEST(output_shaper, without_pacing_bytes_pass_at_once) {
  boost::asio::io_context io;
  std::string got;
  output_shaper s(io, {}, [&](std::string_view b) { got += b; });
  s.write(text);
  EXPECT_EQ(got, text);
}

}  // namespace
}  // namespace bcconform::emulator_host::detail
