#include "json_events.hpp"

#include <cstdint>
#include <optional>
#include <variant>

namespace bcconform::cli {
namespace {

using protocol::event_kind;

template <class T>
json optional_json(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// One to_json per decoded struct: its members, named as in decoders.hpp.
void to_json(json& j, const protocol::qiopen_result& v) {
  j = {{"connect_id", v.connect_id}, {"err", v.err}};
}
void to_json(json& j, const protocol::closed_urc& v) {
  j = {{"connect_id", v.connect_id}};
}
void to_json(json& j, const protocol::recv_urc& v) {
  j = {{"connect_id", v.connect_id},
       {"length", optional_json(v.length)},
       {"buff_full", v.buff_full}};
}
void to_json(json& j, const protocol::incoming_full_urc&) {
  j = json::object();
}
void to_json(json& j, const protocol::incoming_urc& v) {
  j = {{"connect_id", v.connect_id},
       {"server_id", v.server_id},
       {"remote_ip", v.remote_ip},
       {"remote_port", v.remote_port},
       {"ip_quoted", v.ip_quoted}};
}
void to_json(json& j, const protocol::dnsgip_urc& v) {
  j = {{"is_address", v.is_address}};
  if (v.is_address) {
    j["address"] = v.address;
    j["address_quoted"] = v.address_quoted;
  } else {
    j["err"] = v.err;
    j["ip_count"] = optional_json(v.ip_count);
    j["ttl"] = optional_json(v.ttl);
  }
  j["qidnsgip_prefix"] = v.qidnsgip_prefix;
}

std::string_view shape_name(protocol::qping_urc::shape s) noexcept {
  switch (s) {
    case protocol::qping_urc::shape::reply:
      return "reply";
    case protocol::qping_urc::shape::summary:
      return "summary";
    case protocol::qping_urc::shape::code_only:
      break;
  }
  return "code_only";
}

// Only the members of the line's shape: a summary has no ttl, a reply no packet counts.
void to_json(json& j, const protocol::qping_urc& v) {
  j = {{"kind", shape_name(v.kind)}, {"code", v.code}};
  if (v.kind == protocol::qping_urc::shape::reply) {
    j.update({{"ip", v.ip},
              {"ip_quoted", v.ip_quoted},
              {"bytes", v.bytes},
              {"time_ms", v.time_ms},
              {"ttl", v.ttl}});
  } else if (v.kind == protocol::qping_urc::shape::summary) {
    j.update({{"sent", v.sent},
              {"rcvd", v.rcvd},
              {"lost", v.lost},
              {"min", v.min},
              {"max", v.max},
              {"avg", v.avg}});
  }
}
void to_json(json& j, const protocol::qntp_urc& v) {
  j = {{"err", v.err}, {"time", optional_json(v.time)}};
}
void to_json(json& j, const protocol::qistate_row& v) {
  j = {{"connect_id", v.connect_id},
       {"service_type", v.service_type},
       {"ip", v.ip},
       {"remote_port", v.remote_port},
       {"local_port", v.local_port},
       {"socket_state", v.socket_state},
       {"context_id", v.context_id},
       {"access_mode", v.access_mode}};
}
void to_json(json& j, const protocol::qird_header& v) {
  j = {{"read_length", v.read_length}, {"remaining", optional_json(v.remaining)}};
}
void to_json(json& j, const protocol::qigeterror_info& v) {
  j = {{"err", v.err}, {"description", v.description}};
}
void to_json(json& j, const protocol::qicfg_info& v) {
  j = {{"key", v.key}, {"value1", v.value1}, {"value2", optional_json(v.value2)}};
}
void to_json(json& j, const protocol::qikalive_info& v) {
  j = {{"on", v.on}, {"idle", v.idle}, {"interval", v.interval}, {"count", v.count}};
}
void to_json(json& j, const protocol::qidnscfg_info& v) {
  j = {{"primary", v.primary}, {"secondary", v.secondary}};
}
void to_json(json& j, const protocol::cgatt_info& v) {
  j = {{"state", v.state}};
}
void to_json(json& j, const protocol::cgpaddr_info& v) {
  j = {{"cid", v.cid}, {"address", v.address}};
}
void to_json(json& j, const protocol::cme_error& v) {
  j = {{"code", optional_json(v.code)}, {"text", v.text}};
}

// The payload of a data event as lower-case hex. In hex receive format (AN 2.1.11
// "dataformat") the wire already carries the payload as hex digits; when those digits are
// malformed (diagnostic bad_hex) the wire bytes themselves are encoded so nothing is lost.
std::string payload_hex(const protocol::event& e) {
  const std::string_view wire = e.bytes;
  const bool wire_is_hex = e.format == protocol::data_format::hex && wire.size() % 2 == 0 &&
                           wire.find_first_not_of("0123456789abcdefABCDEF") == wire.npos;
  if (!wire_is_hex) return to_hex(wire);
  std::string out(wire);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool has_name(event_kind k) noexcept {
  return k == event_kind::info || k == event_kind::urc || k == event_kind::final;
}

// `fields` when the line decodes; `decode_error` when a decoder for its prefix exists but
// refuses it (a conformance finding worth seeing); nothing for lines without a decoder.
void add_fields(json& j, std::string_view line) {
  auto decoded = protocol::decode_line(line);
  if (decoded) {
    j["fields"] = decoded_to_json(*decoded);
  } else if (decoded.error().code != protocol::errc::wrong_prefix) {
    j["decode_error"] = decoded.error().detail;
  }
}

void add_line_bytes(json& j, std::string_view bytes) {
  if (is_valid_utf8(bytes)) {
    j["text"] = bytes;
  } else {
    j["hex"] = to_hex(bytes);
  }
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += digits[b >> 4];
    out += digits[b & 0xf];
  }
  return out;
}

json decoded_to_json(const protocol::decoded_line& value) {
  return std::visit(
      [](const auto& v) {
        json j;
        to_json(j, v);
        return j;
      },
      value);
}

json event_to_json(const protocol::event& e) {
  json j = {{"offset", e.offset}, {"kind", protocol::to_string(e.kind)}};
  if (has_name(e.kind)) j["name"] = e.name;
  if (e.kind == event_kind::data) {
    j["hex"] = payload_hex(e);
    j["format"] = e.format == protocol::data_format::hex ? "hex" : "text";
    j["connect_id"] = e.connect_id >= 0 ? json(e.connect_id) : json(nullptr);
  } else if (e.kind != event_kind::overflow || !e.bytes.empty()) {
    add_line_bytes(j, e.bytes);  // an overflow keeps no bytes: its length says it all
  }
  if (e.kind == event_kind::data || e.kind == event_kind::overflow) j["length"] = e.length;
  if (e.diag != protocol::diagnostic::none) j["diag"] = protocol::to_string(e.diag);
  if (has_name(e.kind)) add_fields(j, e.bytes);
  return j;
}

std::string dump_line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace bcconform::cli
