#include "module_client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace bcconform::bcemu_test {
namespace {

using protocol::event_kind;

int millis_until(deadline until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 60000));
}

std::string with_diag(std::string s, protocol::diagnostic d) {
  if (d != protocol::diagnostic::none) s += " [" + std::string(protocol::to_string(d)) + "]";
  return s;
}

bool is_async(const module_event& e) {
  return e.kind == event_kind::urc ||
         (e.kind == event_kind::final && e.final != nullptr && e.final->deferred);
}

}  // namespace

std::vector<std::string> render(const module_event& e) {
  switch (e.kind) {
    case event_kind::echo:
      return {with_diag("echo: " + protocol::escape_bytes(e.text), e.diag)};
    case event_kind::prompt:
      return {with_diag("> ", e.diag)};
    case event_kind::data:
      return {with_diag("data: " + protocol::escape_bytes(e.text), e.diag)};
    case event_kind::noise:
      return {with_diag("noise: " + protocol::escape_bytes(e.text), e.diag)};
    case event_kind::overflow:
      return {with_diag("overflow: " + protocol::escape_bytes(e.text.substr(0, 40)), e.diag)};
    default:
      break;
  }
  if (!e.payload) return {with_diag(e.text, e.diag)};
  if (e.payload_inline) return {with_diag(e.text + "," + *e.payload, e.diag)};
  return {e.text, with_diag(*e.payload, e.diag)};
}

std::vector<std::string> render(const std::vector<module_event>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    auto lines = render(e);
    out.insert(out.end(), lines.begin(), lines.end());
  }
  return out;
}

module_client::module_client(int read_fd, int write_fd)
    : read_fd_(read_fd),
      write_fd_(write_fd),
      tracker_(*this),
      parser_(tracker_.context(), tracker_) {
  for (int fd : {read_fd_, write_fd_}) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

module_client::~module_client() = default;

// ---- decoding -----------------------------------------------------------------------------------

// The parser's events arrive here first, before the tracker updates the context from them.
void module_client::on_event(const protocol::event& e) {
  if (e.kind == event_kind::final && e.final != nullptr && !e.final->deferred &&
      tracker_outstanding_ > 0) {
    --tracker_outstanding_;
  }
  if (e.kind == event_kind::data && staged_) {
    module_event header = std::move(*staged_);
    staged_.reset();
    header.payload = std::string(e.bytes);
    header.payload_inline = e.offset == header.offset + header.text.size() + 1;
    if (e.diag != protocol::diagnostic::none) header.diag = e.diag;
    return release(std::move(header));
  }
  if (staged_) {  // the payload never came: the header goes out alone, and shows it
    release(std::move(*staged_));
    staged_.reset();
  }
  module_event m;
  m.kind = e.kind;
  m.text = std::string(e.bytes);
  m.diag = e.diag;
  m.urc = e.urc;
  m.final = e.final;
  m.connect_id = e.connect_id;
  m.offset = e.offset;
  if (expects_payload(e)) {
    staged_ = std::move(m);
    return;
  }
  release(std::move(m));
}

// AN 2.1.5: `+QIRD: <n>` with n > 0 is followed by n bytes; AN 2.2.2: in direct-push mode a
// `+QIURC: "recv"` header is followed by the data.
bool module_client::expects_payload(const protocol::event& e) const {
  if (e.kind == event_kind::info) {
    const auto h = protocol::decode_qird(e.bytes);
    return h && h->read_length > 0;
  }
  if (e.kind != event_kind::urc || e.urc == nullptr || e.urc->id != protocol::urc_id::recv) {
    return false;
  }
  const auto r = protocol::decode_recv(e.bytes);
  if (!r || r->buff_full || r->connect_id < 0 ||
      r->connect_id >= protocol::stream_context::max_sockets) {
    return false;
  }
  return tracker_.context().access[static_cast<std::size_t>(r->connect_id)] ==
         protocol::access_mode::direct_push;
}

void module_client::release(module_event e) {
  history_.push_back(e);
  (is_async(e) ? async_ : responses_).push_back(std::move(e));
}

void module_client::to_tracker(const std::string& line) {
  tracker_.on_host_bytes(line);
  tracker_.on_host_bytes("\r");
  ++tracker_outstanding_;
}

// While pipelined lines wait, bytes are fed one at a time so that each line reaches the
// tracker right after the final result of the one before it, as the module read them.
void module_client::feed(std::string_view bytes) {
  received_.append(bytes);
  if (backlog_.empty()) return parser_.feed(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    parser_.feed(bytes.substr(i, 1));
    if (tracker_outstanding_ > 0) continue;
    to_tracker(backlog_.front());
    backlog_.pop_front();
    if (backlog_.empty()) return parser_.feed(bytes.substr(i + 1));
  }
}

bool module_client::pump(deadline until) {
  if (eof_) return false;
  pollfd p{read_fd_, POLLIN, 0};
  const int n = ::poll(&p, 1, millis_until(until));
  if (n < 0 && errno == EINTR) return clock::now() < until;
  if (n <= 0) return false;
  char buf[65536];
  const auto got = ::read(read_fd_, buf, sizeof buf);
  if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
    eof_ = true;
    parser_.finish();
    return false;
  }
  if (got > 0) feed(std::string_view(buf, static_cast<std::size_t>(got)));
  return true;
}

