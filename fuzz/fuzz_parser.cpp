// fuzz_parser: the streaming parser under a context and a chunking chosen by the input, checked
// against the contract of parser.hpp rather than for crashes alone.
//
// Input layout (tools/gen-parser-seeds.py writes seeds in it):
//   byte 0  bit i (0-5): socket i is in direct-push mode (AN 2.1.1 <access_mode>)
//   byte 1  bit 0 viewmode 1, bit 1 showlength, bit 2 receive format hex, bit 3 send format hex,
//           bit 4 echo on, bit 5 a command is in flight, bit 6 its prompt is expected
//   byte 2  the command in flight when E = 0: index into commands()
//   byte 3  when E = 0: bits 0-3 which of its forms; bits 4-6 its connect ID (6, 7 = none)
//   byte 4  limits: bits 0-1 max_line 1024/256/32/8, bits 2-3 max_payload 1500/512/64/4;
//           bits 4-7 S: when not 0, the sink changes the context after some events, as
//           session_tracker does (parser.hpp allows it at any time): which events and which
//           change follow from S and the event's index, so every chunking sees the same
//           changes at the same events
//   byte 5  chunking: bits 0-1 = 0 one byte at a time, 1 fixed size (bits 2-7) + 1,
//           2-3 pseudo-random sizes in 1..(bits 2-7) + 1
//   byte 6  E = length of the command line as sent (the expected echo)
//   byte 7  D = length of the data-mode bytes the module may echo
//   then E bytes of echo text, D bytes of data echo, and the rest is the module's output.
// With E > 0 the echo text is the command line as sent ("AT+QIRD=0,512") and names the
// command, its form and connect ID as session_tracker would; an unknown name leaves no spec.
// Seeds so stay meaningful when the table grows.
//
// Invariants (any violation prints what broke and aborts):
//   - offsets never decrease; spans are contiguous from 0 and never end past the bytes fed;
//   - every event's bytes are the stream's bytes at its offset, inside its span;
//   - line events (not data echoes) are no longer than max_line; overflow reports a longer line;
//   - a data event without diagnostic holds exactly its length: bytes.size() == length (text)
//     or 2 * length (hex), length <= max_payload;
//   - a well-formed payload header (read here from the note's grammar, independently of the
//     parser) is followed by a data event of the announced length, or by truncated noise
//     shorter than it when the stream ends first;
//   - after finish(), last span_end + pending() == bytes fed, and that tail holds separators
//     only: CR, LF, and the space after a prompt taken at '>';
//   - the whole input in one feed() and in the chosen chunks give the same events and spans
//     (compared by a digest; the logs are printed when they differ);
//   - one input in 64 is also fed to a new parser, which must give the events of the parser
//     the target keeps and resets between inputs (stream_parser::reset()).
// A violation prints the event at fault; BCCONFORM_FUZZ_VERBOSE=1 adds every event before it.
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <sanitizer/asan_interface.h>

#include "bcconform/protocol/event_log.hpp"
#include "bcconform/protocol/parser.hpp"

