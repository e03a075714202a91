// peer: the remote end of the module's sockets (harness/include/bcconform/peer), bound to the
// lab's peer address. Peer waits use the real steady clock (the peer library's deadlines).
//
// Outcomes: what shows the module's behaviour is `fail` (bytes that differ, a stream that ends
// or resets while bytes are expected, a timeout waiting for the module, a refused connection
// to the module's listener); what shows a harness or scenario problem is `error` (binding,
// unknown objects, bad addresses or patterns, socket errors).
#include <charconv>

#include "bcconform/protocol/transcript.hpp"
#include "matching.hpp"
#include "steps.hpp"

namespace bcconform::runner::detail {
namespace {

using op = scenario::peer_step::op;

std::string_view op_name(op a) {
  switch (a) {
    case op::tcp_listen:
      return "tcp_listen";
    case op::udp_open:
      return "udp_open";
    case op::accept:
      return "accept";
    case op::connect:
      return "connect";
    case op::send:
      return "send";
    case op::expect:
      return "expect";
    case op::close:
      return "close";
    case op::reset:
      return "reset";
    case op::expect_close:
      return "expect_close";
    case op::dns:
      return "dns";
    case op::sntp:
      return "sntp";
  }
  return "?";
}

bool is_module_fault(const std::error_code& code) {
  using peer::errc;
  return code == errc::timed_out || code == errc::end_of_stream || code == errc::connection_reset ||
         code == errc::mismatch || code == errc::connection_refused;
}

step_outcome from_peer(const protocol::error& e, const std::string& what) {
  std::string message = what + ": " + e.code.message();
  if (!e.detail.empty()) message += ": " + e.detail;
  return is_module_fault(e.code) ? step_outcome::fail(message) : step_outcome::error(message);
}

std::optional<peer::endpoint> parse_endpoint(std::string_view s) {
  std::string_view host, port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find("]:");
    if (close == std::string_view::npos) return std::nullopt;
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return std::nullopt;
  }
  return peer::endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

void define(variables& vars, const std::string& name, const peer::endpoint& local) {
  vars.set(name + ".address", local.address);
  vars.set(name + ".port", std::to_string(local.port));
}

// A connection also names the other end: the module's address and port.
void define_connection(variables& vars, const std::string& name, const peer::tcp_connection& c) {
  define(vars, name, c.local_endpoint());
  const auto remote = c.remote_endpoint();
  vars.set(name + ".remote_address", remote.address);
  vars.set(name + ".remote_port", std::to_string(remote.port));
}

struct peer_job {
  const scenario::peer_step& step;
  run_state& st;
  peer::host& host;
  peer::deadline until;

