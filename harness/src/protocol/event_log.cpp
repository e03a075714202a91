#include "bcconform/protocol/event_log.hpp"

#include <string>

#include "bcconform/protocol/transcript.hpp"

namespace bcconform::protocol {
namespace {

// The transcript escaping plus `"` as \x22, so the closing quote of a log line is the only
// `"` in its byte field. escape_bytes() never produces `"` itself, so one pass is enough.
std::string quote_bytes(std::string_view bytes) {
  const std::string escaped = escape_bytes(bytes);
  std::string out;
  out.reserve(escaped.size() + 2);
  out += '"';
  for (const char c : escaped) {
    if (c == '"') {
      out += "\\x22";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace

std::string describe(const event& e) {
  std::string out = std::to_string(e.offset);
  out += ' ';
  out += to_string(e.kind);
  if (!e.name.empty()) {
    out += ' ';
    out += e.name;
  }
  if (e.connect_id >= 0) {
    out += " id=";
    out += std::to_string(e.connect_id);
  }
  if (e.kind == event_kind::data || e.kind == event_kind::overflow) {
    out += " len=";
    out += std::to_string(e.length);
  }
  if (e.diag != diagnostic::none) {
    out += " diag=";
    out += to_string(e.diag);
  }
  out += ' ';
  out += quote_bytes(e.bytes);
  return out;
}

}  // namespace bcconform::protocol
