#include "scope.hpp"

#include <map>

#include "text.hpp"

namespace bcconform::scenario::detail {
namespace {

using op = peer_step::op;

struct known_object {
  object_kind kind;
  source_pos pos;
};

struct scope {
  std::map<std::string, source_pos> vars;  ///< line 0: defined outside the steps
  std::map<std::string, known_object> objects;
};

const char* kind_name(object_kind k) {
  switch (k) {
    case object_kind::tcp_listener:
      return "a tcp_listen listener";
    case object_kind::udp:
      return "a udp_open socket";
    case object_kind::connection:
      return "a TCP connection";
    case object_kind::dns:
      return "a dns responder";
    case object_kind::sntp:
      return "an sntp responder";
  }
  return "?";
}

// What `action` needs of its object, or "" when `k` will do.
std::string mismatch(op action, object_kind k, bool has_to) {
  const bool stream = k == object_kind::connection;
  const bool socket = stream || k == object_kind::udp;
  switch (action) {
    case op::accept:
      return k == object_kind::tcp_listener ? "" : "peer accept needs a tcp_listen listener";
    case op::send:
      if (has_to && k != object_kind::udp) return "'to' applies to udp_open sockets only";
      return socket ? "" : "peer send needs a TCP connection or a udp_open socket";
    case op::expect:
      return socket ? "" : "peer expect needs a TCP connection or a udp_open socket";
    case op::reset:
    case op::expect_close:
      return stream ? "" : "peer reset and expect_close need a TCP connection";
    default:
      return "";
  }
}

class checker {
 public:
  checker(scope& s, const scope* steps_only, diagnostics& diag)
      : s_(s), steps_only_(steps_only), diag_(diag) {}

  void run(const std::vector<const parsed_step*>& steps) {
    for (const parsed_step* ps : steps) {
      for (const name_ref& u : ps->refs.uses) use_var(u);
      for (const object_use& u : ps->refs.object_uses) use_object(u);
      for (const name_ref& c : ps->refs.captures) s_.vars[c.name] = c.pos;
      for (const object_def& d : ps->refs.object_defs) define_object(d);
    }
  }

 private:
  // Set when this is teardown and `name` is something only the steps define.
  const source_pos* only_in_steps(const std::string& name, bool object) const {
    if (steps_only_ == nullptr) return nullptr;
    if (object) {
      const auto it = steps_only_->objects.find(name);
      return it == steps_only_->objects.end() ? nullptr : &it->second.pos;
    }
    const auto it = steps_only_->vars.find(name);
    return it == steps_only_->vars.end() ? nullptr : &it->second;
  }

  void use_var(const name_ref& u) {
    if (s_.vars.count(u.name) != 0) return;
    if (const source_pos* at = only_in_steps(u.name, false)) {
      diag_.add(u.pos, "variable '" + u.name + "' is defined only by a step (at " +
                           at->to_string() +
                           "), which may not have run when teardown runs; teardown may use what "
                           "vars, setup and teardown itself define");
      return;
    }
    std::set<std::string> names;
    for (const auto& [name, pos] : s_.vars) names.insert(name);
    std::string message = "undefined variable '" + u.name + "'";
    const std::string near = closest(u.name, names);
    if (!near.empty()) message += " (did you mean '" + near + "'?)";
    diag_.add(u.pos, message + "; define it in vars, capture it with (?P<" + u.name +
                         ">...) in an earlier step, or pass it with --var");
  }

  void use_object(const object_use& u) {
    const auto it = s_.objects.find(u.name);
    if (it == s_.objects.end()) {
      if (const source_pos* at = only_in_steps(u.name, true)) {
        diag_.add(u.pos, "peer object '" + u.name + "' is created only by a step (at " +
                             at->to_string() +
                             "), which may not have run when teardown runs; peer objects are "
                             "released when the case ends");
        return;
      }
      diag_.add(u.pos, "peer object '" + u.name +
                           "' does not exist here; create it first (tcp_listen, udp_open, dns, "
                           "sntp, connect, or accept with as)");
      return;
    }
    const std::string why = mismatch(u.action, it->second.kind, u.has_to);
    if (!why.empty()) {
      diag_.add(u.pos, why + "; '" + u.name + "' is " + kind_name(it->second.kind) +
                           " (created at " + it->second.pos.to_string() + ")");
    }
  }

  void define_object(const object_def& d) {
    const auto it = s_.objects.find(d.name);
    if (it != s_.objects.end()) {
      diag_.add(d.pos, "peer object '" + d.name + "' already exists (created at " +
                           it->second.pos.to_string() + ")");
      return;
    }
    if (const source_pos* at = only_in_steps(d.name, true)) {
      diag_.add(d.pos, "peer object '" + d.name + "' is also created by a step (at " +
                           at->to_string() +
                           "), so teardown cannot know whether it exists; use another name");
      return;
    }
    s_.objects[d.name] = {d.kind, d.pos};
    s_.vars[d.name + ".address"] = d.pos;
    s_.vars[d.name + ".port"] = d.pos;
  }

  scope& s_;
  const scope* steps_only_;
  diagnostics& diag_;
};

}  // namespace

void check_scope(const std::set<std::string>& base, const std::vector<const parsed_step*>& setup,
                 const std::vector<const parsed_step*>& steps,
                 const std::vector<const parsed_step*>& teardown, diagnostics& diag) {
  scope after_setup;
  for (const std::string& name : base) after_setup.vars[name] = {};
  checker(after_setup, nullptr, diag).run(setup);
  scope after_steps = after_setup;
  checker(after_steps, nullptr, diag).run(steps);
  scope in_teardown = after_setup;
  checker(in_teardown, &after_steps, diag).run(teardown);
}

}  // namespace bcconform::scenario::detail
