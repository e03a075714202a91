#include "decode_command.hpp"

#include <sys/types.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include <CLI/CLI.hpp>

#include "bcconform/protocol/event_log.hpp"
#include "bcconform/protocol/session.hpp"
#include "bcconform/protocol/transcript.hpp"
#include "exit_codes.hpp"
#include "json_events.hpp"

namespace bcconform::cli {
namespace {

// Large enough that a multi-gigabyte capture costs few reads; small enough to stay in cache.
constexpr std::size_t chunk_size = 64 * 1024;

struct file_closer {
  void operator()(std::FILE* f) const noexcept {
    if (f != stdin) std::fclose(f);
  }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

std::string display_name(const std::string& input) {
  return input == "-" ? "<stdin>" : input;
}

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "bcconform: %s\n", message.c_str());
  return code;
}

int io_failure(const std::string& what, const std::string& name, int err) {
  return fail(exit_io, what + " " + name + ": " + std::strerror(err));
}

// Writes each event to standard output as it arrives, so memory stays flat on any input.
// on_event() runs inside the parser's noexcept feed(): nothing may escape it, so a failure is
// remembered and reported once the parser returns.
class output_sink final : public protocol::event_sink {
 public:
  explicit output_sink(output_format f) : format_(f) {}

  void on_event(const protocol::event& e) override {
    if (status_ != exit_ok) return;
    try {
      line_ = format_ == output_format::jsonl ? dump_line(event_to_json(e)) : protocol::describe(e);
      line_ += '\n';
    } catch (const std::exception& ex) {
      status_ = exit_internal;
      message_ = ex.what();
      return;
    }
    if (std::fwrite(line_.data(), 1, line_.size(), stdout) != line_.size()) {
      status_ = exit_io;
      errno_ = errno;
    }
  }

  /// exit_ok, or the code of the first failure after printing its message.
  int report() const {
    if (status_ == exit_io) return io_failure("cannot write", "standard output", errno_);
    if (status_ == exit_internal) return fail(exit_internal, "internal error: " + message_);
    return exit_ok;
  }
  bool failed() const noexcept { return status_ != exit_ok; }

 private:
  output_format format_;
  std::string line_;  // reused: one allocation for the whole run in the common case
  int status_ = exit_ok;
  int errno_ = 0;
  std::string message_;
};

protocol::stream_context initial_context(const decode_options& o) {
  protocol::stream_context ctx;
  for (const int id : o.push) ctx.access.at(id) = protocol::access_mode::direct_push;
  ctx.viewmode = o.viewmode;
  ctx.showlength = o.showlength != 0;
  ctx.recv_format = o.recv_format;
  ctx.echo = o.echo;
  return ctx;
}

int decode_raw(std::FILE* in, const std::string& name, protocol::stream_parser& parser,
               const output_sink& sink) {
  std::unique_ptr<char[]> buffer(new char[chunk_size]);
  while (!sink.failed()) {
    const std::size_t n = std::fread(buffer.get(), 1, chunk_size, in);
    const int read_errno = errno;  // before feed() can touch it
    if (n > 0) parser.feed(std::string_view(buffer.get(), n));
    if (std::ferror(in)) return io_failure("cannot read", name, read_errno);
    if (n < chunk_size) break;  // end of file
  }
  parser.finish();
  return exit_ok;
}

// parse_transcript_line() reports "column N: what"; turn that into the FILE:LINE:COL form
// editors and CI logs link to.
int transcript_error(const std::string& name, std::size_t line, std::string_view detail) {
  constexpr std::string_view prefix = "column ";
  std::size_t column = 1;
  if (detail.starts_with(prefix)) {
    const std::string_view rest = detail.substr(prefix.size());
    std::size_t value = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
    const std::string_view after = rest.substr(static_cast<std::size_t>(end - rest.data()));
    if (ec == std::errc() && after.starts_with(": ")) {
      column = value;
      detail = after.substr(2);
    }
  }
  std::fprintf(stderr, "%s:%zu:%zu: %.*s\n", name.c_str(), line, column,
               static_cast<int>(detail.size()), detail.data());
  return exit_usage;
}

// Version 1 is the only one; a file that names another must not be misread as this one.
// A file without the header line is read as version 1 (hand-written excerpts).
bool is_unsupported_header(std::string_view first_line) {
  constexpr std::string_view stem = "# bcconform-transcript ";
  return first_line.starts_with(stem) && first_line != protocol::transcript_header;
}

// POSIX getline() reads lines of any length, NUL bytes included; this owns its buffer.
class line_reader {
 public:
  explicit line_reader(std::FILE* in) : in_(in) {}
  ~line_reader() { std::free(buffer_); }
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  /// The next line without its '\n'; false at end of file or on a read error.
  bool next(std::string_view& line) {
    const ssize_t n = ::getline(&buffer_, &capacity_, in_);
    if (n < 0) return false;
    line = std::string_view(buffer_, static_cast<std::size_t>(n));
    if (line.ends_with('\n')) line.remove_suffix(1);
    return true;
  }

