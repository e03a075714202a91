// Reading specs/ERRATA.md. The file's shape (see its head): one `## E<n> <title>` heading per
// ruling with `- **Ruling**: ...` among its items, and a section "Error codes the AT interface
// cannot provoke" holding a `| Code | Description | Why ... |` table.
#include "bcconform/coverage/errata.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace bcconform::coverage {
namespace {

using sv = std::string_view;

sv trim(sv s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// A non-negative decimal of at most 9 digits (no overflow), the whole of `s`.
std::optional<int> small_number(sv s) noexcept {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), is_digit)) return std::nullopt;
  int n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

// `## E12 Title` -> {12, "Title"}.
std::optional<erratum> ruling_heading(sv line) {
  if (!line.starts_with("## E") && !line.starts_with("## e")) return std::nullopt;
  sv rest = line.substr(4);
  const std::size_t digits = std::min(rest.find_first_not_of("0123456789"), rest.size());
  const auto n = small_number(rest.substr(0, digits));
  if (!n) return std::nullopt;
  rest.remove_prefix(digits);
  if (!rest.empty() && rest.front() != ' ' && rest.front() != '\t') return std::nullopt;
  erratum e;
  e.number = *n;
  e.id = "E" + std::to_string(*n);
  e.title = std::string(trim(rest));
  return e;
}

// `- **Ruling**: text` -> "text".
std::optional<std::string> ruling_item(sv line) {
  constexpr sv marker = "**Ruling**:";
  line = trim(line);
  if (!line.starts_with("- ")) return std::nullopt;
  line = trim(line.substr(2));
  if (!line.starts_with(marker)) return std::nullopt;
  return std::string(trim(line.substr(marker.size())));
}

// `| 550 | Unknown error | reason |` -> the row; the header and `|---|` lines are not rows.
std::optional<unprovokable_code> table_row(sv line) {
  line = trim(line);
  if (!line.starts_with("|")) return std::nullopt;
  std::vector<sv> cells;
  for (std::size_t start = 1; start < line.size();) {
    std::size_t end = line.find('|', start);
    if (end == sv::npos) end = line.size();
    cells.push_back(trim(line.substr(start, end - start)));
    start = end + 1;
  }
  if (cells.size() < 3) return std::nullopt;
  const auto code = small_number(cells[0]);
  if (!code) return std::nullopt;
  return unprovokable_code{*code, std::string(cells[1]), std::string(cells[2])};
}

bool unprovokable_heading(sv line) {
  return line.starts_with("## ") && line.find("cannot provoke") != sv::npos;
}

}  // namespace

bool erratum::nothing_to_test() const {
  // "none needed." / "None needed": the entry records a typo or a wording problem only.
  std::string head = ruling.substr(0, 11);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return head == "none needed";
}

std::string normalize_erratum_id(std::string_view text) {
  const sv t = trim(text);
  if (t.size() < 2 || (t.front() != 'E' && t.front() != 'e')) return {};
  const auto n = small_number(t.substr(1));
  return n ? "E" + std::to_string(*n) : std::string();
}

const erratum* errata_document::find(std::string_view id) const {
  const std::string key = normalize_erratum_id(id);
  if (key.empty()) return nullptr;
  for (const erratum& e : rulings)
    if (e.id == key) return &e;
  return nullptr;
}

const unprovokable_code* errata_document::find_unprovokable(int code) const {
  for (const unprovokable_code& c : unprovokable)
    if (c.code == code) return &c;
  return nullptr;
}

errata_document parse_errata(std::string_view markdown) {
  errata_document doc;
  bool in_table_section = false;
  bool ruling_open = false;  // the last heading was a ruling: its items belong to it
  std::size_t start = 0;
  while (start < markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    if (end == sv::npos) end = markdown.size();
    const sv line = trim(markdown.substr(start, end - start));
    start = end + 1;
    if (line.starts_with("#")) {
      auto e = ruling_heading(line);
      ruling_open = e.has_value();
      in_table_section = !ruling_open && unprovokable_heading(line);
      if (e) doc.rulings.push_back(std::move(*e));
      continue;
    }
    if (ruling_open && doc.rulings.back().ruling.empty()) {
      if (auto r = ruling_item(line)) doc.rulings.back().ruling = std::move(*r);
    }
    if (in_table_section) {
      if (auto row = table_row(line)) doc.unprovokable.push_back(std::move(*row));
    }
  }
  return doc;
}

}  // namespace bcconform::coverage
