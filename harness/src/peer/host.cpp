#include "bcconform/peer/host.hpp"

#include <boost/asio/error.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "host_core.hpp"

namespace bcconform::peer {
namespace {

class peer_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bcconform.peer"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::ok:
        return "success";
      case errc::timed_out:
        return "deadline passed";
      case errc::end_of_stream:
        return "remote end closed the connection";
      case errc::connection_reset:
        return "connection reset by the remote end";
      case errc::connection_refused:
        return "connection refused";
      case errc::mismatch:
        return "received bytes differ from the expected ones";
      case errc::bad_address:
        return "not a numeric IP address";
      case errc::bad_pattern:
        return "invalid regular expression";
      case errc::not_open:
        return "closed locally";
      case errc::io_error:
        return "socket error";
      case errc::malformed:
        return "malformed message";
      case errc::too_large:
        return "value too large";
    }
    return "unknown peer error";
  }
};

}  // namespace

const std::error_category& peer_category() noexcept {
  static const peer_category_impl instance;
  return instance;
}

std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), peer_category()};
}

std::string endpoint::to_string() const {
  if (address.find(':') != std::string::npos) {
    return "[" + address + "]:" + std::to_string(port);
  }
  return address + ":" + std::to_string(port);
}

host::host() : core_(std::make_unique<detail::host_core>()) {}

host::~host() {
  if (const long live = core_->live_objects.load(); live != 0) {
    // Sockets registered with this loop would outlive it: undefined behaviour waiting to
    // happen, so stop here with a message naming the contract instead.
    std::fprintf(stderr, "bcconform::peer::host destroyed while %ld peer objects still use it\n",
                 live);
    std::abort();
  }
}

namespace detail {

host_core::host_core()
    : work_(asio::make_work_guard(io_)), thread_([this] { run(); }), thread_id_(thread_.get_id()) {}

host_core::~host_core() {
  work_.reset();
  io_.stop();
  thread_.join();
}

void host_core::run() noexcept {
  // Handlers do not throw by design; should one do so anyway, report it and keep the loop
  // alive so the other peers and every pending deadline keep working.
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bcconform::peer: handler threw: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "bcconform::peer: handler threw a non-exception\n");
    }
  }
}

std::string printable(std::string_view bytes, std::size_t max) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          out += "\\x";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        }
    }
  }
  if (bytes.size() > max) out += "...(+" + std::to_string(bytes.size() - max) + " bytes)";
  return out;
}

error from_asio(const boost::system::error_code& ec, std::string_view what) {
  namespace ae = asio::error;
  std::string detail = std::string(what) + ": " + ec.message();
  if (ec == ae::eof) return make_error(errc::end_of_stream, std::move(detail));
  if (ec == ae::connection_reset) return make_error(errc::connection_reset, std::move(detail));
  if (ec == ae::connection_refused) return make_error(errc::connection_refused, std::move(detail));
  if (ec == ae::timed_out) return make_error(errc::timed_out, std::move(detail));
  if (ec == ae::operation_aborted || ec == ae::bad_descriptor) {
    return make_error(errc::not_open, std::move(detail));
  }
  return make_error(errc::io_error, std::move(detail));
}

result<asio::ip::address> parse_address(std::string_view text) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(std::string(text), ec);
  if (ec) {
    return make_error(errc::bad_address, "\"" + printable(text) +
                                             "\" is not a numeric IP address (names are not "
                                             "resolved)");
  }
  return address;
}

}  // namespace detail
}  // namespace bcconform::peer
