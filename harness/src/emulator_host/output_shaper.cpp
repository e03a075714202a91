#include "output_shaper.hpp"

#include <algorithm>

namespace bcconform::emulator_host::detail {

using steady = std::chrono::steady_clock;

bool byte_mangler::chance(double p) {
  if (p <= 0.0) return false;
  // 53 random bits as a double in [0, 1): the same sequence on every platform, unlike
  // std::bernoulli_distribution.
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53 < p;
}

std::string byte_mangler::apply(std::string_view bytes) {
  if (o_.drop_rate <= 0.0 && o_.corrupt_rate <= 0.0) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    if (chance(o_.drop_rate)) {
      ++dropped_;
      continue;
    }
    if (chance(o_.corrupt_rate)) {
      ++corrupted_;
      c = static_cast<char>(static_cast<unsigned char>(c) ^ (1u + rng_() % 255u));
    }
    out.push_back(c);
  }
  return out;
}

void output_shaper::write(std::string_view bytes) {
  const std::string out = mangler_.apply(bytes);
  if (out.empty()) return;
  if (o_.byte_delay.count() <= 0) {
    sink_(out);
    return;
  }
  if (pending() == 0) next_ = std::max(next_, steady::now());
  const auto room = pacing_cap - std::min(pacing_cap, pending());
  queue_.append(out, 0, std::min(room, out.size()));
  arm();
}

void output_shaper::flush() {
  timer_.cancel();
  armed_ = false;
  if (pending() > 0) sink_(std::string_view(queue_).substr(pos_));
  queue_.clear();
  pos_ = 0;
}

// Releases every byte whose slot has come: n bytes are due n × byte_delay after the first.
void output_shaper::release_due() {
  const auto now = steady::now();
  std::size_t n = 1;
  if (now > next_) n += static_cast<std::size_t>((now - next_) / o_.byte_delay);
  n = std::min(n, pending());
  next_ += o_.byte_delay * static_cast<long>(n);
  const std::string chunk = queue_.substr(pos_, n);
  pos_ += n;
  if (pos_ == queue_.size()) {
    queue_.clear();
    pos_ = 0;
  }
  sink_(chunk);
}

void output_shaper::arm() {
  if (armed_ || pending() == 0) return;
  armed_ = true;
  timer_.expires_at(next_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    armed_ = false;
    if (ec) return;
    release_due();
    arm();
  });
}

}  // namespace bcconform::emulator_host::detail
