#include "dns_resolver.hpp"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <map>
#include <mutex>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace bcconform::emulator_host::detail {
namespace {

namespace asio = boost::asio;

void init_library_once() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

std::string join_servers(const std::vector<std::string>& servers) {
  std::string csv;
  for (const auto& s : servers) {
    if (!csv.empty()) csv += ',';
    // c-ares reads "host:port"; a bare IPv6 address goes in brackets so that its colons are
    // not taken for a port separator.
    const bool bare_v6 = !s.empty() && s.front() != '[' && s.find(':') != s.rfind(':');
    csv += bare_v6 ? "[" + s + "]" : s;
  }
  return csv;
}

dns_answer::status status_of(int ares_status) {
  switch (ares_status) {
    case ARES_SUCCESS:
      return dns_answer::status::ok;
    case ARES_ENOTFOUND:
    case ARES_ENODATA:
    case ARES_ENONAME:
    case ARES_EBADNAME:
      return dns_answer::status::not_found;
    case ARES_ETIMEOUT:
      return dns_answer::status::timeout;
    default:
      return dns_answer::status::failed;
  }
}

void collect(const ares_addrinfo* res, dns_answer& out) {
  bool first = true;
  for (auto* n = res ? res->nodes : nullptr; n != nullptr; n = n->ai_next) {
    if (n->ai_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    const auto* sin = reinterpret_cast<const sockaddr_in*>(n->ai_addr);
    inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
    if (std::find(out.addresses.begin(), out.addresses.end(), text) != out.addresses.end()) {
      continue;
    }
    out.addresses.emplace_back(text);
    out.ttl = first ? n->ai_ttl : std::min(out.ttl, n->ai_ttl);
    first = false;
  }
}

}  // namespace

struct dns_resolver::lookup_state : std::enable_shared_from_this<lookup_state> {
  struct watched {
    std::unique_ptr<asio::posix::stream_descriptor> fd;
    bool want_read = false, want_write = false;
    bool reading = false, writing = false;
  };

  lookup_state(asio::io_context& ctx, std::function<void(const dns_answer&)> cb)
      : io(ctx), retry_timer(ctx), deadline_timer(ctx), done(std::move(cb)) {}

  ~lookup_state() { release_channel(); }

  asio::io_context& io;
  ares_channel channel = nullptr;
  asio::steady_timer retry_timer;
  asio::steady_timer deadline_timer;
  std::map<ares_socket_t, watched> sockets;
  std::function<void(const dns_answer&)> done;
  bool finished = false;
  dns_answer answer;

  void finish(dns_answer a) {
    if (finished) return;
    finished = true;
    retry_timer.cancel();
    deadline_timer.cancel();
    // Report from a fresh handler: c-ares may still be on the stack, and the callback may
    // start another lookup or destroy the resolver.
    asio::post(io, [self = shared_from_this(), a = std::move(a)] {
      if (self->done) {
        auto cb = std::move(self->done);
        self->done = nullptr;
        cb(a);
      }
      self->release_channel();
    });
  }

  void release_channel() {
    for (auto& [fd, w] : sockets) w.fd->release();  // c-ares owns and closes its sockets
    sockets.clear();
    if (channel != nullptr) {
      ares_destroy(channel);
      channel = nullptr;
    }
  }

  void abandon() {
    finished = true;
    done = nullptr;
    retry_timer.cancel();
    deadline_timer.cancel();
    release_channel();
  }

  static void on_sock_state(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<lookup_state*>(data);
    if (!readable && !writable) {
      auto it = self->sockets.find(fd);
      if (it != self->sockets.end()) {
        it->second.fd->release();
        self->sockets.erase(it);
      }
      return;
    }
    auto& w = self->sockets[fd];
    if (!w.fd) w.fd = std::make_unique<asio::posix::stream_descriptor>(self->io, fd);
    w.want_read = readable != 0;
    w.want_write = writable != 0;
    self->arm(fd);
  }

  void arm(ares_socket_t fd) {
    auto it = sockets.find(fd);
    if (it == sockets.end() || finished) return;
    auto& w = it->second;
    if (w.want_read && !w.reading) {
      w.reading = true;
      w.fd->async_wait(asio::posix::stream_descriptor::wait_read,
                       [self = shared_from_this(), fd](const boost::system::error_code& ec) {
                         self->on_ready(fd, ec, true);
                       });
    }
    if (w.want_write && !w.writing) {
      w.writing = true;
      w.fd->async_wait(asio::posix::stream_descriptor::wait_write,
                       [self = shared_from_this(), fd](const boost::system::error_code& ec) {
                         self->on_ready(fd, ec, false);
                       });
    }
  }

