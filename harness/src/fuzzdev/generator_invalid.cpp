// The case kinds that break the command table's rules, each on a set form of an allowed command.
#include <algorithm>
#include <array>

#include "generator_detail.hpp"

namespace bcconform::fuzzdev::detail {
namespace {

using protocol::arg_value;
using protocol::command_spec;
using protocol::form;
using protocol::form_spec;
using protocol::param_spec;
using protocol::param_type;

using form_ref = std::pair<const command_spec*, const form_spec*>;

bool has_range(const param_spec& p) {
  return p.type == param_type::integer || p.type == param_type::quoted_string ||
         p.type == param_type::quoted_hex;
}

bool is_quoted_type(const param_spec& p) {
  return p.type == param_type::quoted_string || p.type == param_type::quoted_enum ||
         p.type == param_type::quoted_hex;
}

void describe(fuzz_case& out, const form_ref& f, std::string what) {
  out.command = f.first;
  out.variant = f.second;
  out.form = f.second->kind;
  out.key = std::string(f.second->key);
  out.description = to_string_kind(out.kind) + " AT" + std::string(f.first->name) + " " + what;
}

// A set form and one of its parameters that satisfies `want`, drawn uniformly over all such
// pairs, so that every parameter of the table gets its turn.
template <class Pred>
bool pick_param(draw& d, const command_filter& filter, Pred want, form_ref& f, std::size_t& index) {
  std::vector<std::pair<form_ref, std::size_t>> all;
  for (const form_ref& r : set_forms(filter)) {
    for (std::size_t i = 0; i < r.second->params.size(); ++i) {
      if (want(r.second->params[i])) all.emplace_back(r, i);
    }
  }
  if (all.empty()) return false;
  const auto& chosen = d.pick(all);
  f = chosen.first;
  index = chosen.second;
  return true;
}

// Valid arguments reaching parameter `index` (so that it is present).
std::vector<arg_value> args_through(draw& d, const form_spec& f, std::size_t index) {
  std::vector<arg_value> args = valid_args(d, f, f.params[index].depth);
  while (args.size() <= index) args.push_back(valid_value(d, f.params[args.size()]));
  return args;
}

std::string param_label(const param_spec& p) {
  return "<" + std::string(p.name) + ">";
}

// The value written for a string-like parameter of `length` bytes (hex: decoded bytes, E19).
arg_value string_of_length(draw& d, const param_spec& p, std::size_t length) {
  if (p.type == param_type::quoted_hex) return arg_value::quoted(hex_of_bytes(d, length));
  return arg_value::quoted(text_of_length(d, p, length));
}

}  // namespace

std::string to_string_kind(case_kind k) {
  return std::string(to_string(k));
}

bool make_boundary(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  if (!pick_param(d, filter, has_range, f, i)) return false;
  const param_spec& p = f.second->params[i];
  std::vector<arg_value> args = args_through(d, *f.second, i);
  static constexpr std::array<std::string_view, 4> which_names{"min-1", "min", "max", "max+1"};
  const std::size_t which = d.below(4);
  const std::int64_t value = which == 0   ? p.min - 1
                             : which == 1 ? p.min
                             : which == 2 ? p.max
                                          : p.max + 1;
  if (p.type == param_type::integer) {
    args[i] = arg_value::integer(value);
  } else {
    if (value < 0) return false;  // a length of -1 does not exist
    args[i] = string_of_length(d, p, static_cast<std::size_t>(value));
    out.string_length = true;
  }
  // The data's length decides <send_length>; a boundary on <send_length> itself stays as drawn.
  if (p.name != "send_length") match_send_length(*f.second, args);
  out.param = std::string(p.name);
  out.value = value;
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, write_args(args));
  describe(out, f,
           param_label(p) + (out.string_length ? " length " : "=") + std::to_string(value) + " (" +
               std::string(which_names[which]) + ")");
  return true;
}

bool make_wrong_type(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  if (!pick_param(
          d, filter, [](const param_spec&) { return true; }, f, i))
    return false;
  const param_spec& p = f.second->params[i];
  std::vector<arg_value> args = args_through(d, *f.second, i);
  std::string what;
  if (p.type == param_type::integer) {
    // A string where an integer is documented: digits in quotes, or a word.
    args[i] = d.chance(1, 2) ? arg_value::quoted(std::to_string(p.min)) : arg_value::quoted("abc");
    what = "string for integer ";
  } else {
    args[i] = arg_value::integer(d.between(0, 9));
    what = "integer for string ";
  }
  out.param = std::string(p.name);
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, write_args(args));
  describe(out, f, what + param_label(p));
  return true;
}

bool make_missing(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  if (!pick_param(
          d, filter, [](const param_spec& p) { return p.depth == 0; }, f, i))
    return false;
  // Only the mandatory parameters, so that none of the optional ones shifts into the gap.
  std::vector<arg_value> args;
  for (const param_spec& p : f.second->params) {
    if (p.depth == 0) args.push_back(valid_value(d, p));
  }
  match_send_length(*f.second, args);
  fields written = write_args(args);
  std::string what;
  if (d.chance(1, 4)) {
    written.clear();  // "AT+QIRD=": a set form with nothing after '='
    what = "every parameter";
  } else {
    written.erase(written.begin() + static_cast<std::ptrdiff_t>(i));  // the rest shift left
    what = param_label(f.second->params[i]);
    out.param = std::string(f.second->params[i].name);
  }
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, written);
  describe(out, f, "without " + what);
  return true;
}

