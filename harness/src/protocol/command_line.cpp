// Parsing, checking and encoding of host command lines. Ranges, types and nesting come from
// the command table only; the few rules that relate two parameters to each other are in
// semantic_rules below, one small function per command, each citing its section.
#include "bcconform/protocol/command_line.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "bcconform/protocol/fields.hpp"

namespace bcconform::protocol {
namespace {

using sv = std::string_view;

// ---- Parsing ---------------------------------------------------------------------------------

char upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// V.250 §5.4.1: extended names are '+' followed by letters, digits and ! % - . / : _
bool is_name_char(char c) noexcept {
  return is_letter(c) || is_digit(c) || sv("!%-./:_").find(c) != sv::npos;
}

std::string upper_copy(sv s) {
  std::string out(s);
  for (char& c : out) c = upper(c);
  return out;
}

// V.250 §5.1: spaces outside quoted strings are ignored. Quoted bytes are kept as they are.
result<std::string> strip_spaces(sv line) {
  std::string out;
  out.reserve(line.size());
  bool quoted = false;
  std::size_t quote_at = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
      quote_at = i;
    }
    if (c != ' ' || quoted) out.push_back(c);
  }
  if (quoted) {
    return make_error(errc::bad_quote,
                      "unterminated quote opened at column " + std::to_string(quote_at + 1));
  }
  return out;
}

arg_value to_arg(const field& f) {
  if (f.empty()) return arg_value::absent();
  if (f.quoted) return arg_value::quoted(std::string(f.text));
  if (auto n = parse_integer(f.text)) return arg_value::integer(*n);
  return arg_value::unquoted(std::string(f.text));
}

result<std::vector<arg_value>> split_args(sv params) {
  std::vector<arg_value> args;
  if (params.empty()) return args;  // "AT+X=": a set form with no parameters
  field_reader reader(params);
  field f;
  for (;;) {
    switch (reader.next(f)) {
      case field_reader::status::field:
        args.push_back(to_arg(f));
        break;
      case field_reader::status::end:
        return args;
      case field_reader::status::malformed:
        return make_error(errc::bad_quote, "parameter " + std::to_string(args.size() + 1) +
                                               ": text after a closing quote");
    }
  }
}

bool has_keyed_forms(const command_spec& spec) noexcept {
  return std::any_of(spec.forms.begin(), spec.forms.end(),
                     [](const form_spec& f) { return !f.key.empty(); });
}

// AT+QICFG="viewmode",1: the quoted first parameter selects the form (AN 2.1.11).
void extract_key(parsed_command& cmd) {
  if (cmd.spec == nullptr || !has_keyed_forms(*cmd.spec)) return;
  if (cmd.args.empty() || cmd.args.front().type != arg_value::kind::quoted) return;
  cmd.key = std::move(cmd.args.front().text);
  cmd.args.erase(cmd.args.begin());
}

result<parsed_command> parse_extended(sv rest) {
  const std::size_t end = std::min(rest.find_first_of("=?"), rest.size());
  const sv name = rest.substr(0, end);
  if (name.size() < 2 || !std::all_of(name.begin() + 1, name.end(), is_name_char)) {
    return make_error(errc::syntax, "bad extended command name \"" + std::string(name) + "\"");
  }
  parsed_command cmd;
  cmd.name = upper_copy(name);
  cmd.spec = find_command(cmd.name);
  const sv tail = rest.substr(end);
  if (tail.empty()) {
    cmd.kind = form::exec;
  } else if (tail == "?") {
    cmd.kind = form::query;
  } else if (tail == "=?") {
    cmd.kind = form::test;
  } else if (tail.front() == '=' && !tail.starts_with("=?")) {
    cmd.kind = form::set;
    auto args = split_args(tail.substr(1));
    if (!args) return args.error();
    cmd.args = std::move(*args);
    extract_key(cmd);
  } else {
    return make_error(errc::syntax, "unexpected \"" + std::string(tail) + "\" after " + cmd.name);
  }
  return cmd;
}

