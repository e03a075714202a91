#include "bcconform/emulator_host/allow_list.hpp"

#include <array>
#include <charconv>

namespace bcconform::emulator_host {
namespace {

namespace ip = boost::asio::ip;

ip::address unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

template <std::size_t N>
bool prefix_matches(const std::array<unsigned char, N>& a, const std::array<unsigned char, N>& b,
                    unsigned prefix) {
  for (std::size_t i = 0; i < N && prefix > 0; ++i) {
    const unsigned bits = prefix >= 8 ? 8 : prefix;
    const auto mask = static_cast<unsigned char>(0xFFu << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
    prefix -= bits;
  }
  return true;
}

}  // namespace

protocol::result<cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const std::string addr_text(text.substr(0, slash));
  boost::system::error_code ec;
  const auto addr = ip::make_address(addr_text, ec);
  if (ec) {
    return protocol::make_error(protocol::errc::syntax,
                                "'" + std::string(text) + "': not an IP address or CIDR range");
  }
  const unsigned max_prefix = addr.is_v4() ? 32 : 128;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || err != std::errc() || end != digits.data() + digits.size() ||
        prefix > max_prefix) {
      return protocol::make_error(
          protocol::errc::out_of_range,
          "'" + std::string(text) + "': prefix length must be 0-" + std::to_string(max_prefix));
    }
  }
  return cidr{addr, prefix};
}

allow_list allow_list::loopback_only() {
  allow_list list;
  list.add({ip::make_address("127.0.0.0"), 8});
  list.add({ip::make_address("::1"), 128});
  return list;
}

bool allow_list::permits(const ip::address& a) const {
  const auto addr = unmapped(a);
  for (const auto& r : ranges_) {
    if (addr.is_v4() && r.network.is_v4() &&
        prefix_matches(addr.to_v4().to_bytes(), r.network.to_v4().to_bytes(), r.prefix)) {
      return true;
    }
    if (addr.is_v6() && r.network.is_v6() &&
        prefix_matches(addr.to_v6().to_bytes(), r.network.to_v6().to_bytes(), r.prefix)) {
      return true;
    }
  }
  return false;
}

std::string allow_list::describe() const {
  std::string out;
  for (const auto& r : ranges_) {
    if (!out.empty()) out += ", ";
    out += r.network.to_string() + "/" + std::to_string(r.prefix);
  }
  return out;
}

}  // namespace bcconform::emulator_host
