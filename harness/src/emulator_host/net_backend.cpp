// TCP clients, UDP sockets, TCP listeners and the delivery of their events (AN 2.1.1-2.1.5,
// 2.2). DNS, ping and NTP are in net_services.cpp.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "net_backend_impl.hpp"

namespace bcconform::emulator_host {
namespace {

using error_code = boost::system::error_code;
namespace errc = boost::asio::error;

// AN chapter 3 table 1 for a failed connect or bind.
int connect_error(const error_code& ec) {
  if (ec == errc::address_in_use) return net_error::port_busy;  // AN 2.1.1 note 5
  if (ec == errc::timed_out) return net_error::timeout;
  return net_error::connect_failed;  // refused, unreachable, reset, ...
}

// Linux limits: TCP_KEEPIDLE and TCP_KEEPINTVL at most 32767 s, TCP_KEEPCNT at most 127.
int clamp_option(int v, int hi) {
  return std::clamp(v, 1, hi);
}

void apply_keepalive(connection& c, const keepalive_settings& k) {
  if (!c.stream || !c.stream->is_open()) return;
  const int fd = c.stream->native_handle();
  const int on = k.on ? 1 : 0;
  ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  if (!k.on) return;
  const int idle = clamp_option(k.idle_s, 32767);
  const int interval = clamp_option(k.interval_s, 32767);
  const int count = clamp_option(k.count, 127);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

asio::ip::address any_of_family(const asio::ip::address& a) {
  return a.is_v4() ? asio::ip::address(asio::ip::address_v4::any())
                   : asio::ip::address(asio::ip::address_v6::any());
}

net_event socket_event(net_event::kind k, int socket) {
  net_event e;
  e.type = k;
  e.socket = socket;
  return e;
}

bool is_socket_event(const net_event& e) {
  using k = net_event::kind;
  return e.type != k::dns_result && e.type != k::ping_reply && e.type != k::ntp_result;
}

}  // namespace

// ---- connection -----------------------------------------------------------------------------

int connection::native() {
  if (stream && stream->is_open()) return stream->native_handle();
  if (datagram && datagram->is_open()) return datagram->native_handle();
  if (acceptor && acceptor->is_open()) return acceptor->native_handle();
  return -1;
}

void connection::close() {
  if (closed) return;
  closed = true;
  error_code ignored;
  if (connect_deadline) connect_deadline->cancel();
  if (stream && stream->is_open()) {
    // Read what is already queued so that close() sends FIN, not RST (Linux resets a
    // connection closed with unread data), then close. Bounded: at most 1 MiB discarded.
    std::array<char, 4096> sink{};
    stream->non_blocking(true, ignored);
    for (int i = 0; i < 256 && !ignored; ++i) {
      if (stream->read_some(asio::buffer(sink), ignored) == 0) break;
    }
    stream->shutdown(tcp::socket::shutdown_both, ignored);
    stream->close(ignored);
  }
  if (datagram) datagram->close(ignored);
  if (acceptor) acceptor->close(ignored);
}

// ---- event delivery -------------------------------------------------------------------------

void net_backend::impl::emit(net_event e, std::function<void()> after) {
  auto due = steady::now() + delay;
  if (!queue.empty()) due = std::max(due, queue.back().due);  // keep FIFO order
  queue.push_back({due, std::move(e), std::move(after)});
  schedule_delivery();
}

void net_backend::impl::schedule_delivery() {
  if (delivery_scheduled || queue.empty() || held) return;
  delivery_scheduled = true;
  auto w = weak_from_this();
  if (queue.front().due <= steady::now()) {
    asio::post(io, [w] {
      if (auto self = w.lock()) self->deliver_due();
    });
    return;
  }
  delivery_timer.expires_at(queue.front().due);
  delivery_timer.async_wait([w](const error_code& ec) {
    auto self = w.lock();
    if (!self) return;
    if (ec) {
      self->delivery_scheduled = false;
      self->schedule_delivery();
      return;
    }
    self->deliver_due();
  });
}

void net_backend::impl::deliver_due() {
  auto keep = shared_from_this();  // the sink may destroy the backend's owner's state
  while (!queue.empty() && queue.front().due <= steady::now() && !held) {
    auto q = std::move(queue.front());
    queue.pop_front();
    if (events) events(q.e);
    if (q.after) q.after();
  }
  delivery_scheduled = false;
  schedule_delivery();
}

std::chrono::milliseconds net_backend::impl::real(std::chrono::milliseconds module_time) const {
  if (module_time.count() <= 0) return opt.default_timeout;
  const auto ms = static_cast<double>(module_time.count()) * opt.time_scale;
  return std::chrono::milliseconds(std::max<std::int64_t>(1, static_cast<std::int64_t>(ms)));
}

void net_backend::impl::fail(int socket, int code) {
  auto e = socket_event(net_event::kind::failed, socket);
  e.error = code;
  emit(std::move(e));
}

// ---- reading --------------------------------------------------------------------------------

namespace {

void wait_readable(const std::shared_ptr<net_backend::impl>& self,
                   const std::shared_ptr<connection>& c);

// Reads one chunk of a stream, or one datagram, now. The next read happens only after this
// `received` event has been delivered, so a pause_reading it provokes stops the next read.
// A readiness wait is armed only when a read found the socket empty: queued data is read at
// once, without a round trip through the reactor.
void read_next(const std::shared_ptr<net_backend::impl>& self,
               const std::shared_ptr<connection>& c) {
  if (c->closed || c->paused || c->wait_armed || c->ended || c->delivering) return;
  error_code ec;
  net_event e = socket_event(net_event::kind::received, c->id);
  std::size_t n = 0;
  for (int attempt = 0;; ++attempt) {
    if (c->stream) {
      n = c->stream->read_some(asio::buffer(self->scratch.data(), self->opt.read_chunk), ec);
    } else {
      udp::endpoint from;
      n = c->datagram->receive_from(asio::buffer(self->scratch), from, 0, ec);
      e.from = {from.address().to_string(), from.port()};
    }
    // An ICMP "port unreachable" for an earlier datagram: UDP has no connection to lose.
    const bool retry = ec == errc::interrupted || (c->datagram && ec == errc::connection_refused);
    if (ec == errc::would_block || ec == errc::try_again || (retry && attempt >= 16)) {
      return wait_readable(self, c);
    }
    if (!retry) break;
  }
  if (ec) {
    c->ended = true;
    const auto k = ec == errc::eof ? net_event::kind::peer_closed : net_event::kind::peer_reset;
    self->emit(socket_event(k, c->id));
    return;
  }
  if (c->stream) {
    const auto ep = c->stream->remote_endpoint(ec);
    if (!ec) e.from = {ep.address().to_string(), ep.port()};
  }
  e.bytes.assign(self->scratch.data(), n);
  c->delivering = true;
  std::weak_ptr<net_backend::impl> w = self;
  self->emit(std::move(e), [w, c] {
    c->delivering = false;
    if (auto s = w.lock()) read_next(s, c);
  });
}

void wait_readable(const std::shared_ptr<net_backend::impl>& self,
                   const std::shared_ptr<connection>& c) {
  c->wait_armed = true;
  std::weak_ptr<net_backend::impl> w = self;
  auto on_ready = [w, c](const error_code& ec) {
    c->wait_armed = false;
    auto s = w.lock();
    if (!s || ec) return;
    read_next(s, c);
  };
  if (c->stream) {
    c->stream->async_wait(tcp::socket::wait_read, on_ready);
  } else {
    c->datagram->async_wait(udp::socket::wait_read, on_ready);
  }
}

void accept_next(const std::shared_ptr<net_backend::impl>& self,
                 const std::shared_ptr<connection>& listener);

void resume_accepting(const std::shared_ptr<net_backend::impl>& self) {
  for (auto& [id, c] : self->sockets) {
    if (c->acceptor) accept_next(self, c);
  }
}

// AN 2.2.4: each accepted connection is offered to the interpreter under a fresh handle; at
// most max_unadopted wait for its answer, the rest stay in the kernel's backlog.
void accept_next(const std::shared_ptr<net_backend::impl>& self,
                 const std::shared_ptr<connection>& l) {
  if (l->closed || l->accepting || self->unadopted.size() >= self->opt.max_unadopted) return;
  l->accepting = true;
  std::weak_ptr<net_backend::impl> w = self;
  l->acceptor->async_accept([w, l](const error_code& ec, tcp::socket s) {
    l->accepting = false;
    auto me = w.lock();
    if (!me || l->closed) return;
    if (!ec) {
      auto c = std::make_shared<connection>();
      c->id = me->next_handle++;
      c->listener = l->id;
      c->stream.emplace(std::move(s));
      me->unadopted[c->id] = c;
      auto e = socket_event(net_event::kind::accepted, l->id);
      e.handle = c->id;
      error_code ignored;
      const auto peer = c->stream->remote_endpoint(ignored);
      e.from = {peer.address().to_string(), peer.port()};
      e.local_port = l->acceptor->local_endpoint(ignored).port();
      me->emit(std::move(e));
    } else if (ec != errc::operation_aborted) {
      me->note("listener " + std::to_string(l->id) + ": accept failed: " + ec.message());
    }
    accept_next(me, l);
  });
}

}  // namespace

// ---- requests -------------------------------------------------------------------------------

namespace {

using impl_ptr = std::shared_ptr<net_backend::impl>;

std::shared_ptr<connection> fresh_slot(const impl_ptr& self, int id) {
  if (auto it = self->sockets.find(id); it != self->sockets.end()) {
    it->second->close();
    self->sockets.erase(it);
  }
  auto c = std::make_shared<connection>();
  c->id = id;
  self->sockets[id] = c;
  return c;
}

keepalive_settings keepalive_for(const impl_ptr& self, int id) {
  if (auto it = self->keepalive_by_id.find(id); it != self->keepalive_by_id.end()) {
    return it->second;
  }
  return self->keepalive_default.value_or(keepalive_settings{});
}

// Drops a failed socket from the table (if it is still the one in the slot) and reports it.
void give_up(const impl_ptr& self, const std::shared_ptr<connection>& c, int code) {
  c->close();
  if (auto it = self->sockets.find(c->id); it != self->sockets.end() && it->second == c) {
    self->sockets.erase(it);
  }
  self->fail(c->id, code);
}

void report_connected(const impl_ptr& self, const std::shared_ptr<connection>& c,
                      std::uint16_t local_port) {
  auto e = socket_event(net_event::kind::connected, c->id);
  e.local_port = local_port;
  self->emit(std::move(e));
}

void start_tcp_connect(const impl_ptr& self, const std::shared_ptr<connection>& c,
                       const net_request& r, const asio::ip::address& a) {
  error_code ec;
  const tcp::endpoint remote(a, r.remote.port);
  c->stream.emplace(self->io);
  c->stream->open(remote.protocol(), ec);
  if (!ec && r.local_port != 0) c->stream->bind({any_of_family(a), r.local_port}, ec);
  if (ec) {
    self->note("connect " + std::to_string(c->id) + ": " + ec.message());
    give_up(self, c, ec == errc::address_in_use ? net_error::port_busy : net_error::create_failed);
    return;
  }
  std::weak_ptr<net_backend::impl> w = self;
  if (r.timeout.count() > 0) {
    // Backstop only: the interpreter runs the AN 2.1.1 note 1 timeout itself and closes.
    c->connect_deadline.emplace(self->io, self->real(r.timeout));
    c->connect_deadline->async_wait([w, c](const error_code& e) {
      auto s = w.lock();
      if (!s || e || c->closed) return;
      give_up(s, c, net_error::timeout);
    });
  }
  c->stream->async_connect(remote, [w, c](const error_code& e) {
    auto s = w.lock();
    if (!s || c->closed) return;
    if (c->connect_deadline) c->connect_deadline->cancel();
    if (e) {
      give_up(s, c, connect_error(e));
      return;
    }
    error_code ignored;
    c->stream->non_blocking(true, ignored);
    apply_keepalive(*c, keepalive_for(s, c->id));
    report_connected(s, c, c->stream->local_endpoint(ignored).port());
    read_next(s, c);
  });
}

void start_udp(const impl_ptr& self, const std::shared_ptr<connection>& c, const net_request& r,
               const asio::ip::address& a) {
  error_code ec;
  c->datagram.emplace(self->io);
  c->datagram->open(a.is_v4() ? udp::v4() : udp::v6(), ec);
  // A UDP socket without a peer (remote port 0) receives from anyone: it binds the listen
  // address (loopback unless told otherwise); a connected one only hears its peer.
  const auto local = r.remote.port == 0 ? self->opt.listen_address : any_of_family(a);
  if (!ec) c->datagram->bind({local, r.local_port}, ec);
  if (!ec && r.remote.port != 0) {
    c->datagram->connect({a, r.remote.port}, ec);
    c->connected_udp = true;
  }
  if (!ec) c->datagram->non_blocking(true, ec);
  if (ec) {
    self->note("udp " + std::to_string(c->id) + ": " + ec.message());
    give_up(self, c, connect_error(ec));
    return;
  }
  error_code ignored;
  report_connected(self, c, c->datagram->local_endpoint(ignored).port());
  read_next(self, c);
}

void start_listener(const impl_ptr& self, const std::shared_ptr<connection>& c,
                    std::uint16_t port) {
  error_code ec;
  const tcp::endpoint local(self->opt.listen_address, port);
  c->acceptor.emplace(self->io);
  c->acceptor->open(local.protocol(), ec);
  if (!ec) c->acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) c->acceptor->bind(local, ec);
  if (!ec) c->acceptor->listen(tcp::acceptor::max_listen_connections, ec);
  if (ec) {
    self->note("listener " + std::to_string(c->id) + " on port " + std::to_string(port) + ": " +
               ec.message());
    give_up(self, c, ec == errc::address_in_use ? net_error::port_busy : net_error::listen_failed);
    return;
  }
  error_code ignored;
  report_connected(self, c, c->acceptor->local_endpoint(ignored).port());
  accept_next(self, c);
}

void pump_writes(const impl_ptr& self, const std::shared_ptr<connection>& c) {
  if (c->writing || c->writes.empty() || c->closed) return;
  c->writing = true;
  std::weak_ptr<net_backend::impl> w = self;
  asio::async_write(
      *c->stream, asio::buffer(c->writes.front()), [w, c](const error_code& ec, std::size_t) {
        c->writing = false;
        auto s = w.lock();
        if (!s || c->closed) return;
        c->writes.pop_front();
        s->emit(socket_event(ec ? net_event::kind::send_failed : net_event::kind::sent, c->id));
        pump_writes(s, c);
      });
}

void send(const impl_ptr& self, const net_request& r) {
  constexpr std::size_t max_queued_sends = 64;
  auto it = self->sockets.find(r.socket);
  const auto c = it == self->sockets.end() ? nullptr : it->second;
  if (!c || c->closed || c->acceptor || (c->stream && c->writes.size() >= max_queued_sends) ||
      (c->datagram && !c->connected_udp) || (!c->stream && !c->datagram)) {
    self->emit(socket_event(net_event::kind::send_failed, r.socket));
    return;
  }
  if (c->stream) {
    c->writes.push_back(r.bytes);
    pump_writes(self, c);
    return;
  }
  // One AT+QISEND on a UDP socket is one datagram (AN 2.1.4).
  auto data = std::make_shared<std::string>(r.bytes);
  std::weak_ptr<net_backend::impl> w = self;
  c->datagram->async_send(asio::buffer(*data), [w, c, data](const error_code& ec, std::size_t) {
    auto s = w.lock();
    if (!s || c->closed) return;
    s->emit(socket_event(ec ? net_event::kind::send_failed : net_event::kind::sent, c->id));
  });
}

void adopt(const impl_ptr& self, const net_request& r) {
  auto it = self->unadopted.find(r.handle);
  if (it == self->unadopted.end()) {
    self->note("adopt: no accepted connection with handle " + std::to_string(r.handle));
    return;
  }
  auto c = it->second;
  self->unadopted.erase(it);
  fresh_slot(self, r.socket);
  c->id = r.socket;
  self->sockets[r.socket] = c;
  error_code ignored;
  c->stream->non_blocking(true, ignored);
  apply_keepalive(*c, keepalive_for(self, c->id));
  read_next(self, c);
  resume_accepting(self);
}

void close(const impl_ptr& self, const net_request& r) {
  // Events of this socket still queued would describe a connection the module no longer has.
  auto drop_queued = [&](int socket) {
    std::erase_if(self->queue, [&](const net_backend::impl::queued& q) {
      if (!is_socket_event(q.e) || q.e.socket != socket) return false;
      if (q.e.type == net_event::kind::accepted) {
        if (auto h = self->unadopted.find(q.e.handle); h != self->unadopted.end()) {
          h->second->close();
          self->unadopted.erase(h);
        }
      }
      return true;
    });
  };
  if (auto it = self->sockets.find(r.socket); r.socket >= 0 && it != self->sockets.end()) {
    it->second->close();
    self->sockets.erase(it);
    drop_queued(r.socket);
  } else {
    const int handle = r.handle >= 0 ? r.handle : r.socket;
    if (auto h = self->unadopted.find(handle); h != self->unadopted.end()) {
      h->second->close();
      self->unadopted.erase(h);
    }
  }
  resume_accepting(self);
}

void set_keepalive(const impl_ptr& self, const net_request& r) {
  // AN 2.1.13 sets keepalive for TCP sockets; a negative socket means every TCP socket, now
  // and later.
  if (r.socket < 0) {
    self->keepalive_default = r.keepalive;
    self->keepalive_by_id.clear();
    for (auto& [id, c] : self->sockets) apply_keepalive(*c, r.keepalive);
    return;
  }
  self->keepalive_by_id[r.socket] = r.keepalive;
  if (auto it = self->sockets.find(r.socket); it != self->sockets.end()) {
    apply_keepalive(*it->second, r.keepalive);
  }
}

void set_paused(const impl_ptr& self, int socket, bool paused) {
  auto it = self->sockets.find(socket);
  if (it == self->sockets.end()) return;
  it->second->paused = paused;
  if (!paused) read_next(self, it->second);
}

}  // namespace

void net_backend::impl::execute(const net_request& r) {
  auto self = shared_from_this();
  using k = net_request::kind;
  switch (r.type) {
    case k::tcp_connect:
    case k::udp_open: {
      auto c = fresh_slot(self, r.socket);
      const bool is_tcp = r.type == k::tcp_connect;
      std::weak_ptr<impl> w = self;
      resolve_target(
          r.remote.host, is_tcp ? "connect" : "udp",
          [w, c, r, is_tcp](const asio::ip::address& a) {
            auto s = w.lock();
            if (!s || c->closed) return;
            is_tcp ? start_tcp_connect(s, c, r, a) : start_udp(s, c, r, a);
          },
          [w, c](bool not_found) {
            if (auto s = w.lock(); s && !c->closed) {
              give_up(s, c, not_found ? net_error::dns_failed : net_error::connect_failed);
            }
          });
      break;
    }
    case k::tcp_listen:
      start_listener(self, fresh_slot(self, r.socket), r.local_port);
      break;
    case k::adopt:
      adopt(self, r);
      break;
    case k::send:
      send(self, r);
      break;
    case k::close:
      close(self, r);
      break;
    case k::pause_reading:
      set_paused(self, r.socket, true);
      break;
    case k::resume_reading:
      set_paused(self, r.socket, false);
      break;
    case k::set_keepalive:
      set_keepalive(self, r);
      break;
    case k::dns_lookup:
      dns_lookup(r);
      break;
    case k::ping:
      ping(r);
      break;
    case k::ntp_query:
      ntp_query(r);
      break;
  }
}

// ---- net_backend ----------------------------------------------------------------------------

net_backend::net_backend(asio::io_context& io, net_options options, event_sink events,
                         note_sink notes)
    : impl_(std::make_shared<impl>(io, std::move(options), std::move(events), std::move(notes))) {}

net_backend::~net_backend() {
  impl_->close_all();
}

void net_backend::execute(const net_request& r) {
  impl_->execute(r);
}

void net_backend::close_all() {
  impl_->close_all();
}

void net_backend::set_event_delay(std::chrono::microseconds real_delay) {
  impl_->delay = std::max(std::chrono::microseconds(0), real_delay);
}

void net_backend::hold_events(bool hold) {
  impl_->held = hold;
  if (!hold) impl_->schedule_delivery();
}

const net_options& net_backend::options() const {
  return impl_->opt;
}

int net_backend::native_handle(int socket) const {
  auto it = impl_->sockets.find(socket);
  return it == impl_->sockets.end() ? -1 : it->second->native();
}

std::size_t net_backend::open_count() const {
  return impl_->sockets.size() + impl_->unadopted.size();
}

}  // namespace bcconform::emulator_host