// V.250 §5.3.1: a basic command is a letter, or '&' and a letter, with an optional number.
// One command per line (E54): "ATE0&W" is refused rather than half-understood.
result<parsed_command> parse_basic(sv rest) {
  std::size_t pos = 0;
  parsed_command cmd;
  if (rest.size() >= 2 && rest[0] == '&' && is_letter(rest[1])) {
    cmd.name = std::string("&") + upper(rest[1]);
    pos = 2;
  } else if (is_letter(rest[0])) {
    cmd.name = std::string(1, upper(rest[0]));
    pos = 1;
  } else {
    return make_error(errc::syntax, "not a command after \"AT\": \"" + std::string(rest) + "\"");
  }
  const sv digits = rest.substr(pos);
  if (!std::all_of(digits.begin(), digits.end(), is_digit)) {
    return make_error(errc::syntax, "one command per line (E54): unexpected \"" +
                                        std::string(digits) + "\" after AT" + cmd.name);
  }
  cmd.spec = find_command(cmd.name);
  cmd.kind = form::exec;
  if (!digits.empty()) {
    const auto n = parse_integer(digits);
    if (!n) return make_error(errc::syntax, "value of AT" + cmd.name + " too large");
    cmd.kind = form::set;
    cmd.args.push_back(arg_value::integer(*n));
  }
  return cmd;
}

// ---- Checking --------------------------------------------------------------------------------

// A refusal and the 1-based parameter position it concerns, used to pick the most telling
// refusal among several set variants.
struct refusal {
  std::size_t position;
  error err;
  const param_spec* param = nullptr;  ///< the parameter refused, if one is
};

std::string quote_for_detail(sv text) {
  constexpr std::size_t max_shown = 32;
  if (text.size() <= max_shown) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, max_shown)) + "\"...";
}

std::string show(const arg_value& a) {
  switch (a.type) {
    case arg_value::kind::absent:
      return "empty";
    case arg_value::kind::integer:
      return std::to_string(a.number);
    case arg_value::kind::quoted:
      return quote_for_detail(a.text);
    case arg_value::kind::unquoted:
      return std::string(a.text.substr(0, 32));
  }
  return "?";
}

std::string range(std::int64_t min, std::int64_t max) {
  return std::to_string(min) + "-" + std::to_string(max);
}

refusal refuse(std::size_t position, const param_spec& p, errc e, const std::string& what) {
  return {position,
          make_error(e, "parameter " + std::to_string(position) + " <" + std::string(p.name) +
                            ">: " + what + " (" + std::string(p.section) + ")"),
          &p};
}

