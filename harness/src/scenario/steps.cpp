// Step mappings into model steps (specs/formats/scenario.md, "Steps"); includes in include.cpp,
// peer steps in peer.cpp.
#include "steps.hpp"

#include <functional>

#include "keys.hpp"
#include "text.hpp"

namespace bcconform::scenario::detail {
namespace {

// Far above any payload the module handles (AN 2.1.4, 2.1.5: at most 512 bytes a send or a
// read); the bound only keeps the number sane.
constexpr std::size_t max_payload_length = std::size_t{1} << 20;

const entry* find(const std::vector<entry>& es, std::string_view key) {
  for (const entry& e : es) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

// The one entry among `choices`; reports none or several.
const entry* one_of(const walker& w, const std::vector<entry>& es,
                    const std::set<std::string>& choices, const source_pos& where,
                    std::string_view what) {
  const entry* found = nullptr;
  for (const entry& e : es) {
    if (choices.count(e.key) == 0) continue;
    if (found != nullptr) {
      w.error(e.key_pos, std::string(what) + " takes one of " + join(choices) + ", not both '" +
                             found->key + "' and '" + e.key + "'");
      return nullptr;
    }
    found = &e;
  }
  if (found == nullptr) w.error(where, std::string(what) + " needs one of: " + join(choices));
  return found;
}

// The step options every kind may have besides its value; only `timeout` so far.
bool read_timeout(const walker& w, const std::vector<entry>& es, std::optional<duration>& out) {
  const entry* e = find(es, "timeout");
  if (e == nullptr) return true;
  out = w.duration_value(*e);
  if (out && out->count() == 0) {
    w.error(e->value_pos, "a timeout of zero never lets anything arrive");
    out.reset();
  }
  return out.has_value();
}

using body = std::optional<step_body>;

body parse_send(const value_reader& r, const std::vector<entry>& es) {
  auto line = r.text(*find(es, "send"), "send");
  if (!line) return std::nullopt;
  return send_step{std::move(*line)};
}

std::optional<line_matcher> parse_matcher_map(const value_reader& r, const YAML::Node& n,
                                              const source_pos& p) {
  const std::vector<entry> es = r.w().entries(n, "expect matcher", keys("matcher"));
  const entry* e = one_of(r.w(), es, keys("matcher"), p, "an expect matcher");
  if (e == nullptr) return std::nullopt;
  line_matcher m;
  m.pos = p;
  if (e->key == "payload") {
    auto v = parse_payload_value(r, *e);
    if (!v) return std::nullopt;
    m.match = line_matcher::kind::payload;
    m.payload = std::move(v->bytes);
    m.length = v->length;
    m.payload_re = std::move(v->pattern);
    return m;
  }
  std::optional<templated> t =
      e->key == "re" ? r.pattern(*e, "re", regex_flavor::line, true) : r.text(*e, e->key);
  if (!t) return std::nullopt;
  if (t->text.empty()) {
    r.w().error(e->value_pos, "an empty line never arrives; expect something");
    return std::nullopt;
  }
  m.match = e->key == "re" ? line_matcher::kind::regex : line_matcher::kind::exact;
  // `final: any` is any final result; `final: OK` is just the line OK.
  if (e->key == "final" && t->text == "any") m.match = line_matcher::kind::any_final;
  m.text = std::move(*t);
  return m;
}

std::optional<line_matcher> parse_matcher(const value_reader& r, const YAML::Node& n,
                                          const source_pos& p) {
  if (n.IsMap()) return parse_matcher_map(r, n, p);
  if (!n.IsScalar()) {
    r.w().error(p, "expected a line (a string) or a matcher ({line|re|final|payload: ...}), got " +
                       std::string(type_name(n)));
    return std::nullopt;
  }
  auto t = r.text(n, p, "expect");
  if (!t) return std::nullopt;
  if (t->text.empty()) {
    r.w().error(p, "an empty line never arrives; expect something");
    return std::nullopt;
  }
  line_matcher m;
  m.text = std::move(*t);
  m.pos = p;
  return m;
}

body parse_expect(const value_reader& r, const std::vector<entry>& es) {
  const entry& e = *find(es, "expect");
  expect_step s;
  bool ok = read_timeout(r.w(), es, s.timeout);
  if (!e.value.IsSequence()) {
    auto m = parse_matcher(r, e.value, e.value_pos);
    if (!m) return std::nullopt;
    s.lines.push_back(std::move(*m));
    return ok ? body(std::move(s)) : std::nullopt;
  }
  if (e.value.size() == 0) {
    r.w().error(e.value_pos, "expect needs at least one line");
    return std::nullopt;
  }
  for (const YAML::Node& item : e.value) {
    auto m = parse_matcher(r, item, item.IsNull() ? e.value_pos : r.w().pos(item));
    if (m) s.lines.push_back(std::move(*m));
    ok = ok && m.has_value();
  }
  return ok ? body(std::move(s)) : std::nullopt;
}

body parse_urc(const value_reader& r, const std::vector<entry>& es) {
  urc_step s;
  const bool ok = read_timeout(r.w(), es, s.timeout);
  auto p = r.pattern(*find(es, "urc"), "urc", regex_flavor::line, true);
  if (!p || !ok) return std::nullopt;
  s.pattern = std::move(*p);
  return s;
}

body parse_prompt(const value_reader& r, const std::vector<entry>& es) {
  const entry& e = *find(es, "prompt");
  prompt_step s;
  if (e.value.IsNull() || (e.value.IsScalar() && e.value.Scalar() == "true")) return s;
  if (!e.value.IsMap()) {
    r.w().error(e.value_pos, "prompt takes true, {} or {timeout: ...}, not " +
                                 (e.value.IsScalar() ? "'" + e.value.Scalar() + "'"
                                                     : std::string(type_name(e.value))));
    return std::nullopt;
  }
  const auto options = r.w().entries(e.value, "prompt", keys("prompt_options"));
  if (!read_timeout(r.w(), options, s.timeout)) return std::nullopt;
  return s;
}

std::optional<data_step::end> parse_end(const walker& w, const entry& e) {
  static const std::map<std::string, data_step::end, std::less<>> ends = {
      {"auto", data_step::end::automatic},
      {"ctrl-z", data_step::end::ctrl_z},
      {"esc", data_step::end::esc},
      {"none", data_step::end::none}};
  const auto s = w.scalar(e, "end");
  if (!s) return std::nullopt;
  const auto it = ends.find(*s);
  if (it != ends.end()) return it->second;
  w.error(e.value_pos, "end is one of auto, ctrl-z, esc, none; not '" + *s + "'");
  return std::nullopt;
}

body parse_data(const value_reader& r, const std::vector<entry>& es) {
  const entry& e = *find(es, "data");
  data_step s;
  if (!e.value.IsMap()) {
    auto t = r.text(e, "data");
    if (!t) return std::nullopt;
    s.bytes.value = std::move(*t);
    return s;
  }
  const auto options = r.w().entries(e.value, "data", keys("data_options"));
  bool ok = true;
  if (const entry* end = find(options, "end")) {
    const auto value = parse_end(r.w(), *end);
    if (value) s.terminator = *value;
    ok = value.has_value();
  }
  const entry* bytes = one_of(r.w(), options, {"text", "hex"}, e.value_pos, "data");
  if (bytes == nullptr) return std::nullopt;
  auto b = bytes->key == "hex" ? r.hex(*bytes) : std::nullopt;
  if (bytes->key == "text") {
    auto t = r.text(*bytes, "text");
    if (t) b = bytes_spec{bytes_spec::kind::text, std::move(*t)};
  }
  if (!b || !ok) return std::nullopt;
  s.bytes = std::move(*b);
  return s;
}

body parse_payload(const value_reader& r, const std::vector<entry>& es) {
  payload_step s;
  const bool ok = read_timeout(r.w(), es, s.timeout);
  auto v = parse_payload_value(r, *find(es, "payload"));
  if (!v || !ok) return std::nullopt;
  s.bytes = std::move(v->bytes);
  s.length = v->length;
  s.pattern = std::move(v->pattern);
  return s;
}

body parse_peer_step(const value_reader& r, const std::vector<entry>& es) {
  auto s = parse_peer(r, *find(es, "peer"));
  if (!s) return std::nullopt;
  return std::move(*s);
}

body parse_wait(const value_reader& r, const std::vector<entry>& es) {
  auto d = r.w().duration_value(*find(es, "wait"));
  if (!d) return std::nullopt;
  return wait_step{*d};
}

body parse_hook(const value_reader& r, const std::vector<entry>& es) {
  const entry& e = *find(es, "hook");
  auto name = r.w().scalar(e, "hook");
  if (!name) return std::nullopt;
  if (!is_id(*name)) {
    r.w().error(e.value_pos, "hook name '" + *name + "' is not [A-Za-z0-9._-]+");
    return std::nullopt;
  }
  return hook_step{std::move(*name)};
}

body parse_control(const value_reader& r, const std::vector<entry>& es) {
  const entry& e = *find(es, "control");
  control_step s;
  const entry* line = &e;
  std::vector<entry> options;  // outlives `line`, which may point into it
  if (e.value.IsMap()) {
    options = r.w().entries(e.value, "control", keys("control_options"));
    line = find(options, "line");
    if (line == nullptr) {
      r.w().error(e.value_pos, "control needs a line");
      return std::nullopt;
    }
    if (const entry* reply = find(options, "reply")) {
      s.expect_reply = r.pattern(*reply, "reply", regex_flavor::line, false);
      if (!s.expect_reply) return std::nullopt;
    }
  }
  auto t = r.text(*line, "control line");
  if (!t) return std::nullopt;
  if (t->text.empty()) {
    r.w().error(line->value_pos, "control line is empty");
    return std::nullopt;
  }
  s.line = std::move(*t);
  return s;
}

using kind_parser = body (*)(const value_reader&, const std::vector<entry>&);

const std::map<std::string, kind_parser, std::less<>>& kind_parsers() {
  static const std::map<std::string, kind_parser, std::less<>> parsers = {
      {"send", parse_send},      {"expect", parse_expect}, {"urc", parse_urc},
      {"prompt", parse_prompt},  {"data", parse_data},     {"payload", parse_payload},
      {"peer", parse_peer_step}, {"wait", parse_wait},     {"hook", parse_hook},
      {"control", parse_control}};
  return parsers;
}

// The kind key of step mapping `n`, or "" after reporting why there is none.
std::string step_kind(const walker& w, const YAML::Node& n, const source_pos& p) {
  std::string kind;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar() || step_kinds().count(it->first.Scalar()) == 0) continue;
    const std::string key = it->first.Scalar();
    if (!kind.empty() && key != kind) {
      w.error(w.pos(it->first), "a step has exactly one kind, found '" + kind + "' and '" + key +
                                    "'; write them as two steps ('- " + kind + ": ...' then '- " +
                                    key + ": ...')");
      return {};
    }
    kind = key;
  }
  if (!kind.empty()) return kind;
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string near = it->first.IsScalar() ? closest(it->first.Scalar(), step_kinds()) : "";
    if (near.empty()) continue;
    w.error(w.pos(it->first),
            "unknown step kind '" + it->first.Scalar() + "' (did you mean '" + near + "'?)");
    return {};
  }
  w.error(p, "a step needs one of: " + join(step_kinds()));
  return {};
}

