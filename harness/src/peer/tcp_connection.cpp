#include <re2/re2.h>
#include <algorithm>
#include <boost/asio/write.hpp>
#include <vector>

#include "bcconform/peer/tcp.hpp"
#include "stream_state.hpp"

namespace bcconform::peer {
namespace detail {

stream_state::stream_state(host_core& core, tcp::socket socket, const connection_options& options)
    : core_(core), socket_(std::move(socket)), options_(options) {
  boost::system::error_code ec;
  if (auto ep = socket_.local_endpoint(ec); !ec) local_ = to_endpoint(ep);
  if (auto ep = socket_.remote_endpoint(ec); !ec) remote_ = to_endpoint(ep);
}

void stream_state::start() {
  read_next();
}

void stream_state::read_next() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      std::size_t n) { self->on_read(ec, n); });
}

void stream_state::append_record(std::string_view bytes) {
  const std::size_t room = options_.max_record - std::min(options_.max_record, record_.size());
  record_.append(bytes.substr(0, room));
  if (bytes.size() > room) record_truncated_ = true;
}

void stream_state::on_read(const boost::system::error_code& ec, std::size_t n) {
  bool more = false;
  bool echo = false;
  {
    std::lock_guard lock(m_);
    const std::string_view chunk(buffer_.data(), n);
    append_record(chunk);
    if (options_.echo && n > 0 && !closed_) {
      out_queue_.emplace_back(chunk);
      ++queued_;
      echo = true;
    } else {
      unread_.append(chunk);
    }
    if (ec) {
      if (!end_)
        end_ = closed_ ? make_error(errc::not_open, "closed locally") : from_asio(ec, "read");
    } else if (echo) {
      echo_pending_ = true;  // read again once echoed: a sender that never reads cannot grow us
    } else if (unread_.size() >= options_.max_unread) {
      read_paused_ = true;  // TCP back-pressure until a reader consumes (see consume())
    } else {
      more = true;
    }
  }
  cv_.notify_all();
  if (echo) write_next();
  if (more) read_next();
}

void stream_state::write_next() {
  {
    std::lock_guard lock(m_);
    if (write_busy_ || out_queue_.empty() || closed_) return;
    write_busy_ = true;
    writing_ = std::move(out_queue_.front());
    out_queue_.pop_front();
  }
  asio::async_write(socket_, asio::buffer(writing_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->on_write(ec);
                    });
}

void stream_state::on_write(const boost::system::error_code& ec) {
  bool resume = false;
  {
    std::lock_guard lock(m_);
    write_busy_ = false;
    if (ec) {
      write_error_ = from_asio(ec, "write");
      out_queue_.clear();
    } else {
      ++written_;
    }
    if (echo_pending_ && out_queue_.empty()) {
      echo_pending_ = false;
      resume = !closed_;
    }
  }
  cv_.notify_all();
  if (!ec) write_next();
  if (resume) read_next();
}

void stream_state::close_now(bool abortive) {
  boost::system::error_code ignored;
  if (socket_.is_open()) {
    if (abortive) {
      socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    } else {
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
    }
    socket_.close(ignored);
  }
  {
    std::lock_guard lock(m_);
    closed_ = true;
    out_queue_.clear();
  }
  cv_.notify_all();
}

void stream_state::close(bool abortive) {
  core_.call([&] { close_now(abortive); });
}

void stream_state::shutdown_send() {
  core_.call([&] {
    boost::system::error_code ignored;
    if (socket_.is_open()) socket_.shutdown(tcp::socket::shutdown_send, ignored);
  });
}

template <class Ready>
std::optional<error> stream_state::await(std::unique_lock<std::mutex>& lock, deadline until,
                                         Ready ready, const std::string& what) {
  cv_.wait_until(lock, until, [&] { return ready() || end_.has_value() || closed_; });
  if (ready()) return std::nullopt;
  const std::string context =
      " while waiting for " + what + "; unread: \"" + printable(unread_) + "\"";
  if (closed_) return make_error(errc::not_open, "connection closed locally" + context);
  if (end_) return error{end_->code, end_->detail + context};
  return make_error(errc::timed_out, "deadline passed" + context);
}

void stream_state::consume(std::size_t n) {
  unread_.erase(0, n);
  if (read_paused_ && unread_.size() < options_.max_unread) {
    read_paused_ = false;
    asio::post(core_.io(), [self = shared_from_this()] { self->read_next(); });
  }
}

result<void> stream_state::send(std::string_view bytes, deadline until) {
  std::unique_lock lock(m_);
  if (closed_) return make_error(errc::not_open, "send on a connection closed locally");
  if (write_error_) return *write_error_;
  out_queue_.emplace_back(bytes);
  const std::uint64_t ticket = ++queued_;
  asio::post(core_.io(), [self = shared_from_this()] { self->write_next(); });
  cv_.wait_until(lock, until, [&] { return written_ >= ticket || write_error_ || closed_; });
  if (written_ >= ticket) return {};
  if (write_error_) return *write_error_;
  if (closed_) return make_error(errc::not_open, "connection closed locally during send");
  return make_error(errc::timed_out, "deadline passed while sending " +
                                         std::to_string(bytes.size()) + " bytes; they stay queued");
}

