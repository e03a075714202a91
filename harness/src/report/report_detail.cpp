#include "report_detail.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "bcconform/report/junit.hpp"

namespace bcconform::report::detail {
namespace {

bool classname_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool digits_at(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  for (std::size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// The first free name among "id", "id #2", "id #3", ...; `next` remembers where each base's
// search stopped, so a case repeated n times (--repeat) costs O(n log n), not O(n^2).
std::string first_free(std::set<std::string>& used, std::map<std::string, int>& next,
                       const std::string& base) {
  std::string name = base;
  int& n = next.try_emplace(base, 2).first->second;
  if (used.count(name) != 0) {
    do {
      name = base + " #" + std::to_string(n++);
    } while (used.count(name) != 0);
  }
  used.insert(name);
  return name;
}

}  // namespace

junit_outcome classify(runner::verdict v, bool inconc_is_failure) noexcept {
  using runner::verdict;
  switch (v) {
    case verdict::pass:
      return junit_outcome::passed;
    case verdict::fail:
      return junit_outcome::failure;
    case verdict::error:
      return junit_outcome::error;
    case verdict::inconc:
      return inconc_is_failure ? junit_outcome::failure : junit_outcome::skipped;
    case verdict::filtered:
      return junit_outcome::omitted;
    case verdict::not_run:
    case verdict::not_applicable:
    case verdict::interrupted:
      return junit_outcome::skipped;
  }
  return junit_outcome::error;  // an out-of-range verdict is a harness fault
}

void counts::add(junit_outcome o, double case_seconds) noexcept {
  if (o == junit_outcome::omitted) return;
  ++tests;
  failures += o == junit_outcome::failure ? 1 : 0;
  errors += o == junit_outcome::error ? 1 : 0;
  skipped += o == junit_outcome::skipped ? 1 : 0;
  seconds += clean_seconds(case_seconds);
}

counts& counts::operator+=(const counts& o) noexcept {
  tests += o.tests;
  failures += o.failures;
  errors += o.errors;
  skipped += o.skipped;
  seconds += o.seconds;
  return *this;
}

counts run_totals(const runner::run_results& r) noexcept {
  counts n;
  for (const runner::case_result& c : r.cases)
    n.add(classify(c.result, r.info.inconc_is_failure), c.seconds);
  return n;
}

double clean_seconds(double s) noexcept {
  return std::isfinite(s) && s > 0 ? s : 0.0;
}

std::string fixed(double s, int decimals) {
  // Room for the largest double (309 integer digits) and any sane number of decimals.
  std::array<char, 400> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), clean_seconds(s),
                                 std::chars_format::fixed, decimals);
  if (ec != std::errc{}) return "0";
  return std::string(buf.data(), end);
}

std::string junit_classname(std::string_view suite) {
  std::string out = "bcconform";
  std::size_t start = 0;
  while (start <= suite.size()) {
    std::size_t end = suite.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = suite.size();
    if (end > start) {  // empty components ("a//b", a leading "/") add nothing
      out += '.';
      for (char c : suite.substr(start, end - start)) out += classname_char(c) ? c : '_';
    }
    start = end + 1;
  }
  return out;
}

std::vector<std::string> unique_names(const runner::run_results& r) {
  std::vector<std::string> names(r.cases.size());
  std::set<std::string> used;
  std::map<std::string, int> next;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < r.cases.size(); ++i) {
      const bool filtered = r.cases[i].result == runner::verdict::filtered;
      if (filtered == (pass == 0)) continue;
      names[i] = first_free(used, next, visible_bytes(r.cases[i].id));
    }
  }
  return names;
}

std::string junit_timestamp(std::string_view s) {
  constexpr std::size_t n = 19;  // "2024-05-01T12:34:56"
  if (s.size() < n || !digits_at(s, 0, 4) || s[4] != '-' || !digits_at(s, 5, 2) || s[7] != '-' ||
      !digits_at(s, 8, 2) || s[10] != 'T' || !digits_at(s, 11, 2) || s[13] != ':' ||
      !digits_at(s, 14, 2) || s[16] != ':' || !digits_at(s, 17, 2))
    return {};
  return std::string(s.substr(0, n));
}

}  // namespace bcconform::report::detail
