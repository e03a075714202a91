// A UDP peer: bound to a local port, sends datagrams anywhere on request and queues every
// datagram it receives, one entry per datagram (boundaries are kept, empty datagrams too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/peer/error.hpp"
#include "bcconform/peer/host.hpp"

namespace bcconform::peer {

namespace detail {
class udp_state;
}

struct udp_options {
  std::string bind_address = default_bind_address;
  std::uint16_t port = 0;  ///< 0: an ephemeral port, see udp_peer::port()
  /// Datagrams waiting for receive(); further ones are dropped and counted (as a kernel would).
  std::size_t max_queued = 1024;
  /// The record keeps datagrams until their payloads total this many bytes.
  std::size_t max_record_bytes = std::size_t{16} << 20;
  /// Send every received datagram back to its sender (recorded, not queued).
  bool echo = false;
};

struct datagram {
  std::string bytes;
  endpoint from;
  friend bool operator==(const datagram&, const datagram&) = default;
};

/// Move-only; destroying it closes the socket.
class udp_peer {
 public:
  static result<udp_peer> open(host& h, const udp_options& options = {});
  udp_peer() = default;
  ~udp_peer();
  udp_peer(udp_peer&&) noexcept;
  udp_peer& operator=(udp_peer&&) noexcept;

  std::uint16_t port() const;
  endpoint local_endpoint() const;

  /// Sends one datagram (at most 65507 bytes over IPv4) and waits until the kernel took it.
  result<void> send_to(std::string_view bytes, const endpoint& to, deadline until);
  /// Takes the oldest queued datagram.
  result<datagram> receive(deadline until);

  std::vector<datagram> received() const;  ///< the record: every datagram received, in order
  std::size_t dropped() const;             ///< datagrams lost to a full queue
  void close();

 private:
  explicit udp_peer(std::shared_ptr<detail::udp_state> state);
  void release() noexcept;
  std::shared_ptr<detail::udp_state> state_;
};

}  // namespace bcconform::peer
