// Small helpers shared by the socket and network commands: argument access, hex, addresses.
#include <array>
#include <cstddef>
#include <memory>
#include <string>

#include "socket_internal.hpp"

namespace bcconform::emulator {

namespace detail {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_ipv4(std::string_view h) {
  int parts = 0;
  std::size_t i = 0;
  while (i <= h.size()) {
    std::size_t j = i;
    int value = 0;
    while (j < h.size() && h[j] >= '0' && h[j] <= '9' && j - i < 3) {
      value = value * 10 + (h[j] - '0');
      ++j;
    }
    if (j == i || value > 255) return false;
    ++parts;
    if (j == h.size()) return parts == 4;
    if (h[j] != '.') return false;
    i = j + 1;
  }
  return false;
}

bool is_ipv6(std::string_view h) {
  if (h.find(':') == std::string_view::npos) return false;
  for (const char c : h) {
    if (c != ':' && c != '.' && hex_value(c) < 0) return false;
  }
  return true;
}

}  // namespace

int int_arg(const protocol::parsed_command& c, std::size_t i, int fallback) {
  if (i >= c.args.size() || c.args[i].type != protocol::arg_value::kind::integer) return fallback;
  return static_cast<int>(c.args[i].number);
}

std::string_view text_arg(const protocol::parsed_command& c, std::size_t i) {
  if (i >= c.args.size()) return {};
  return c.args[i].text;
}

std::string to_hex(std::string_view bytes) {
  static constexpr std::array<char, 16> digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0x0F];
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view digits) {
  if (digits.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(digits.size() / 2);
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    const int hi = hex_value(digits[i]);
    const int lo = hex_value(digits[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

std::string wire_payload(const interpreter::state& s, std::string_view bytes) {
  if (s.live.recv_format == 1) return to_hex(bytes);  // E46: <len> counts bytes
  return std::string(bytes);
}

bool is_ip_literal(std::string_view host) {
  return is_ipv4(host) || is_ipv6(host);
}

std::vector<std::string> dns_servers(const interpreter::state& s) {
  std::vector<std::string> out;
  if (!s.live.dns_primary.empty()) out.push_back(s.live.dns_primary);
  if (!s.live.dns_secondary.empty()) out.push_back(s.live.dns_secondary);
  return out;
}

void request(interpreter::state& s, net_request r) {
  s.host.request(r);
}

void request(interpreter::state& s, net_request::kind k, int socket) {
  net_request r;
  r.type = k;
  r.socket = socket;
  s.host.request(r);
}

std::uint32_t await_within(interpreter::state& s, std::chrono::milliseconds limit,
                           std::function<void(const net_event*)> fn) {
  struct waiter {
    bool done = false;
    std::uint32_t token = 0;
    std::function<void(const net_event*)> fn;
  };
  auto w = std::make_shared<waiter>();
  w->fn = std::move(fn);
  w->token = s.await([w](const net_event& e) {
    if (w->done) return;
    w->done = true;
    w->fn(&e);
  });
  s.schedule(s.now + limit, [&s, w] {
    if (w->done) return;
    w->done = true;
    s.awaiting.erase(w->token);  // an answer after the deadline finds nothing
    w->fn(nullptr);
  });
  return w->token;
}

std::chrono::milliseconds dns_limit(const interpreter::state& s) {
  const auto split = s.prof.qiopen_timeout_name - s.prof.qiopen_timeout_ip;
  return split > std::chrono::milliseconds(0) ? split : s.prof.qiopen_timeout_name;
}

}  // namespace detail
}  // namespace bcconform::emulator
