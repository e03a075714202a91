#include "module_link.hpp"

#include <algorithm>
#include <utility>

#include "bcconform/protocol/command_line.hpp"
#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace bcconform::runner::detail {
namespace {

using protocol::event_kind;

// The longest a single read waits, so that a long step notices the interrupt flag promptly.
constexpr auto read_slice = std::chrono::milliseconds(100);
constexpr std::size_t read_chunk = 4096;

std::string with_diag(std::string s, protocol::diagnostic d) {
  if (d != protocol::diagnostic::none) s += " [" + std::string(protocol::to_string(d)) + "]";
  return s;
}

// What a line that is not a command line is called in reports: its first word, bounded.
std::string name_of_unparsed(std::string_view line) {
  const auto end = line.find_first_of("=?");
  return protocol::escape_bytes(line.substr(0, std::min<std::size_t>(end, 24)));
}

double seconds_between(transport::time_point from, transport::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

std::string render(const module_line& l) {
  const std::string text = protocol::escape_bytes(l.text);
  switch (l.kind) {
    case event_kind::echo:
      return with_diag("echo: " + text, l.diag);
    case event_kind::prompt:
      return with_diag("> ", l.diag);
    case event_kind::data:
      return with_diag("payload: " + text, l.diag);
    case event_kind::noise:
      return with_diag("noise: " + text, l.diag);
    case event_kind::overflow:
      return with_diag("overflow: " + protocol::escape_bytes(l.text.substr(0, 40)) + "...", l.diag);
    default:
      break;
  }
  if (l.payload && l.payload_inline) {
    return with_diag(text + "," + protocol::escape_bytes(*l.payload), l.diag);
  }
  return with_diag(text, l.diag);
}

std::vector<std::string> render_all(const module_line& l) {
  if (!l.payload || l.payload_inline) return {render(l)};
  return {protocol::escape_bytes(l.text),
          with_diag("payload: " + protocol::escape_bytes(*l.payload), l.diag)};
}

void describe_command(std::string_view line, sent_command& out) {
  auto parsed = protocol::parse_command_line(line);
  if (!parsed) {
    out.name = name_of_unparsed(line);
    return;
  }
  out.spec = parsed->spec;
  out.name = "AT" + parsed->name;
  if (out.spec == nullptr) return;
  protocol::parsed_command checked = *parsed;
  if (protocol::check_arguments(checked) && checked.variant != nullptr) {
    out.data_mode = checked.variant->data;
    return;
  }
  if (parsed->kind != protocol::form::set) return;
  for (const protocol::form_spec& f : out.spec->forms) {
    if (f.kind == protocol::form::set && f.data != protocol::data_mode::none &&
        f.params.size() == parsed->args.size()) {
      out.data_mode = f.data;
    }
  }
}

module_link::module_link(transport::transport& t, const std::atomic<bool>* interrupt)
    : transport_(t), interrupt_(interrupt), tracker_(*this), parser_(tracker_.context(), tracker_) {
  read_buffer_.reserve(read_chunk);
}

module_link::~module_link() = default;

bool module_link::interrupted() const {
  return interrupt_ != nullptr && interrupt_->load();
}

// ---- decoding -----------------------------------------------------------------------------------

// The parser's events arrive here before the tracker updates the context from them.
void module_link::on_event(const protocol::event& e) {
  if (e.kind == event_kind::data && staged_) {
    module_line header = std::move(*staged_);
    staged_.reset();
    header.payload = std::string(e.bytes);
    header.payload_format = e.format;
    header.payload_inline = e.offset == header.offset + header.text.size() + 1;
    if (e.diag != protocol::diagnostic::none) header.diag = e.diag;
    return release(std::move(header));
  }
  if (staged_) {  // the payload never came: the header goes out alone, and shows it
    release(std::move(*staged_));
    staged_.reset();
  }
  module_line m;
  m.kind = e.kind;
  m.text = std::string(e.bytes);
  m.diag = e.diag;
  m.urc = e.urc;
  m.final = e.final;
  m.offset = e.offset;
  if (e.kind == event_kind::data) m.payload_format = e.format;
  if (expects_payload(e)) {
    staged_ = std::move(m);
    return;
  }
  release(std::move(m));
}

// AN 2.1.5: `+QIRD: <n>` with n > 0 is followed by n bytes; AN 2.2.2: in direct-push mode a
// `+QIURC: "recv"` header is followed by the data.
bool module_link::expects_payload(const protocol::event& e) const {
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

// AN 2.1.4 note 4 / 2.1.6 note 3: after empty data-mode input the module answers SEND FAIL at
// once, without an OK before it. A deferred result is therefore the final of the command in
// flight when that command went into data mode and has had no final yet; otherwise it follows
// an earlier OK and is asynchronous (E15).
bool module_link::deferred_is_final(const protocol::final_spec& f) const {
  if (!f.deferred) return false;
  const auto it = std::find_if(commands_.begin(), commands_.end(),
                               [](const sent_command& c) { return !c.answered; });
  return it != commands_.end() && it->data_sent && it->data_mode != protocol::data_mode::none;
}

// The parser knows the lines of the commands in the table. For a command it does not know
// (AT+CSQ, AT+CIMI) it reports `+CSQ: ...` as an unknown URC and an unprefixed line as noise;
// while such a command waits for its answer, both are taken as its information lines
// (3GPP TS 27.007 §4.1: an information response starts with the command's name).
void module_link::adopt_unknown_command_line(module_line& l) {
  const sent_command* c = first_unanswered();
  if (c == nullptr || c->spec != nullptr || c->name.size() <= 2) return;
  const std::string prefix = c->name.substr(2) + ":";
  const bool own_prefix = l.kind == event_kind::urc && l.urc == nullptr &&
                          l.text.compare(0, prefix.size(), prefix) == 0;
  if (own_prefix || l.kind == event_kind::noise) {
    l.kind = event_kind::info;
    l.diag = protocol::diagnostic::none;
  }
}

void module_link::release(module_line l) {
  adopt_unknown_command_line(l);
  const bool is_final = l.kind == event_kind::final && l.final != nullptr;
  const bool ends_response = is_final && (!l.final->deferred || deferred_is_final(*l.final));
  const bool async = l.kind == event_kind::urc || (is_final && !ends_response);
  if (async) {
    async_.push_back(std::move(l));
    return;
  }
  if (first_unanswered() == nullptr) {
    l.stray = true;
    async_.push_back(std::move(l));
    return;
  }
  responses_.push_back(std::move(l));
  if (ends_response) answer_next();
}

sent_command* module_link::first_unanswered() {
  const auto it = std::find_if(commands_.begin(), commands_.end(),
                               [](const sent_command& c) { return !c.answered; });
  return it == commands_.end() ? nullptr : &*it;
}

// The final result decoded now answers the oldest command without one (V.250 §5.7: commands
// are answered in order); its response time ends here.
void module_link::answer_next() {
  sent_command* c = first_unanswered();
  if (c == nullptr) return;
  c->answered = true;
  if (tracker_outstanding_ > 0) --tracker_outstanding_;
  command_timing t;
  t.command = c->name;
  t.seconds = seconds_between(c->timer_start, now());
  if (c->spec != nullptr) {
    t.limit_seconds = std::chrono::duration<double>(c->spec->max_response).count();
  }
  timings_.push_back(std::move(t));
  // A pipelined command is read by the module only now (V.250 §5.7): its time starts here.
  if (sent_command* next = first_unanswered(); next != nullptr) {
    next->timer_start = std::max(next->timer_start, now());
  }
}

void module_link::to_tracker(const std::string& line) {
  tracker_.on_host_bytes(line);
  tracker_.on_host_bytes("\r");
  ++tracker_outstanding_;
}

// While pipelined lines wait, bytes are fed one at a time so that each line reaches the
// tracker right after the final result of the one before it, as the module read them.
void module_link::feed(std::string_view bytes) {
  if (backlog_.empty()) return parser_.feed(bytes);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    parser_.feed(bytes.substr(i, 1));
    if (tracker_outstanding_ > 0) continue;
    to_tracker(backlog_.front());
    backlog_.pop_front();
    if (backlog_.empty()) return parser_.feed(bytes.substr(i + 1));
  }
}

// ---- the transport ------------------------------------------------------------------------------

void module_link::pump(transport::deadline until) {
  const auto slice = std::min(until, now() + read_slice);
  read_buffer_.clear();
  auto got = transport_.read(read_buffer_, read_chunk, slice);
  if (got) {
    feed(read_buffer_);
    return;
  }
  if (got.error().code == transport::errc::timed_out) return;
  failure_ = got.error();
  parser_.finish();
  if (staged_) {
    release(std::move(*staged_));
    staged_.reset();
  }
}

protocol::result<void> module_link::write(std::string_view bytes, transport::deadline until) {
  if (failure_) return *failure_;
  auto r = transport_.write(bytes, until);
  if (!r && r.error().code != transport::errc::timed_out) failure_ = r.error();
  return r;
}

module_link::wait_status module_link::wait(const std::function<bool()>& ready,
                                           transport::deadline until, bool interruptible) {
  for (;;) {
    if (ready()) return wait_status::ready;
    if (failure_) return wait_status::link_down;
    if (interruptible && interrupted()) return wait_status::interrupted;
    if (now() >= until) return wait_status::timed_out;
    pump(until);
  }
}

// ---- sending ------------------------------------------------------------------------------------

protocol::result<void> module_link::send_line(std::string_view line, transport::deadline until) {
  if (failure_) return *failure_;
  sent_command c;
  c.line = std::string(line);
  describe_command(line, c);
  c.echo = tracker_.context().echo;
  if (c.spec != nullptr && c.spec->max_deferred.count() > 0) last_deferred_ = c.spec->max_deferred;
  commands_.push_back(std::move(c));
  if (tracker_outstanding_ == 0 && backlog_.empty()) {
    to_tracker(commands_.back().line);
  } else {
    backlog_.push_back(commands_.back().line);
  }
  auto r = write(commands_.back().line + "\r", until);
  commands_.back().timer_start = now();
  return r;
}

protocol::result<void> module_link::send_data(std::string_view bytes, transport::deadline until) {
  if (failure_) return *failure_;
  tracker_.on_host_bytes(bytes);
  sent_command* c = latest();
  if (c != nullptr) {
    c->data.append(bytes);
    c->data_sent = true;
  }
  auto r = write(bytes, until);
  // The module cannot answer before it has the data: its response time starts now.
  if (c != nullptr) c->timer_start = now();
  return r;
}

void module_link::consume_command() {
  if (!commands_.empty()) commands_.pop_front();
}

void module_link::abandon_commands() {
  commands_.clear();
  backlog_.clear();
  tracker_outstanding_ = 0;
  responses_.clear();
}

std::vector<command_timing> module_link::take_timings() {
  return std::exchange(timings_, {});
}

}  // namespace bcconform::runner::detail
