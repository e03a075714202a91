#include "signoff_text.hpp"

#include "bcconform/report/junit.hpp"
#include "report_detail.hpp"

namespace bcconform::report::detail {
namespace {

using sv = std::string_view;

bool unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

bool lower_equal(sv a, sv b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    if (c != b[i]) return false;
  }
  return true;
}

// GitHub turns `scheme://...` and `www.` into links even without brackets (GFM "extended
// autolinks"); a backslash before the `:` or the `.` stops that. E-mail autolinks need an `@`,
// which is always escaped.
bool starts_autolink(sv text, std::size_t i) noexcept {
  if (text[i] == ':') return text.substr(i + 1, 1) == "/";
  return text[i] == '.' && i >= 3 && lower_equal(text.substr(i - 3, 3), "www");
}

void append_part(std::string& out, int n, sv what) {
  if (n == 0) return;
  if (!out.empty()) out += ", ";
  out += std::to_string(n) + " " + std::string(what);
}

}  // namespace

std::string md_text(std::string_view bytes) {
  static constexpr sv special = "\\`*_[]<>|~&@";
  std::string out;
  const std::string visible = visible_bytes(bytes);
  for (std::size_t i = 0; i < visible.size(); ++i) {
    const char c = visible[i];
    if (special.find(c) != sv::npos || starts_autolink(visible, i)) out += '\\';
    out += c;
  }
  return out;
}

std::string html_text(std::string_view bytes) {
  std::string out;
  for (char c : visible_bytes(bytes)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string link_target(std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = path.starts_with("//") ? "./" : "";
  for (char c : path) {
    if (unreserved(c)) {
      out += c;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    out += '%';
    out += hex[u >> 4];
    out += hex[u & 15];
  }
  return out;
}

std::string clipped(std::string_view bytes, std::size_t max) {
  if (bytes.size() <= max) return std::string(bytes);
  return std::string(bytes.substr(0, max)) + " ... (" + std::to_string(bytes.size()) +
         " bytes in all)";
}

std::string seconds_text(double seconds) {
  return fixed(seconds, 3) + " s";
}

std::string counts_text(const verdict_counts& c) {
  std::string out;
  append_part(out, c.pass, "pass");
  append_part(out, c.fail, "fail");
  append_part(out, c.waived, "waived");
  append_part(out, c.inconc, "inconc");
  append_part(out, c.error, "error");
  append_part(out, c.not_applicable, "not applicable");
  append_part(out, c.interrupted, "interrupted");
  append_part(out, c.not_run, "not run");
  append_part(out, c.filtered, "filtered");
  return out.empty() ? "no cases" : out;
}

std::string case_name(const runner::case_result& c) {
  return c.attempt > 1 ? c.id + " #" + std::to_string(c.attempt) : c.id;
}

std::string case_side_file(const signoff_input& in, const runner::case_result& c) {
  return c.transcript_file.empty() ? in.junit_file : c.transcript_file;
}

std::string verdict_text(const std::optional<runner::verdict>& v) {
  return v ? std::string(runner::to_string(*v)) : "absent";
}

std::string document_title(const runner::run_results& r) {
  std::string title = "Sign-off report";
  if (!r.info.model.empty()) title += " " + r.info.model;
  if (!r.info.firmware.empty()) title += " firmware " + r.info.firmware;
  return title;  // raw: escape to print
}

}  // namespace bcconform::report::detail
