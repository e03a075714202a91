// parse_target(): the target URI grammar documented in open.hpp. Every refusal names the
// offending part and its column, so a typo in a lab file or on the command line is found at once.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <string>

#include "bcconform/protocol/transcript.hpp"
#include "bcconform/transport/open.hpp"

namespace bcconform::transport {
namespace {

class uri_error_maker {
 public:
  explicit uri_error_maker(std::string_view uri) : uri_(uri) {}
  /// `column` is 1-based in the whole URI.
  error at(std::size_t column, const std::string& what) const {
    return make_error(errc::bad_uri, "target \"" + protocol::escape_bytes(uri_) + "\": column " +
                                         std::to_string(column) + ": " + what);
  }

 private:
  std::string_view uri_;
};

std::string quoted(std::string_view part) {
  return "\"" + protocol::escape_bytes(part) + "\"";
}

template <class T>
bool parse_number(std::string_view text, T& value) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// The rates termios can name (Bxxx constants on Linux); anything else would fail at open time
// with a less helpful message.
constexpr std::array<unsigned, 30> standard_bauds{
    50,     75,     110,     134,     150,     200,     300,     600,     1200,    1800,
    2400,   4800,   9600,    19200,   38400,   57600,   115200,  230400,  460800,  500000,
    576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};

// ---- exec: -------------------------------------------------------------------------------------

/// Words split on blanks; "double quotes" group (and may be empty); a backslash takes the next
/// character literally, inside quotes too. `base` is the column of text[0].
result<std::vector<std::string>> split_words(std::string_view text, std::size_t base,
                                             const uri_error_maker& bad) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  std::size_t quote_at = 0;  // column of the open quote, 0 outside quotes
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size()) return bad.at(base + i, "a lone \\ at the end");
      word += text[++i];
      in_word = true;
    } else if (c == '"') {
      quote_at = quote_at ? 0 : base + i;
      in_word = true;
    } else if (!quote_at && (c == ' ' || c == '\t')) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote_at) return bad.at(quote_at, "unterminated \" (opened here)");
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return bad.at(base, "no program after exec:");
  if (words.front().empty()) return bad.at(base, "the program name is empty");
  return words;
}

result<void> parse_exec(std::string_view rest, std::size_t base, const uri_error_maker& bad,
                        target_uri& t) {
  auto words = split_words(rest, base, bad);
  if (!words) return words.error();
  t.argv = std::move(*words);
  return {};
}

// ---- serial: -----------------------------------------------------------------------------------

result<void> set_serial_option(std::string_view key, std::string_view value, std::size_t column,
                               const uri_error_maker& bad, serial_settings& s) {
  const std::size_t value_column = column + key.size() + 1;
  if (key == "baud") {
    if (!parse_number(value, s.baud) ||
        std::find(standard_bauds.begin(), standard_bauds.end(), s.baud) == standard_bauds.end()) {
      return bad.at(value_column, "baud " + quoted(value) + " is not a standard rate");
    }
  } else if (key == "data") {
    if (!parse_number(value, s.data_bits) || s.data_bits < 5 || s.data_bits > 8) {
      return bad.at(value_column, "data " + quoted(value) + " is not 5, 6, 7 or 8");
    }
  } else if (key == "parity") {
    if (value == "none") {
      s.parity_bits = serial_settings::parity::none;
    } else if (value == "even") {
      s.parity_bits = serial_settings::parity::even;
    } else if (value == "odd") {
      s.parity_bits = serial_settings::parity::odd;
    } else {
      return bad.at(value_column, "parity " + quoted(value) + " is not none, even or odd");
    }
  } else if (key == "stop") {
    if (!parse_number(value, s.stop_bits) || s.stop_bits < 1 || s.stop_bits > 2) {
      return bad.at(value_column, "stop " + quoted(value) + " is not 1 or 2");
    }
  } else if (key == "flow") {
    if (value != "none" && value != "rtscts") {
      return bad.at(value_column, "flow " + quoted(value) + " is not none or rtscts");
    }
    s.rtscts = value == "rtscts";
  } else {
    return bad.at(column,
                  "unknown option " + quoted(key) + " (expected baud, data, parity, stop or flow)");
  }
  return {};
}

/// OPTIONS: NAME=VALUE pairs joined by '&', each name at most once.
result<void> parse_serial_options(std::string_view text, std::size_t base,
                                  const uri_error_maker& bad, serial_settings& s) {
  std::vector<std::string_view> seen;
  std::size_t start = 0;
  for (;;) {
    const std::size_t amp = std::min(text.find('&', start), text.size());
    const std::string_view item = text.substr(start, amp - start);
    const std::size_t column = base + start;
    const std::size_t eq = item.find('=');
    if (item.empty()) return bad.at(column, "empty option");
    if (eq == std::string_view::npos || eq == 0) {
      return bad.at(column, "option " + quoted(item) + " is not NAME=VALUE");
    }
    const auto key = item.substr(0, eq);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
      return bad.at(column, "option " + quoted(key) + " given twice");
    }
    seen.push_back(key);
    if (auto r = set_serial_option(key, item.substr(eq + 1), column, bad, s); !r) return r;
    if (amp == text.size()) return {};
    start = amp + 1;
  }
}

