// What the DNS and SNTP responders share: a UDP socket read on the host's thread, each datagram
// handed to the protocol's reply function and its answer sent back, the counts of what came and
// went, and the wait for a count. The protocol side keeps its settings and decides; the
// behaviours (answer, drop, ...) are part of that decision. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bcconform/peer/error.hpp"

namespace bcconform::peer::detail {

class host_core;
class udp_state;

class udp_responder_core {
 public:
  /// What the protocol made of one datagram.
  struct verdict {
    std::optional<std::string> reply;  ///< sent back to the sender; none: stay silent
    /// Counts as a request: what wait_for_requests() waits for. DNS counts every datagram,
    /// SNTP only client requests.
    bool request = true;
  };
  /// Runs on the host's thread for every datagram, one at a time, with no lock of the core
  /// held: the protocol guards its own settings.
  using reply_function = std::function<verdict(std::string_view datagram)>;

  struct counts {
    std::size_t datagrams = 0;  ///< every datagram received
    std::size_t requests = 0;   ///< those the reply function called requests
    std::size_t replies = 0;    ///< replies sent
  };

  /// Binds and starts answering; from any thread. While it exists the core counts as a live
  /// object of the host; destroying it closes the socket.
  static result<std::shared_ptr<udp_responder_core>> start(host_core& host,
                                                           const std::string& bind_address,
                                                           std::uint16_t port,
                                                           reply_function reply);
  ~udp_responder_core();
  udp_responder_core(const udp_responder_core&) = delete;
  udp_responder_core& operator=(const udp_responder_core&) = delete;

  const endpoint& local() const noexcept;
  counts count() const;
  /// Waits until `count` requests in all have been handled (answered or not); on timeout the
  /// detail reads "<n> of <count> <what> arrived before the deadline".
  result<void> wait_for_requests(std::size_t count, deadline until, std::string_view what) const;
  void close();

 private:
  struct tally;  // the counts, shared with the socket's callback
  udp_responder_core(std::shared_ptr<udp_state> socket, std::shared_ptr<tally> t);

  std::shared_ptr<udp_state> socket_;
  std::shared_ptr<tally> tally_;
};

}  // namespace bcconform::peer::detail
