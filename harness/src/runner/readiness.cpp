// Readiness and identity of a module after every reset: no case starts before the module has
// answered `AT`, and no run starts on a module other than the one the lab file names.
//
// Reads here take one byte at a time: the bytes after the final result belong to whatever runs
// next (the engine), so nothing past the line being waited for may be consumed.
#include <re2/re2.h>

#include "bcconform/runner/run.hpp"

namespace bcconform::runner {
namespace {

using transport::deadline;

constexpr std::size_t max_line = 1024;  // a longer line is noise; only its start is kept

std::string trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  while (!s.empty() && (s.front() == '\r' || s.front() == ' ')) s.remove_prefix(1);
  return std::string(s);
}

std::string seconds_text(std::chrono::milliseconds ms) {
  const auto tenths = ms.count() / 100;
  return std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "") +
         " s";
}

bool stopped(const std::atomic<bool>* interrupt) {
  return interrupt != nullptr && interrupt->load();
}

// Reads one line (up to LF) before `until`: the trimmed line, or the transport's error.
class line_reader {
 public:
  explicit line_reader(transport::transport& link) : link_(link) {}

  transport::result<std::string> next(deadline until) {
    std::string byte;
    while (true) {
      byte.clear();
      auto r = link_.read(byte, 1, until);
      if (!r) return r.error();
      if (byte[0] == '\n') {
        std::string line = trim(partial_);
        partial_.clear();
        return line;
      }
      if (partial_.size() < max_line) partial_ += byte[0];
    }
  }
  /// What arrived since the last complete line (for error messages).
  const std::string& partial() const { return partial_; }

 private:
  transport::transport& link_;
  std::string partial_;
};

bool is_timeout(const protocol::error& e) {
  return e.code == transport::make_error_code(transport::errc::timed_out);
}

// Late answers to earlier `AT`s would reach the engine as stray final results: wait until the
// link has been quiet for one interval (bounded by `end`).
std::string drain(transport::transport& link, std::chrono::milliseconds interval, deadline end) {
  std::string sink;
  while (true) {
    const auto now = link.clock().now();
    if (now >= end) return {};
    sink.clear();
    auto r = link.read(sink, 256, std::min<deadline>(now + interval, end));
    if (!r) return is_timeout(r.error()) ? std::string() : r.error().detail;
  }
}

bool is_final(const std::string& line) {
  return line == "OK" || line == "ERROR" || line.starts_with("+CME ERROR:");
}

std::string without_revision_prefix(std::string s) {
  constexpr std::string_view prefix = "Revision:";
  if (s.starts_with(prefix)) s = trim(std::string_view(s).substr(prefix.size()));
  return s;
}

// "" when `pattern` is empty or matches the whole of one of `texts`; otherwise the complaint.
std::string check_pattern(std::string_view field, const std::string& pattern,
                          const std::vector<std::string>& texts) {
  if (pattern.empty()) return {};
  const RE2 re(pattern, RE2::Quiet);
  if (!re.ok()) return "identity." + std::string(field) + ": bad pattern: " + re.error();
  for (const auto& t : texts) {
    if (RE2::FullMatch(t, re)) return {};
  }
  return "module identity mismatch: " + std::string(field) + " '" +
         (texts.empty() ? std::string() : texts.front()) + "' does not match '" + pattern + "'";
}

// Reads lines until `marker` (a freshly started module's boot URC): an AT sent while the module
// boots may be lost or answered after the boot, which cannot be told apart, so nothing is sent
// before it.
std::string wait_for_marker(line_reader& lines, std::string_view marker, deadline end,
                            std::string& last) {
  while (true) {
    auto line = lines.next(end);
    if (!line) {
      if (!is_timeout(line.error())) return "module not ready: " + line.error().detail;
      return "module not ready: no " + std::string(marker) + " from the freshly started module";
    }
    if (*line == marker) return {};
    if (!line->empty()) last = *line;
  }
}

}  // namespace