bool make_extra(draw& d, const command_filter& filter, fuzz_case& out) {
  const command_spec& c = *d.pick(filter.allowed());
  const form_spec& f = d.pick(c.forms);
  const std::string extra = d.chance(1, 2) ? "1" : quoted("x");
  if (f.kind != form::set) {
    // A parameter on a form that takes none: "AT+QIGETERROR=1", "ATI1" (V.250 §5.3).
    out.bytes = "AT" + std::string(c.name) + (c.basic ? "" : "=") + extra;
    describe(out, {&c, &f},
             "parameter on the " + std::string(protocol::to_string(f.kind)) + " form");
    return true;
  }
  std::vector<arg_value> args = valid_args(d, f, 255);  // every optional parameter present
  fields written = write_args(args);
  written.push_back(extra);
  out.bytes = protocol::format_fields(c, form::set, f.key, written);
  describe(out, {&c, &f},
           "with parameter " + std::to_string(written.size()) + " of " +
               std::to_string(f.params.size()));
  return true;
}

bool make_empty_field(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  if (!pick_param(
          d, filter, [](const param_spec&) { return true; }, f, i))
    return false;
  std::vector<arg_value> args = valid_args(d, *f.second, 255);
  fields written = write_args(args);
  std::string what;
  if (d.chance(1, 4)) {
    written.emplace_back();  // a trailing comma
    what = "trailing comma";
  } else {
    written[i].clear();  // `1,,3`
    what = "empty " + param_label(f.second->params[i]);
    out.param = std::string(f.second->params[i].name);
  }
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, written);
  describe(out, f, what);
  return true;
}

bool make_overlong_string(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  auto stringy = [](const param_spec& p) {
    return p.type == param_type::quoted_string || p.type == param_type::quoted_hex;
  };
  if (!pick_param(d, filter, stringy, f, i)) return false;
  const param_spec& p = f.second->params[i];
  std::vector<arg_value> args = args_through(d, *f.second, i);
  static constexpr std::array<std::int64_t, 4> beyond{2, 17, 300, 1000};
  const std::int64_t length = p.max + d.pick(std::span<const std::int64_t>(beyond));
  args[i] = string_of_length(d, p, static_cast<std::size_t>(length));
  match_send_length(*f.second, args);
  out.param = std::string(p.name);
  out.value = length;
  out.string_length = true;
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, write_args(args));
  describe(out, f, param_label(p) + " length " + std::to_string(length));
  return true;
}

bool make_overlong_line(draw& d, const command_filter& filter, std::size_t limit, fuzz_case& out) {
  const std::array<std::size_t, 4> lengths{limit - 1, limit, limit + 1, limit + 64};
  const std::size_t length = d.pick(std::span<const std::size_t>(lengths));
  const command_spec& c = *d.pick(filter.allowed());
  const form_spec& f = d.pick(c.forms);
  std::string line = valid_line(d, c, f);
  if (line.empty() || line.size() >= length) return false;
  const std::size_t pad = length - line.size();
  std::string how;
  const auto quote = line.rfind('"');
  if (quote != std::string::npos && d.chance(1, 2)) {
    line.insert(quote, filler_of_length(d, pad));  // the last string grows
    how = "string";
  } else if (d.chance(1, 2)) {
    line.append(pad, ' ');  // V.250 §5.1 ignores spaces, but they still count as line bytes
    how = "spaces";
  } else {
    line.append(filler_of_length(d, pad));
    how = "filler";
  }
  out.bytes = std::move(line);
  out.value = static_cast<std::int64_t>(length);
  describe(out, {&c, &f}, "padded with " + how + " to " + std::to_string(length) + " bytes");
  return true;
}

bool make_quoting(draw& d, const command_filter& filter, fuzz_case& out) {
  form_ref f;
  std::size_t i = 0;
  if (!pick_param(
          d, filter, [](const param_spec&) { return true; }, f, i))
    return false;
  const param_spec& p = f.second->params[i];
  std::vector<arg_value> args = args_through(d, *f.second, i);
  fields written = write_args(args);
  std::string& field = written[i];
  std::string what;
  if (!is_quoted_type(p)) {
    field = quoted(field);  // a needless quote around an integer
    what = "quoted integer ";
  } else {
    const std::string text = args[i].text;
    switch (d.below(3)) {
      case 0:
        field = "\"" + text;  // unterminated
        what = "unterminated quote in ";
        break;
      case 1: {
        const std::size_t at = text.empty() ? 0 : d.below(text.size() + 1);
        field = quoted(text.substr(0, at) + "\"" + text.substr(at));  // a quote inside
        what = "quote inside ";
        break;
      }
      default:
        field = text.empty() ? "x" : text;  // missing quotes
        what = "unquoted ";
        break;
    }
  }
  out.param = std::string(p.name);
  out.bytes = protocol::format_fields(*f.first, form::set, f.second->key, written);
  describe(out, f, what + param_label(p));
  return true;
}

}  // namespace bcconform::fuzzdev::detail