result<void> parse_serial(std::string_view rest, std::size_t base, const uri_error_maker& bad,
                          target_uri& t) {
  const std::size_t q = std::min(rest.find('?'), rest.size());
  t.path = std::string(rest.substr(0, q));
  if (t.path.empty()) return bad.at(base, "no device path after serial:");
  if (q == rest.size()) return {};
  return parse_serial_options(rest.substr(q + 1), base + q + 1, bad, t.serial);
}

result<void> parse_pty(std::string_view rest, std::size_t base, const uri_error_maker& bad,
                       target_uri& t) {
  if (rest.empty()) return bad.at(base, "no device path after pty:");
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    return bad.at(base + q, "pty: takes no options (a pty ignores line settings); use serial:");
  }
  t.path = std::string(rest);
  return {};
}

// ---- tcp: --------------------------------------------------------------------------------------

/// HOST is numeric on purpose: a run never resolves a name, so it never talks to a DNS server
/// it was not told about.
result<void> parse_tcp_host(std::string_view host, bool bracketed, std::size_t column,
                            const uri_error_maker& bad, target_uri& t) {
  const std::string text(host);
  unsigned char buf[16];
  if (bracketed) {
    if (::inet_pton(AF_INET6, text.c_str(), buf) != 1) {
      return bad.at(column, "host [" + protocol::escape_bytes(host) + "] is not an IPv6 address");
    }
  } else if (host.find(':') != std::string_view::npos) {
    return bad.at(column, "an IPv6 host needs brackets: [" + protocol::escape_bytes(host) + "]");
  } else if (::inet_pton(AF_INET, text.c_str(), buf) != 1) {
    return bad.at(column, "host " + quoted(host) +
                              " is not a numeric IPv4 or [IPv6] address (names are not resolved)");
  }
  t.host = text;
  return {};
}

result<void> parse_tcp(std::string_view rest, std::size_t base, const uri_error_maker& bad,
                       target_uri& t) {
  std::string_view host, after;
  bool bracketed = false;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return bad.at(base, "unterminated [ in the host");
    host = rest.substr(1, close - 1);
    after = rest.substr(close + 1);
    bracketed = true;
  } else {
    const auto colon = rest.rfind(':');
    host = rest.substr(0, colon == std::string_view::npos ? rest.size() : colon);
    after = rest.substr(host.size());
  }
  if (host.empty()) return bad.at(base, "no host after tcp:");
  const std::size_t port_column = base + rest.size() - after.size();
  if (!after.starts_with(':')) return bad.at(port_column, "no :PORT after the host");
  if (auto r = parse_tcp_host(host, bracketed, base + (bracketed ? 1 : 0), bad, t); !r) return r;
  const auto port_text = after.substr(1);
  unsigned port = 0;
  if (!parse_number(port_text, port) || port == 0 || port > 65535) {
    return bad.at(port_column + 1, "port " + quoted(port_text) + " is not 1-65535");
  }
  t.port = static_cast<std::uint16_t>(port);
  return {};
}

result<void> parse_replay(std::string_view rest, std::size_t base, const uri_error_maker& bad,
                          target_uri& t) {
  if (rest.empty()) return bad.at(base, "no file after replay:");
  t.path = std::string(rest);
  return {};
}

}  // namespace

result<target_uri> parse_target(std::string_view uri) {
  const uri_error_maker bad(uri);
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos) {
    return bad.at(1, "no scheme (expected exec:, serial:, pty:, tcp: or replay:)");
  }
  const std::string_view name = uri.substr(0, colon);
  const std::string_view rest = uri.substr(colon + 1);
  const std::size_t base = colon + 2;  // column of rest[0]
  target_uri t;
  t.text = std::string(uri);
  result<void> r;
  if (name == "exec") {
    t.kind = scheme::exec;
    r = parse_exec(rest, base, bad, t);
  } else if (name == "serial") {
    t.kind = scheme::serial;
    r = parse_serial(rest, base, bad, t);
  } else if (name == "pty") {
    t.kind = scheme::pty;
    r = parse_pty(rest, base, bad, t);
  } else if (name == "tcp") {
    t.kind = scheme::tcp;
    r = parse_tcp(rest, base, bad, t);
  } else if (name == "replay") {
    t.kind = scheme::replay;
    r = parse_replay(rest, base, bad, t);
  } else {
    return bad.at(
        1, "unknown scheme " + quoted(name) + " (expected exec, serial, pty, tcp or replay)");
  }
  if (!r) return r.error();
  return t;
}

}  // namespace bcconform::transport