bool is_hex_digit(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::optional<refusal> check_integer(std::size_t pos, const param_spec& p, const arg_value& a) {
  if (a.type != arg_value::kind::integer) {
    return refuse(pos, p, errc::wrong_type, show(a) + " is not an unquoted integer");
  }
  if (a.number < p.min || a.number > p.max) {
    return refuse(pos, p, errc::out_of_range, show(a) + " is outside " + range(p.min, p.max));
  }
  return std::nullopt;
}

// E53: AT strings have no escape, so a quote or a CR cannot be carried inside one.
std::optional<refusal> check_quoted(std::size_t pos, const param_spec& p, const arg_value& a) {
  if (a.type != arg_value::kind::quoted) {
    return refuse(pos, p, errc::wrong_type, show(a) + " is not a quoted string");
  }
  if (a.text.find_first_of("\"\r") != std::string::npos) {
    return refuse(pos, p, errc::bad_quote, "a quote or CR cannot be sent inside a string (E53)");
  }
  if (a.text.empty() && p.min > 0) return refuse(pos, p, errc::missing_parameter, "empty string");
  return std::nullopt;
}

std::optional<refusal> check_string(std::size_t pos, const param_spec& p, const arg_value& a) {
  const auto len = static_cast<std::int64_t>(a.text.size());
  if (len < p.min || len > p.max) {
    return refuse(pos, p, errc::out_of_range,
                  "length " + std::to_string(len) + " is outside " + range(p.min, p.max));
  }
  return std::nullopt;
}

std::optional<refusal> check_enum(std::size_t pos, const param_spec& p, const arg_value& a) {
  if (std::find(p.choices.begin(), p.choices.end(), sv(a.text)) != p.choices.end()) {
    return std::nullopt;
  }
  std::string list;
  for (sv c : p.choices) list += (list.empty() ? "\"" : ", \"") + std::string(c) + "\"";
  return refuse(pos, p, errc::bad_choice, show(a) + " is not one of " + list);
}

std::optional<refusal> check_hex(std::size_t pos, const param_spec& p, const arg_value& a) {
  const auto bad = std::find_if_not(a.text.begin(), a.text.end(), is_hex_digit);
  if (bad != a.text.end()) {
    return refuse(pos, p, errc::bad_hex,
                  "'" + std::string(1, *bad) + "' at offset " +
                      std::to_string(bad - a.text.begin()) + " is not a hex digit");
  }
  if (a.text.size() % 2 != 0) {
    return refuse(pos, p, errc::bad_hex,
                  "odd number of hex digits (" + std::to_string(a.text.size()) + ")");
  }
  const auto bytes = static_cast<std::int64_t>(a.text.size() / 2);
  if (bytes < p.min || bytes > p.max) {
    return refuse(pos, p, errc::out_of_range,
                  std::to_string(bytes) + " bytes is outside " + range(p.min, p.max));
  }
  return std::nullopt;
}

std::optional<refusal> check_value(std::size_t pos, const param_spec& p, const arg_value& a) {
  if (a.type == arg_value::kind::absent) {
    return refuse(pos, p, errc::missing_parameter, "empty field (E49)");
  }
  if (p.type == param_type::integer) return check_integer(pos, p, a);
  if (p.type == param_type::raw_text) return std::nullopt;
  if (auto r = check_quoted(pos, p, a)) return r;
  switch (p.type) {
    case param_type::quoted_string:
      return check_string(pos, p, a);
    case param_type::quoted_enum:
      return check_enum(pos, p, a);
    case param_type::quoted_hex:
      return check_hex(pos, p, a);
    default:
      return std::nullopt;
  }
}

// Optional parameters nest (param_spec::depth): the given parameters must be a prefix that
// ends where a bracket opens. `AT+X=<a>[,<b>,<c>]` takes 1 or 3, `<a>[,<b>[,<c>]]` 1, 2 or 3.
bool count_fits(const form_spec& f, std::size_t n) noexcept {
  if (n > f.params.size()) return false;
  if (n == f.params.size()) return true;
  const std::uint8_t before = n == 0 ? 0 : f.params[n - 1].depth;
  return f.params[n].depth > before;
}

std::optional<refusal> check_form_args(const form_spec& f, const std::vector<arg_value>& args,
                                       std::size_t offset, sv syntax_name) {
  if (args.size() > f.params.size()) {
    return refusal{offset + f.params.size() + 1,
                   make_error(errc::too_many_parameters,
                              std::string(syntax_name) + " takes at most " +
                                  std::to_string(f.params.size()) + " parameters: " +
                                  std::string(f.syntax) + " (" + std::string(f.section) + ")")};
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (auto r = check_value(offset + i + 1, f.params[i], args[i])) return r;
  }
  if (!count_fits(f, args.size())) {
    const param_spec& next = f.params[args.size()];
    return refuse(offset + args.size() + 1, next, errc::missing_parameter,
                  "missing from " + std::string(f.syntax));
  }
  return std::nullopt;
}

// ---- Rules relating parameters to each other ---------------------------------------------

std::optional<std::size_t> param_index(const form_spec& f, sv name) noexcept {
  for (std::size_t i = 0; i < f.params.size(); ++i) {
    if (f.params[i].name == name) return i;
  }
  return std::nullopt;
}

error rule_error(errc e, std::size_t index, const param_spec& p, const std::string& what) {
  return refuse(index + 1, p, e, what).err;
}

// AN 2.1.1: a listener needs <local_port> 1-65535; E5: its <remote_port> may be 0 (the
// note's own listener examples, AN 4.3.1 and 4.5.1), a client's may not.
result<void> qiopen_rule(const parsed_command& cmd) {
  const form_spec& f = *cmd.variant;
  const auto type = param_index(f, "service_type");
  const auto remote = param_index(f, "remote_port");
  const auto local = param_index(f, "local_port");
  if (!type || !remote || !local) return {};
  const sv service = cmd.args[*type].text;
  const bool listener = service == "TCP LISTENER" || service == "UDP SERVICE";
  if (!listener && cmd.args[*remote].number == 0) {
    return rule_error(errc::out_of_range, *remote, f.params[*remote],
                      "0 is accepted only for \"TCP LISTENER\"/\"UDP SERVICE\" (E5)");
  }
  if (listener && cmd.args.size() <= *local) {
    return rule_error(errc::missing_parameter, *local, f.params[*local],
                      "mandatory for \"" + std::string(service) + "\"");
  }
  if (listener && cmd.args[*local].number == 0) {
    return rule_error(errc::out_of_range, *local, f.params[*local],
                      "must be 1-65535 for \"" + std::string(service) + "\"");
  }
  return {};
}

// AN 2.1.4: <send_length> is the byte length of <data>; AN 2.1.6 with E19: of the decoded
// hex string. Applies to the non-data-mode forms, where the data is on the line.
result<void> send_length_rule(const parsed_command& cmd) {
  const form_spec& f = *cmd.variant;
  if (f.data != data_mode::none || f.params.size() != 3) return {};
  const param_spec& data = f.params[2];
  const std::size_t bytes =
      data.type == param_type::quoted_hex ? cmd.args[2].text.size() / 2 : cmd.args[2].text.size();
  if (static_cast<std::int64_t>(bytes) == cmd.args[1].number) return {};
  return rule_error(errc::length_mismatch, 1, f.params[1],
                    std::to_string(cmd.args[1].number) + " but <" + std::string(data.name) +
                        "> has " + std::to_string(bytes) + " bytes" +
                        (data.type == param_type::quoted_hex ? " (E19)" : ""));
}

struct semantic_rule {
  sv command;
  result<void> (*check)(const parsed_command&);
};
constexpr semantic_rule semantic_rules[] = {
    {"+QIOPEN", qiopen_rule},
    {"+QISEND", send_length_rule},
    {"+QISENDEX", send_length_rule},
};

result<void> apply_semantic_rules(const parsed_command& cmd) {
  for (const auto& r : semantic_rules) {
    if (r.command == cmd.spec->name) return r.check(cmd);
  }
  return {};
}

// ---- Form selection --------------------------------------------------------------------------

std::string command_text(const command_spec& spec) {
  return "AT" + std::string(spec.name);
}

error key_error(const parsed_command& cmd) {
  const command_spec& spec = *cmd.spec;
  std::string keys;
  for (const auto& f : spec.forms) {
    if (!f.key.empty()) keys += (keys.empty() ? "\"" : ", \"") + std::string(f.key) + "\"";
  }
  const std::string where = " (" + std::string(spec.section) + ")";
  if (cmd.key.empty() && cmd.args.empty()) {
    return make_error(errc::missing_parameter,
                      "parameter 1 <key> is missing: one of " + keys + where);
  }
  if (cmd.key.empty()) {
    return make_error(errc::wrong_type, "parameter 1 <key>: " + show(cmd.args.front()) +
                                            " is not a quoted key: one of " + keys + where);
  }
  return make_error(errc::bad_choice, "parameter 1 <key>: " + quote_for_detail(cmd.key) +
                                          " is not one of " + keys + where);
}

// When set variants differ only in the range of one parameter (AT+QISTATE's <query_type>,
// E51) and all refuse it, one message names every accepted range.
error merged_refusal(const std::vector<refusal>& all, const refusal& best,
                     const std::vector<arg_value>& args, std::size_t offset) {
  if (best.param == nullptr || best.param->type != param_type::integer ||
      best.err.code != make_error_code(errc::out_of_range)) {
    return best.err;
  }
  std::string ranges;
  std::size_t count = 0;
  for (const auto& r : all) {
    if (r.position != best.position || r.param == nullptr || r.param->name != best.param->name ||
        r.err.code != best.err.code) {
      continue;
    }
    const param_spec& p = *r.param;
    const std::string accepted = p.min == p.max ? std::to_string(p.min) : range(p.min, p.max);
    if (("," + ranges + ",").find("," + accepted + ",") != std::string::npos) continue;
    ranges += (ranges.empty() ? "" : ",") + accepted;
    ++count;
  }
  if (count < 2) return best.err;
  const arg_value& a = args[best.position - 1 - offset];  // out_of_range: the value is there
  return make_error(errc::out_of_range, "parameter " + std::to_string(best.position) + " <" +
                                            std::string(best.param->name) + ">: " + show(a) +
                                            " is none of " + ranges + " (" +
                                            std::string(best.param->section) + ")");
}

// Several set forms with one key (AT+QISEND, AT+QISTATE): the first that accepts the
// arguments wins; otherwise the refusal from the form whose parameter count fits, then the
// one that got furthest, names the real problem.
result<const form_spec*> select_set_form(const parsed_command& cmd) {
  const std::size_t offset = cmd.key.empty() ? 0 : 1;
  std::vector<refusal> refusals;
  std::size_t best = 0;
  bool best_fits = false;
  for (const auto& f : cmd.spec->forms) {
    if (f.kind != form::set || f.key != cmd.key) continue;
    auto r = check_form_args(f, cmd.args, offset, command_text(*cmd.spec));
    if (!r) return &f;
    const bool fits = count_fits(f, cmd.args.size());
    if (refusals.empty() || (fits && !best_fits) ||
        (fits == best_fits && r->position > refusals[best].position)) {
      best = refusals.size();
      best_fits = fits;
    }
    refusals.push_back(std::move(*r));
  }
  if (!refusals.empty()) return merged_refusal(refusals, refusals[best], cmd.args, offset);
  if (has_keyed_forms(*cmd.spec)) return key_error(cmd);
  return make_error(errc::unsupported_form, command_text(*cmd.spec) + " has no set form (" +
                                                std::string(cmd.spec->section) + ")");
}

result<const form_spec*> select_form(const parsed_command& cmd) {
  if (cmd.kind == form::set) return select_set_form(cmd);
  const form_spec* f = find_form(*cmd.spec, cmd.kind);
  if (f == nullptr) {
    return make_error(errc::unsupported_form, command_text(*cmd.spec) + " has no " +
                                                  std::string(to_string(cmd.kind)) + " form (" +
                                                  std::string(cmd.spec->section) + ")");
  }
  if (!cmd.args.empty() || !cmd.key.empty()) {
    return make_error(errc::too_many_parameters, "the " + std::string(to_string(cmd.kind)) +
                                                     " form " + std::string(f->syntax) +
                                                     " takes no parameters");
  }
  return f;
}

// ---- Encoding --------------------------------------------------------------------------------

std::string format_command(const parsed_command& cmd) {
  std::vector<std::string> fields;
  fields.reserve(cmd.args.size());
  for (const auto& a : cmd.args) fields.push_back(format_arg(a));
  return format_fields(*cmd.spec, cmd.kind, cmd.key, fields);
}

}  // namespace

