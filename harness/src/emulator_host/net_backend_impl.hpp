// Internal to net_backend: the state shared by net_backend.cpp (sockets, event delivery) and
// net_services.cpp (DNS, ping, NTP).
#pragma once

#include <array>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bcconform/emulator_host/net_backend.hpp"
#include "dns_resolver.hpp"
#include "pinger.hpp"

namespace bcconform::emulator_host {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;
using emulator::keepalive_settings;
using emulator::net_event;
using emulator::net_request;
using steady = std::chrono::steady_clock;

/// One host socket: a TCP client or accepted connection, a UDP socket, or a TCP listener.
struct connection {
  int id = -1;  ///< connect ID, or the handle while not adopted
  std::optional<tcp::socket> stream;
  std::optional<udp::socket> datagram;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> connect_deadline;
  bool closed = false;
  bool paused = false;      ///< pause_reading in force
  bool wait_armed = false;  ///< an async_wait for readability is outstanding
  bool delivering = false;  ///< a `received` event is queued: read again once it is delivered
  bool ended = false;       ///< EOF or error seen: nothing more to read
  bool accepting = false;
  bool connected_udp = false;
  int listener = -1;  ///< accepted connection: the listener's connect ID
  std::deque<std::string> writes;
  bool writing = false;

  int native();
  void close();
};

struct ntp_operation;

struct net_backend::impl : std::enable_shared_from_this<impl> {
  impl(asio::io_context& ctx, net_options o, event_sink ev, note_sink nt)
      : io(ctx),
        opt(std::move(o)),
        events(std::move(ev)),
        notes(std::move(nt)),
        resolver(ctx),
        pinger(ctx, opt.ping),
        delivery_timer(ctx) {}

  asio::io_context& io;
  net_options opt;
  event_sink events;
  note_sink notes;
  detail::dns_resolver resolver;
  detail::pinger pinger;

  std::map<int, std::shared_ptr<connection>> sockets;    ///< by connect ID
  std::map<int, std::shared_ptr<connection>> unadopted;  ///< by handle
  int next_handle = 100;  ///< above every connect ID, so the two never collide
  std::map<int, keepalive_settings> keepalive_by_id;
  std::optional<keepalive_settings> keepalive_default;
  std::vector<std::string> last_dns_servers;  ///< used to resolve names given to connects
  std::set<std::shared_ptr<ntp_operation>> ntp_ops;
  std::array<char, 65536> scratch{};

  // Event delivery: FIFO with an optional delay (control channel "latency").
  struct queued {
    steady::time_point due;
    net_event e;
    std::function<void()> after;  ///< run after delivery (re-arms a read)
  };
  std::deque<queued> queue;
  asio::steady_timer delivery_timer;
  bool delivery_scheduled = false;
  bool held = false;
  std::chrono::microseconds delay{0};

  // net_backend.cpp
  void execute(const net_request& r);
  void emit(net_event e, std::function<void()> after = {});
  void schedule_delivery();
  void deliver_due();
  void note(const std::string& text) {
    if (notes) notes(text);
  }
  std::chrono::milliseconds real(std::chrono::milliseconds module_time) const;
  void fail(int socket, int code);
  void close_all();

  // net_services.cpp
  /// Resolves `host` (IP text, or a name through /etc/hosts and the last DNS servers) to one
  /// address on the allow-list; calls `ok` or `failed`, perhaps before returning (both only
  /// start operations or emit(), which never reaches the sink synchronously).
  void resolve_target(const std::string& host, const char* what,
                      std::function<void(const asio::ip::address&)> ok,
                      std::function<void(bool not_found)> failed);
  void dns_lookup(const net_request& r);
  void ping(const net_request& r);
  void ntp_query(const net_request& r);
  void ntp_receive(const std::shared_ptr<ntp_operation>& op,
                   std::function<void(int, std::int64_t)> finish);
};

}  // namespace bcconform::emulator_host
