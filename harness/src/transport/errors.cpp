#include <chrono>
#include <string>

#include "bcconform/transport/transport.hpp"

namespace bcconform::transport {
namespace {

class transport_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bcconform.transport"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "success";
      case errc::timed_out:
        return "timed out";
      case errc::end_of_stream:
        return "end of stream";
      case errc::device_vanished:
        return "device vanished";
      case errc::process_exited:
        return "process exited";
      case errc::io_error:
        return "I/O error";
      case errc::bad_uri:
        return "bad target URI";
      case errc::busy:
        return "port busy";
      case errc::not_found:
        return "not found";
      case errc::spawn_failed:
        return "program could not be started";
      case errc::refused:
        return "connection refused";
      case errc::replay_mismatch:
        return "host bytes differ from the recording";
      case errc::replay_exhausted:
        return "recording exhausted";
      case errc::closed:
        return "transport closed";
      case errc::replay_malformed:
        return "malformed recording";
    }
    return "unknown transport error";
  }
};

class steady_clock_impl final : public clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

const std::error_category& transport_category() noexcept {
  static const transport_category_impl instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), transport_category()};
}

const clock& steady() noexcept {
  static const steady_clock_impl instance;
  return instance;
}

}  // namespace bcconform::transport