result<void> stream_state::expect_exact(std::string_view expected, deadline until) {
  std::unique_lock lock(m_);
  auto differs = [&] {
    const std::size_t n = std::min(unread_.size(), expected.size());
    return std::string_view(unread_).substr(0, n) != expected.substr(0, n);
  };
  auto ready = [&] { return differs() || unread_.size() >= expected.size(); };
  if (auto failure = await(lock, until, ready, "\"" + printable(expected) + "\"")) {
    return *failure;
  }
  if (differs()) {
    const auto diff =
        std::mismatch(expected.begin(), expected.end(), unread_.begin(), unread_.end()).first;
    return make_error(errc::mismatch, "expected \"" + printable(expected) + "\" but received \"" +
                                          printable(unread_) + "\" (first difference at byte " +
                                          std::to_string(diff - expected.begin()) + ")");
  }
  consume(expected.size());
  return {};
}

result<std::string> stream_state::read_some(deadline until) {
  std::unique_lock lock(m_);
  if (auto failure = await(
          lock, until, [&] { return !unread_.empty(); }, "any byte")) {
    return *failure;
  }
  std::string out = std::move(unread_);
  unread_.clear();
  consume(0);
  return out;
}

result<std::string> stream_state::read_exactly(std::size_t n, deadline until) {
  std::unique_lock lock(m_);
  const auto what = std::to_string(n) + " bytes";
  if (auto failure = await(
          lock, until, [&] { return unread_.size() >= n; }, what)) {
    return *failure;
  }
  std::string out = unread_.substr(0, n);
  consume(n);
  return out;
}

result<pattern_match> stream_state::read_until_pattern(std::string_view pattern, deadline until) {
  // Latin-1 so that every byte is one character: payloads are binary, not UTF-8.
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_log_errors(false);
  const RE2 re(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re.ok()) {
    return make_error(errc::bad_pattern, "\"" + printable(pattern) + "\": " + re.error());
  }
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
  auto ready = [&] {
    return re.Match(unread_, 0, unread_.size(), RE2::UNANCHORED, groups.data(),
                    static_cast<int>(groups.size()));
  };
  std::unique_lock lock(m_);
  if (auto failure = await(lock, until, ready, "/" + printable(pattern) + "/")) return *failure;
  pattern_match match;
  for (const auto& g : groups) match.groups.emplace_back(g.data() ? g.as_string() : std::string());
  const auto end = static_cast<std::size_t>(groups[0].data() + groups[0].size() - unread_.data());
  match.consumed = unread_.substr(0, end);
  consume(end);
  return match;
}

result<void> stream_state::expect_end(errc wanted, deadline until) {
  std::unique_lock lock(m_);
  const auto what = wanted == errc::end_of_stream ? "the remote end to close (FIN)"
                                                  : "the remote end to reset (RST)";
  const auto ended = [&] { return end_.has_value() && end_->code == make_error_code(wanted); };
  if (auto failure = await(lock, until, ended, what)) return *failure;
  return {};
}

bool stream_state::is_open() const {
  std::lock_guard lock(m_);
  return !closed_;
}

std::string stream_state::received() const {
  std::lock_guard lock(m_);
  return record_;
}

bool stream_state::record_truncated() const {
  std::lock_guard lock(m_);
  return record_truncated_;
}

std::size_t stream_state::unread_size() const {
  std::lock_guard lock(m_);
  return unread_.size();
}

}  // namespace detail

namespace {
error not_open() {
  return make_error(errc::not_open, "empty or moved-from tcp_connection");
}
}  // namespace

tcp_connection::tcp_connection(std::shared_ptr<detail::stream_state> state)
    : state_(std::move(state)) {
  ++state_->core().live_objects;
}

tcp_connection::~tcp_connection() {
  release();
}

tcp_connection::tcp_connection(tcp_connection&& other) noexcept : state_(std::move(other.state_)) {}

tcp_connection& tcp_connection::operator=(tcp_connection&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
  }
  return *this;
}

void tcp_connection::release() noexcept {
  if (!state_) return;
  state_->close(false);
  --state_->core().live_objects;
  state_.reset();
}

endpoint tcp_connection::local_endpoint() const {
  return state_ ? state_->local() : endpoint{};
}
endpoint tcp_connection::remote_endpoint() const {
  return state_ ? state_->remote() : endpoint{};
}

result<void> tcp_connection::send(std::string_view bytes, deadline until) {
  if (!state_) return not_open();
  return state_->send(bytes, until);
}

result<void> tcp_connection::expect_exact(std::string_view expected, deadline until) {
  if (!state_) return not_open();
  return state_->expect_exact(expected, until);
}

result<std::string> tcp_connection::read_some(deadline until) {
  if (!state_) return not_open();
  return state_->read_some(until);
}

result<std::string> tcp_connection::read_exactly(std::size_t n, deadline until) {
  if (!state_) return not_open();
  return state_->read_exactly(n, until);
}

result<pattern_match> tcp_connection::read_until_pattern(std::string_view pattern, deadline until) {
  if (!state_) return not_open();
  return state_->read_until_pattern(pattern, until);
}

result<void> tcp_connection::expect_eof(deadline until) {
  if (!state_) return not_open();
  return state_->expect_end(errc::end_of_stream, until);
}

result<void> tcp_connection::expect_reset(deadline until) {
  if (!state_) return not_open();
  return state_->expect_end(errc::connection_reset, until);
}

void tcp_connection::close() {
  if (state_) state_->close(false);
}

void tcp_connection::shutdown_send() {
  if (state_) state_->shutdown_send();
}

void tcp_connection::reset() {
  if (state_) state_->close(true);
}

bool tcp_connection::is_open() const {
  return state_ && state_->is_open();
}
std::string tcp_connection::received() const {
  return state_ ? state_->received() : "";
}
bool tcp_connection::record_truncated() const {
  return state_ && state_->record_truncated();
}
std::size_t tcp_connection::unread_size() const {
  return state_ ? state_->unread_size() : 0;
}

}  // namespace bcconform::peer
