#include "fake_transport.hpp"

#include <algorithm>
#include <utility>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::runner_test {

void fake_transport::deliver(std::string bytes, ms at) {
  deliveries_.emplace(clock_.at(at), std::move(bytes));
}

void fake_transport::deliver_in(std::string bytes, ms after) {
  deliveries_.emplace(clock_.now() + after, std::move(bytes));
}

fake_transport& fake_transport::on_write(std::string host_bytes, std::string module_bytes,
                                         ms after) {
  exchanges_.push_back({std::move(host_bytes), {}, {}});
  if (!module_bytes.empty()) exchanges_.back().replies.push_back({after, std::move(module_bytes)});
  return *this;
}

fake_transport& fake_transport::then(std::string module_bytes, ms after) {
  exchanges_.back().replies.push_back({after, std::move(module_bytes)});
  return *this;
}

fake_transport& fake_transport::and_do(std::function<void()> action) {
  exchanges_.back().actions.push_back(std::move(action));
  return *this;
}

void fake_transport::at(ms at, std::function<void()> action) {
  actions_.emplace(clock_.at(at), std::move(action));
}

void fake_transport::fail_at(ms at, tp::errc e, std::string detail) {
  has_failure_ = true;
  fail_time_ = clock_.at(at);
  fail_code_ = e;
  fail_detail_ = std::move(detail);
}

// Moves everything due by now into the inbox and runs the actions due.
void fake_transport::run_due() {
  const auto now = clock_.now();
  while (!actions_.empty() && actions_.begin()->first <= now) {
    auto action = std::move(actions_.begin()->second);
    actions_.erase(actions_.begin());
    action();
  }
  while (!deliveries_.empty() && deliveries_.begin()->first <= now) {
    inbox_ += deliveries_.begin()->second;
    deliveries_.erase(deliveries_.begin());
  }
}

tp::time_point fake_transport::next_moment() const {
  auto next = tp::time_point::max();
  if (!deliveries_.empty()) next = std::min(next, deliveries_.begin()->first);
  if (!actions_.empty()) next = std::min(next, actions_.begin()->first);
  if (has_failure_) next = std::min(next, fail_time_);
  return next;
}

// Host bytes are matched against the exchanges in order; once the script is used up, further
// writes are only recorded.
void fake_transport::match_writes() {
  while (mismatch_.empty() && next_exchange_ < exchanges_.size() && !unmatched_host_.empty()) {
    exchange& x = exchanges_[next_exchange_];
    const std::size_t n = std::min(x.host.size(), unmatched_host_.size());
    if (unmatched_host_.compare(0, n, x.host, 0, n) != 0) {
      mismatch_ = protocol::escape_bytes(unmatched_host_);
      return;
    }
    if (n < x.host.size()) return;  // a prefix so far: wait for the rest
    unmatched_host_.erase(0, n);
    ++next_exchange_;
    for (const auto& r : x.replies) deliveries_.emplace(clock_.now() + r.after, r.bytes);
    for (auto& a : x.actions) a();
  }
}

tp::result<void> fake_transport::write(std::string_view bytes, tp::deadline) {
  run_due();
  if (closed_) return tp::make_error(tp::errc::closed, "closed");
  if (has_failure_ && clock_.now() >= fail_time_) {
    return tp::make_error(fail_code_, fail_detail_);
  }
  written_.append(bytes);
  unmatched_host_.append(bytes);
  match_writes();
  if (!line_hook_) return {};
  for (const char c : bytes) {
    if (c != '\r') {
      host_line_ += c;
      continue;
    }
    const std::string line = std::exchange(host_line_, {});
    line_hook_(line);
  }
  return {};
}

tp::result<std::size_t> fake_transport::read(std::string& out, std::size_t max,
                                             tp::deadline until) {
  ++reads_;
  for (;;) {
    run_due();
    if (!inbox_.empty()) {
      const std::size_t n = std::min({max, chunk_, inbox_.size()});
      out.append(inbox_, 0, n);
      inbox_.erase(0, n);
      return n;
    }
    if (closed_) return tp::make_error(tp::errc::closed, "closed");
    if (has_failure_ && clock_.now() >= fail_time_) {
      return tp::make_error(fail_code_, fail_detail_);
    }
    const auto next = next_moment();
    if (next > until) {
      clock_.advance_to(until);
      return tp::make_error(tp::errc::timed_out, "fake deadline");
    }
    clock_.advance_to(next);
  }
}

}  // namespace bcconform::runner_test
