// Encoders (value -> line text without CR LF) and names for the decoded_line alternatives.
//
// Each line is written in the note's canonical spelling (AN 2.1, AN 2.2) with no space after
// commas (E28), so decode_line(encode_line(v)) == v for every v a decoder produces. Where a
// decoder kept a distinction (quoted or bare IP, +QIDNSGIP or +QIURC "dnsgip"), the encoder
// reproduces it.
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "bcconform/protocol/decoders.hpp"

namespace bcconform::protocol {
namespace {

/// Builds "<prefix>: a,b,..." in the note's canonical spelling: no space after commas (E28).
class line_builder {
 public:
  explicit line_builder(std::string_view prefix) : out_(prefix) { out_ += ": "; }

  line_builder& num(int v) {
    separate();
    out_ += std::to_string(v);
    return *this;
  }
  line_builder& text(std::string_view s, bool quoted = true) {
    separate();
    if (quoted) out_ += '"';
    out_ += s;
    if (quoted) out_ += '"';
    return *this;
  }
  line_builder& raw(std::string_view s) {
    separate();
    out_ += s;
    return *this;
  }
  /// Hands over the line; the builder is spent afterwards.
  std::string str() { return std::move(out_); }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

std::string encode_value(const qiopen_result& v) {
  return line_builder("+QIOPEN").num(v.connect_id).num(v.err).str();
}

std::string encode_value(const closed_urc& v) {
  return line_builder("+QIURC").text("closed").num(v.connect_id).str();
}

std::string encode_value(const recv_urc& v) {
  line_builder b("+QIURC");
  b.text("recv").num(v.connect_id);
  if (v.buff_full) {
    b.text("buff full");
  } else if (v.length) {
    b.num(*v.length);
  }
  return b.str();
}

std::string encode_value(const incoming_full_urc&) {
  return line_builder("+QIURC").text("incoming full").str();
}

std::string encode_value(const incoming_urc& v) {
  return line_builder("+QIURC")
      .text("incoming")
      .num(v.connect_id)
      .num(v.server_id)
      .text(v.remote_ip, v.ip_quoted)
      .num(v.remote_port)
      .str();
}

std::string encode_value(const dnsgip_urc& v) {
  line_builder b(v.qidnsgip_prefix ? "+QIDNSGIP" : "+QIURC");
  if (!v.qidnsgip_prefix) b.text("dnsgip");
  if (v.is_address) return b.text(v.address, v.address_quoted).str();
  b.num(v.err);
  if (v.ip_count) b.num(*v.ip_count).num(v.ttl.value_or(0));
  return b.str();
}

std::string encode_value(const qping_urc& v) {
  line_builder b("+QPING");
  b.num(v.code);
  if (v.kind == qping_urc::shape::reply) {
    b.text(v.ip, v.ip_quoted).num(v.bytes).num(v.time_ms).num(v.ttl);
  } else if (v.kind == qping_urc::shape::summary) {
    b.num(v.sent).num(v.rcvd).num(v.lost).num(v.min).num(v.max).num(v.avg);
  }
  return b.str();
}

std::string encode_value(const qntp_urc& v) {
  line_builder b("+QNTP");
  b.num(v.err);
  if (v.time) b.text(*v.time);
  return b.str();
}

std::string encode_value(const qistate_row& v) {
  return line_builder("+QISTATE")
      .num(v.connect_id)
      .text(v.service_type)
      .text(v.ip)
      .num(v.remote_port)
      .num(v.local_port)
      .num(v.socket_state)
      .num(v.context_id)
      .num(v.access_mode)
      .str();
}

std::string encode_value(const qird_header& v) {
  line_builder b("+QIRD");
  b.num(v.read_length);
  if (v.remaining) b.num(*v.remaining);
  return b.str();
}

std::string encode_value(const qigeterror_info& v) {
  // AN 2.1.12 spelling, no space after the comma. The description is free text read to the line
  // end (E42); it goes bare unless reading it back bare would change it (outer spaces, quotes
  // around all of it), which the decoder itself decides, so the two can never disagree.
  std::string bare = line_builder("+QIGETERROR").num(v.err).text(v.description, false).str();
  const auto back = decode_qigeterror(bare);
  if (back && back->description == v.description) return bare;
  return line_builder("+QIGETERROR").num(v.err).text(v.description).str();
}

std::string encode_value(const qicfg_info& v) {
  line_builder b("+QICFG");
  b.text(v.key).num(v.value1);
  if (v.value2) b.num(*v.value2);
  return b.str();
}

std::string encode_value(const qikalive_info& v) {
  return line_builder("+QIKALIVE").num(v.on).num(v.idle).num(v.interval).num(v.count).str();
}

std::string encode_value(const qidnscfg_info& v) {
  return line_builder("+QIDNSCFG").text(v.primary).text(v.secondary).str();
}

std::string encode_value(const cgatt_info& v) {
  return line_builder("+CGATT").num(v.state).str();
}

std::string encode_value(const cgpaddr_info& v) {
  line_builder b("+CGPADDR");
  b.num(v.cid);
  if (!v.address.empty()) b.text(v.address);
  return b.str();
}

std::string encode_value(const cme_error& v) {
  line_builder b("+CME ERROR");
  if (v.code) return b.num(*v.code).str();
  return b.raw(v.text).str();
}

// decoded_name()'s names, in the order of the decoded_line alternatives.
constexpr std::array<std::string_view, 17> names{
    "QIOPEN",   "closed",   "recv",    "incoming full", "incoming",   "dnsgip",
    "QPING",    "QNTP",     "QISTATE", "QIRD",          "QIGETERROR", "QICFG",
    "QIKALIVE", "QIDNSCFG", "CGATT",   "CGPADDR",       "CME ERROR"};
static_assert(names.size() == std::variant_size_v<decoded_line>);

}  // namespace

std::string encode_line(const decoded_line& value) {
  return std::visit([](const auto& v) { return encode_value(v); }, value);
}

std::string_view decoded_name(const decoded_line& value) noexcept {
  return names[value.index()];
}

}  // namespace bcconform::protocol