void parse_one(const YAML::Node& n, const source_pos& p, const walker& w, load_context& ctx,
               std::vector<parsed_step>& out) {
  if (!n.IsMap()) {
    std::string message =
        "expected a step (a mapping such as '- send: AT'), got " + std::string(type_name(n));
    if (n.IsScalar()) message += " '" + n.Scalar() + "'";
    w.error(p, std::move(message));
    return;
  }
  const std::string kind = step_kind(w, n, p);
  if (kind.empty()) return;
  const std::vector<entry> es = w.entries(n, kind + " step", keys(kind));
  if (kind == "include") {
    include_steps(*find(es, "include"), p, w, ctx, out);
    return;
  }
  parsed_step ps;
  ps.value.pos = p;
  const value_reader r(w, ps.refs);
  body b = kind_parsers().find(kind)->second(r, es);
  ps.valid = b.has_value();
  if (b) ps.value.body = std::move(*b);
  out.push_back(std::move(ps));
}

}  // namespace

std::optional<templated> value_reader::text(const entry& e, std::string_view what) const {
  return text(e.value, e.value_pos, what);
}

std::optional<templated> value_reader::text(const YAML::Node& n, const source_pos& p,
                                            std::string_view what) const {
  auto s = w_.scalar(n, p, what);
  if (!s) return std::nullopt;
  template_scan scan = scan_template(*s);
  if (!scan.error.empty()) {
    w_.error(p, std::move(scan.error));
    return std::nullopt;
  }
  for (std::string& name : scan.names) refs_.uses.push_back({std::move(name), p});
  return templated{std::move(*s)};
}

