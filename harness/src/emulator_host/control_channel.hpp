// Internal: the --control Unix socket. Line commands in, one reply line per command out
// ("ok" or "error: ..."). The socket file is created with mode 0600 and removed on
// destruction. Lines are bounded; a client sending more is answered with an error and dropped.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>

#include "bcconform/protocol/result.hpp"

namespace bcconform::emulator_host::detail {

class control_channel {
 public:
  static constexpr std::size_t max_line = 4096;
  static constexpr std::size_t max_clients = 16;

  /// `handle` receives a line without its end and returns the reply without its end.
  using handler = std::function<std::string(std::string_view)>;

  static protocol::result<std::unique_ptr<control_channel>> open(boost::asio::io_context& io,
                                                                 const std::string& path,
                                                                 handler handle);
  ~control_channel();
  control_channel(const control_channel&) = delete;
  control_channel& operator=(const control_channel&) = delete;

  struct impl;

 private:
  explicit control_channel(std::shared_ptr<impl> i) : impl_(std::move(i)) {}
  std::shared_ptr<impl> impl_;
};

}  // namespace bcconform::emulator_host::detail
