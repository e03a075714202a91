#include "progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::cli {
namespace {

using runner::verdict;

const char* colour_of(verdict v) {
  switch (v) {
    case verdict::pass:
      return "\033[32m";  // green
    case verdict::fail:
    case verdict::error:
      return "\033[1;31m";  // bold red
    case verdict::inconc:
    case verdict::interrupted:
      return "\033[33m";  // yellow
    default:
      return "\033[2m";  // dim: not_applicable, filtered, not_run
  }
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f s", s < 0 ? 0.0 : s);
  return buffer;
}

std::string why(const runner::case_result& c) {
  if (c.failure) {
    std::string w = c.failure->step + ": " + c.failure->kind + ": " + c.failure->message;
    if (!c.failure->expected.empty()) w += " (expected " + c.failure->expected + ")";
    if (!c.failure->got.empty()) w += " (got " + c.failure->got + ")";
    return w;
  }
  return c.reason;
}

void print_list(std::FILE* out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  std::fprintf(out, "%s:\n", title);
  for (const auto& i : items) std::fprintf(out, "  %s\n", printable(i).c_str());
}

}  // namespace

std::string printable(std::string_view bytes) {
  return protocol::escape_bytes(bytes);
}

progress::progress(std::FILE* out, bool quiet, bool colour)
    : out_(out), quiet_(quiet), colour_(colour) {}

bool progress::colour_wanted(std::FILE* out) {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(::fileno(out)) == 1 && (no_color == nullptr || *no_color == '\0');
}

std::string progress::paint(verdict v, const std::string& text) const {
  return colour_ ? colour_of(v) + text + "\033[0m" : text;
}

void progress::case_done(const runner::case_result& c) {
  if (quiet_ || c.result == verdict::filtered) return;
  std::string verdict_text(runner::to_string(c.result));
  verdict_text.resize(std::max<std::size_t>(verdict_text.size(), 14), ' ');
  std::string line = paint(c.result, verdict_text) + " " + printable(c.id);
  if (c.attempt > 1) line += " #" + std::to_string(c.attempt);
  if (c.result != verdict::not_applicable) line += " (" + seconds_text(c.seconds) + ")";
  if (const std::string w = why(c); !w.empty() && c.result != verdict::pass) {
    line += ": " + printable(w);
  }
  std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
}

void progress::summary(const runner::run_results& r, const runner::run_summary& s,
                       const std::vector<std::string>& report_files, double wall_seconds) {
  int listed = 0, filtered = 0;
  std::string counts;
  for (const auto& [v, n] : s.counts) {
    if (v == verdict::filtered) filtered = n;
    if (v == verdict::filtered || n == 0) continue;
    listed += n;
    counts += (counts.empty() ? "" : ", ") +
              paint(v, std::to_string(n) + " " + std::string(runner::to_string(v)));
  }
  std::string line = std::to_string(listed) + (listed == 1 ? " case: " : " cases: ") +
                     (counts.empty() ? "none" : counts) + " in " + seconds_text(wall_seconds);
  if (filtered > 0) line += "; " + std::to_string(filtered) + " filtered";
  std::fprintf(out_, "%s\n", line.c_str());
  print_list(out_, "newly failing (against the baseline)", s.newly_failing);
  print_list(out_, "newly passing (against the baseline)", s.newly_passing);
  if (r.interrupted) std::fprintf(out_, "run interrupted\n");
  for (const auto& f : report_files) std::fprintf(out_, "report: %s\n", f.c_str());
  std::fflush(out_);
}

}  // namespace bcconform::cli
