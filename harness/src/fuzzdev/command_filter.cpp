#include "bcconform/fuzzdev/command_filter.hpp"

#include <algorithm>
#include <array>

namespace bcconform::fuzzdev {
namespace {

using protocol::command_spec;

// What outlives a run besides the table's nvm entries. The names outside the table are never
// generated; they are here for the scan of mutated lines, and so that --help can list them.
constexpr std::array<persistent_name, 16> persistent_data{{
    {"+QRST", "reboots the module (emulator.md §1.2)"},
    {"+IPR", "baud rate (saved; the link is lost)"},
    {"+ICF", "serial character framing (the link is lost)"},
    {"+IFC", "serial flow control (the link may be lost)"},
    {"+CFUN", "functionality level; CFUN=1,1 resets, CFUN=0 turns the radio off"},
    {"+QBAND", "frequency bands (saved to NVM)"},
    {"+NBAND", "frequency bands (saved to NVM)"},
    {"+QPOWD", "power down"},
    {"+NRB", "reboot"},
    {"+CGDCONT", "PDP context definitions (saved to NVM)"},
    {"+QCFG", "module configuration (saved to NVM)"},
    {"+QFOTADL", "firmware update"},
    {"+NFWUPD", "firmware update"},
    {"+QFUPL", "file system: upload"},
    {"+QFDEL", "file system: delete"},
    {"+QFWRITE", "file system: write"},
}};

char upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

std::string upper_copy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), upper);
  return out;
}

// The lines the module could read from `bytes`: backspace deletes (V.250 §6.2.3), CR and LF end
// a line, other control bytes and spaces are dropped (V.250 §5.1 ignores spaces), upper case.
std::vector<std::string> edited_lines(std::string_view bytes) {
  std::vector<std::string> lines(1);
  for (const char c : bytes) {
    if (c == '\r' || c == '\n') {
      if (!lines.back().empty()) lines.emplace_back();
    } else if (c == 0x08) {
      if (!lines.back().empty()) lines.back().pop_back();
    } else if (static_cast<unsigned char>(c) > 0x20 && c != 0x7f) {
      lines.back().push_back(upper(c));
    }
  }
  return lines;
}

// A name counts where it is not the start of a longer name: "+QICFG" in "AT+QICFG=..." but not
// "+QISEND" in "AT+QISENDEX=...". A basic name ("E", "&W") may carry a number ("ATE0", "AT&W0",
// V.250 §5.3.1); a letter after it starts another command. A single-letter basic name counts only
// right after "AT".
bool mentions(const std::string& line, const std::string& name) {
  const bool extended = name.front() == '+';
  const bool letter = !extended && name.front() != '&';
  const std::string needle = letter ? "AT" + name : name;
  for (auto at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
    const std::size_t next = at + needle.size();
    if (next >= line.size()) return true;
    const char c = line[next];
    const bool digit = c >= '0' && c <= '9';
    if (!is_alnum(c) || (!extended && digit)) return true;
  }
  return false;
}

// The default deny-list (unless lifted) and the --deny names, sorted, without duplicates.
protocol::result<std::vector<std::string>> deny_list(const filter_options& o) {
  std::vector<std::string> out;
  if (!o.allow_persistent) {
    for (const command_spec& c : protocol::commands()) {
      if (c.nvm) out.emplace_back(c.name);
    }
    for (const persistent_name& p : persistent_data) out.emplace_back(p.name);
  }
  for (const std::string& d : o.deny) {
    std::string name = normalise_name(d);
    if (name.empty()) {
      return protocol::make_error(protocol::errc::unknown_command,
                                  "--deny AT: plain AT is the liveness probe and cannot be denied");
    }
    out.push_back(std::move(name));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// The --only names, each a command of the table.
protocol::result<std::vector<std::string>> only_list(const filter_options& o) {
  std::vector<std::string> out;
  for (const std::string& text : o.only) {
    std::string name = normalise_name(text);
    if (protocol::find_command(name) == nullptr) {
      return protocol::make_error(protocol::errc::unknown_command,
                                  "--only " + text + ": not a command of the command table");
    }
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace

std::span<const persistent_name> persistent_names() noexcept {
  return persistent_data;
}

std::string normalise_name(std::string_view text) {
  std::string s = upper_copy(text);
  if (s.starts_with("AT")) s.erase(0, 2);
  if (s.empty() || s.front() == '+' || s.front() == '&') return s;
  if (const command_spec* c = protocol::find_command(s); c != nullptr && c->basic) return s;
  return "+" + s;
}

command_filter::command_filter() : command_filter(*make({})) {}

protocol::result<command_filter> command_filter::make(const filter_options& o) {
  command_filter f{empty_tag{}};
  auto denied = deny_list(o);
  if (!denied) return denied.error();
  f.denied_ = std::move(*denied);
  auto only = only_list(o);
  if (!only) return only.error();
  for (const command_spec& c : protocol::commands()) {
    const bool listed =
        only->empty() || std::find(only->begin(), only->end(), c.name) != only->end();
    if (listed && !f.is_denied(c.name)) f.allowed_.push_back(&c);
  }
  if (f.allowed_.empty()) {
    return protocol::make_error(protocol::errc::unknown_command,
                                "no command left to send: every --only command is denied "
                                "(--allow-persistent lifts the default deny-list)");
  }
  return f;
}

bool command_filter::is_denied(std::string_view name) const {
  return std::binary_search(denied_.begin(), denied_.end(), name);
}

bool command_filter::allows(const command_spec& c) const {
  return std::find(allowed_.begin(), allowed_.end(), &c) != allowed_.end();
}

std::string command_filter::denied_in(std::string_view bytes) const {
  if (denied_.empty()) return {};
  for (const std::string& line : edited_lines(bytes)) {
    if (line.empty()) continue;
    for (const std::string& name : denied_) {
      if (mentions(line, name)) return name;
    }
  }
  return {};
}

}  // namespace bcconform::fuzzdev
