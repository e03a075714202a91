// Test helpers for the emulator_host tests: run an io_context until a condition holds or a
// deadline passes (no sleeps), and non-blocking loopback peers.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>

#include "bcconform/emulator/net.hpp"

namespace bcconform::emulator_host::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

inline constexpr std::chrono::seconds default_deadline{10};

/// Runs handlers until `done()` or the deadline; returns done().
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds deadline = default_deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  auto guard = asio::make_work_guard(io);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(5));
  }
  return true;
}

/// Records what a backend delivers; `on_event` lets a test act like an interpreter.
struct event_log {
  std::vector<emulator::net_event> events;
  std::function<void(const emulator::net_event&)> on_event;

  void operator()(const emulator::net_event& e) {
    events.push_back(e);
    if (on_event) on_event(e);
  }
  const emulator::net_event* find(emulator::net_event::kind k, int socket = -2) const {
    for (const auto& e : events) {
      if (e.type == k && (socket == -2 || e.socket == socket)) return &e;
    }
    return nullptr;
  }
  std::size_t count(emulator::net_event::kind k) const {
    std::size_t n = 0;
    for (const auto& e : events) n += e.type == k;
    return n;
  }
  std::string received(int socket) const {
    std::string all;
    for (const auto& e : events) {
      if (e.type == emulator::net_event::kind::received && e.socket == socket) all += e.bytes;
    }
    return all;
  }
};

/// Reads what is available without blocking and appends it to `into`; false on EOF/error.
template <class Socket>
bool read_available(Socket& s, std::string& into) {
  char buf[65536];
  boost::system::error_code ec;
  s.non_blocking(true);
  for (;;) {
    const auto n = s.read_some(asio::buffer(buf), ec);
    if (ec == asio::error::would_block) return true;
    if (ec) return false;
    into.append(buf, n);
  }
}

inline emulator::net_request request(emulator::net_request::kind k, int socket = -1) {
  emulator::net_request r;
  r.type = k;
  r.socket = socket;
  return r;
}

}  // namespace bcconform::emulator_host::testing
