// The shared state behind udp_peer and the two responders: a UDP socket read continuously on
// the host's thread. Received datagrams either go to a queue and a record (udp_peer) or to a
// responder function whose answer is sent back to the sender (DNS, SNTP). Internal.
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/peer/udp.hpp"
#include "host_core.hpp"

namespace bcconform::peer::detail {

class udp_state : public std::enable_shared_from_this<udp_state> {
 public:
  using udp = asio::ip::udp;
  /// Runs on the host's thread for every datagram; the returned bytes go back to the sender.
  using responder = std::function<std::optional<std::string>(std::string_view request)>;

  udp_state(host_core& core, udp::socket socket, const udp_options& options, responder r);

  /// Binds per `options` and starts receiving; from any thread.
  static result<std::shared_ptr<udp_state>> open(host_core& core, const udp_options& options,
                                                 responder r = {});

  host_core& core() noexcept { return core_; }
  const endpoint& local() const noexcept { return local_; }

  result<void> send_to(std::string_view bytes, const endpoint& to, deadline until);
  result<datagram> receive(deadline until);
  std::vector<datagram> record() const;
  std::size_t dropped() const;
  void close();

 private:
  // Host thread.
  void receive_next();
  void on_receive(const boost::system::error_code& ec, std::size_t n);
  void reply(std::string bytes, const udp::endpoint& to);

  host_core& core_;
  udp::socket socket_;
  const udp_options options_;
  const responder responder_;
  endpoint local_;
  std::vector<char> buffer_;  // host thread: the receive in flight
  udp::endpoint sender_;      // host thread

  mutable std::mutex m_;
  std::condition_variable cv_;
  std::deque<datagram> queue_;
  std::vector<datagram> record_;
  std::size_t record_bytes_ = 0;
  std::size_t dropped_ = 0;
  bool closed_ = false;
  std::optional<error> failure_;
};

}  // namespace bcconform::peer::detail
