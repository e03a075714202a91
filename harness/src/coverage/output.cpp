// The matrix as terminal text, Markdown and JSON. Every string that comes from a scenario file
// (ids, send lines, patterns, file names) is escaped for the medium: control bytes as `\xNN`
// on a terminal, Markdown metacharacters with a backslash, JSON by nlohmann_json with invalid
// UTF-8 replaced rather than thrown on.
#include <algorithm>
#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "bcconform/coverage/coverage.hpp"

namespace bcconform::coverage {
namespace {

using json = nlohmann::ordered_json;
using sv = std::string_view;

constexpr std::array<item_kind, 5> kinds{item_kind::command_form, item_kind::urc,
                                         item_kind::error_code, item_kind::example,
                                         item_kind::erratum};

sv heading(item_kind k) noexcept {
  switch (k) {
    case item_kind::command_form:
      return "Command forms";
    case item_kind::urc:
      return "URCs";
    case item_kind::error_code:
      return "Error codes 550-574";
    case item_kind::example:
      return "Chapter 4 examples";
    case item_kind::erratum:
      return "Errata rulings";
  }
  return "Items";
}

struct tally {
  std::size_t total = 0, covered = 0, not_coverable = 0;
};

tally count(const matrix& m, item_kind k) {
  tally t;
  for (const item& it : m.items) {
    if (it.kind != k) continue;
    ++t.total;
    if (it.covered()) ++t.covered;
    if (!it.covered() && !it.coverable) ++t.not_coverable;
  }
  return t;
}

std::string summary(const matrix& m, item_kind k) {
  const tally t = count(m, k);
  std::string s = std::string(heading(k)) + ": " + std::to_string(t.covered) + " of " +
                  std::to_string(t.total - t.not_coverable) + " covered";
  if (t.not_coverable != 0) s += ", " + std::to_string(t.not_coverable) + " not coverable";
  return s;
}

// Terminal text: control bytes and DEL as \xNN so a hostile file cannot drive the terminal.
std::string terminal_safe(sv s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
      continue;
    }
    out += "\\x";
    out += hex[u >> 4];
    out += hex[u & 15];
  }
  return out;
}

// GitHub turns `scheme://...` and `www.` into links even without brackets (GFM "extended
// autolinks"); a backslash before the `:` or the `.` stops that. E-mail autolinks need an `@`,
// which is always escaped.
bool starts_autolink(sv text, std::size_t i) noexcept {
  if (text[i] == ':') return text.substr(i + 1, 1) == "/";
  if (text[i] != '.' || i < 3) return false;
  std::string www(text.substr(i - 3, 3));
  for (char& c : www) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return www == "www";
}

// Markdown (CommonMark + GitHub tables): a backslash before every ASCII punctuation character
// that can start markup inside a line, `|` included (a cell boundary), and before autolinks.
// Characters that only matter at the start of a line (`#`, `+`, `-`) are left alone: a value
// never starts one. Control bytes become \xNN first, so a value cannot break a line or a row.
std::string md(sv s) {
  static constexpr sv special = "\\`*_[]<>|~&@";
  const std::string safe = terminal_safe(s);
  std::string out;
  for (std::size_t i = 0; i < safe.size(); ++i) {
    if (special.find(safe[i]) != sv::npos || starts_autolink(safe, i)) out += '\\';
    out += safe[i];
  }
  return out;
}

std::string ids(const std::vector<std::string>& list, std::size_t shown) {
  std::string out;
  for (std::size_t i = 0; i < list.size() && i < shown; ++i) out += (i == 0 ? "" : ", ") + list[i];
  if (list.size() > shown) out += ", +" + std::to_string(list.size() - shown) + " more";
  return out;
}

sv mark(const item& it) noexcept {
  if (it.covered()) return "[x]";
  return it.coverable ? "[ ]" : "[-]";
}

std::string padded(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

void text_group(std::string& out, const matrix& m, item_kind k) {
  out += "\n" + summary(m, k) + "\n";
  std::size_t label_w = 0, section_w = 0;
  for (const item& it : m.items) {
    if (it.kind != k) continue;
    label_w = std::max(label_w, std::min<std::size_t>(it.label.size(), 44));
    section_w = std::max(section_w, it.section.size());
  }
  for (const item& it : m.items) {
    if (it.kind != k) continue;
    out += "  " + std::string(mark(it)) + " " + padded(terminal_safe(it.label), label_w) + "  " +
           padded(it.section, section_w) + "  " + terminal_safe(it.detail) + "\n";
    out += "        " + terminal_safe(it.covered() ? ids(it.scenarios, 6) : it.reason) + "\n";
  }
}

std::string position(const scenario::source_pos& p) {
  return p.to_string();
}

std::size_t refused_count(const matrix& m) {
  return static_cast<std::size_t>(
      std::count_if(m.unplaced.begin(), m.unplaced.end(),
                    [](const unplaced_line& u) { return u.expected_refused; }));
}

}  // namespace

