// fuzz_emulator: the sans-I/O interpreter driven by hostile host bytes, a fake network that
// answers its requests as the input says, and a clock the input moves; checked against what a
// host may rely on rather than for crashes alone.
//
// Input layout (tools/gen-emulator-seeds.py writes seeds in it): a sequence of operations, each
// one byte `op` and its operands; an operation cut short by the end of the input is dropped.
//   op % 8 = 0  host bytes: n = next byte, then n bytes, given in one on_host_bytes() call
//            1  clock: advance by (next byte) * 10 ms; 0 = jump to next_deadline()
//            2  answer the pending request at (next byte) % count: connected or failed,
//               sent or send_failed, a DNS/ping/NTP result, by the bits of the byte after
//            3  received: socket (next byte) % 6 if the host has it open, n = next byte, n bytes
//            4  peer_closed (next byte even) or peer_reset on socket (next byte / 2) % 6, if open
//            5  accepted on the listener (next byte) % 6, if it listens
//            6  control: wake, reset or drop_link ((next byte) % 3)
//            7  host bytes: (next byte) + 1 copies of the byte after (floods, long lines)
//
// Invariants (any violation prints what broke and aborts):
//   - no crash, no undefined behaviour (ASan/UBSan in the fuzz build);
//   - everything the interpreter writes, read by protocol::stream_parser under a
//     session_tracker that saw the same host bytes, gives no `noise` and no `overflow` event;
//     excused, each with its reason where it is checked: noise that is bytes the host typed
//     (echo the tracker cannot name) or a direct-push payload without length (E47), and the
//     overflow of the echo of a line longer than the interpreter accepts. Backspace is taken
//     out of the host bytes (see host_bytes()) and the reader is restarted at
//     a reboot and at RDY (the tracker cannot see either);
//   - afterwards, with data mode left (Esc, then enough bytes to end a fixed-length send, then
//     CR), `AT\r` is answered with OK within a bounded number of advance() steps.
// Memory: the fake host keeps no output (it is parsed and dropped as it comes) and answers or
// forgets every request, so what grows is the interpreter's; libFuzzer's -rss_limit_mb and
// ASan's leak check bound it (the interpreter reports no sizes of its own).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bcconform/emulator/interpreter.hpp"
#include "bcconform/protocol/event_log.hpp"
#include "bcconform/protocol/parser.hpp"
#include "bcconform/protocol/session.hpp"

