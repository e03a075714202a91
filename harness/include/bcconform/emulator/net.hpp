// The network seen by the sans-I/O emulator: requests it makes of its host, and events the host
// reports back. The interpreter never opens a socket, resolves a name or reads a clock itself;
// the bcemu shell (real sockets, c-ares, SNTP, ICMP) and the unit tests' fake network both
// implement the other side of this boundary.
//
// Socket handles are the module's connect IDs (0..5). A listener's accepted connection is
// announced with a fresh handle the host chooses (`net_event::accepted.handle`); the
// interpreter binds it to a free connect ID with `net_request::adopt` or refuses it with
// `net_request::close` (AN 2.2.4 "incoming full").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bcconform::emulator {

/// Time since the emulator started. Injected by the caller on every entry point.
using timestamp = std::chrono::milliseconds;

struct endpoint {
  std::string host;  ///< dotted IPv4/IPv6 text or a name (names go through dns_lookup first)
  std::uint16_t port = 0;
  friend bool operator==(const endpoint&, const endpoint&) = default;
};

struct keepalive_settings {
  bool on = false;
  int idle_s = 60;      ///< AN 2.1.13 <keepalive_idle_time>
  int interval_s = 10;  ///< AN 2.1.13 <keepalive_interval_time>
  int count = 9;        ///< AN 2.1.13 <keepalive_count>
  friend bool operator==(const keepalive_settings&, const keepalive_settings&) = default;
};

struct net_request {
  enum class kind : std::uint8_t {
    tcp_connect,     ///< socket, remote, local_port (0 = any); answer: connected / failed
    udp_open,        ///< socket, remote, local_port; answer: connected / failed
    tcp_listen,      ///< socket, local_port; answer: connected (listening) / failed
    adopt,           ///< bind accepted connection `handle` to connect ID `socket`
    send,            ///< socket, bytes (one datagram for UDP); answer: sent / send_failed
    close,           ///< socket (or an unadopted handle); no answer
    pause_reading,   ///< socket: buffer full, stop reading (back-pressure, AN 2.2.3)
    resume_reading,  ///< socket: room again
    set_keepalive,   ///< socket, keepalive (AN 2.1.13)
    dns_lookup,      ///< token, remote.host, dns_servers; answer: dns_result
    ping,            ///< token, remote.host, ping_size, timeout; answer: ping_reply (one echo)
    ntp_query,       ///< token, remote; answer: ntp_result
  };
  kind type = kind::close;
  int socket = -1;
  int handle = -1;
  std::uint32_t token = 0;
  endpoint remote;
  std::uint16_t local_port = 0;
  std::string bytes;
  keepalive_settings keepalive;
  std::vector<std::string> dns_servers;  ///< "ip" or "ip:port"; empty = host default
  int ping_size = 32;
  std::chrono::milliseconds timeout{0};
};

struct net_event {
  enum class kind : std::uint8_t {
    connected,      ///< socket: tcp_connect/udp_open/tcp_listen done; local_port filled
    failed,         ///< socket: that request failed; error = AN chapter 3 code
    received,       ///< socket: bytes arrived (UDP: one datagram; from = sender)
    peer_closed,    ///< socket: orderly close by the peer
    peer_reset,     ///< socket: connection reset / network error
    accepted,       ///< socket = listener; handle = new connection; from = remote
    sent,           ///< socket: a send request completed
    send_failed,    ///< socket: a send request failed
    dns_result,     ///< token; addresses or error
    ping_reply,     ///< token; from, bytes, rtt, ttl; or error (1 = timeout, AN 3 table 2)
    ntp_result,     ///< token; unix_seconds or error
  };
  kind type = kind::failed;
  int socket = -1;
  int handle = -1;
  std::uint32_t token = 0;
  int error = 0;
  std::uint16_t local_port = 0;
  endpoint from;
  std::string bytes;
  std::vector<std::string> addresses;
  int ttl = 0;
  std::chrono::milliseconds rtt{0};
  std::int64_t unix_seconds = 0;
};

}  // namespace bcconform::emulator
