// Typed TCP/IP requests. Each encode() lists its arguments in the note's order and leaves the
// checking to encode_command(); each from() checks a copy of the parsed command and reads the
// arguments back. No range is written here.
#include "bcconform/protocol/commands.hpp"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace bcconform::protocol {
namespace {

using sv = std::string_view;
using arg_list = std::vector<arg_value>;

arg_value num(int n) {
  return arg_value::integer(n);
}
arg_value num(const std::optional<int>& n) {
  return n ? arg_value::integer(*n) : arg_value::absent();
}
arg_value text(const std::string& s) {
  return arg_value::quoted(s);
}

// Optional parameters left out at the end are not written; one left out before a given one
// stays an empty field, which check_arguments() refuses (nesting, E49).
arg_list trimmed(arg_list args) {
  while (!args.empty() && args.back().type == arg_value::kind::absent) args.pop_back();
  return args;
}

result<std::string> encode_as(sv name, form kind, arg_list args, sv key = {}) {
  const command_spec* spec = find_command(name);
  if (spec == nullptr)
    return make_error(errc::unknown_command, "no table entry AT" + std::string(name));
  return encode_command(*spec, kind, trimmed(std::move(args)), key);
}

result<std::string> encode_set(sv name, arg_list args) {
  return encode_as(name, form::set, std::move(args));
}

// A checked copy of `cmd`, refused unless it is AT`name` in one of `kinds`.
result<parsed_command> checked(const parsed_command& cmd, sv name,
                               std::initializer_list<form> kinds) {
  parsed_command c = cmd;
  if (c.spec == nullptr) c.spec = find_command(c.name);
  if (c.spec == nullptr || c.spec->name != name) {
    return make_error(errc::wrong_prefix,
                      "expected AT" + std::string(name) + ", got AT" + cmd.name);
  }
  if (std::find(kinds.begin(), kinds.end(), c.kind) == kinds.end()) {
    return make_error(errc::unsupported_form, "AT" + std::string(name) + " " +
                                                  std::string(to_string(c.kind)) +
                                                  " form has no typed request");
  }
  auto r = check_arguments(c);
  if (!r) return r.error();
  return c;
}

// After check_arguments() every integer is within its documented range, which fits an int.
int int_at(const parsed_command& c, std::size_t i) {
  return static_cast<int>(c.args[i].number);
}

std::optional<int> optional_int_at(const parsed_command& c, std::size_t i) {
  if (i >= c.args.size()) return std::nullopt;
  return int_at(c, i);
}

send_variant variant_of(const form_spec& f) noexcept {
  switch (f.data) {
    case data_mode::until_ctrl_z:
      return send_variant::until_ctrl_z;
    case data_mode::fixed_length:
      return send_variant::fixed_length;
    case data_mode::none:
      break;
  }
  return send_variant::inline_data;
}

// The arguments of a send form: <connectID>[,<send_length>[,"<data>"]] as the variant needs.
arg_list send_args(send_variant v, int connect_id, int send_length, const std::string& data) {
  switch (v) {
    case send_variant::until_ctrl_z:
      return {num(connect_id)};
    case send_variant::fixed_length:
      return {num(connect_id), num(send_length)};
    case send_variant::inline_data:
      break;
  }
  return {num(connect_id), num(send_length), text(data)};
}

}  // namespace

// ---- AT+QIOPEN -------------------------------------------------------------------------------

result<std::string> qiopen_request::encode() const {
  return encode_set("+QIOPEN",
                    {num(context_id), num(connect_id), text(service_type), text(host),
                     num(remote_port), num(local_port), num(access_mode), num(protocol_type)});
}

result<qiopen_request> qiopen_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIOPEN", {form::set});
  if (!c) return c.error();
  qiopen_request r;
  r.context_id = int_at(*c, 0);
  r.connect_id = int_at(*c, 1);
  r.service_type = c->args[2].text;
  r.host = c->args[3].text;
  r.remote_port = int_at(*c, 4);
  r.local_port = optional_int_at(*c, 5);
  r.access_mode = optional_int_at(*c, 6);
  r.protocol_type = optional_int_at(*c, 7);
  return r;
}

// ---- AT+QICLOSE ------------------------------------------------------------------------------

result<std::string> qiclose_request::encode() const {
  return encode_set("+QICLOSE", {num(connect_id)});
}

result<qiclose_request> qiclose_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QICLOSE", {form::set});
  if (!c) return c.error();
  return qiclose_request{int_at(*c, 0)};
}

// ---- AT+QISTATE ------------------------------------------------------------------------------

result<std::string> qistate_request::encode() const {
  switch (by) {
    case scope::all:
      return encode_as("+QISTATE", form::query, {});
    case scope::context:
      return encode_set("+QISTATE", {num(0), num(id)});
    case scope::connection:
      break;
  }
  return encode_set("+QISTATE", {num(1), num(id)});
}

result<qistate_request> qistate_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QISTATE", {form::query, form::set});
  if (!c) return c.error();
  if (c->kind == form::query) return qistate_request{};
  return qistate_request{int_at(*c, 0) == 0 ? scope::context : scope::connection, int_at(*c, 1)};
}

// ---- AT+QISEND -------------------------------------------------------------------------------