result<parsed_command> parse_command_line(std::string_view line) {
  auto stripped = strip_spaces(line);
  if (!stripped) return stripped.error();
  const sv s = *stripped;
  if (s.size() < 2 || upper(s[0]) != 'A' || upper(s[1]) != 'T') {
    return make_error(errc::syntax, "not an AT command line: must begin with \"AT\"");
  }
  const sv rest = s.substr(2);
  if (rest.empty()) {
    parsed_command cmd;
    cmd.spec = find_command("");
    cmd.kind = form::exec;
    return cmd;
  }
  if (rest.front() == '+') return parse_extended(rest);
  return parse_basic(rest);
}

result<void> check_arguments(parsed_command& cmd) {
  cmd.variant = nullptr;
  if (cmd.spec == nullptr) cmd.spec = find_command(cmd.name);
  if (cmd.spec == nullptr) {
    return make_error(errc::unknown_command, "unknown command AT" + cmd.name);
  }
  auto f = select_form(cmd);
  if (!f) return f.error();
  cmd.variant = *f;
  if (cmd.kind != form::set) return {};
  auto r = apply_semantic_rules(cmd);
  if (!r) cmd.variant = nullptr;
  return r;
}

result<std::string> encode_command(const command_spec& spec, form f,
                                   const std::vector<arg_value>& args, std::string_view key) {
  parsed_command cmd;
  cmd.spec = &spec;
  cmd.kind = f;
  cmd.name = std::string(spec.name);
  cmd.key = std::string(key);
  cmd.args = args;
  if (!cmd.key.empty() && cmd.key.find_first_of("\"\r") != std::string::npos) {
    return make_error(errc::bad_quote, "a key cannot contain a quote or CR (E53)");
  }
  auto checked = check_arguments(cmd);
  if (!checked) return checked.error();
  return format_command(cmd);
}

std::string format_arg(const arg_value& a) {
  switch (a.type) {
    case arg_value::kind::absent:
      return {};
    case arg_value::kind::integer:
      return std::to_string(a.number);
    case arg_value::kind::quoted:
      return '"' + a.text + '"';
    case arg_value::kind::unquoted:
      return a.text;
  }
  return {};
}

std::string format_fields(const command_spec& c, form f, std::string_view key,
                          const std::vector<std::string>& fields) {
  std::string out = "AT" + std::string(c.name);
  switch (f) {
    case form::test:
      return out + "=?";
    case form::query:
      return out + "?";
    case form::exec:
      return out;
    case form::set:
      break;
  }
  if (!c.basic) out += '=';
  bool first = true;
  if (!key.empty()) {
    out += '"' + std::string(key) + '"';
    first = false;
  }
  for (const std::string& field : fields) {
    if (!first) out += ',';
    out += field;
    first = false;
  }
  return out;
}

}  // namespace bcconform::protocol
