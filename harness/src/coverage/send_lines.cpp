// Placing a scenario's `send` line in the command table. The line goes through the protocol's
// own parser and checker (command_line.hpp), so a form is recognised exactly as the emulator
// and the session tracker recognise it. `${...}` references are unknown until the runner
// expands them: each becomes a marker byte first, and every argument holding a marker is then
// replaced, for each candidate form, by a value that fits the parameter in its position.
#include <algorithm>
#include <string>
#include <vector>

#include "bcconform/protocol/command_line.hpp"
#include "coverage_detail.hpp"

namespace bcconform::coverage::detail {
namespace {

using protocol::arg_value;
using protocol::form_spec;
using protocol::param_spec;
using protocol::param_type;
using protocol::parsed_command;
using sv = std::string_view;

// Stands for a variable on the command line. A control byte no scenario writes in a command
// (the loader's YAML strings could carry it, but then the line is not a command anyway).
constexpr char marker = '\x1f';

bool name_start(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool name_char(char c) noexcept {
  return name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// Length of the `${name}` reference at text[i] (text[i] == '$'), or 0 when there is none.
std::size_t reference_length(sv text, std::size_t i) noexcept {
  if (text.substr(i, 2) != "${") return 0;
  std::size_t j = i + 2;
  if (j >= text.size() || !name_start(text[j])) return 0;
  while (j < text.size() && name_char(text[j])) ++j;
  return j < text.size() && text[j] == '}' ? j + 1 - i : 0;
}

std::string with_markers(sv line, char stand_in) {
  std::string out;
  for (const template_piece& p : split_template(line)) {
    if (p.variable)
      out += stand_in;
    else
      out += p.text;
  }
  return out;
}

bool has_marker(const arg_value& a) {
  return a.text.find(marker) != std::string::npos;
}

// A value of parameter `p` that check_arguments() accepts on its own: the lowest integer above
// 0 where the range allows (a port, a length, a socket id all accept 1; E5 refuses a client's
// remote port 0), the first documented choice, a string of the shortest allowed length.
arg_value fitting_value(const param_spec& p, bool written_quoted) {
  const std::int64_t len = std::max<std::int64_t>(p.min, 1);
  switch (p.type) {
    case param_type::integer: {
      const std::int64_t n = (p.min <= 1 && p.max >= 1) ? 1 : p.min;
      return written_quoted ? arg_value::quoted(std::to_string(n)) : arg_value::integer(n);
    }
    case param_type::quoted_string:
      return arg_value::quoted(std::string(static_cast<std::size_t>(std::min(len, p.max)), 'x'));
    case param_type::quoted_enum:
      return arg_value::quoted(p.choices.empty() ? std::string() : std::string(p.choices[0]));
    case param_type::quoted_hex:
      return arg_value::quoted(
          std::string(static_cast<std::size_t>(std::min(len, p.max)) * 2, '0'));
    case param_type::raw_text:
      return arg_value::unquoted("x");
  }
  return arg_value::unquoted("x");
}

// Optional parameters nest (protocol::param_spec::depth): `n` given parameters fit when they
// end where a bracket opens. The same rule as the checker's, used to choose the form a
// refused line was meant for.
bool count_fits(const form_spec& f, std::size_t n) noexcept {
  if (n > f.params.size()) return false;
  if (n == f.params.size()) return true;
  const std::uint8_t before = n == 0 ? 0 : f.params[n - 1].depth;
  return f.params[n].depth > before;
}

bool key_matches(const form_spec& f, const parsed_command& cmd) {
  if (f.key == cmd.key) return true;
  return !f.key.empty() && cmd.key.find(marker) != std::string::npos;  // `"${key}"`
}

// The candidate forms, in table order.
std::vector<const form_spec*> candidates(const parsed_command& cmd) {
  std::vector<const form_spec*> out;
  for (const form_spec& f : cmd.spec->forms)
    if (f.kind == cmd.kind && key_matches(f, cmd)) out.push_back(&f);
  return out;
}

// Whether the checker places `cmd`, its variables given values that fit `f`, in `f`.
bool accepted_as(const parsed_command& cmd, const form_spec& f) {
  parsed_command c = cmd;
  if (c.key.find(marker) != std::string::npos) c.key = std::string(f.key);
  for (std::size_t i = 0; i < c.args.size() && i < f.params.size(); ++i) {
    if (has_marker(c.args[i]))
      c.args[i] = fitting_value(f.params[i], c.args[i].type == arg_value::kind::quoted);
  }
  return protocol::check_arguments(c).has_value() && c.variant == &f;
}

const form_spec* choose_form(const parsed_command& cmd,
                             const std::vector<const form_spec*>& forms) {
  for (const form_spec* f : forms)
    if (accepted_as(cmd, *f)) return f;
  for (const form_spec* f : forms)
    if (count_fits(*f, cmd.args.size())) return f;
  return forms.front();
}

std::string command_text(const parsed_command& cmd) {
  return "AT" + (cmd.spec != nullptr ? std::string(cmd.spec->name) : cmd.name);
}

placement place_parsed(const parsed_command& cmd) {
  placement p;
  p.kind = cmd.kind;
  if (cmd.spec == nullptr) {
    p.why = "unknown command " + command_text(cmd);
    return p;
  }
  p.command = cmd.spec;
  const std::vector<const form_spec*> forms = candidates(cmd);
  if (forms.empty()) {
    p.why = command_text(cmd) + " has no " + std::string(protocol::to_string(cmd.kind)) + " form" +
            (cmd.key.empty() ? "" : " with key \"" + cmd.key + "\"") + " in the command table";
    return p;
  }
  p.form = choose_form(cmd, forms);
  return p;
}

}  // namespace

std::vector<template_piece> split_template(std::string_view text) {
  std::vector<template_piece> pieces;
  auto literal = [&pieces](sv s) {
    if (pieces.empty() || pieces.back().variable) pieces.push_back({false, {}});
    pieces.back().text += s;
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$') {
      const std::size_t next = std::min(text.find('$', i), text.size());
      literal(text.substr(i, next - i));
      i = next;
    } else if (text.substr(i, 2) == "$$") {
      literal("$");
      i += 2;
    } else if (const std::size_t n = reference_length(text, i); n != 0) {
      pieces.push_back({true, std::string(text.substr(i + 2, n - 3))});
      i += n;
    } else {
      literal("$");
      ++i;
    }
  }
  return pieces;
}

placement place_send(std::string_view line) {
  auto parsed = protocol::parse_command_line(with_markers(line, marker));
  // A variable where the parser needs digits (`ATE${echo}`) or a name: try a digit there.
  if (!parsed) parsed = protocol::parse_command_line(with_markers(line, '0'));
  if (!parsed) {
    placement p;
    p.why = parsed.error().detail;
    return p;
  }
  return place_parsed(*parsed);
}

}  // namespace bcconform::coverage::detail
