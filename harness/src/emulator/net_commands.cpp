// Network service commands: AT+QPING (AN 2.1.8), AT+QNTP (AN 2.1.9), AT+QIDNSGIP (AN 2.1.10).
// Each answers OK at once and reports through URCs when the host's answers arrive; each wait
// has a deadline of its own, so a host that never answers still ends the operation.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "bcconform/protocol/decoders.hpp"
#include "socket_internal.hpp"

namespace bcconform::emulator {
namespace {

using detail::int_arg;
using detail::text_arg;
namespace qi_err = detail::qi_err;
using protocol::parsed_command;
using std::chrono::milliseconds;

// AN 3 table 2.
constexpr int ping_echo = 0;
constexpr int ping_timeout = 1;
constexpr int ping_success = 2;
constexpr int ping_tcpip_error = 3;
constexpr int ping_address_not_found = 4;
constexpr int ping_pdp_act_fail = 5;

bool documented_code(int err) {
  return err >= 550 && err <= 574;  // AN 3 table 1
}

/// Resolves `host` (or takes it as it is when it is an address) and calls `then` with the
/// answer: the addresses, or an error event / nullptr (deadline) on failure.
void resolve(interpreter::state& s, const std::string& host,
             std::function<void(const std::vector<std::string>*, const net_event*)> then) {
  if (detail::is_ip_literal(host)) {
    const std::vector<std::string> one{host};
    then(&one, nullptr);
    return;
  }
  net_request r;
  r.type = net_request::kind::dns_lookup;
  r.remote = {host, 0};
  r.dns_servers = detail::dns_servers(s);
  r.token = detail::await_within(s, detail::dns_limit(s), [then](const net_event* e) {
    if (e != nullptr && e->error == 0 && !e->addresses.empty()) return then(&e->addresses, e);
    then(nullptr, e);
  });
  detail::request(s, std::move(r));
}

// --- AT+QPING (AN 2.1.8) -----------------------------------------------------------------------

struct ping_session {
  std::string ip;
  int left = 0;  ///< requests still to send
  int sent = 0, rcvd = 0;
  int min = 0, max = 0;
  std::int64_t total = 0;
  milliseconds timeout{0};
  int size = 32;
};

void next_ping(interpreter::state& s, std::shared_ptr<ping_session> p);

void ping_summary(interpreter::state& s, const ping_session& p) {
  // E25: counts of requests; E24: integer average; all lost still completes the operation
  // (E63: "+QPING: 2,<n>,0,<n>,0,0,0").
  protocol::qping_urc u;
  u.kind = protocol::qping_urc::shape::summary;
  u.code = ping_success;
  u.sent = p.sent;
  u.rcvd = p.rcvd;
  u.lost = p.sent - p.rcvd;
  u.min = p.min;
  u.max = p.max;
  u.avg = p.rcvd > 0 ? static_cast<int>(p.total / p.rcvd) : 0;
  s.urc(protocol::encode_line(u));
  s.net_busy.ping = false;
}

void on_ping_answer(interpreter::state& s, const std::shared_ptr<ping_session>& p,
                    const net_event* e) {
  protocol::qping_urc u;
  if (e == nullptr || e->error == ping_timeout) {
    u.code = ping_timeout;  // AN 2.1.8 <result> 1
  } else if (e->error != 0) {
    // E26: table 2 codes; any other failure (a destination off the allow-list, reported with
    // a table 1 code) is 3 PING_TCPIP_ERROR.
    u.code = e->error > ping_timeout && e->error <= ping_pdp_act_fail ? e->error : ping_tcpip_error;
  } else {
    const int ms = static_cast<int>(e->rtt.count());
    p->min = p->rcvd == 0 ? ms : std::min(p->min, ms);
    p->max = p->rcvd == 0 ? ms : std::max(p->max, ms);
    p->total += ms;
    ++p->rcvd;
    u.kind = protocol::qping_urc::shape::reply;
    u.code = ping_echo;
    u.ip = p->ip;                          // E23: one address per session
    u.ip_quoted = s.prof.qping_ip_quoted;  // E22
    u.bytes = p->size;
    u.time_ms = ms;
    u.ttl = e->ttl;
  }
  s.urc(protocol::encode_line(u));
  next_ping(s, p);
}

void next_ping(interpreter::state& s, std::shared_ptr<ping_session> p) {
  if (p->left == 0) return ping_summary(s, *p);
  --p->left;
  ++p->sent;
  net_request r;
  r.type = net_request::kind::ping;
  r.remote = {p->ip, 0};
  r.ping_size = p->size;
  r.timeout = p->timeout;
  // The host answers a timeout itself (error 1); one second more is the interpreter's own
  // guard for a host that never answers.
  r.token = detail::await_within(s, p->timeout + milliseconds(1000),
                                 [&s, p](const net_event* e) { on_ping_answer(s, p, e); });
  detail::request(s, std::move(r));
}

void on_ping_resolved(interpreter::state& s, const std::shared_ptr<ping_session>& p,
                      const std::vector<std::string>* addresses) {
  if (addresses == nullptr) {
    s.net_busy.ping = false;
    protocol::qping_urc u;
    u.code = ping_address_not_found;  // AN 3 table 2: 4, and no summary
    return s.urc(protocol::encode_line(u));
  }
  p->ip = addresses->front();
  next_ping(s, p);
}

void on_qping(interpreter::state& s, const parsed_command& c) {
  if (s.net_busy.ping) return s.error(qi_err::busy);  // E63: one ping session at a time
  if (!s.attached) {
    // E76: no PDP context (AT+CGATT=0), so no request can go out: AN 3 table 2 code 5 alone.
    s.ok();
    protocol::qping_urc u;
    u.code = ping_pdp_act_fail;
    return s.urc(protocol::encode_line(u));
  }
  auto p = std::make_shared<ping_session>();
  p->timeout = milliseconds(1000) * int_arg(c, 2, 4);  // AN 2.1.8 defaults: 4 s, 4, 32
  p->left = int_arg(c, 3, 4);
  p->size = int_arg(c, 4, 32);
  s.net_busy.ping = true;
  s.ok();
  resolve(s, std::string(text_arg(c, 1)),
          [&s, p](const std::vector<std::string>* addresses, const net_event*) {
            on_ping_resolved(s, p, addresses);
          });
}

// --- AT+QNTP (AN 2.1.9) ------------------------------------------------------------------------

/// "YY/MM/DD,hh:mm:ss+00": the synchronised time is UTC (AN 2.1.9), so the zone is +00 (E28:
/// no space after the comma; the quarter-hour zone of the example is a local time).
std::string ntp_time_text(std::int64_t unix_seconds) {
  const std::int64_t secs = std::max<std::int64_t>(unix_seconds, 0);
  const std::int64_t days = secs / 86400;
  const std::int64_t tod = secs % 86400;
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  const std::int64_t z = days + 719468;
  const std::int64_t era = z / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d/%02d/%02d,%02d:%02d:%02d+00", static_cast<int>(year % 100),
                static_cast<int>(month), static_cast<int>(day), static_cast<int>(tod / 3600),
                static_cast<int>(tod / 60 % 60), static_cast<int>(tod % 60));
  return buf;
}

void ntp_done(interpreter::state& s, int err, std::optional<std::string> time) {
  s.net_busy.ntp = false;
  s.last_error = err;  // E60: a deferred <err> is what AT+QIGETERROR reports
  protocol::qntp_urc u;
  u.err = err;
  u.time = std::move(time);
  s.urc(protocol::encode_line(u));
}

void on_ntp_answer(interpreter::state& s, const net_event* e) {
  if (e == nullptr) return ntp_done(s, qi_err::timeout, std::nullopt);
  if (e->error != 0) {
    return ntp_done(s, documented_code(e->error) ? e->error : 550, std::nullopt);
  }
  ntp_done(s, 0, ntp_time_text(e->unix_seconds));
}

void on_ntp_resolved(interpreter::state& s, const endpoint& server, timestamp deadline,
                     const std::vector<std::string>* addresses) {
  if (addresses == nullptr) return ntp_done(s, qi_err::dns_failed, std::nullopt);
  net_request r;
  r.type = net_request::kind::ntp_query;
  r.remote = {addresses->front(), server.port};
  const auto left = std::max(deadline - s.now, milliseconds(0));
  r.token = detail::await_within(s, left, [&s](const net_event* e) { on_ntp_answer(s, e); });
  detail::request(s, std::move(r));
}

void on_qntp(interpreter::state& s, const parsed_command& c) {
  if (s.net_busy.ntp) return s.error(qi_err::busy);  // E63
  // AN 2.1.9: <port> defaults to 123. <autosettime> is accepted and has nothing to set: the
  // emulator keeps no clock (E63).
  const endpoint server{std::string(text_arg(c, 1)),
                        static_cast<std::uint16_t>(int_arg(c, 2, 123))};
  s.net_busy.ntp = true;
  s.ok();
  // E48: resolution plus one exchange, bounded like a connection by a name (176 s).
  const timestamp deadline = s.now + s.prof.qiopen_timeout_name;
  resolve(s, server.host,
          [&s, server, deadline](const std::vector<std::string>* addresses, const net_event*) {
            on_ntp_resolved(s, server, deadline, addresses);
          });
}

// --- AT+QIDNSGIP (AN 2.1.10) -------------------------------------------------------------------

void dnsgip_urc(interpreter::state& s, const protocol::dnsgip_urc& u) {
  s.urc(protocol::encode_line(u));
}

// AN 2.1.10: the header with <err>, <IP_count>, <DNS_ttl>, then one line per address (E29:
// quoted per profile); a failure is the header alone, "+QIURC: "dnsgip",565".
void on_dnsgip_answer(interpreter::state& s, const std::vector<std::string>* addresses,
                      const net_event* e) {
  s.net_busy.dns = false;
  protocol::dnsgip_urc head;
  if (addresses == nullptr) {
    const bool coded = e != nullptr && documented_code(e->error);
    head.err = coded ? e->error : qi_err::dns_failed;
    s.last_error = head.err;  // E60
    return dnsgip_urc(s, head);
  }
  head.ip_count = static_cast<int>(addresses->size());
  head.ttl = e != nullptr ? e->ttl : 0;  // an address needs no lookup: TTL 0
  dnsgip_urc(s, head);
  for (const std::string& ip : *addresses) {
    protocol::dnsgip_urc line;
    line.is_address = true;
    line.address = ip;
    line.address_quoted = s.prof.dns_ip_quoted;
    dnsgip_urc(s, line);
  }
}

void on_qidnsgip(interpreter::state& s, const parsed_command& c) {
  if (s.net_busy.dns) return s.error(qi_err::dns_busy);  // 564 "DNS busy" (E63)
  s.net_busy.dns = true;
  s.ok();
  resolve(s, std::string(text_arg(c, 1)),
          [&s](const std::vector<std::string>* addresses, const net_event* e) {
            on_dnsgip_answer(s, addresses, e);
          });
}

}  // namespace

void register_net_commands(handler_registry& r) {
  r.add("+QPING", protocol::form::set, on_qping);
  r.add("+QNTP", protocol::form::set, on_qntp);
  r.add("+QIDNSGIP", protocol::form::set, on_qidnsgip);
}

}  // namespace bcconform::emulator