 private:
  std::FILE* in_;
  char* buffer_ = nullptr;
  std::size_t capacity_ = 0;
};

int decode_transcript(std::FILE* in, const std::string& name, protocol::session_tracker& tracker,
                      protocol::stream_parser& parser, const output_sink& sink) {
  line_reader reader(in);
  std::string_view line;
  for (std::size_t number = 1; !sink.failed() && reader.next(line); ++number) {
    if (number == 1 && is_unsupported_header(line)) {
      return transcript_error(name, 1, "column 24: unsupported transcript version");
    }
    auto record = protocol::parse_transcript_line(line);
    if (!record) return transcript_error(name, number, record.error().detail);
    // Host bytes go to the tracker first so the parser sees the context they establish.
    if (record->dir == protocol::direction::to_module) tracker.on_host_bytes(record->bytes);
    if (record->dir == protocol::direction::from_module) parser.feed(record->bytes);
  }
  if (std::ferror(in)) return io_failure("cannot read", name, errno);
  parser.finish();
  return exit_ok;
}

int open_input(const std::string& input, file_ptr& out) {
  if (input == "-") {
    out.reset(stdin);
    return exit_ok;
  }
  out.reset(std::fopen(input.c_str(), "rb"));
  return out ? exit_ok : io_failure("cannot open", input, errno);
}

// The stream_context the bytes cannot carry. Words, not numbers, where the note uses words;
// a typed value is set only once its word has passed the check.
void add_context_options(CLI::App* cmd, decode_options& o) {
  cmd->add_option("--push", o.push, "Connect IDs in direct-push access mode, e.g. 0,2 (AN 2.1.1)")
      ->allow_extra_args(false)  // one comma list, so a following FILE is not taken for an ID
      ->delimiter(',')
      ->check(CLI::Range(0, protocol::protocol_limits::connect_id_max));
  cmd->add_option("--viewmode", o.viewmode, "AT+QICFG=\"viewmode\" (AN 2.1.11)")
      ->check(CLI::Range(0, 1))
      ->capture_default_str();
  cmd->add_option("--showlength", o.showlength, "AT+QICFG=\"showlength\" (AN 2.1.11)")
      ->check(CLI::Range(0, 1))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--recv-format",
         [&o](const std::string& v) {
           o.recv_format = v == "hex" ? protocol::data_format::hex : protocol::data_format::text;
         },
         "Receive data format (AN 2.1.11 \"dataformat\")")
      ->check(CLI::IsMember({"text", "hex"}))
      ->default_str("text");
  cmd->add_option_function<std::string>(
         "--echo", [&o](const std::string& v) { o.echo = v == "on"; }, "Command echo, ATE1/ATE0")
      ->check(CLI::IsMember({"on", "off"}))
      ->default_str("on");
}

void add_output_options(CLI::App* cmd, decode_options& o) {
  cmd->add_option("--max-line", o.max_line, "Longest line kept; longer ones are overflow events")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  cmd->add_option_function<std::string>(
         "--format",
         [&o](const std::string& v) {
           o.format = v == "log" ? output_format::log : output_format::jsonl;
         },
         "jsonl: one JSON object per event; log: the event-log text form")
      ->check(CLI::IsMember({"jsonl", "log"}))
      ->default_str("jsonl");
}

}  // namespace

CLI::App& add_decode_command(CLI::App& app, decode_options& o) {
  CLI::App* cmd = app.add_subcommand(
      "decode", "Decode what a module sent (or a two-sided transcript) into one event per line");
  cmd->add_option("FILE", o.input, "Input file; '-' or nothing reads standard input");
  cmd->add_flag("--transcript", o.transcript,
                "FILE is a bcconform transcript (both directions; specs/formats/transcript.md)");
  add_context_options(cmd, o);
  add_output_options(cmd, o);
  return *cmd;
}

int run_decode(const decode_options& opts) {
  file_ptr in;
  if (const int rc = open_input(opts.input, in); rc != exit_ok) return rc;
  const std::string name = display_name(opts.input);

  output_sink sink(opts.format);
  protocol::session_tracker tracker(sink, initial_context(opts));
  protocol::parser_limits limits;
  limits.max_line = opts.max_line;
  protocol::stream_parser parser(tracker.context(), tracker, limits);

  const int rc = opts.transcript ? decode_transcript(in.get(), name, tracker, parser, sink)
                                 : decode_raw(in.get(), name, parser, sink);
  if (sink.failed()) return sink.report();
  if (std::fflush(stdout) != 0) return io_failure("cannot write", "standard output", errno);
  return rc;
}

}  // namespace bcconform::cli
