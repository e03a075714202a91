// Profile files (profile.hpp): one JSON object of knobs, each {"value": V, "source": S}. Every
// knob is required, nothing else is allowed, and each error names the file and the knob, so a
// profile is complete and every value in it can be traced to the note, a ruling or a choice.
//
// Durations are integers in milliseconds and their knob names end in "_ms".
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "bcconform/emulator/profile.hpp"

namespace bcconform::emulator {
namespace {

using json = nlohmann::json;
using protocol::errc;
using protocol::make_error;
using sv = std::string_view;

using member = std::variant<bool profile::*, int profile::*, std::size_t profile::*,
                            std::chrono::milliseconds profile::*, std::string profile::*,
                            std::vector<std::string> profile::*>;

/// A knob: its name in the file, the member it sets and its domain (integers: [min, max];
/// strings: length [min, max]).
struct knob {
  sv name;
  member target;
  std::int64_t min = 0;
  std::int64_t max = 0;
};

constexpr std::int64_t one_mib = 1 << 20;
constexpr std::int64_t ten_minutes_ms = 600'000;
constexpr std::int64_t one_hour_ms = 3'600'000;

// File order. The comments say what each knob chooses; the files say why.
const std::vector<knob>& knob_table() {
  static const std::vector<knob> table = {
      {"model", &profile::model, 1, 32},
      {"ati_lines", &profile::ati_lines, 1, 64},  // each line's length
      {"revision", &profile::revision, 1, 64},
      {"pdp_address", &profile::pdp_address, 1, 45},
      {"echo_default", &profile::echo_default},
      {"cmee_default", &profile::cmee_default, 0, 2},
      {"qsclk_default", &profile::qsclk_default, 0, 2},
      {"wakeup_urcs", &profile::wakeup_urcs},
      {"boot_urcs", &profile::boot_urcs, 1, 64},
      {"qrst_ok_before_reboot", &profile::qrst_ok_before_reboot},
      {"udp_service_supported", &profile::udp_service_supported},
      {"qiopen_test_lists_udp_service", &profile::qiopen_test_lists_udp_service},
      {"qistate_lists_incoming", &profile::qistate_lists_incoming},
      {"remote_close_state", &profile::remote_close_state, 3, 4},  // E9: closing / remote closing
      {"qiclose_closed_id_is_error", &profile::qiclose_closed_id_is_error},
      {"incoming_lowest_free_id", &profile::incoming_lowest_free_id},
      {"esc_cancel_is_error", &profile::esc_cancel_is_error},
      {"data_mode_echo", &profile::data_mode_echo},
      {"qicfg_set_echoes_value", &profile::qicfg_set_echoes_value},
      {"qping_ip_quoted", &profile::qping_ip_quoted},
      {"dns_ip_quoted", &profile::dns_ip_quoted},
      {"qigeterror_separator", &profile::qigeterror_separator, 1, 4},
      {"qigeterror_lower_case", &profile::qigeterror_lower_case},
      {"ping_simulated", &profile::ping_simulated},
      {"buffer_limit", &profile::buffer_limit, 1, one_mib},
      {"send_buffer_limit", &profile::send_buffer_limit, 1, one_mib},
      {"qiopen_timeout_ip_ms", &profile::qiopen_timeout_ip, 1, ten_minutes_ms},
      {"qiopen_timeout_name_ms", &profile::qiopen_timeout_name, 1, ten_minutes_ms},
      {"response_delay_ms", &profile::response_delay, 0, 10'000},
      {"urc_delay_ms", &profile::urc_delay, 0, 10'000},
      {"sleep_after_ms", &profile::sleep_after, 0, one_hour_ms},
      {"boot_time_ms", &profile::boot_time, 0, 60'000},
  };
  return table;
}

/// Reads one knob's value into `p`; the error detail names the knob.
class knob_reader {
 public:
  knob_reader(profile& p, const knob& k, const json& v, std::string where)
      : p_(p), k_(k), v_(v), where_(std::move(where)) {}

  protocol::result<void> operator()(bool profile::*m) {
    if (!v_.is_boolean()) return fail(errc::wrong_type, "must be true or false");
    p_.*m = v_.get<bool>();
    return {};
  }
  protocol::result<void> operator()(int profile::*m) {
    auto n = integer();
    if (!n) return n.error();
    p_.*m = static_cast<int>(*n);
    return {};
  }
  protocol::result<void> operator()(std::size_t profile::*m) {
    auto n = integer();
    if (!n) return n.error();
    p_.*m = static_cast<std::size_t>(*n);
    return {};
  }
  protocol::result<void> operator()(std::chrono::milliseconds profile::*m) {
    auto n = integer();
    if (!n) return n.error();
    p_.*m = std::chrono::milliseconds{*n};
    return {};
  }
  protocol::result<void> operator()(std::string profile::*m) {
    auto s = text(v_);
    if (!s) return s.error();
    p_.*m = std::move(*s);
    return {};
  }
  protocol::result<void> operator()(std::vector<std::string> profile::*m) {
    if (!v_.is_array()) return fail(errc::wrong_type, "must be an array of strings");
    std::vector<std::string> lines;
    for (const auto& item : v_) {
      auto s = text(item);
      if (!s) return s.error();
      lines.push_back(std::move(*s));
    }
    p_.*m = std::move(lines);
    return {};
  }

 private:
  protocol::error fail(errc e, const std::string& what) const {
    return make_error(e, where_ + ": knob \"" + std::string(k_.name) + "\": " + what);
  }
  std::string domain() const { return std::to_string(k_.min) + "-" + std::to_string(k_.max); }
  protocol::result<std::int64_t> integer() const {
    if (!v_.is_number_integer()) return fail(errc::wrong_type, "must be an integer");
    const auto n = v_.get<std::int64_t>();
    if (n < k_.min || n > k_.max) {
      return fail(errc::out_of_range, std::to_string(n) + " is outside " + domain());
    }
    return n;
  }
  // Profile strings are printed inside response lines: no line ends, bounded length.
  protocol::result<std::string> text(const json& v) const {
    if (!v.is_string()) return fail(errc::wrong_type, "must be a string");
    std::string s = v.get<std::string>();
    const auto len = static_cast<std::int64_t>(s.size());
    if (len < k_.min || len > k_.max) {
      return fail(errc::out_of_range, "length " + std::to_string(len) + " is outside " + domain());
    }
    if (s.find_first_of("\r\n") != std::string::npos) {
      return fail(errc::syntax, "must not contain CR or LF");
    }
    return s;
  }

  profile& p_;
  const knob& k_;
  const json& v_;
  std::string where_;
};

std::string position(sv text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

protocol::result<json> parse_json(sv text, const std::string& origin) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    return make_error(errc::syntax, origin + ":" + position(text, e.byte == 0 ? 0 : e.byte - 1) +
                                        ": not JSON: " + e.what());
  }
}

const knob* find_knob(sv name) {
  for (const auto& k : knob_table()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

protocol::result<void> read_knob(profile& p, const knob& k, const json& entry,
                                 const std::string& origin) {
  const std::string where = origin + ": knob \"" + std::string(k.name) + "\"";
  if (!entry.is_object()) {
    return make_error(errc::wrong_type, where + ": must be {\"value\": ..., \"source\": \"...\"}");
  }
  for (const auto& [field, unused] : entry.items()) {
    if (field != "value" && field != "source") {
      return make_error(errc::syntax, where + ": unknown member \"" + field + "\"");
    }
  }
  if (!entry.contains("value")) return make_error(errc::missing_parameter, where + ": no value");
  const auto source = entry.find("source");
  if (source == entry.end() || !source->is_string() || source->get<std::string>().empty()) {
    return make_error(errc::missing_parameter, where +
                                                   ": no source (a section, a ruling, or "
                                                   "\"chosen: <reason>\")");
  }
  auto r = std::visit(knob_reader(p, k, entry.at("value"), origin), k.target);
  if (!r) return r;
  p.sources[std::string(k.name)] = source->get<std::string>();
  return {};
}

}  // namespace

const std::vector<std::string_view>& profile_knobs() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const auto& k : knob_table()) v.push_back(k.name);
    return v;
  }();
  return names;
}

protocol::result<profile> parse_profile(std::string_view json_text, std::string_view origin) {
  const std::string where(origin);
  auto doc = parse_json(json_text, where);
  if (!doc) return doc.error();
  if (!doc->is_object()) return make_error(errc::wrong_type, where + ": must be a JSON object");
  for (const auto& [name, unused] : doc->items()) {
    if (find_knob(name) == nullptr) {
      return make_error(errc::bad_choice, where + ": unknown knob \"" + name + "\"");
    }
  }
  profile p;
  for (const auto& k : knob_table()) {
    const auto it = doc->find(std::string(k.name));
    if (it == doc->end()) {
      return make_error(errc::missing_parameter,
                        where + ": knob \"" + std::string(k.name) + "\" is missing");
    }
    if (auto r = read_knob(p, k, *it, where); !r) return r.error();
  }
  return p;
}

}  // namespace bcconform::emulator
