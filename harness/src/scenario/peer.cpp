// `peer:` steps: the remote ends of the module's sockets (bcconform/peer). Each mapping holds
// one action key naming the object it acts on or creates, and that action's options.
#include <algorithm>
#include <functional>

#include "keys.hpp"
#include "steps.hpp"
#include "text.hpp"

namespace bcconform::scenario::detail {
namespace {

using op = peer_step::op;

struct action_info {
  op action;
  std::optional<object_kind> creates;  ///< the object named by the action key is new
};

const std::map<std::string, action_info, std::less<>>& actions() {
  static const std::map<std::string, action_info, std::less<>> table = {
      {"tcp_listen", {op::tcp_listen, object_kind::tcp_listener}},
      {"udp_open", {op::udp_open, object_kind::udp}},
      {"accept", {op::accept, std::nullopt}},
      {"connect", {op::connect, object_kind::connection}},
      {"send", {op::send, std::nullopt}},
      {"expect", {op::expect, std::nullopt}},
      {"close", {op::close, std::nullopt}},
      {"reset", {op::reset, std::nullopt}},
      {"expect_close", {op::expect_close, std::nullopt}},
      {"dns", {op::dns, object_kind::dns}},
      {"sntp", {op::sntp, object_kind::sntp}}};
  return table;
}

const entry* find(const std::vector<entry>& es, std::string_view key) {
  const auto it = std::find_if(es.begin(), es.end(), [&](const entry& e) { return e.key == key; });
  return it == es.end() ? nullptr : &*it;
}

// The action key of peer mapping `n`, or "" after reporting.
std::string action_key(const walker& w, const YAML::Node& n, const source_pos& p) {
  std::string found;
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar() || peer_actions().count(it->first.Scalar()) == 0) continue;
    if (!found.empty()) {
      w.error(w.pos(it->first), "a peer step has exactly one action, found '" + found + "' and '" +
                                    it->first.Scalar() + "'");
      return {};
    }
    found = it->first.Scalar();
  }
  if (found.empty()) w.error(p, "a peer step needs one of: " + join(peer_actions()));
  return found;
}

std::optional<std::string> object_name(const walker& w, const entry& e) {
  auto name = w.scalar(e, "a peer object name");
  if (name && !is_object_name(*name)) {
    w.error(e.value_pos, "peer object name '" + *name + "' is not [A-Za-z_][A-Za-z0-9_-]*");
    return std::nullopt;
  }
  return name;
}

bool is_dns_name(std::string_view s) {
  return !s.empty() && s.size() <= 253 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

bool parse_records(const walker& w, const entry& e, peer_step& s) {
  if (!w.is_mapping(e.value, e.value_pos, "records")) return false;
  bool ok = true;
  for (auto it = e.value.begin(); it != e.value.end(); ++it) {
    const source_pos key_pos = w.pos(it->first);
    const auto name = w.scalar(it->first, key_pos, "a record name");
    if (name && !is_dns_name(*name)) w.error(key_pos, "'" + *name + "' is not a host name");
    if (name && s.records.count(*name) != 0) w.error(key_pos, "duplicate record '" + *name + "'");
    const entry value{name.value_or(""), it->second, key_pos,
                      it->second.IsNull() ? key_pos : w.pos(it->second)};
    const auto addresses =
        w.scalar_list(value, "records of '" + value.key + "'", [](const std::string& a) {
          return is_ipv4(a) ? std::string() : "'" + a + "' is not an IPv4 address";
        });
    const bool good = name && is_dns_name(*name) && s.records.count(*name) == 0 && addresses;
    if (good) s.records[*name] = *addresses;
    ok = ok && good;
  }
  return ok;
}

// The options of send / expect: which bytes, or (expect) how many, or what pattern.
bool parse_bytes(const value_reader& r, const std::vector<entry>& es, const source_pos& p,
                 const std::string& action, peer_step& s) {
  const std::set<std::string> choices = action == "send"
                                            ? std::set<std::string>{"text", "hex"}
                                            : std::set<std::string>{"text", "hex", "length", "re"};
  const entry* which = nullptr;
  for (const entry& e : es) {
    if (choices.count(e.key) == 0) continue;
    if (which != nullptr) {
      r.w().error(e.key_pos, "peer " + action + " takes one of " + join(choices) + ", not both '" +
                                 which->key + "' and '" + e.key + "'");
      return false;
    }
    which = &e;
  }
  if (which == nullptr) {
    r.w().error(p, "peer " + action + " needs one of: " + join(choices));
    return false;
  }
  if (which->key == "text") {
    auto t = r.text(*which, "text");
    if (t) s.bytes = bytes_spec{bytes_spec::kind::text, std::move(*t)};
  }
  if (which->key == "hex") s.bytes = r.hex(*which);
  if (which->key == "length") s.length = r.length(*which);
  if (which->key == "re") s.pattern = r.pattern(*which, "re", regex_flavor::bytes, true);
  return s.bytes || s.length || s.pattern;
}

// What the action needs besides its object: `as`, `to`, bytes, records.
bool parse_options(const value_reader& r, const std::vector<entry>& es, const source_pos& p,
                   const std::string& action, peer_step& s) {
  const walker& w = r.w();
  if (action == "accept") {
    const entry* as = find(es, "as");
    if (as == nullptr) {
      w.error(p, "peer accept needs 'as', the name of the new connection");
      return false;
    }
    auto name = object_name(w, *as);
    if (name) r.refs().object_defs.push_back({*name, object_kind::connection, as->value_pos});
    s.as = name.value_or("");
    return name.has_value();
  }
  bool ok = true;
  if (const entry* to = find(es, "to")) {
    s.to = r.text(*to, "to");
    ok = s.to.has_value();
  } else if (action == "connect") {
    w.error(p, "peer connect needs 'to', the module's HOST:PORT");
    ok = false;
  }
  if (action == "send" || action == "expect") ok = parse_bytes(r, es, p, action, s) && ok;
  if (const entry* records = find(es, "records")) ok = parse_records(w, *records, s) && ok;
  return ok;
}

}  // namespace

std::optional<peer_step> parse_peer(const value_reader& r, const entry& e) {
  const walker& w = r.w();
  if (!w.is_mapping(e.value, e.value_pos, "peer")) return std::nullopt;
  const std::string action = action_key(w, e.value, e.value_pos);
  if (action.empty()) return std::nullopt;
  const std::vector<entry> es = w.entries(e.value, "peer " + action, keys("peer." + action));
  const entry* subject = find(es, action);
  if (subject == nullptr) return std::nullopt;  // a repeated key, reported
  const action_info& info = actions().find(action)->second;
  peer_step s;
  s.action = info.action;
  auto name = object_name(w, *subject);
  bool ok = name.has_value();
  if (name && info.creates)
    r.refs().object_defs.push_back({*name, *info.creates, subject->value_pos});
  if (name && !info.creates) {
    r.refs().object_uses.push_back(
        {*name, info.action, find(es, "to") != nullptr, subject->value_pos});
  }
  s.object = name.value_or("");
  ok = parse_options(r, es, e.value_pos, action, s) && ok;
  if (const entry* t = find(es, "timeout")) {
    s.timeout = w.duration_value(*t);
    if (s.timeout && s.timeout->count() == 0) {
      w.error(t->value_pos, "a timeout of zero never lets anything arrive");
      s.timeout.reset();
    }
    ok = ok && s.timeout.has_value();
  }
  if (!ok) return std::nullopt;
  return s;
}

}  // namespace bcconform::scenario::detail