qisend_request qisend_request::with_data(int connect_id, std::string data) {
  const auto length = static_cast<int>(std::min<std::size_t>(data.size(), 1u << 30));
  return {send_variant::inline_data, connect_id, length, std::move(data)};
}

result<std::string> qisend_request::encode() const {
  return encode_set("+QISEND", send_args(variant, connect_id, send_length, data));
}

result<qisend_request> qisend_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QISEND", {form::set});
  if (!c) return c.error();
  qisend_request r;
  r.variant = variant_of(*c->variant);
  r.connect_id = int_at(*c, 0);
  if (c->args.size() > 1) r.send_length = int_at(*c, 1);
  if (c->args.size() > 2) r.data = c->args[2].text;
  return r;
}

// ---- AT+QISENDEX -----------------------------------------------------------------------------

qisendex_request qisendex_request::with_hex(int connect_id, std::string hex) {
  const auto length = static_cast<int>(std::min<std::size_t>(hex.size() / 2, 1u << 30));
  return {send_variant::inline_data, connect_id, length, std::move(hex)};
}

result<std::string> qisendex_request::encode() const {
  return encode_set("+QISENDEX", send_args(variant, connect_id, send_length, hex));
}

result<qisendex_request> qisendex_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QISENDEX", {form::set});
  if (!c) return c.error();
  qisendex_request r;
  r.variant = variant_of(*c->variant);
  r.connect_id = int_at(*c, 0);
  if (c->args.size() > 1) r.send_length = int_at(*c, 1);
  if (c->args.size() > 2) r.hex = c->args[2].text;
  return r;
}

// ---- AT+QIRD, AT+QISWTMD ---------------------------------------------------------------------

result<std::string> qird_request::encode() const {
  return encode_set("+QIRD", {num(connect_id), num(read_length)});
}

result<qird_request> qird_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIRD", {form::set});
  if (!c) return c.error();
  return qird_request{int_at(*c, 0), int_at(*c, 1)};
}

result<std::string> qiswtmd_request::encode() const {
  return encode_set("+QISWTMD", {num(connect_id), num(access_mode)});
}

result<qiswtmd_request> qiswtmd_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QISWTMD", {form::set});
  if (!c) return c.error();
  return qiswtmd_request{int_at(*c, 0), int_at(*c, 1)};
}

// ---- AT+QPING, AT+QNTP, AT+QIDNSGIP ----------------------------------------------------------

result<std::string> qping_request::encode() const {
  return encode_set("+QPING",
                    {num(context_id), text(host), num(time_out), num(ping_num), num(ping_size)});
}

result<qping_request> qping_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QPING", {form::set});
  if (!c) return c.error();
  return qping_request{int_at(*c, 0), c->args[1].text, optional_int_at(*c, 2),
                       optional_int_at(*c, 3), optional_int_at(*c, 4)};
}

result<std::string> qntp_request::encode() const {
  return encode_set("+QNTP", {num(context_id), text(server), num(port), num(autosettime)});
}

result<qntp_request> qntp_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QNTP", {form::set});
  if (!c) return c.error();
  return qntp_request{int_at(*c, 0), c->args[1].text, optional_int_at(*c, 2),
                      optional_int_at(*c, 3)};
}

result<std::string> qidnsgip_request::encode() const {
  return encode_set("+QIDNSGIP", {num(context_id), text(hostname)});
}

result<qidnsgip_request> qidnsgip_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIDNSGIP", {form::set});
  if (!c) return c.error();
  return qidnsgip_request{int_at(*c, 0), c->args[1].text};
}

// ---- AT+QICFG, AT+QIGETERROR -----------------------------------------------------------------

result<std::string> qicfg_request::encode() const {
  arg_list args;
  for (int v : values) args.push_back(num(v));
  return encode_as("+QICFG", form::set, std::move(args), key);
}

result<qicfg_request> qicfg_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QICFG", {form::set});
  if (!c) return c.error();
  qicfg_request r{c->key, {}};
  for (std::size_t i = 0; i < c->args.size(); ++i) r.values.push_back(int_at(*c, i));
  return r;
}

result<std::string> qigeterror_request::encode() const {
  return encode_as("+QIGETERROR", form::exec, {});
}

result<qigeterror_request> qigeterror_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIGETERROR", {form::exec});
  if (!c) return c.error();
  return qigeterror_request{};
}

// ---- AT+QIKALIVE, AT+QIDNSCFG ----------------------------------------------------------------

result<std::string> qikalive_request::encode() const {
  return encode_set("+QIKALIVE",
                    {num(keepalive_on), num(idle_time), num(interval_time), num(count)});
}

result<qikalive_request> qikalive_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIKALIVE", {form::set});
  if (!c) return c.error();
  return qikalive_request{int_at(*c, 0), optional_int_at(*c, 1), optional_int_at(*c, 2),
                          optional_int_at(*c, 3)};
}

result<std::string> qidnscfg_request::encode() const {
  return encode_set("+QIDNSCFG",
                    {text(primary), secondary ? text(*secondary) : arg_value::absent()});
}

result<qidnscfg_request> qidnscfg_request::from(const parsed_command& cmd) {
  auto c = checked(cmd, "+QIDNSCFG", {form::set});
  if (!c) return c.error();
  qidnscfg_request r{c->args[0].text, std::nullopt};
  if (c->args.size() > 1) r.secondary = c->args[1].text;
  return r;
}

}  // namespace bcconform::protocol