std::optional<templated> value_reader::pattern(const entry& e, std::string_view what,
                                               regex_flavor flavor, bool capture) const {
  return pattern(e.value, e.value_pos, what, flavor, capture);
}

std::optional<templated> value_reader::pattern(const YAML::Node& n, const source_pos& p,
                                               std::string_view what, regex_flavor flavor,
                                               bool capture) const {
  auto t = text(n, p, what);
  if (!t) return std::nullopt;
  if (t->text.empty()) {
    w_.error(p, "empty pattern in " + std::string(what));
    return std::nullopt;
  }
  regex_info info = check_regex(t->text, flavor, true);
  if (!info.error.empty()) {
    w_.error(p, "bad regular expression in " + std::string(what) + ": " + info.error);
    return std::nullopt;
  }
  bool ok = true;
  for (std::string& name : info.groups) {
    if (!capture) continue;
    if (!is_var_name(name)) {
      w_.error(p, "group name '" + name + "' is not a variable name ([A-Za-z_][A-Za-z0-9_]*)");
      ok = false;
      continue;
    }
    refs_.captures.push_back({std::move(name), p});
  }
  if (!ok) return std::nullopt;
  return t;
}

std::optional<bytes_spec> value_reader::hex(const entry& e) const {
  auto s = w_.scalar(e, "hex");
  if (!s) return std::nullopt;
  std::string error;
  auto digits = normalize_hex(*s, error);
  if (digits && digits->empty()) error = "no hex digits";
  if (!digits || digits->empty()) {
    w_.error(e.value_pos, "bad hex bytes: " + error);
    return std::nullopt;
  }
  return bytes_spec{bytes_spec::kind::hex, templated{std::move(*digits)}};
}

