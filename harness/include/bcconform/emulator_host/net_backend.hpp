// The interpreter's network on real host sockets (Boost.Asio): TCP clients and listeners, UDP
// sockets, TCP keepalive, DNS through c-ares with the servers the module was given, ping
// through an ICMP socket, and an SNTP client.
//
// Contract with the interpreter (bcconform/emulator/net.hpp):
// - execute() never calls the event sink itself; every outcome is delivered later from the
//   io_context (so host_interface::request may call it from inside an interpreter entry point).
// - Each received chunk (TCP) or datagram (UDP) is one `received` event. After pause_reading
//   no further byte is read from that socket until resume_reading (real back-pressure: the
//   peer's sends block in its own kernel buffers); a read is only issued after the previous
//   `received` event has been delivered, so the sink sees the pause before the next read.
// - Only destinations on the allow-list are contacted: any other address (also one a name
//   resolves to) fails at once, before a packet is sent, with the codes below and a note.
// - close_all() (reboot, dropped link) closes every socket and forgets every pending
//   operation; no event is delivered for them afterwards.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "bcconform/emulator/net.hpp"
#include "bcconform/emulator_host/allow_list.hpp"

namespace bcconform::emulator_host {

/// Codes put into net_event::error. AN chapter 3 table 1, and table 2 for ping replies.
namespace net_error {
inline constexpr int unknown = 550;         ///< a reply we cannot use (NTP)
inline constexpr int create_failed = 554;   ///< the host refused to create a socket
inline constexpr int listen_failed = 557;   ///< listen() failed for another reason than 574
inline constexpr int dns_failed = 565;      ///< name not found / DNS error
inline constexpr int connect_failed = 566;  ///< refused, unreachable, not on the allow-list
inline constexpr int timeout = 569;         ///< no answer before the deadline
inline constexpr int port_busy = 574;       ///< local port in use (AN 2.1.1 note 5)
inline constexpr int ping_timeout = 1;      ///< AN 3 table 2 PING_TIMEOUT
inline constexpr int ping_tcpip_error = 3;  ///< AN 3 table 2: socket error, not allowed
inline constexpr int ping_not_found = 4;    ///< AN 3 table 2 PING_ADDRESS_NOT_FOUND
}  // namespace net_error

/// How pings are sent: an unprivileged ICMP datagram socket (ping_group_range), a raw ICMP
/// socket (CAP_NET_RAW), or not at all (simulated replies, announced and logged as such).
enum class ping_method : std::uint8_t { icmp_datagram, icmp_raw, simulated };

std::string_view to_string(ping_method m) noexcept;
/// The best method this process may use (tries to create each kind of socket once).
ping_method probe_ping_method();

struct net_options {
  allow_list allowed = allow_list::loopback_only();
  /// Where the module's TCP listeners bind (AT+QIOPEN "TCP LISTENER"); loopback by default.
  boost::asio::ip::address listen_address = boost::asio::ip::make_address("127.0.0.1");
  ping_method ping = ping_method::simulated;
  /// Real time = module time × time_scale; applied to the timeouts carried by requests.
  double time_scale = 1.0;
  std::size_t read_chunk = 1460;  ///< most bytes in one TCP `received` event
  std::size_t max_unadopted = 8;  ///< accepted, not yet adopted; more wait in the backlog
  /// Real time allowed to a DNS/NTP request that carries no timeout (the interpreter runs
  /// its own deadline as well; this one only keeps the host from waiting forever).
  std::chrono::milliseconds default_timeout{10000};
};

class net_backend {
 public:
  using event_sink = std::function<void(const emulator::net_event&)>;
  /// Human-readable notes for the log (refusals, simulated pings, dropped events).
  using note_sink = std::function<void(std::string_view)>;

  /// `io` must outlive the backend; events stop when the backend is destroyed.
  net_backend(boost::asio::io_context& io, net_options options, event_sink events, note_sink notes);
  ~net_backend();
  net_backend(const net_backend&) = delete;
  net_backend& operator=(const net_backend&) = delete;

  void execute(const emulator::net_request& r);
  void close_all();
  /// Extra delay (real time) before each event reaches the sink: a slow network.
  void set_event_delay(std::chrono::microseconds real_delay);
  /// While held, events wait in the queue; since a socket is read again only after its last
  /// `received` event was delivered, this holds every peer back too (used when the serial
  /// line's output backs up).
  void hold_events(bool hold);

  const net_options& options() const;
  /// The OS descriptor of a connect ID's socket, or -1 (tests inspect socket options).
  int native_handle(int socket) const;
  /// Sockets open (connect IDs, listeners and unadopted accepted connections).
  std::size_t open_count() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace bcconform::emulator_host