namespace {

namespace proto = bcconform::protocol;
using proto::event_kind;

constexpr std::size_t header_size = 8;

[[noreturn]] void violated(const char* what, const proto::event* e, const std::string& more = {}) {
  std::fprintf(stderr, "fuzz_parser: invariant violated: %s\n", what);
  if (e != nullptr) {
    std::fprintf(stderr, "  event: %s [span %llu..%llu)\n", proto::describe(*e).c_str(),
                 static_cast<unsigned long long>(e->span_begin),
                 static_cast<unsigned long long>(e->span_end));
  }
  if (!more.empty()) std::fprintf(stderr, "%s\n", more.c_str());
  std::abort();
}

struct fuzz_case {
  proto::stream_context ctx;  ///< at the start of the stream
  proto::parser_limits limits;
  unsigned limits_index = 0;  ///< which of the 16 combinations `limits` is
  std::uint8_t chunking = 0;
  unsigned script = 0;  ///< context changes during the stream; 0 = none
  std::string_view module_bytes;
};

char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// "AT+QIRD=0,512" -> +QIRD, set, ID 0; "AT+QPING=?" -> test; "ATE0" -> E, set (V.250 §5.3).
void command_from_line(std::string_view line, proto::stream_context& ctx) {
  if (line.size() < 2 || upper(line[0]) != 'A' || upper(line[1]) != 'T') return;
  line.remove_prefix(2);
  const std::size_t name_end = std::min(line.find_first_of("=?"), line.size());
  std::string name(line.substr(0, name_end));
  for (char& c : name) c = upper(c);
  const std::string_view tail = line.substr(name_end);
  auto& cmd = ctx.command;
  cmd.kind = tail.substr(0, 2) == "=?"  ? proto::form::test
             : tail.substr(0, 1) == "?" ? proto::form::query
             : tail.substr(0, 1) == "=" ? proto::form::set
                                        : proto::form::exec;
  cmd.spec = proto::find_command(name);
  while (cmd.spec == nullptr && !name.empty() && name.back() >= '0' && name.back() <= '9') {
    name.pop_back();  // basic syntax: "E0" is command E with value 0
    cmd.kind = proto::form::set;
    cmd.spec = proto::find_command(name);
  }
  if (cmd.kind == proto::form::set && tail.size() >= 2 && tail[1] >= '0' && tail[1] <= '5' &&
      (tail.size() == 2 || tail[2] == ','))
    cmd.connect_id = tail[1] - '0';
}

void pick_command(std::uint8_t index, std::uint8_t form_byte, proto::stream_context& ctx) {
  const auto table = proto::commands();
  if (table.empty()) return;
  const proto::command_spec& spec = table[index % table.size()];
  ctx.command.spec = &spec;
  if (!spec.forms.empty())
    ctx.command.kind = spec.forms[(form_byte & 0x0f) % spec.forms.size()].kind;
  const int id = (form_byte >> 4) & 7;
  ctx.command.connect_id = id <= proto::protocol_limits::connect_id_max ? id : -1;
}

bool bit(std::uint8_t b, int i) {
  return ((b >> i) & 1) != 0;
}

// Bytes 0, 1 and 4 of the header: socket modes, QICFG settings, echo, limits.
void decode_settings(const std::uint8_t* header, fuzz_case& out) {
  for (int id = 0; id < proto::stream_context::max_sockets; ++id) {
    out.ctx.access[static_cast<std::size_t>(id)] =
        bit(header[0], id) ? proto::access_mode::direct_push : proto::access_mode::buffer;
  }
  const std::uint8_t flags = header[1];
  out.ctx.viewmode = bit(flags, 0) ? 1 : 0;
  out.ctx.showlength = bit(flags, 1);
  out.ctx.recv_format = bit(flags, 2) ? proto::data_format::hex : proto::data_format::text;
  out.ctx.send_format = bit(flags, 3) ? proto::data_format::hex : proto::data_format::text;
  out.ctx.echo = bit(flags, 4);
  static constexpr std::size_t max_lines[] = {1024, 256, 32, 8};
  static constexpr std::size_t max_payloads[] = {1500, 512, 64, 4};
  out.limits.max_line = max_lines[header[4] & 3];
  out.limits.max_payload = max_payloads[(header[4] >> 2) & 3];
  out.limits_index = header[4] & 15u;
  out.script = header[4] >> 4;
}

// Takes up to `n` bytes off the front of `rest`.
std::string_view take(std::string_view& rest, std::size_t n) {
  const std::string_view head = rest.substr(0, n);
  rest.remove_prefix(head.size());
  return head;
}

bool decode(const std::uint8_t* data, std::size_t size, fuzz_case& out) {
  if (size < header_size) return false;
  decode_settings(data, out);
  out.chunking = data[5];
  std::string_view rest(reinterpret_cast<const char*>(data) + header_size, size - header_size);
  const std::string_view echo_text = take(rest, data[6]);
  out.ctx.pending_data_echo = take(rest, data[7]);
  out.module_bytes = rest;
  if (bit(data[1], 5)) {
    if (echo_text.empty()) {
      pick_command(data[2], data[3], out.ctx);
    } else {
      command_from_line(echo_text, out.ctx);
    }
    out.ctx.command.prompt_expected = bit(data[1], 6);
    out.ctx.command.echo_text = echo_text;
  }
  return true;
}

template <class T>
bool in_table(const T* p, std::span<const T> table) {
  return p == nullptr || (p >= table.data() && p < table.data() + table.size());
}

// A plain decimal of 1-9 digits, or -1.
std::int64_t plain_decimal(std::string_view s) {
  if (s.empty() || s.size() > 9) return -1;
  std::int64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

// The event log as a number, so that comparing the two feedings costs no string building
// (describe() was most of the target's own time). Each field goes in as one word, mixed by a
// multiply-rotate round as in xxHash64, so the order of the fields and events counts.
struct digest {
  std::uint64_t value = 0x27d4eb2f165667c5ull;
  void add_word(std::uint64_t v) {
    value ^= v * 0xc2b2ae3d27d4eb4full;
    value = std::rotl(value, 31) * 0x9e3779b97f4a7c15ull;
  }
  template <class T>
  void add(T v) {
    if constexpr (std::is_pointer_v<T>) {
      add_word(reinterpret_cast<std::uintptr_t>(v));
    } else {
      add_word(static_cast<std::uint64_t>(v));
    }
  }
  // Strings by the standard library's hash: it is not instrumented, and a loop over the bytes
  // here would cost more than parsing them.
  void add(std::string_view s) {
    add_word(s.size());
    add_word(std::hash<std::string_view>{}(s));
  }
};

/// Checks every event as it arrives and digests it for the chunking comparison; `verbose`
/// also writes the readable log that failure messages show. One sink serves every stream:
/// begin() starts the next.
class checking_sink final : public proto::event_sink {
 public:
  explicit checking_sink(proto::stream_context& live) : live_(&live) {}

  void begin(const fuzz_case& c, std::string_view stream, bool verbose) {
    *this = checking_sink(*live_);
    case_ = &c;
    stream_ = stream;
    verbose_ = verbose;
  }

  void on_event(const proto::event& e) override {
    check_order(e);
    check_bytes(e);
    check_kind(e);
    if (announced_ > 0) check_follows_header(e);
    if (e.kind == event_kind::data) {
      check_data(e);
    } else {
      check_line_length(e);
    }
    add_to_log(e);
    last_end_ = e.span_end;
    last_offset_ = e.offset;
    bare_prompt_ = e.kind == event_kind::prompt && e.bytes == ">";
    announced_ = payload_header(e);
    announced_wire_ = wire_size(announced_);
    maybe_header_ = (e.kind == event_kind::info && e.bytes.substr(0, 5) == "+QIRD") ||
                    (e.kind == event_kind::urc && e.name == "recv");
    if (case_->script != 0) change_context();
  }

  void fed(std::uint64_t n) { fed_ = n; }
  std::uint64_t last_span_end() const { return last_end_; }
  bool last_was_bare_prompt() const { return bare_prompt_; }

  std::string log;  ///< verbose only
  digest sum;

 private:
  void add_to_log(const proto::event& e) {
    sum.add(e.kind);
    sum.add(e.offset);
    sum.add(e.span_begin);
    sum.add(e.span_end);
    sum.add(e.bytes);
    sum.add(e.name);
    sum.add(e.length);
    sum.add(e.connect_id);
    sum.add(e.format);
    sum.add(e.diag);
    sum.add(e.command);
    sum.add(e.urc);
    sum.add(e.final);
    if (!verbose_) return;
    log += proto::describe(e);
    log += " [" + std::to_string(e.span_begin) + "," + std::to_string(e.span_end) + ")\n";
  }

  // A context change, in the digest and (verbose) the log: `text` makes its description.
  template <class Text>
  void note_change(int what, Text text) {
    sum.add(what);
    if (verbose_) log += text() + '\n';
  }

  // Reports a broken invariant with the events that led to it.
  [[noreturn]] void fail(const char* what, const proto::event* e,
                         const std::string& more = {}) const {
    std::string context = more;
    if (!context.empty()) context += '\n';
    context += verbose_
                   ? "  events before it (whole feed or chunked, see the event offsets):\n" + log
                   : "  (set BCCONFORM_FUZZ_VERBOSE=1 and run the input again for the events "
                     "before it)";
    violated(what, e, context);
  }

  void check_order(const proto::event& e) const {
    if (e.offset < last_offset_) fail("event offset decreased", &e);
    if (e.span_begin != last_end_)
      fail("spans not contiguous", &e, "  previous span_end: " + std::to_string(last_end_));
    if (e.span_end < e.span_begin) fail("span ends before it begins", &e);
    if (e.span_end > fed_) fail("span ends past the bytes fed so far", &e);
  }

  void check_bytes(const proto::event& e) const {
    if (e.offset < e.span_begin || e.offset + e.bytes.size() > e.span_end)
      fail("event bytes outside its span", &e);
    if (!e.bytes.empty() && stream_.substr(e.offset, e.bytes.size()) != e.bytes)
      fail("event bytes differ from the stream's bytes at its offset", &e);
  }

  void check_kind(const proto::event& e) const {
    if (e.kind > event_kind::overflow || e.diag > proto::diagnostic::test_form_shape)
      fail("event kind or diagnostic out of range", &e);
    if (!in_table(e.command, proto::commands()) || !in_table(e.urc, proto::urcs()) ||
        !in_table(e.final, proto::finals()))
      fail("table pointer outside the command table", &e);
    if (e.connect_id < -1 || e.connect_id > proto::protocol_limits::connect_id_max)
      fail("connect ID out of range", &e);
  }

  // A well-formed header is followed by its payload, counted, never by a line: the data
  // (any diagnostic but unframed), or, when the stream ends first, truncated noise.
  void check_follows_header(const proto::event& e) const {
    const std::string n = "  announced length: " + std::to_string(announced_);
    if (e.kind == event_kind::data && e.diag != proto::diagnostic::unframed) {
      if (e.length != static_cast<std::uint64_t>(announced_))
        fail("data length differs from the length its header announced", &e, n);
    } else if (e.kind == event_kind::noise && e.diag == proto::diagnostic::truncated) {
      if (e.bytes.size() >= announced_wire_)
        fail("truncated payload as long as its announced length", &e, n);
    } else {
      fail("a well-formed payload header is not followed by its payload", &e, n);
    }
  }

  void check_line_length(const proto::event& e) const {
    const std::size_t max_line = case_->limits.max_line;
    if (e.kind == event_kind::overflow) {
      if (e.length <= max_line) fail("overflow of a line within max_line", &e);
      if (e.bytes.size() > max_line) fail("overflow event keeps more than max_line", &e);
      return;
    }
    if (is_data_echo(e)) return;
    if (announced_ > 0) return;  // a truncated payload, checked against its header
    // After a header this check does not hold as well-formed, the parser may still have
    // counted a payload: truncated noise is then bounded by the largest payload instead.
    const bool maybe_payload =
        e.kind == event_kind::noise && e.diag == proto::diagnostic::truncated && maybe_header_;
    const std::size_t payload_bound = 2 * case_->limits.max_payload;  // hex at most (E46)
    const std::size_t bound = maybe_payload ? std::max(max_line, payload_bound) : max_line;
    if (e.bytes.size() > bound) fail("line event longer than max_line", &e);
  }

  void check_data(const proto::event& e) const {
    // Direct-push data without a length is delimited by its line end (E47): a line.
    if (e.diag == proto::diagnostic::unframed && e.bytes.size() > case_->limits.max_line)
      fail("unframed data longer than max_line", &e);
    if (e.diag != proto::diagnostic::none) return;
    const bool hex = e.format == proto::data_format::hex;
    if ((hex ? 2 * e.length : e.length) != e.bytes.size())
      fail("data event length disagrees with its bytes", &e);
    if (e.length > case_->limits.max_payload) fail("data event longer than max_payload", &e);
  }

  std::uint64_t wire_size(std::int64_t n) const {
    const auto u = static_cast<std::uint64_t>(n);
    return live_->recv_format == proto::data_format::hex ? 2 * u : u;  // E46
  }

  // The module's echo of data-mode bytes is not a line: it is matched against the bytes the
  // host sent, which may be longer than max_line (AN 2.1.4: up to 512 bytes).
  bool is_data_echo(const proto::event& e) const {
    const std::string_view sent = live_->pending_data_echo;
    return e.kind == event_kind::echo && !e.bytes.empty() &&
           sent.substr(0, e.bytes.size()) == e.bytes;
  }

  // The payload length a strictly well-formed header announces, or 0: `+QIRD: <n>[,<rem>]`
  // (AN 2.1.5) unless AT+QIRD=? is in flight, or `+QIURC: "recv",<id>,<n>` for a direct-push
  // socket (AN 2.2.2, E2), n within max_payload. In viewmode 1 the header event ends before
  // the comma that starts the data (AN 2.1.11). Written independently of the parser, from the
  // note: a differential check of its framing.
  std::int64_t payload_header(const proto::event& e) const {
    constexpr std::string_view qird = "+QIRD: ";
    constexpr std::string_view recv = "+QIURC: \"recv\",";
    std::int64_t n = -1;
    if (e.kind == event_kind::info && e.bytes.substr(0, qird.size()) == qird) {
      const auto& cmd = live_->command;
      if (cmd.spec != nullptr && cmd.spec->info_prefix == "+QIRD" && cmd.kind == proto::form::test)
        return 0;
      const std::string_view params = e.bytes.substr(qird.size());
      const std::size_t comma = params.find(',');
      n = plain_decimal(params.substr(0, comma));
      if (comma != std::string_view::npos && plain_decimal(params.substr(comma + 1)) < 0) return 0;
    } else if (e.kind == event_kind::urc && e.bytes.substr(0, recv.size()) == recv) {
      const std::string_view params = e.bytes.substr(recv.size());
      const std::size_t comma = params.find(',');
      if (comma == std::string_view::npos) return 0;
      const std::int64_t id = plain_decimal(params.substr(0, comma));
      if (id < 0 || id > proto::protocol_limits::connect_id_max) return 0;
      if (live_->access[static_cast<std::size_t>(id)] != proto::access_mode::direct_push) return 0;
      n = plain_decimal(params.substr(comma + 1));
    }
    const auto max = static_cast<std::int64_t>(case_->limits.max_payload);
    return n > 0 && n <= max ? n : 0;
  }

  // One change after some events, chosen by the script and the event's index alone; logged,
  // so the chunking comparison also compares when the changes happened.
  void change_context() {
    const unsigned i = ++events_;
    if ((i * 7 + case_->script) % 5 != 0) return;
    const unsigned what = (i + case_->script) % 6;
    switch (what) {
      case 0:
        live_->viewmode ^= 1;
        return note_change(0, [&] { return "~ viewmode " + std::to_string(live_->viewmode); });
      case 1:
        live_->showlength = !live_->showlength;
        return note_change(1, [] { return std::string("~ showlength toggled"); });
      case 2: {
        const bool hex = live_->recv_format == proto::data_format::hex;
        live_->recv_format = hex ? proto::data_format::text : proto::data_format::hex;
        return note_change(2, [hex] {
          return std::string(hex ? "~ receive format text" : "~ receive format hex");
        });
      }
      case 3: {
        const std::size_t id = i % live_->access.size();
        auto& mode = live_->access[id];
        const bool push = mode == proto::access_mode::direct_push;
        mode = push ? proto::access_mode::buffer : proto::access_mode::direct_push;
        return note_change(static_cast<int>(3 + 8 * id), [id, push] {
          return "~ socket " + std::to_string(id) + (push ? " buffer" : " push");
        });
      }
      case 4:
        live_->command.prompt_expected = !live_->command.prompt_expected;
        return note_change(4, [] { return std::string("~ prompt_expected toggled"); });
      default:
        live_->pending_data_echo = {};
        return note_change(5, [] { return std::string("~ data echo cleared"); });
    }
  }

  const fuzz_case* case_ = nullptr;
  proto::stream_context* live_;  // the parser's context, which change_context() changes
  std::string_view stream_;
  std::uint64_t fed_ = 0;
  std::uint64_t last_end_ = 0;
  std::uint64_t last_offset_ = 0;
  std::int64_t announced_ = 0;        // payload the previous event announced; 0 = none
  std::uint64_t announced_wire_ = 0;  // its size on the wire, in the format of that time
  unsigned events_ = 0;
  bool verbose_ = false;
  bool maybe_header_ = false;  // the previous event may have announced a payload
  bool bare_prompt_ = false;   // the previous event is a prompt taken at '>'
};

// Chunk sizes from byte 5 of the input: deterministic, so a crash reproduces.
class chunker {
 public:
  explicit chunker(std::uint8_t b)
      : mode_(b & 3), size_((b >> 2) + 1u), state_(b * 2654435761u + 1) {}
  std::size_t next() {
    if (mode_ == 0) return 1;
    if (mode_ == 1) return size_;
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return 1 + state_ % size_;
  }

 private:
  unsigned mode_;
  std::size_t size_;
  std::uint32_t state_;
};

// After finish() every byte is accounted for but separators: parser.hpp pending() allows CR,
// LF and the one space that follows a prompt taken at '>'.
void check_tail(const proto::stream_parser& parser, const checking_sink& sink,
                std::string_view stream) {
  if (parser.offset() != stream.size()) violated("offset() differs from the bytes fed", nullptr);
  const std::uint64_t end = sink.last_span_end();
  if (end + parser.pending() != stream.size()) {
    violated("last span_end + pending() != bytes fed after finish()", nullptr,
             "  span_end " + std::to_string(end) + ", pending " + std::to_string(parser.pending()) +
                 ", fed " + std::to_string(stream.size()) + "\n  events:\n" + sink.log);
  }
  for (std::size_t i = end; i < stream.size(); ++i) {
    const bool prompt_space = i == end && stream[i] == ' ' && sink.last_was_bare_prompt();
    if (stream[i] != '\r' && stream[i] != '\n' && !prompt_space) {
      violated("bytes other than separators left unaccounted after finish()", nullptr,
               "  at offset " + std::to_string(i) + "\n  events:\n" + sink.log);
    }
  }
}

// Each chunk is fed from its own memory that ASan guards: with ASan, two buffers used in turn,
// everything past the chunk poisoned while it is fed and the whole buffer poisoned after, so a
// read past a chunk or through a view kept from an earlier chunk is reported (the same checks
// as a fresh exact-size allocation per chunk, without an allocation per byte). Chunks start a
// buffer, which is 8-byte aligned, so the first poisoned byte is exactly the chunk's end.
class chunk_buffers {
 public:
  chunk_buffers() = default;
  ~chunk_buffers() { release_all(); }
  chunk_buffers(const chunk_buffers&) = delete;
  chunk_buffers& operator=(const chunk_buffers&) = delete;

  // Makes room for chunks of up to `n` bytes.
  void reserve(std::size_t n) {
    if (n <= capacity_) return;
    release_all();
    capacity_ = n;
    for (auto& b : buffers_) {
      b = std::make_unique<char[]>(capacity_);
      poison(b.get(), capacity_);
    }
  }
  std::string_view load(std::string_view chunk) {
    char* b = buffers_[next_ ^= 1].get();
    unpoison(b, chunk.size());
    std::memcpy(b, chunk.data(), chunk.size());
    return {b, chunk.size()};
  }
  void release(std::string_view fed) { poison(const_cast<char*>(fed.data()), fed.size()); }

 private:
  static void poison(char* p, std::size_t n) { ASAN_POISON_MEMORY_REGION(p, n); }
  static void unpoison(char* p, std::size_t n) { ASAN_UNPOISON_MEMORY_REGION(p, n); }
  void release_all() {
    for (auto& b : buffers_) {
      if (b) unpoison(b.get(), capacity_);
      b.reset();
    }
  }

  std::size_t capacity_ = 0;
  std::unique_ptr<char[]> buffers_[2];
  unsigned next_ = 0;
};

struct run_result {
  std::uint64_t digest = 0;
  std::string log;  ///< verbose runs only
};

// What every input reuses: the sink, the chunk buffers and a parser per limits, reset between
// streams. Allocating them per stream cost more than parsing it: under ASan every allocation
// is filled, and the quarantine hands out fresh pages that fault in.
class workspace {
 public:
  // How run() feeds a case's module bytes.
  struct feeding {
    bool chunked = false;     // in the chunks the case chooses, else in one feed()
    bool verbose = false;     // also write the readable log
    bool new_parser = false;  // a new parser instead of the one kept for these limits
  };

  // Feeds the case's module bytes (through chunk_buffers), then finish(); returns the event
  // log's digest, and the log itself when verbose.
  run_result run(const fuzz_case& c, feeding how) {
    const std::string_view stream = c.module_bytes;
    live_ = c.ctx;
    sink_.begin(c, stream, how.verbose);
    std::unique_ptr<proto::stream_parser> new_parser;
    proto::stream_parser& parser = how.new_parser ? *(new_parser = make_parser(c)) : reused(c);
    parser.reset();
    chunker sizes(c.chunking);
    memory_.reserve(stream.size());
    for (std::size_t at = 0; at < stream.size();) {
      const std::size_t n =
          how.chunked ? std::min(sizes.next(), stream.size() - at) : stream.size();
      const std::string_view chunk = memory_.load(stream.substr(at, n));
      at += n;
      sink_.fed(at);
      parser.feed(chunk);
      memory_.release(chunk);
    }
    parser.finish();
    check_tail(parser, sink_, stream);
    return {sink_.sum.value, std::move(sink_.log)};
  }

 private:
  std::unique_ptr<proto::stream_parser> make_parser(const fuzz_case& c) {
    return std::make_unique<proto::stream_parser>(live_, sink_, c.limits);
  }
  proto::stream_parser& reused(const fuzz_case& c) {
    auto& p = parsers_[c.limits_index];
    if (!p) p = make_parser(c);
    return *p;
  }

  proto::stream_context live_;
  checking_sink sink_{live_};
  chunk_buffers memory_;
  std::unique_ptr<proto::stream_parser> parsers_[16];
};

bool verbose_wanted() {
  static const bool wanted = [] {
    const char* v = std::getenv("BCCONFORM_FUZZ_VERBOSE");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return wanted;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static workspace w;
  fuzz_case c;
  if (!decode(data, size, c)) return 0;
  const bool verbose = verbose_wanted();
  const run_result whole = w.run(c, {.verbose = verbose});
  const run_result chunked = w.run(c, {.chunked = true, .verbose = verbose});
  if (whole.digest != chunked.digest) {
    // Again with the readable logs, to show where they part.
    violated("chunked feeding gives other events than one feed()", nullptr,
             "--- whole:\n" + w.run(c, {.verbose = true}).log + "--- chunked:\n" +
                 w.run(c, {.chunked = true, .verbose = true}).log);
  }
  // One input in 64, chosen by its bytes so that it reproduces: a new parser must agree with
  // the reset one, or a reset that kept state would make findings depend on earlier inputs.
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (std::hash<std::string_view>{}(input) % 64 == 0 &&
      w.run(c, {.new_parser = true}).digest != whole.digest) {
    violated("a new parser gives other events than a reset one", nullptr,
             "--- reset:\n" + w.run(c, {.verbose = true}).log + "--- new:\n" +
                 w.run(c, {.verbose = true, .new_parser = true}).log);
  }
  return 0;
}