std::string wait_until_ready(transport::transport& link, std::chrono::milliseconds timeout,
                             std::chrono::milliseconds interval, const std::atomic<bool>* interrupt,
                             std::string_view boot_marker) {
  const deadline end = link.clock().now() + timeout;
  line_reader lines(link);
  std::string last;  // the last non-empty line, for the message
  if (!boot_marker.empty()) {
    if (std::string why = wait_for_marker(lines, boot_marker, end, last); !why.empty()) {
      return stopped(interrupt) ? "interrupted while waiting for the module" : why;
    }
  }
  int sent = 0;
  while (!stopped(interrupt)) {
    const auto now = link.clock().now();
    if (now >= end) break;
    const deadline next_send = std::min<deadline>(now + interval, end);
    if (auto w = link.write("AT\r", next_send); !w && !is_timeout(w.error())) {
      return "module not ready: " + w.error().detail;
    }
    ++sent;
    while (true) {
      auto line = lines.next(next_send);
      if (!line) {
        if (is_timeout(line.error())) break;
        return "module not ready: " + line.error().detail;
      }
      if (*line == "OK") {
        if (sent == 1) return {};
        const std::string why = drain(link, interval, end);
        return why.empty() ? why : "module not ready: " + why;
      }
      if (!line->empty()) last = *line;
    }
  }
  if (stopped(interrupt)) return "interrupted while waiting for the module";
  std::string why = "module not ready: no OK to AT within " + seconds_text(timeout);
  if (!last.empty() || !lines.partial().empty()) {
    why += " (last seen: '" + (last.empty() ? trim(lines.partial()) : last) + "')";
  }
  return why;
}

protocol::result<module_reply> query(transport::transport& link, std::string_view command,
                                     std::chrono::milliseconds timeout) {
  const deadline end = link.clock().now() + timeout;
  std::string out(command);
  out += '\r';
  if (auto w = link.write(out, end); !w) return w.error();
  line_reader lines(link);
  module_reply reply;
  while (true) {
    auto line = lines.next(end);
    if (!line) return line.error();
    if (line->empty() || *line == command) continue;  // blank separators, the echo
    if (is_final(*line)) {
      reply.ok = *line == "OK";
      return reply;
    }
    reply.lines.push_back(std::move(*line));
  }
}

std::string read_identity(transport::transport& link, const scenario::module_identity& expected,
                          std::chrono::milliseconds timeout, run_info& info) {
  auto ati = query(link, "ATI", timeout);
  if (!ati) return "ATI: " + ati.error().detail;
  // URCs may interleave with the answer; identity lines never start with '+'.
  std::vector<std::string> names, revision;
  for (const auto& l : ati->lines) {
    if (l.starts_with("+")) continue;
    info.module_identity += (info.module_identity.empty() ? "" : "; ") + l;
    (l.starts_with("Revision:") ? revision : names).push_back(l);
  }
  auto cgmr = query(link, "AT+CGMR", timeout);
  if (!cgmr) return "AT+CGMR: " + cgmr.error().detail;
  for (const auto& l : cgmr->lines) {
    if (!l.starts_with("+") && info.firmware.empty()) info.firmware = without_revision_prefix(l);
  }
  if (info.firmware.empty() && !revision.empty()) {
    info.firmware = without_revision_prefix(revision.front());
  }
  std::vector<std::string> first, second, firmware{info.firmware};
  if (!names.empty()) first.push_back(names[0]);
  if (names.size() > 1) second.push_back(names[1]);
  if (!revision.empty()) firmware.push_back(revision.front());
  for (auto why : {check_pattern("manufacturer", expected.manufacturer, first),
                   check_pattern("model", expected.model, second),
                   check_pattern("revision", expected.revision, firmware)}) {
    if (!why.empty()) return why;
  }
  return {};
}

}  // namespace bcconform::runner
