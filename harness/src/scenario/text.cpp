#include "text.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>

namespace bcconform::scenario::detail {
namespace {

bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

// The longest a duration may be: a day. Longer waits are mistakes, and the bound keeps the
// arithmetic below far from overflow.
constexpr std::uint64_t max_duration_ms = 24ull * 60 * 60 * 1000;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

bool is_var_name(std::string_view s) {
  if (s.empty() || !(is_alpha(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '-';
  });
}

bool is_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '-';
  });
}

bool is_object_name(std::string_view s) {
  if (s.empty() || !(is_alpha(s[0]) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '-'; });
}

bool is_spec_ref(std::string_view s) {
  if (s.substr(0, 3) != "AN ") return false;
  s.remove_prefix(3);
  while (true) {
    const std::size_t dot = s.find('.');
    if (!all_digits(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

bool is_erratum(std::string_view s) {
  return s.size() > 1 && s[0] == 'E' && all_digits(s.substr(1));
}

bool is_ipv4(std::string_view s) {
  in_addr a{};
  return s.size() < INET_ADDRSTRLEN && inet_pton(AF_INET, std::string(s).c_str(), &a) == 1;
}

bool is_ip_address(std::string_view s) {
  in6_addr a{};
  return is_ipv4(s) ||
         (s.size() < INET6_ADDRSTRLEN && inet_pton(AF_INET6, std::string(s).c_str(), &a) == 1);
}

duration_parse parse_duration(std::string_view s) {
  const std::string shown(s);
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::string_view whole = s.substr(0, i);
  std::string_view fraction;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    fraction = s.substr(start, i - start);
  }
  const std::string_view unit = s.substr(i);
  const bool number = !whole.empty() && (i == whole.size() || !fraction.empty());
  if (number && unit.empty()) {
    return {std::nullopt, "bare number '" + shown +
                              "' is not a duration: add a unit, ms, s or m (e.g. '" + shown +
                              "ms' or '" + shown + "s')"};
  }
  const std::uint64_t unit_ms = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60000 : 0;
  if (!number || unit_ms == 0) {
    return {std::nullopt, "'" + shown + "' is not a duration; write e.g. 500ms, 2s, 1.5s or 1m"};
  }
  if (whole.size() > 8 || fraction.size() > 6) {
    return {std::nullopt, "duration '" + shown + "' is longer than a day or too precise"};
  }
  std::uint64_t scale = 1, scaled = 0;
  for (char c : whole) scaled = scaled * 10 + static_cast<std::uint64_t>(c - '0');
  for (char c : fraction) {
    scaled = scaled * 10 + static_cast<std::uint64_t>(c - '0');
    scale *= 10;
  }
  const std::uint64_t total = scaled * unit_ms;
  if (total % scale != 0) {
    return {std::nullopt, "duration '" + shown + "' is not a whole number of milliseconds"};
  }
  if (total / scale > max_duration_ms) {
    return {std::nullopt, "duration '" + shown + "' is longer than a day"};
  }
  return {duration(static_cast<duration::rep>(total / scale)), {}};
}

std::optional<std::size_t> parse_count(std::string_view s, std::size_t max) {
  if (!all_digits(s) || s.size() > 18) return std::nullopt;
  std::size_t value = 0;
  for (char c : s) value = value * 10 + static_cast<std::size_t>(c - '0');
  if (value > max) return std::nullopt;
  return value;
}

template_scan scan_template(std::string_view s) {
  template_scan out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) continue;
    if (s[i + 1] == '$') {
      ++i;  // `$$` is one literal `$`
      continue;
    }
    if (s[i + 1] != '{') continue;
    const std::size_t close = s.find('}', i + 2);
    if (close == std::string_view::npos) {
      out.error = "unterminated variable reference '" + std::string(s.substr(i, 20)) +
                  "'; write ${name}, or $$ for a literal $";
      return out;
    }
    const std::string_view name = s.substr(i + 2, close - i - 2);
    if (!is_var_name(name)) {
      out.error = "bad variable name '" + std::string(name) +
                  "' in a ${} reference (a name is [A-Za-z_][A-Za-z0-9_.-]*; $$ is a literal $)";
      return out;
    }
    out.names.emplace_back(name);
    i = close;
  }
  return out;
}

std::optional<std::string> normalize_hex(std::string_view s, std::string& error) {
  std::string digits;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (!is_hex_digit(c)) {
      error = std::string("'") + c + "' is not a hex digit (hex bytes take no variables)";
      return std::nullopt;
    }
    digits.push_back(c);
  }
  if (digits.size() % 2 != 0) {
    error = "odd number of hex digits (" + std::to_string(digits.size()) + ")";
    return std::nullopt;
  }
  return digits;
}

std::string closest(std::string_view word, const std::set<std::string>& candidates) {
  std::string best;
  if (word.size() > 64) return best;
  std::size_t best_distance = word.size() <= 3 ? 1 : 2;
  for (const std::string& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d <= best_distance && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

std::string join(const std::set<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

}  // namespace bcconform::scenario::detail