  std::string what() const {
    return "peer " + std::string(op_name(step.action)) + " " + step.object;
  }
  step_outcome missing() const {
    return step_outcome::error("no peer object `" + step.object + "`");
  }
  bool exists(const std::string& name) const {
    const auto& p = st.peers;
    return p.servers.count(name) + p.connections.count(name) + p.udp.count(name) +
               p.dns.count(name) + p.sntp.count(name) >
           0;
  }
};

// Creates the object and stores it under the step's name, defining NAME.address/NAME.port.
template <class Object, class Options, class Start>
step_outcome create_as(peer_job& j, std::map<std::string, Object>& into, Start start) {
  const std::string& name = j.step.object;
  if (j.exists(name)) return step_outcome::error("peer object `" + name + "` exists already");
  Options o;
  o.bind_address = j.st.ctx.peer_bind_address;
  auto made = start(j.host, o);
  if (!made) return step_outcome::error(j.what() + ": " + made.error().detail);
  define(j.st.vars, name, made->local_endpoint());
  into.emplace(name, std::move(*made));
  return step_outcome::success();
}

step_outcome create(peer_job& j) {
  auto& p = j.st.peers;
  switch (j.step.action) {
    case op::tcp_listen:
      return create_as<peer::tcp_server, peer::server_options>(j, p.servers,
                                                               &peer::tcp_server::listen);
    case op::udp_open:
      return create_as<peer::udp_peer, peer::udp_options>(j, p.udp, &peer::udp_peer::open);
    default:
      return create_as<peer::sntp_responder, peer::sntp_options>(j, p.sntp,
                                                                 &peer::sntp_responder::start);
  }
}

step_outcome run_dns(peer_job& j) {
  auto& p = j.st.peers;
  if (p.dns.count(j.step.object) == 0) {
    if (j.exists(j.step.object)) {
      return step_outcome::error("peer object `" + j.step.object + "` is not a dns responder");
    }
    auto made =
        create_as<peer::dns_responder, peer::dns_options>(j, p.dns, &peer::dns_responder::start);
    if (!made.ok()) return made;
  }
  auto it = p.dns.find(j.step.object);
  // Records are literal (scenario.md: dns records take no variables).
  for (const auto& [host_name, addresses] : j.step.records) {
    if (auto r = it->second.set_record(host_name, addresses); !r) {
      return step_outcome::error(j.what() + ": " + r.error().detail);
    }
  }
  return step_outcome::success();
}

protocol::result<peer::endpoint> target(peer_job& j) {
  if (!j.step.to) return harness_error(j.what() + ": no `to` address");
  auto text = j.st.vars.expand(*j.step.to);
  if (!text) return text.error();
  auto ep = parse_endpoint(*text);
  if (!ep) return harness_error(j.what() + ": `" + *text + "` is not HOST:PORT");
  return *ep;
}

step_outcome run_accept(peer_job& j) {
  auto it = j.st.peers.servers.find(j.step.object);
  if (it == j.st.peers.servers.end()) return j.missing();
  if (j.step.as.empty() || j.exists(j.step.as)) {
    return step_outcome::error(j.what() + ": `as` must name a new object");
  }
  auto c = it->second.accept(j.until);
  if (!c) return from_peer(c.error(), j.what() + ": no connection from the module");
  define_connection(j.st.vars, j.step.as, *c);
  j.st.peers.connections.emplace(j.step.as, std::move(*c));
  return step_outcome::success();
}

step_outcome run_connect(peer_job& j) {
  if (j.exists(j.step.object)) {
    return step_outcome::error("peer object `" + j.step.object + "` exists already");
  }
  auto to = target(j);
  if (!to) return step_outcome::error(to.error().detail);
  peer::connect_options o;
  o.bind_address = j.st.ctx.peer_bind_address;
  auto c = peer::tcp_connect(j.host, *to, j.until, o);
  if (!c) return from_peer(c.error(), j.what() + " to " + to->to_string());
  define_connection(j.st.vars, j.step.object, *c);
  j.st.peers.connections.emplace(j.step.object, std::move(*c));
  return step_outcome::success();
}

step_outcome run_send(peer_job& j) {
  if (!j.step.bytes) return step_outcome::error(j.what() + ": nothing to send");
  auto bytes = expand_bytes(*j.step.bytes, j.st.vars);
  if (!bytes) return step_outcome::error(bytes.error().detail);
  if (auto c = j.st.peers.connections.find(j.step.object); c != j.st.peers.connections.end()) {
    auto r = c->second.send(*bytes, j.until);
    return r ? step_outcome::success() : from_peer(r.error(), j.what());
  }
  auto u = j.st.peers.udp.find(j.step.object);
  if (u == j.st.peers.udp.end()) return j.missing();
  peer::endpoint to;
  if (j.step.to) {
    auto t = target(j);
    if (!t) return step_outcome::error(t.error().detail);
    to = *t;
  } else if (auto last = j.st.peers.udp_last_sender.find(j.step.object);
             last != j.st.peers.udp_last_sender.end()) {
    to = last->second;
  } else {
    return step_outcome::error(j.what() + ": no `to` and no datagram received yet");
  }
  auto r = u->second.send_to(*bytes, to, j.until);
  return r ? step_outcome::success() : from_peer(r.error(), j.what());
}

step_outcome check_bytes(peer_job& j, std::string_view got, bool whole) {
  const payload_expectation want{j.step.bytes, j.step.length, j.step.pattern};
  auto m = match_payload(want, got, j.st.vars);
  if (m.result == match_outcome::status::error) return step_outcome::error(m.detail);
  if (!m.ok()) {
    return step_outcome::fail(j.what() + ": " + m.detail, describe(want),
                              (whole ? "" : "bytes ") + protocol::escape_bytes(got));
  }
  for (auto& [name, value] : m.groups) j.st.vars.set(name, std::move(value));
  return step_outcome::success();
}

step_outcome expect_stream(peer_job& j, peer::tcp_connection& c) {
  if (j.step.length) {
    auto got = c.read_exactly(*j.step.length, j.until);
    if (!got) return from_peer(got.error(), j.what());
    return check_bytes(j, *got, false);
  }
  if (j.step.bytes) {
    auto want = expand_bytes(*j.step.bytes, j.st.vars);
    if (!want) return step_outcome::error(want.error().detail);
    auto r = c.expect_exact(*want, j.until);
    return r ? step_outcome::success() : from_peer(r.error(), j.what());
  }
  if (!j.step.pattern) return step_outcome::error(j.what() + ": nothing to expect");
  auto text = j.st.vars.expand_pattern(*j.step.pattern);
  if (!text) return step_outcome::error(text.error().detail);
  auto re = pattern::compile(*text, encoding::latin1);
  if (!re) return step_outcome::error(re.error().detail);
  auto got = c.read_until_pattern(*text, j.until);
  if (!got) return from_peer(got.error(), j.what());
  captures groups;
  re->partial_match(got->consumed, &groups);
  for (auto& [name, value] : groups) j.st.vars.set(name, std::move(value));
  return step_outcome::success();
}

// UDP keeps datagram boundaries: one datagram is compared whole (a pattern must match all of
// it, like a line).
step_outcome expect_datagram(peer_job& j, peer::udp_peer& u) {
  auto d = u.receive(j.until);
  if (!d) return from_peer(d.error(), j.what());
  j.st.peers.udp_last_sender[j.step.object] = d->from;
  return check_bytes(j, d->bytes, true);
}

step_outcome run_expect(peer_job& j) {
  if (auto c = j.st.peers.connections.find(j.step.object); c != j.st.peers.connections.end()) {
    return expect_stream(j, c->second);
  }
  if (auto u = j.st.peers.udp.find(j.step.object); u != j.st.peers.udp.end()) {
    return expect_datagram(j, u->second);
  }
  return j.missing();
}

step_outcome run_close(peer_job& j) {
  auto& p = j.st.peers;
  const std::string& n = j.step.object;
  if (auto c = p.connections.find(n); c != p.connections.end()) {
    j.step.action == op::reset ? c->second.reset() : c->second.close();
    return step_outcome::success();
  }
  if (j.step.action == op::reset) return j.missing();
  if (auto s = p.servers.find(n); s != p.servers.end()) {
    s->second.close();
  } else if (auto u = p.udp.find(n); u != p.udp.end()) {
    u->second.close();
  } else if (auto d = p.dns.find(n); d != p.dns.end()) {
    d->second.close();
  } else if (auto t = p.sntp.find(n); t != p.sntp.end()) {
    t->second.close();
  } else {
    return j.missing();
  }
  return step_outcome::success();
}

// FIN or RST: either way the module closed the connection (AN 2.1.2, 2.2.1).
step_outcome run_expect_close(peer_job& j) {
  auto c = j.st.peers.connections.find(j.step.object);
  if (c == j.st.peers.connections.end()) return j.missing();
  auto r = c->second.expect_eof(j.until);
  if (r || r.error().code == peer::errc::connection_reset) return step_outcome::success();
  return from_peer(r.error(), j.what());
}

}  // namespace

step_outcome run_peer(const scenario::peer_step& s, run_state& st) {
  if (st.ctx.peers == nullptr) return step_outcome::error("no peer host: peer steps unavailable");
  peer_job j{s, st, *st.ctx.peers, peer::deadline_in(s.timeout.value_or(default_peer_budget))};
  switch (s.action) {
    case op::tcp_listen:
    case op::udp_open:
    case op::sntp:
      return create(j);
    case op::dns:
      return run_dns(j);
    case op::accept:
      return run_accept(j);
    case op::connect:
      return run_connect(j);
    case op::send:
      return run_send(j);
    case op::expect:
      return run_expect(j);
    case op::close:
    case op::reset:
      return run_close(j);
    case op::expect_close:
      return run_expect_close(j);
  }
  return step_outcome::error("unknown peer action");
}

}  // namespace bcconform::runner::detail
