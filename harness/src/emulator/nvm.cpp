// The saved settings (AT&W, AT+QICFG, AT+QSCLK: "参数设置将保存至 NVM") and their --state
// file: one JSON object on one line, every member required, each error naming its key.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bcconform/emulator/interpreter.hpp"

namespace bcconform::emulator {
namespace {

using json = nlohmann::ordered_json;
using protocol::errc;
using protocol::make_error;

/// Reads one member of the state file; the error names it.
class member_reader {
 public:
  explicit member_reader(const json& doc) : doc_(doc) {}

  bool boolean(const char* key, bool& out) {
    const json* v = find(key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) return fail(key, errc::wrong_type, "must be true or false");
    out = v->get<bool>();
    return true;
  }
  bool integer(const char* key, int& out, int min, int max) {
    const json* v = find(key);
    if (v == nullptr) return false;
    if (!v->is_number_integer()) return fail(key, errc::wrong_type, "must be an integer");
    const auto n = v->get<std::int64_t>();
    if (n < min || n > max) {
      return fail(
          key, errc::out_of_range,
          std::to_string(n) + " is outside " + std::to_string(min) + "-" + std::to_string(max));
    }
    out = static_cast<int>(n);
    return true;
  }
  // AN 2.1.14 addresses: at most 45 characters (E52), plus ":port" (E59).
  bool text(const char* key, std::string& out) {
    const json* v = find(key);
    if (v == nullptr) return false;
    if (!v->is_string()) return fail(key, errc::wrong_type, "must be a string");
    out = v->get<std::string>();
    if (out.size() > 64 || out.find_first_of("\"\r\n") != std::string::npos) {
      return fail(key, errc::out_of_range, "not a DNS server address");
    }
    return true;
  }
  const std::optional<protocol::error>& error() const { return error_; }

 private:
  const json* find(const char* key) {
    if (error_) return nullptr;
    const auto it = doc_.find(key);
    if (it == doc_.end()) {
      fail(key, errc::missing_parameter, "is missing");
      return nullptr;
    }
    return &*it;
  }
  bool fail(const char* key, errc e, const std::string& what) {
    if (!error_) error_ = make_error(e, std::string("state file: \"") + key + "\" " + what);
    return false;
  }

  const json& doc_;
  std::optional<protocol::error> error_;
};

constexpr const char* keys[] = {"echo",        "cmee",         "qsclk",    "wakeup_urcs",
                                "send_format", "recv_format",  "viewmode", "showlength",
                                "dns_primary", "dns_secondary"};

}  // namespace

// The factory settings: the profile's defaults, and AN 2.1.11's underlined defaults (0) for
// the AT+QICFG values (E33 for showlength); no DNS server configured.
nvm_state factory_nvm(const profile& p) {
  nvm_state n;
  n.echo = p.echo_default;
  n.cmee = p.cmee_default;
  n.qsclk = p.qsclk_default;
  n.wakeup_urcs = p.wakeup_urcs;
  return n;
}

std::string to_json(const nvm_state& s) {
  json doc;
  doc["echo"] = s.echo;
  doc["cmee"] = s.cmee;
  doc["qsclk"] = s.qsclk;
  doc["wakeup_urcs"] = s.wakeup_urcs;
  doc["send_format"] = s.send_format;
  doc["recv_format"] = s.recv_format;
  doc["viewmode"] = s.viewmode;
  doc["showlength"] = s.showlength;
  doc["dns_primary"] = s.dns_primary;
  doc["dns_secondary"] = s.dns_secondary;
  return doc.dump();
}

protocol::result<nvm_state> nvm_from_json(std::string_view text) {
  json doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) return make_error(errc::syntax, "state file: not JSON");
  if (!doc.is_object()) return make_error(errc::wrong_type, "state file: not a JSON object");
  for (const auto& [key, unused] : doc.items()) {
    if (std::find(std::begin(keys), std::end(keys), key) == std::end(keys)) {
      return make_error(errc::bad_choice, "state file: unknown key \"" + key + "\"");
    }
  }
  nvm_state n;
  member_reader r(doc);
  r.boolean("echo", n.echo);
  r.integer("cmee", n.cmee, 0, 2);
  r.integer("qsclk", n.qsclk, 0, 2);
  r.boolean("wakeup_urcs", n.wakeup_urcs);
  r.integer("send_format", n.send_format, 0, 1);
  r.integer("recv_format", n.recv_format, 0, 1);
  r.integer("viewmode", n.viewmode, 0, 1);
  r.integer("showlength", n.showlength, 0, 1);
  r.text("dns_primary", n.dns_primary);
  r.text("dns_secondary", n.dns_secondary);
  if (r.error()) return *r.error();
  return n;
}

}  // namespace bcconform::emulator
