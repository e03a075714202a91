// Name resolution (AN 2.1.10, 2.1.14), ping (AN 2.1.8) and NTP (AN 2.1.9) on the host, and the
// allow-list check every outbound request passes.
#include <chrono>

#include <boost/asio/ip/address.hpp>

#include "bcconform/emulator_host/sntp.hpp"
#include "net_backend_impl.hpp"

namespace bcconform::emulator_host {
namespace {

using error_code = boost::system::error_code;

// AN 2.1.8: <time_out> defaults to 4 s.
constexpr std::chrono::milliseconds ping_default_timeout{4000};

}  // namespace

struct ntp_operation : std::enable_shared_from_this<ntp_operation> {
  explicit ntp_operation(asio::io_context& io) : sock(io), deadline(io) {}
  udp::socket sock;
  asio::steady_timer deadline;
  std::array<char, 512> buf{};
  ntp_timestamp sent;
  std::uint32_t token = 0;
  bool done = false;

  void stop() {
    done = true;
    error_code ignored;
    deadline.cancel();
    sock.close(ignored);
  }
};

void net_backend::impl::resolve_target(const std::string& host, const char* what,
                                       std::function<void(const asio::ip::address&)> ok,
                                       std::function<void(bool not_found)> failed) {
  auto refuse = [this, what, host](const asio::ip::address& a) {
    note(std::string("refused: ") + what + " " + host +
         (host == a.to_string() ? "" : " (" + a.to_string() + ")") + ": not on the allow-list (" +
         opt.allowed.describe() + "); widen it with --allow CIDR");
  };
  error_code ec;
  const auto literal = asio::ip::make_address(host, ec);
  if (!ec) {
    if (opt.allowed.permits(literal)) {
      ok(literal);
    } else {
      refuse(literal);
      failed(false);
    }
    return;
  }
  if (host.empty()) {
    failed(true);
    return;
  }
  // A name: /etc/hosts first (so "localhost" works), then the servers of the last DNS
  // configuration the module used.
  detail::dns_query q{host, last_dns_servers, true, opt.default_timeout};
  std::weak_ptr<impl> w = weak_from_this();
  resolver.lookup(q, [w, host, what, ok, failed, refuse](const detail::dns_answer& a) {
    auto self = w.lock();
    if (!self) return;
    if (a.st != detail::dns_answer::status::ok) {
      self->note(std::string(what) + " " + host + ": cannot resolve: " + a.detail);
      failed(true);
      return;
    }
    for (const auto& text : a.addresses) {
      const auto addr = asio::ip::make_address(text);
      if (self->opt.allowed.permits(addr)) {
        ok(addr);
        return;
      }
    }
    refuse(asio::ip::make_address(a.addresses.front()));
    failed(false);
  });
}

// ---- DNS ------------------------------------------------------------------------------------

void net_backend::impl::dns_lookup(const net_request& r) {
  // The query goes to the servers AT+QIDNSCFG set (AN 2.1.14); each must be on the allow-list.
  std::vector<std::string> servers;
  for (const auto& s : r.dns_servers) {
    error_code ec;
    const auto a = asio::ip::make_address(detail::dns_server_host(s), ec);
    if (ec) {
      note("dns: server \"" + s + "\" is not an IP address; skipped");
    } else if (!opt.allowed.permits(a)) {
      note("refused: dns server " + s + ": not on the allow-list (" + opt.allowed.describe() +
           "); widen it with --allow CIDR");
    } else {
      servers.push_back(s);
    }
  }
  if (!servers.empty()) last_dns_servers = servers;
  net_event e;
  e.type = net_event::kind::dns_result;
  e.token = r.token;
  if (!r.dns_servers.empty() && servers.empty()) {
    e.error = net_error::connect_failed;
    emit(std::move(e));
    return;
  }
  if (servers.empty()) note("dns: no DNS server configured; only /etc/hosts is consulted");
  detail::dns_query q{r.remote.host, servers, servers.empty(), real(r.timeout)};
  std::weak_ptr<impl> w = weak_from_this();
  resolver.lookup(q, [w, e](const detail::dns_answer& a) mutable {
    auto self = w.lock();
    if (!self) return;
    using st = detail::dns_answer::status;
    e.error = a.st == st::ok ? 0 : a.st == st::timeout ? net_error::timeout : net_error::dns_failed;
    e.addresses = a.addresses;
    e.ttl = a.ttl;
    if (a.st != st::ok) self->note("dns: " + a.detail);
    self->emit(std::move(e));
  });
}

// ---- ping -----------------------------------------------------------------------------------

void net_backend::impl::ping(const net_request& r) {
  net_event e;
  e.type = net_event::kind::ping_reply;
  e.token = r.token;
  const auto timeout = real(r.timeout.count() > 0 ? r.timeout : ping_default_timeout);
  const int size = r.ping_size;
  std::weak_ptr<impl> w = weak_from_this();
  resolve_target(
      r.remote.host, "ping",
      [w, e, timeout, size](const asio::ip::address& a) {
        auto self = w.lock();
        if (!self) return;
        if (!a.is_v4()) {
          self->note("ping " + a.to_string() + ": only IPv4 is pinged");
          auto failed = e;
          failed.error = net_error::ping_tcpip_error;
          self->emit(std::move(failed));
          return;
        }
        self->pinger.ping(a.to_v4(), size, timeout, [w, e, a](const detail::ping_outcome& o) {
          auto s = w.lock();
          if (!s) return;
          auto reply = e;
          reply.error = o.error;
          reply.from = {a.to_string(), 0};
          if (o.error == 0) {
            reply.bytes.assign(static_cast<std::size_t>(o.bytes), '\0');
            reply.rtt = o.rtt;
            reply.ttl = o.ttl;
          }
          if (o.simulated) {
            s->note("ping " + a.to_string() +
                    ": SIMULATED reply (this host allows no ICMP socket; profile ping_simulated)");
          }
          s->emit(std::move(reply));
        });
      },
      [w, e](bool not_found) mutable {
        if (auto self = w.lock()) {
          e.error = not_found ? net_error::ping_not_found : net_error::ping_tcpip_error;
          self->emit(std::move(e));
        }
      });
}

// ---- NTP ------------------------------------------------------------------------------------

namespace {

ntp_timestamp now_as_ntp(std::uint32_t salt) {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(since_epoch - secs);
  // The fraction's low bits carry a per-request salt so that a stale or forged reply does not
  // match (RFC 4330 §5: the originate timestamp identifies the request).
  const auto fraction = static_cast<std::uint32_t>((micros.count() << 32) / 1000000);
  return unix_to_ntp(secs.count(), (fraction & 0xFFFFF000u) | (salt & 0xFFFu));
}

}  // namespace

void net_backend::impl::ntp_query(const net_request& r) {
  auto op = std::make_shared<ntp_operation>(io);
  op->token = r.token;
  ntp_ops.insert(op);
  std::weak_ptr<impl> w = weak_from_this();
  auto finish = [w, op](int error, std::int64_t unix_seconds) {
    auto self = w.lock();
    if (!self || op->done) return;
    op->stop();
    self->ntp_ops.erase(op);
    net_event e;
    e.type = net_event::kind::ntp_result;
    e.token = op->token;
    e.error = error;
    e.unix_seconds = unix_seconds;
    self->emit(std::move(e));
  };
  op->deadline.expires_after(real(r.timeout));
  op->deadline.async_wait([finish](const error_code& ec) {
    if (!ec) finish(net_error::timeout, 0);
  });
  const auto port = r.remote.port != 0 ? r.remote.port : std::uint16_t{123};  // AN 2.1.9
  resolve_target(
      r.remote.host, "ntp",
      [w, op, port, finish](const asio::ip::address& a) {
        auto self = w.lock();
        if (!self || op->done) return;
        error_code ec;
        op->sock.open(a.is_v4() ? udp::v4() : udp::v6(), ec);
        if (!ec) op->sock.connect({a, port}, ec);
        op->sent = now_as_ntp(op->token);
        const auto request = make_sntp_request(op->sent);
        if (!ec) op->sock.send(asio::buffer(request), 0, ec);
        if (ec) {
          self->note("ntp " + a.to_string() + ": " + ec.message());
          finish(net_error::connect_failed, 0);
          return;
        }
        self->ntp_receive(op, finish);
      },
      [finish](bool not_found) {
        finish(not_found ? net_error::dns_failed : net_error::connect_failed, 0);
      });
}

void net_backend::impl::ntp_receive(const std::shared_ptr<ntp_operation>& op,
                                    std::function<void(int, std::int64_t)> finish) {
  std::weak_ptr<impl> w = weak_from_this();
  op->sock.async_receive(
      asio::buffer(op->buf), [w, op, finish](const error_code& ec, std::size_t n) {
        auto self = w.lock();
        if (!self || op->done) return;
        if (ec == asio::error::connection_refused) {
          self->note("ntp: port unreachable");
          finish(net_error::connect_failed, 0);
          return;
        }
        if (ec) {
          finish(net_error::unknown, 0);
          return;
        }
        const auto reply = parse_sntp_reply(std::string_view(op->buf.data(), n), op->sent);
        using se = sntp_error;
        if (reply.error && (*reply.error == se::short_packet || *reply.error == se::wrong_mode ||
                            *reply.error == se::not_our_request)) {
          // RFC 4330 §5: not an answer to our request; keep waiting until the deadline.
          self->ntp_receive(op, finish);
          return;
        }
        if (reply.error) {
          self->note(std::string("ntp: ") + std::string(to_string(*reply.error)));
          finish(net_error::unknown, 0);
          return;
        }
        finish(0, reply.unix_seconds);
      });
}

// ---- reboot / drop ----------------------------------------------------------------------------

void net_backend::impl::close_all() {
  for (auto& [id, c] : sockets) c->close();
  for (auto& [id, c] : unadopted) c->close();
  sockets.clear();
  unadopted.clear();
  queue.clear();
  delivery_timer.cancel();
  resolver.cancel_all();
  pinger.cancel_all();
  for (const auto& op : ntp_ops) op->stop();
  ntp_ops.clear();
  keepalive_by_id.clear();
  keepalive_default.reset();
}

}  // namespace bcconform::emulator_host