namespace {

namespace emu = bcconform::emulator;
namespace proto = bcconform::protocol;
using namespace std::chrono_literals;

constexpr int sockets = 6;  // AN 2.1.1 <connectID> 0..5
/// advance() steps the final AT may take: each step runs every timer due by then.
constexpr int answer_steps = 64;
/// The longest command line the interpreter keeps (interpreter.cpp max_line); a longer one is
/// refused with ERROR at its CR. The parser gets the same bound so that the echo of every line
/// the module accepts is a line to it (an AT+QISENDEX of 512 bytes is 1040 characters).
constexpr std::size_t accepted_line = 4096;
/// Host bytes kept to excuse echo the parser cannot name (twice the longest accepted line).
constexpr std::size_t typed_keep = 2 * accepted_line;
/// Tail of the conversation kept for the report of a violation.
constexpr std::size_t transcript_keep = 2048;

std::string printable(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u >= 0x7f || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

/// The tail of what both sides said, for the report.
class transcript {
 public:
  void add(char who, std::string_view bytes) {
    text_ += who;
    text_ += ": " + printable(bytes) + "\n";
    if (text_.size() > 2 * transcript_keep) text_.erase(0, text_.size() - transcript_keep);
  }
  [[noreturn]] void fail(const std::string& what) const {
    std::fprintf(stderr, "fuzz_emulator: invariant violated: %s\n  conversation (tail):\n%s",
                 what.c_str(), text_.c_str());
    std::abort();
  }

 private:
  std::string text_;
};

/// Fails on what a well-formed module output never gives the parser.
class checking_sink final : public proto::event_sink {
 public:
  explicit checking_sink(const transcript& log) : log_(log) {}
  /// The tracker's context, read when an event arrives (before the tracker updates it).
  void watch(const proto::stream_context& ctx) { ctx_ = &ctx; }

  void on_event(const proto::event& e) override {
    // Data-mode echo of arbitrary host bytes is matched against the bytes the tracker saw,
    // so it arrives as `echo`, never as noise: nothing needs excluding for it.
    if (e.kind == proto::event_kind::noise && !echo_of_typed_bytes(e.bytes) &&
        !unframed_payload(e.bytes))
      log_.fail("parser event " + proto::describe(e) + expected_echo());
    // The one legitimate overflow: the echo of a line the host typed longer than the
    // interpreter keeps. The module echoes it as typed (V.250 §5.2.1) and refuses it; no
    // bound on the parser's line could hold every such echo.
    if (e.kind == proto::event_kind::overflow &&
        (e.length <= accepted_line || e.length > longest_host_run))
      log_.fail("parser event " + proto::describe(e));
  }

  /// Host bytes: the longest run without CR the host typed (an echo is no longer), and the
  /// recent bytes as the interpreter echoes them.
  void host_typed(std::string_view bytes) {
    for (const char c : bytes) {
      run_ = c == '\r' ? 0 : run_ + 1;
      longest_host_run = std::max(longest_host_run, run_);
      if (c != '\x1a' && c != '\x1b') typed_ += c;
    }
    if (typed_.size() > 2 * typed_keep) typed_.erase(0, typed_.size() - typed_keep);
  }

  /// Bytes the network delivered, as a direct push without length may print them.
  void network_sent(std::string_view bytes) {
    received_.append(bytes);
    if (received_.size() > 2 * typed_keep) received_.erase(0, received_.size() - typed_keep);
  }

  std::size_t longest_host_run = 0;

 private:
  // Echo the parser cannot name, excused so that the target looks past it; the noise must
  // still be bytes the host typed (minus Ctrl+Z and Esc, see below), never the module's own:
  //  - in command mode the interpreter ignores Ctrl+Z and Esc without echoing them
  //    (emulator.md §1.1), while session_tracker keeps them in the line it expects echoed;
  //  - the module echoes each byte as it comes (V.250 §5.2.1) and the tracker names the echo
  //    at the line's CR only: a line cut by a result, a URC or a reboot, or by an LF the host
  //    typed inside it, or typed after fixed-length data without a CR, is not recognised.
  bool echo_of_typed_bytes(std::string_view bytes) const {
    return !bytes.empty() && typed_.find(bytes) != std::string::npos;
  }

  // Direct-push data printed without its length (showlength 0) ends at a line end (E47): a
  // payload holding CR or LF cannot be framed, and its tail is noise to any parser.
  bool unframed_payload(std::string_view bytes) const {
    return ctx_ != nullptr && !ctx_->showlength && !bytes.empty() &&
           received_.find(bytes) != std::string::npos;
  }

  std::string expected_echo() const {
    if (ctx_ == nullptr) return {};
    return "\n  echo expected: \"" + printable(ctx_->command.echo_text) +
           "\"\n  data echo expected: \"" + printable(ctx_->pending_data_echo) + "\"";
  }

  const transcript& log_;
  const proto::stream_context* ctx_ = nullptr;
  std::size_t run_ = 0;
  std::string typed_;     // recent host bytes, as the interpreter echoes them
  std::string received_;  // recent bytes from the network
};

/// The network side: records requests, keeps output only long enough to parse it.
class fake_host final : public emu::host_interface {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  void request(const emu::net_request& r) override {
    using k = emu::net_request::kind;
    if (r.type == k::close) {
      if (r.socket >= 0 && r.socket < sockets) open[r.socket] = listening[r.socket] = false;
      return;
    }
    if (r.type == k::adopt && r.socket >= 0 && r.socket < sockets) open[r.socket] = true;
    if (r.type == k::tcp_connect || r.type == k::udp_open || r.type == k::tcp_listen ||
        r.type == k::send || r.type == k::dns_lookup || r.type == k::ping || r.type == k::ntp_query)
      pending.push_back(r);
  }
  void rebooted() override {
    reboots = true;
    pending.clear();
    open.fill(false);
    listening.fill(false);
  }

  std::string out;
  std::vector<emu::net_request> pending;  ///< requests that wait for an answer
  std::array<bool, sockets> open{};
  std::array<bool, sockets> listening{};
  int next_handle = 100;
  bool reboots = false;  ///< the module rebooted since the last look
};

emu::profile load_profile() {
  const std::string path = std::string(BCCONFORM_SOURCE_DIR) + "/tools/bcemu/profiles/BC25.json";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto p = emu::parse_profile(text.str(), path);
  if (!p) {
    std::fprintf(stderr, "fuzz_emulator: cannot load %s: %s\n", path.c_str(),
                 p.error().detail.c_str());
    std::abort();
  }
  return *p;
}

const emu::profile& bc25() {
  static const emu::profile p = load_profile();
  return p;
}

/// Reads the operations off the input.
class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool more() const { return at_ < size_; }
  std::optional<std::uint8_t> byte() {
    if (at_ >= size_) return std::nullopt;
    return data_[at_++];
  }
  std::optional<std::string_view> bytes(std::size_t n) {
    if (size_ - at_ < n) return std::nullopt;
    const std::string_view v(reinterpret_cast<const char*>(data_) + at_, n);
    at_ += n;
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

class session {
 public:
  session() : sink_(log_) {
    restart_reader(bc25().echo_default);
    it_ = std::make_unique<emu::interpreter>(bc25(), host_, emu::factory_nvm(bc25()));
    it_->power_on(now_);
    flush();
  }

  void run(reader& in);
  void check_still_answers();

 private:
  // A reboot drops the line the module was reading and its state; the tracker cannot see
  // it in the bytes, so the host starts a new reader, as a harness does after a reset. What
  // the old parser held is reported first (a cut echo: excused as typed bytes).
  void restart_reader(bool echo) {
    if (parser_) parser_->finish();
    proto::stream_context ctx;
    ctx.echo = echo;
    parser_.reset();
    tracker_ = std::make_unique<proto::session_tracker>(sink_, ctx);
    parser_ = std::make_unique<proto::stream_parser>(tracker_->context(), *tracker_,
                                                     proto::parser_limits{accepted_line, 1500});
    sink_.watch(tracker_->context());
  }

  /// Host bytes at the current time; returns what was written in answer. Given one line at a
  /// time (cut after each CR): the tracker follows a host that waits for each answer, and
  /// would otherwise expect the echo of the last line typed ahead for every line before it.
  /// The interpreter takes any chunking (interpreter.hpp), so this changes nothing for it.
  std::string host_bytes(std::string_view typed) {
    // Known gap, kept out of the run: session_tracker edits lines on backspace as the
    // interpreter does (V.250 §5.2.2, S5; regressions/backspace-edits-line), but a flood of
    // backspaces around the interpreter's line-length limit still gives an echo the tracker
    // does not expect.
    std::string edited(typed);
    std::erase(edited, '\b');
    std::string_view bytes = edited;
    std::string out;
    while (!bytes.empty()) {
      const std::size_t cr = bytes.find('\r');
      const std::string_view line = bytes.substr(0, cr == bytes.npos ? bytes.size() : cr + 1);
      bytes.remove_prefix(line.size());
      log_.add('H', line);
      sink_.host_typed(line);
      tracker_->on_host_bytes(line);
      it_->on_host_bytes(now_, line);
      out += flush();
    }
    return out;
  }
  void net(const emu::net_event& e) {
    it_->on_net_event(now_, e);
    flush();
  }
  /// Moves the clock; returns what was written.
  std::string step(std::uint8_t by) {
    if (by == 0) {
      if (const auto next = it_->next_deadline()) now_ = std::max(now_, *next);
    } else {
      now_ += by * 10ms;
    }
    it_->advance(now_);
    return flush();
  }
  /// Parses what was written since the last call, then drops it.
  std::string flush() {
    std::string out = std::move(host_.out);
    host_.out.clear();
    if (!out.empty()) {
      log_.add('M', out);
      // The module ignores the host while it boots (emulator.md §1.2); the tracker would keep
      // what the host typed then as the start of its next line. A new reader at RDY.
      if (booting_ && out.find("RDY\r\n") != std::string::npos) {
        booting_ = false;
        restart_reader(it_->nvm().echo);
      }
      parser_->feed(out);
    }
    if (std::exchange(host_.reboots, false)) {
      booting_ = true;
      restart_reader(it_->nvm().echo);
    }
    return out;
  }

  void answer(std::uint8_t which, std::uint8_t how);
  void received(std::uint8_t id, reader& in);

  transcript log_;
  checking_sink sink_;
  std::unique_ptr<proto::session_tracker> tracker_;
  std::unique_ptr<proto::stream_parser> parser_;
  bool booting_ = true;  // from power-on or a reboot until RDY
  fake_host host_;
  emu::timestamp now_{0};
  std::unique_ptr<emu::interpreter> it_;
};

/// AN 3 table 1 codes and a few outside it (the interpreter maps those to 566).
int error_code(std::uint8_t how) {
  static constexpr int codes[] = {565, 566, 569, 570, 574, 1, 0, 999};
  return codes[(how >> 1) % std::size(codes)];
}

void session::answer(std::uint8_t which, std::uint8_t how) {
  if (host_.pending.empty()) return;
  const auto at = host_.pending.begin() + which % host_.pending.size();
  const emu::net_request r = *at;
  host_.pending.erase(at);
  using k = emu::net_request::kind;
  using ev = emu::net_event::kind;
  const bool ok = (how & 1) == 0;
  emu::net_event e;
  e.socket = r.socket;
  e.token = r.token;
  e.error = ok ? 0 : error_code(how);
  switch (r.type) {
    case k::tcp_connect:
    case k::udp_open:
    case k::tcp_listen:
      e.type = ok ? ev::connected : ev::failed;
      e.local_port = static_cast<std::uint16_t>(r.local_port != 0 ? r.local_port : 40000 + how);
      if (ok && r.socket >= 0 && r.socket < sockets) {
        host_.open[r.socket] = true;
        host_.listening[r.socket] = r.type == k::tcp_listen;
      }
      break;
    case k::send:
      e.type = ok ? ev::sent : ev::send_failed;
      break;
    case k::dns_lookup:
      e.type = ev::dns_result;
      if (ok) e.addresses.assign(1 + how % 3, "10.0.0." + std::to_string(how));
      break;
    case k::ping:
      e.type = ev::ping_reply;
      e.from = {r.remote.host, 0};
      e.bytes = std::string(static_cast<std::size_t>(std::clamp(r.ping_size, 0, 1500)), 'p');
      e.rtt = std::chrono::milliseconds(how);
      e.ttl = 64;
      break;
    default:
      e.type = ev::ntp_result;
      e.unix_seconds = 1700000000 + how;
      break;
  }
  net(e);
}

void session::received(std::uint8_t id, reader& in) {
  const auto n = in.byte();
  if (!n) return;
  const auto bytes = in.bytes(*n);
  const int socket = id % sockets;
  if (!bytes || !host_.open[socket] || host_.listening[socket]) return;
  emu::net_event e;
  e.type = emu::net_event::kind::received;
  e.socket = socket;
  e.bytes = std::string(*bytes);
  e.from = {"10.0.0.9", 7};
  sink_.network_sent(e.bytes);
  net(e);
}

void session::run(reader& in) {
  using ev = emu::net_event::kind;
  while (in.more()) {
    const std::uint8_t op = *in.byte() % 8;
    const auto a = in.byte();
    if (!a) return;
    switch (op) {
      case 0:
        if (const auto b = in.bytes(*a)) host_bytes(*b);
        break;
      case 1:
        step(*a);
        break;
      case 2:
        if (const auto how = in.byte()) answer(*a, *how);
        break;
      case 3:
        received(*a, in);
        break;
      case 4: {
        const int id = (*a / 2) % sockets;
        if (!host_.open[id]) break;
        emu::net_event e;
        e.type = (*a & 1) == 0 ? ev::peer_closed : ev::peer_reset;
        e.socket = id;
        host_.open[id] = host_.listening[id] = false;
        net(e);
        break;
      }
      case 5: {
        const int id = *a % sockets;
        if (!host_.listening[id]) break;
        emu::net_event e;
        e.type = ev::accepted;
        e.socket = id;
        e.handle = host_.next_handle++;
        e.from = {"10.0.0.7", 5000};
        net(e);
        break;
      }
      case 6: {
        static constexpr emu::control controls[] = {emu::control::wake, emu::control::reset,
                                                    emu::control::drop_link};
        it_->on_control(now_, controls[*a % 3]);
        if (controls[*a % 3] == emu::control::drop_link) {
          host_.open.fill(false);
          host_.listening.fill(false);
        }
        flush();
        break;
      }
      default:
        if (const auto c = in.byte()) host_bytes(std::string(*a + 1u, static_cast<char>(*c)));
        break;
    }
  }
}

void session::check_still_answers() {
  // Let every pending timer run (delayed results, open timeouts, the boot), a bounded number.
  for (int i = 0; i < answer_steps && it_->next_deadline(); ++i) step(0);
  if (it_->asleep()) {
    it_->on_control(now_, emu::control::wake);  // AN 4.4: PSM_EINT before any command
    flush();
  }
  // Esc ends text data mode (E13); a fixed-length send (AN 2.1.4: at most 512 bytes, twice that
  // in hex) ends after its count; the rest is a refused line ended by CR.
  host_bytes("\x1b");
  host_bytes(std::string(1100, '0') + "\r");
  for (int i = 0; i < answer_steps && it_->next_deadline(); ++i) step(0);
  if (it_->asleep()) {
    it_->on_control(now_, emu::control::wake);
    flush();
  }
  std::string answer = host_bytes("AT\r");
  for (int i = 0; i < answer_steps && answer.find("\r\nOK\r\n") == std::string::npos; ++i) {
    answer += step(i < answer_steps / 2 ? 0 : 100);
  }
  if (answer.find("\r\nOK\r\n") == std::string::npos)
    log_.fail("AT not answered with OK within " + std::to_string(answer_steps) + " steps");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  session s;
  reader in(data, size);
  s.run(in);
  s.check_still_answers();
  return 0;
}
