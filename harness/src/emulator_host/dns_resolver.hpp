// Internal: c-ares driven by the Asio loop. One c-ares channel per lookup, because each lookup
// may name its own servers (AT+QIDNSCFG); the channel's sockets are watched with Asio
// descriptors (ARES_OPT_SOCK_STATE_CB + ares_process_fd) and its retry timer with a
// steady_timer, and an overall deadline bounds every lookup.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace bcconform::emulator_host::detail {

struct dns_answer {
  enum class status : std::uint8_t { ok, not_found, timeout, failed };
  status st = status::failed;
  std::vector<std::string> addresses;  ///< IPv4 dotted text, in the server's order
  int ttl = 0;                         ///< smallest TTL among the answers
  std::string detail;                  ///< c-ares' message when not ok
};

struct dns_query {
  std::string name;
  std::vector<std::string> servers;           ///< "ip", "ip:port" or "[v6]:port"; empty: none
  bool use_hosts_file = false;                ///< consult /etc/hosts before DNS
  std::chrono::milliseconds deadline{10000};  ///< real time
};

/// Starts a lookup; `done` is called exactly once from the io_context, unless cancel_all() or
/// the resolver's destruction comes first. Returns nothing: errors arrive through `done`.
class dns_resolver {
 public:
  explicit dns_resolver(boost::asio::io_context& io);
  ~dns_resolver();
  dns_resolver(const dns_resolver&) = delete;
  dns_resolver& operator=(const dns_resolver&) = delete;

  void lookup(const dns_query& q, std::function<void(const dns_answer&)> done);
  /// Abandons every lookup in flight; their callbacks are not called.
  void cancel_all();

  struct lookup_state;

 private:
  boost::asio::io_context& io_;
  std::vector<std::shared_ptr<lookup_state>> active_;
};

/// "1.2.3.4:53" → "1.2.3.4", "[::1]:53" → "::1", "1.2.3.4" → "1.2.3.4".
std::string dns_server_host(const std::string& server);

}  // namespace bcconform::emulator_host::detail