// ---- sending ------------------------------------------------------------------------------------

// Reads meanwhile: the module echoes, and a writer that did not read could meet its
// back-pressure.
bool module_client::write_all(std::string_view bytes, deadline until) {
  sent_.append(bytes);
  while (!bytes.empty()) {
    pollfd p[2] = {{write_fd_, POLLOUT, 0}, {read_fd_, POLLIN, 0}};
    const int n = ::poll(p, read_fd_ == write_fd_ ? 1 : 2, millis_until(until));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    if (read_fd_ != write_fd_ && (p[1].revents & POLLIN) != 0) pump(until);
    if ((p[0].revents & (POLLERR | POLLHUP)) != 0 && (p[0].revents & POLLOUT) == 0) return false;
    if ((p[0].revents & POLLOUT) == 0) continue;
    const auto w = ::write(write_fd_, bytes.data(), bytes.size());
    if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (w <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(w));
  }
  return true;
}

bool module_client::send(std::string_view line) {
  return send_pipelined({std::string(line)});
}

bool module_client::send_pipelined(const std::vector<std::string>& lines) {
  std::string bytes;
  for (const auto& line : lines) {
    unanswered_.push_back({line, tracker_.context().echo, {}});
    if (tracker_outstanding_ == 0 && backlog_.empty()) {
      to_tracker(line);
    } else {
      backlog_.push_back(line);
    }
    bytes += line;
    bytes += '\r';
  }
  return write_all(bytes, in(step_budget));
}

bool module_client::send_data(std::string_view bytes) {
  if (!unanswered_.empty()) unanswered_.back().data.append(bytes);
  tracker_.on_host_bytes(bytes);
  return write_all(bytes, in(step_budget));
}

// ---- waiting ------------------------------------------------------------------------------------

std::optional<std::vector<module_event>> module_client::response(deadline until) {
  std::vector<module_event> got;
  const sent_command* cmd = unanswered_.empty() ? nullptr : &unanswered_.front();
  for (;;) {
    while (!responses_.empty()) {
      module_event e = std::move(responses_.front());
      responses_.pop_front();
      const bool own_echo = e.kind == event_kind::echo && cmd != nullptr &&
                            ((cmd->echo && e.text == cmd->line) ||
                             (!cmd->data.empty() && cmd->data.find(e.text) != std::string::npos));
      const bool done = e.kind == event_kind::final;
      if (!own_echo) got.push_back(std::move(e));
      if (done) {
        if (!unanswered_.empty()) unanswered_.pop_front();
        return got;
      }
    }
    if (!pump(until)) {
      responses_.insert(responses_.begin(), got.begin(), got.end());
      return std::nullopt;
    }
  }
}

std::vector<std::string> module_client::command(std::string_view line, deadline until) {
  if (!send(line)) return {"<cannot write the command>"};
  if (auto r = response(until)) return render(*r);
  auto partial = render(std::vector<module_event>(responses_.begin(), responses_.end()));
  partial.emplace_back("<no final result before the deadline>");
  return partial;
}

bool module_client::await_prompt(deadline until) {
  const sent_command* cmd = unanswered_.empty() ? nullptr : &unanswered_.front();
  for (;;) {
    while (!responses_.empty()) {
      const module_event& e = responses_.front();
      if (e.kind == event_kind::prompt) {
        responses_.pop_front();
        return true;
      }
      if (e.kind != event_kind::echo || cmd == nullptr || e.text != cmd->line) return false;
      responses_.pop_front();
    }
    if (!pump(until)) return false;
  }
}

std::optional<module_event> module_client::await(
    const std::function<bool(const module_event&)>& match, deadline until) {
  for (;;) {
    const auto it = std::find_if(async_.begin(), async_.end(), match);
    if (it != async_.end()) {
      module_event e = std::move(*it);
      async_.erase(it);
      return e;
    }
    if (!pump(until)) return std::nullopt;
  }
}

std::optional<module_event> module_client::await_line(std::string_view text, deadline until) {
  return await([text](const module_event& e) { return e.text == text; }, until);
}

std::optional<module_event> module_client::await_urc(protocol::urc_id id, deadline until) {
  return await([id](const module_event& e) { return e.urc != nullptr && e.urc->id == id; }, until);
}

void module_client::abandon_unanswered() {
  unanswered_.clear();
  backlog_.clear();
  tracker_outstanding_ = 0;
}

std::vector<std::string> module_client::take_async() {
  std::vector<module_event> events(async_.begin(), async_.end());
  async_.clear();
  return render(events);
}

std::vector<std::string> module_client::problems(std::vector<protocol::diagnostic> allowed) const {
  std::vector<std::string> out;
  for (const auto& e : history_) {
    const bool bad_kind =
        e.kind == event_kind::noise || e.kind == event_kind::overflow || e.kind == event_kind::data;
    const bool bad_diag = e.diag != protocol::diagnostic::none &&
                          std::find(allowed.begin(), allowed.end(), e.diag) == allowed.end();
    if (bad_kind || bad_diag) {
      out.push_back("at offset " + std::to_string(e.offset) + ": " + render(e).front());
    }
  }
  for (const auto& e : responses_) out.push_back("unclaimed response: " + render(e).front());
  if (staged_) out.push_back("header without its payload: " + staged_->text);
  return out;
}

}  // namespace bcconform::bcemu_test
