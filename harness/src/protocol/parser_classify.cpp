// Payload headers: what follows a +QIRD or +QIURC "recv" line, read from its parameters and the
// stream_context (a payload by count, unframed data, nothing), and viewmode 1 headers that end
// at a comma instead of a line end.
#include <array>
#include <optional>

#include "bcconform/protocol/fields.hpp"
#include "parser_impl.hpp"

namespace bcconform::protocol {

using detail::qird_prefix;

namespace {

// True while `text` could still grow into a line starting with `head`.
bool could_become(std::string_view text, std::string_view head) noexcept {
  const std::size_t n = text.size() < head.size() ? text.size() : head.size();
  return text.substr(0, n) == head.substr(0, n);
}

// Number of leading unquoted decimal fields, or -1 if a field is anything else.
int numeric_fields(std::string_view params) noexcept {
  field_reader r(params);
  field f;
  int n = 0;
  for (;;) {
    const auto s = r.next(f);
    if (s == field_reader::status::end) return n;
    if (s == field_reader::status::malformed || f.quoted) return -1;
    if (!parse_count(f.text, UINT32_MAX)) return -1;
    ++n;
  }
}

}  // namespace

// +QIRD: <actual_read_length>[,<remaining_length>] (AN 2.1.5): the payload follows by count.
auto stream_parser::impl::qird_plan(std::string_view params, event& e) const noexcept
    -> payload_plan {
  payload_plan next;
  next.format = ctx.recv_format;
  const std::optional<std::uint32_t> n = qird_length(params);
  if (!n) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  next.length = *n;
  next.wire = wire_size(*n);
  const auto& cmd = ctx.command;
  const bool qird_in_flight = cmd.spec != nullptr && cmd.spec->info_prefix == qird_prefix;
  next.connect_id = qird_in_flight ? cmd.connect_id : -1;
  return next;
}

// +QIURC: "recv",<connectID>[,<current_recv_length>] (AN 2.2.2). In buffer mode it only
// announces data; in direct-push mode the data follows (E2, E47).
auto stream_parser::impl::recv_plan(std::string_view params, event& e) const noexcept
    -> payload_plan {
  payload_plan next;
  next.format = ctx.recv_format;
  field_reader r(params);
  field f;
  (void)r.next(f);  // "recv"
  if (r.next(f) != field_reader::status::field || f.quoted) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  const auto id = parse_count(f.text, protocol_limits::connect_id_max);
  if (!id) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  e.connect_id = static_cast<int>(*id);
  if (ctx.access[*id] != access_mode::direct_push) return next;
  next.connect_id = e.connect_id;
  const auto s = r.next(f);
  if (s == field_reader::status::end) {
    next.unframed = true;
    return next;
  }
  if (s == field_reader::status::field && f.quoted) return next;  // "buff full" (AN 2.2.3)
  const auto n = s == field_reader::status::field
                     ? parse_count(f.text, static_cast<std::uint32_t>(limits.max_payload))
                     : std::nullopt;
  field extra;
  if (!n || r.next(extra) != field_reader::status::end) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  next.length = *n;
  next.wire = wire_size(*n);
  return next;
}

// <actual_read_length> when `params` has one or two unquoted decimal fields and the first is
// within max_payload; nullopt otherwise (AN 2.1.5).
std::optional<std::uint32_t> stream_parser::impl::qird_length(
    std::string_view params) const noexcept {
  const auto max = static_cast<std::uint32_t>(limits.max_payload);
  const detail::plain_numbers nums = detail::read_plain_numbers(params);
  if (nums.count > 0) {
    return nums.value[0] <= max ? std::optional<std::uint32_t>(nums.value[0]) : std::nullopt;
  }
  const int fields = numeric_fields(params);
  field_reader r(params);
  field f;
  const auto s = r.next(f);
  const auto n =
      s == field_reader::status::field && !f.quoted ? parse_count(f.text, max) : std::nullopt;
  return fields >= 1 && fields <= 2 ? n : std::nullopt;
}

// Viewmode 1: is `text` (a line up to, not including, a comma) a complete payload header?
auto stream_parser::impl::inline_header_at(std::string_view text, payload_plan& out) const noexcept
    -> inline_verdict {
  const std::string_view recv_match = urc(urc_id::recv).match;  // `+QIURC: "recv",`
  const auto& cmd = ctx.command;
  const int needed = ctx.showlength ? 2 : 1;  // showlength adds a length field (AN 2.1.11)
  const auto prefixed = split_prefix(text);
  const bool is_recv = text.substr(0, recv_match.size()) == recv_match;
  const bool is_qird =
      prefixed && prefixed->prefix == qird_prefix && text.size() > qird_prefix.size() + 1;
  if (!is_recv && !is_qird) {
    return could_become(text, recv_match) || could_become(text, qird_prefix)
               ? inline_verdict::not_yet
               : inline_verdict::never;
  }
  if (is_qird && cmd.spec != nullptr && cmd.spec->info_prefix == qird_prefix &&
      cmd.kind == form::test) {
    return inline_verdict::never;
  }
  const std::string_view params = is_recv ? text.substr(recv_match.size()) : prefixed->params;
  const int fields = numeric_fields(params);
  if (fields < 0 || fields > needed) return inline_verdict::never;
  if (fields < needed) return inline_verdict::not_yet;
  event scratch;
  if (!is_recv) {
    out = qird_plan(params, scratch);
    return out.wire > 0 ? inline_verdict::header : inline_verdict::never;
  }
  const auto id = parse_count(params.substr(0, params.find(',')), protocol_limits::connect_id_max);
  if (!id || ctx.access[*id] != access_mode::direct_push) return inline_verdict::never;
  if (needed == 1) {  // no length: the data runs to the line end (E47)
    out = payload_plan{};
    out.format = ctx.recv_format;
    out.connect_id = static_cast<int>(*id);
    out.unframed = true;
    return inline_verdict::header;
  }
  out = recv_plan(prefixed->params, scratch);
  return out.wire > 0 ? inline_verdict::header : inline_verdict::never;
}

}  // namespace bcconform::protocol