std::optional<std::size_t> value_reader::length(const entry& e) const {
  auto s = w_.scalar(e, "length");
  if (!s) return std::nullopt;
  auto n = parse_count(*s, max_payload_length);
  if (!n) {
    w_.error(e.value_pos, "length '" + *s + "' is not a whole number of bytes up to " +
                              std::to_string(max_payload_length));
  }
  return n;
}

std::optional<payload_value> parse_payload_value(const value_reader& r, const entry& e) {
  payload_value v;
  if (!e.value.IsMap()) {
    auto t = r.text(e, "payload");
    if (!t) return std::nullopt;
    v.bytes = bytes_spec{bytes_spec::kind::text, std::move(*t)};
    return v;
  }
  const auto es = r.w().entries(e.value, "payload", keys("payload_spec"));
  const entry* which = one_of(r.w(), es, keys("payload_spec"), e.value_pos, "payload");
  if (which == nullptr) return std::nullopt;
  if (which->key == "text") {
    auto t = r.text(*which, "text");
    if (t) v.bytes = bytes_spec{bytes_spec::kind::text, std::move(*t)};
    return t ? std::optional(std::move(v)) : std::nullopt;
  }
  if (which->key == "hex") v.bytes = r.hex(*which);
  if (which->key == "length") v.length = r.length(*which);
  if (which->key == "re") v.pattern = r.pattern(*which, "re", regex_flavor::bytes, false);
  if (!v.bytes && !v.length && !v.pattern) return std::nullopt;
  return v;
}

void parse_steps(const YAML::Node& seq, const source_pos& where, std::string_view what,
                 const walker& w, load_context& ctx, std::vector<parsed_step>& out) {
  if (!seq.IsSequence()) {
    w.error(where, "expected a list of steps for " + std::string(what) + ", got " +
                       std::string(type_name(seq)));
    return;
  }
  for (const YAML::Node& item : seq) {
    parse_one(item, item.IsNull() ? where : w.pos(item), w, ctx, out);
  }
}

}  // namespace bcconform::scenario::detail
