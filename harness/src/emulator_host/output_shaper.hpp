// Internal: byte-level faults on the module's output, between the interpreter and the serial
// line: per-byte pacing (a baud rate), dropped bytes, corrupted bytes. Drop and corrupt
// decisions come from a generator seeded with --seed, so a run can be repeated exactly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace bcconform::emulator_host::detail {

struct byte_fault_options {
  std::uint64_t seed = 0;
  std::chrono::microseconds byte_delay{0};  ///< 0: no pacing
  double drop_rate = 0.0;                   ///< probability that an output byte is lost
  double corrupt_rate = 0.0;                ///< probability that an output byte is changed
};

/// Applies drop/corrupt to bytes; deterministic for a seed (independent of the chunking).
class byte_mangler {
 public:
  explicit byte_mangler(const byte_fault_options& o) : o_(o), rng_(o.seed) {}
  std::string apply(std::string_view bytes);
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t corrupted() const { return corrupted_; }

 private:
  bool chance(double p);
  byte_fault_options o_;
  std::mt19937_64 rng_;
  std::uint64_t dropped_ = 0, corrupted_ = 0;
};

class output_shaper {
 public:
  /// Bytes queued by the pacer beyond this are dropped: a paced line cannot catch up anyway.
  static constexpr std::size_t pacing_cap = 1u << 20;

  output_shaper(boost::asio::io_context& io, const byte_fault_options& o,
                std::function<void(std::string_view)> sink)
      : o_(o), mangler_(o), timer_(io), sink_(std::move(sink)) {}

  void write(std::string_view bytes);
  std::size_t pending() const { return queue_.size() - pos_; }
  /// Releases everything now (exit).
  void flush();

 private:
  void release_due();
  void arm();

  byte_fault_options o_;
  byte_mangler mangler_;
  boost::asio::steady_timer timer_;
  std::function<void(std::string_view)> sink_;
  std::string queue_;
  std::size_t pos_ = 0;
  bool armed_ = false;
  std::chrono::steady_clock::time_point next_;
};

}  // namespace bcconform::emulator_host::detail