std::string to_text(const matrix& m) {
  std::string out = "Spec coverage of " + std::to_string(m.scenarios) + " scenario" +
                    (m.scenarios == 1 ? "" : "s") + " in " + std::to_string(m.files) + " file" +
                    (m.files == 1 ? "" : "s") + "\n";
  out += "[x] covered  [ ] not covered  [-] cannot be covered\n";
  for (item_kind k : kinds) text_group(out, m, k);
  const std::size_t refused = refused_count(m);
  if (m.unplaced.size() > refused) {
    out += "\nLines not placed (" + std::to_string(m.unplaced.size() - refused) + ")\n";
    for (const unplaced_line& u : m.unplaced) {
      if (u.expected_refused) continue;
      out += "  " + terminal_safe(position(u.pos)) + ": " + terminal_safe(u.scenario) + ": " +
             terminal_safe(u.text) + ": " + terminal_safe(u.why) + "\n";
    }
  }
  if (refused > 0) {
    out += "\n" + std::to_string(refused) +
           " malformed lines are expected to be refused (listed in coverage.md)\n";
  }
  out += "\n";
  for (item_kind k : kinds) out += summary(m, k) + "\n";
  return out;
}

std::string to_markdown(const matrix& m) {
  std::string out = "# Spec coverage\n\n";
  out += std::to_string(m.scenarios) + " scenarios in " + std::to_string(m.files) +
         " files against the command table" + (m.have_errata ? " and specs/ERRATA.md" : "") +
         ".\n\n";
  for (item_kind k : kinds) out += "- " + summary(m, k) + "\n";
  for (item_kind k : kinds) {
    out += "\n## " + summary(m, k) + "\n\n";
    out += "| Covered | Item | Section | Detail | Scenarios, or why not |\n";
    out += "|---|---|---|---|---|\n";
    for (const item& it : m.items) {
      if (it.kind != k) continue;
      const sv state = it.covered() ? "yes" : (it.coverable ? "**no**" : "n/a");
      out += "| " + std::string(state) + " | " + md(it.label) + " | " + md(it.section) + " | " +
             md(it.detail) + " | " +
             md(it.covered() ? ids(it.scenarios, it.scenarios.size()) : it.reason) + " |\n";
    }
  }
  if (!m.unplaced.empty()) {
    out +=
        "\n## Lines not placed\n\nLines the command table does not place; \"refused\" marks the "
        "malformed ones a scenario sends on purpose and expects refused.\n\n"
        "| Where | Scenario | Line | Why | Refused |\n|---|---|---|---|---|\n";
    for (const unplaced_line& u : m.unplaced)
      out += "| " + md(position(u.pos)) + " | " + md(u.scenario) + " | " + md(u.text) + " | " +
             md(u.why) + " | " + (u.expected_refused ? "yes" : "**no**") + " |\n";
  }
  return out;
}

std::string to_json(const matrix& m) {
  json doc = json::object();
  doc["format"] = "bcconform-coverage";
  doc["version"] = 1;
  doc["files"] = m.files;
  doc["scenarios"] = m.scenarios;
  doc["errata_given"] = m.have_errata;
  json totals = json::object();
  for (item_kind k : kinds) {
    const tally t = count(m, k);
    totals[std::string(to_string(k))] =
        json{{"total", t.total}, {"covered", t.covered}, {"not_coverable", t.not_coverable}};
  }
  doc["totals"] = std::move(totals);
  json items = json::array();
  for (const item& it : m.items)
    items.push_back(json{{"kind", to_string(it.kind)},
                         {"key", it.key},
                         {"label", it.label},
                         {"detail", it.detail},
                         {"section", it.section},
                         {"covered", it.covered()},
                         {"coverable", it.coverable},
                         {"scenarios", it.scenarios},
                         {"reason", it.reason}});
  doc["items"] = std::move(items);
  json lines = json::array();
  for (const unplaced_line& u : m.unplaced)
    lines.push_back(json{{"scenario", u.scenario},
                         {"file", u.pos.file},
                         {"line", u.pos.line},
                         {"column", u.pos.column},
                         {"text", u.text},
                         {"why", u.why},
                         {"expected_refused", u.expected_refused}});
  doc["unplaced"] = std::move(lines);
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace bcconform::coverage
