// The event loop behind every peer object.
//
// A `host` owns one Boost.Asio io_context and the background thread that runs it. Sockets are
// touched only on that thread; the public calls of tcp_connection, tcp_server, udp_peer and the
// responders hand their work to it and wait (each wait bounded by a deadline). A background
// thread, rather than a loop the caller drives, is what lets the DNS and SNTP responders answer
// and the TCP peers keep reading while the test itself is blocked waiting on the module.
//
// Lifetime: a host must outlive every object created from it (declare it first in a test
// fixture). Destroying a host while such an object still exists is a programming error: the
// destructor reports it on stderr and aborts rather than leave sockets on a dead loop.
#pragma once

#include <memory>

namespace bcconform::peer {

namespace detail {
class host_core;
}

class host {
 public:
  host();
  ~host();
  host(const host&) = delete;
  host& operator=(const host&) = delete;

  /// For the peer objects' implementation only.
  detail::host_core& core() noexcept { return *core_; }

 private:
  std::unique_ptr<detail::host_core> core_;
};

}  // namespace bcconform::peer
