// Errors, deadlines and endpoints shared by every peer object.
//
// Every call that waits for the network takes an absolute `deadline` on the steady clock and
// returns errc::timed_out when it passes: no call blocks without one. Failures are values
// (protocol::result carrying a peer::errc and a human-readable detail), never exceptions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>

#include "bcconform/protocol/result.hpp"

namespace bcconform::peer {

/// Why a peer operation failed. Usable as std::error_code.
enum class errc {
  ok = 0,
  timed_out,           ///< the deadline passed before the awaited event
  end_of_stream,       ///< the remote end closed its side (FIN) before the awaited bytes came
  connection_reset,    ///< the remote end reset the connection (RST)
  connection_refused,  ///< nothing listens at the address connected to
  mismatch,            ///< received bytes differ from the expected ones
  bad_address,         ///< not a numeric IP address (peers never resolve names)
  bad_pattern,         ///< the regular expression does not compile
  not_open,            ///< the object was closed locally
  io_error,            ///< any other socket error; the detail carries the system message
  malformed,           ///< a wire message (DNS, SNTP) is truncated or inconsistent
  too_large,           ///< a value does not fit its wire format or a configured limit
};

const std::error_category& peer_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

using protocol::error;
template <class T>
using result = protocol::result<T>;

inline error make_error(errc e, std::string detail) {
  return {make_error_code(e), std::move(detail)};
}

/// An absolute point in time on the steady clock.
using deadline = std::chrono::steady_clock::time_point;

/// A deadline `d` from now.
inline deadline deadline_in(std::chrono::steady_clock::duration d) {
  return std::chrono::steady_clock::now() + d;
}

/// A numeric IP address and a port. Peers never resolve names: the network rule of the project
/// is that tests talk to loopback only, and a name would make that unverifiable.
struct endpoint {
  std::string address;
  std::uint16_t port = 0;
  std::string to_string() const;  ///< "127.0.0.1:5000", "[::1]:5000"
  friend bool operator==(const endpoint&, const endpoint&) = default;
};

/// The address peers bind unless told otherwise (lab use passes another one).
inline constexpr const char* default_bind_address = "127.0.0.1";

}  // namespace bcconform::peer

template <>
struct std::is_error_code_enum<bcconform::peer::errc> : std::true_type {};