  void on_ready(ares_socket_t fd, const boost::system::error_code& ec, bool read) {
    auto it = sockets.find(fd);
    if (it != sockets.end()) (read ? it->second.reading : it->second.writing) = false;
    if (ec || finished || channel == nullptr || it == sockets.end()) return;
    ares_process_fd(channel, read ? fd : ARES_SOCKET_BAD, read ? ARES_SOCKET_BAD : fd);
    arm(fd);
    arm_retry_timer();
  }

  void arm_retry_timer() {
    if (finished || channel == nullptr) return;
    timeval tv{};
    if (ares_timeout(channel, nullptr, &tv) == nullptr) return;
    retry_timer.expires_after(std::chrono::seconds(tv.tv_sec) +
                              std::chrono::microseconds(tv.tv_usec));
    retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->finished || self->channel == nullptr) return;
      ares_process_fd(self->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      self->arm_retry_timer();
    });
  }

  static void on_result(void* arg, int status, int /*timeouts*/, ares_addrinfo* res) {
    auto* self = static_cast<lookup_state*>(arg);
    dns_answer a;
    a.st = status_of(status);
    if (status == ARES_SUCCESS) {
      collect(res, a);
      if (a.addresses.empty()) a.st = dns_answer::status::not_found;
    } else {
      a.detail = ares_strerror(status);
    }
    if (res != nullptr) ares_freeaddrinfo(res);
    if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) return;
    self->finish(std::move(a));
  }
};

dns_resolver::dns_resolver(asio::io_context& io) : io_(io) {
  init_library_once();
}

dns_resolver::~dns_resolver() {
  cancel_all();
}

void dns_resolver::cancel_all() {
  for (auto& l : active_) l->abandon();
  active_.clear();
}

void dns_resolver::lookup(const dns_query& q, std::function<void(const dns_answer&)> done) {
  std::erase_if(active_, [](const auto& l) { return l->finished; });
  auto l = std::make_shared<lookup_state>(io_, std::move(done));
  active_.push_back(l);

  // Split the deadline over the tries so that c-ares gives up before our own timer.
  const auto per_try = std::max<long>(50, static_cast<long>(q.deadline.count() / 3));
  std::string lookups = q.use_hosts_file ? (q.servers.empty() ? "f" : "fb") : "b";
  ares_options opts{};
  opts.flags = ARES_FLAG_NOSEARCH;
  opts.timeout = static_cast<int>(std::min<long>(per_try, 5000));
  opts.tries = 2;
  opts.lookups = lookups.data();
  opts.sock_state_cb = &lookup_state::on_sock_state;
  opts.sock_state_cb_data = l.get();
  const int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS |
                   ARES_OPT_SOCK_STATE_CB;
  int rc = ares_init_options(&l->channel, &opts, mask);
  if (rc == ARES_SUCCESS && !q.servers.empty()) {
    rc = ares_set_servers_ports_csv(l->channel, join_servers(q.servers).c_str());
  }
  if (rc != ARES_SUCCESS) {
    l->finish({dns_answer::status::failed, {}, 0, ares_strerror(rc)});
    return;
  }
  l->deadline_timer.expires_after(q.deadline);
  l->deadline_timer.async_wait([w = std::weak_ptr(l)](const boost::system::error_code& ec) {
    auto self = w.lock();
    if (ec || !self) return;
    self->finish({dns_answer::status::timeout, {}, 0, "no answer before the deadline"});
  });
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_INET;
  ares_getaddrinfo(l->channel, q.name.c_str(), nullptr, &hints, &lookup_state::on_result, l.get());
  l->arm_retry_timer();
}

std::string dns_server_host(const std::string& server) {
  if (!server.empty() && server.front() == '[') {
    const auto close = server.find(']');
    return close == std::string::npos ? server : server.substr(1, close - 1);
  }
  const auto colon = server.find(':');
  // More than one colon: a bare IPv6 address.
  if (colon != std::string::npos && server.find(':', colon + 1) == std::string::npos) {
    return server.substr(0, colon);
  }
  return server;
}

}  // namespace bcconform::emulator_host::detail
