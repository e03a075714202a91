// Classification of completed lines: the command table says what a line is (line_classifier),
// the stream_context says what follows it (a payload by count, unframed data, nothing).
#include "bcconform/protocol/fields.hpp"
#include "parser_impl.hpp"

namespace bcconform::protocol {

using detail::qird_prefix;

namespace {

// "+CME ERROR: " -> "CME ERROR"; "SEND OK" -> "SEND OK".
std::string_view final_name(const final_spec& f) noexcept {
  std::string_view n = f.text;
  if (!n.empty() && n.front() == '+') n.remove_prefix(1);
  while (!n.empty() && (n.back() == ' ' || n.back() == ':')) n.remove_suffix(1);
  return n;
}

std::string_view without_plus(std::string_view prefix) noexcept {
  if (!prefix.empty() && prefix.front() == '+') prefix.remove_prefix(1);
  return prefix;
}

// True while `text` could still grow into a line starting with `head`.
bool could_become(std::string_view text, std::string_view head) noexcept {
  const std::size_t n = text.size() < head.size() ? text.size() : head.size();
  return text.substr(0, n) == head.substr(0, n);
}

bool has_range_list(std::string_view params) noexcept {
  return params.find('(') != std::string_view::npos;  // test answers list ranges: (0-5)
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

auto stream_parser::impl::classify_and_emit(std::string_view text, std::uint64_t end) noexcept
    -> payload_plan {
  event e;
  e.offset = line_off;
  e.bytes = text;
  payload_plan next;
  next.format = ctx.recv_format;
  const auto& cmd = ctx.command;
  if (!cmd.echo_text.empty() && text == cmd.echo_text) {  // echo = the bytes actually sent
    e.kind = event_kind::echo;
    emit(e, end);
    return next;
  }
  const detail::line_class lc = detail::classify_line(text);
  if (lc.final != nullptr) {
    e.kind = event_kind::final;
    e.final = lc.final;
    e.name = final_name(*lc.final);
  } else if (lc.urc != nullptr && emit_urc(lc, e, next)) {
    // e filled as urc
  } else if (lc.info != nullptr) {
    e.kind = event_kind::info;
    e.command = lc.info;
    e.name = lc.info_name;
    const bool qird_test = cmd.spec == lc.info && cmd.kind == form::test;
    if (lc.prefix == qird_prefix && !qird_test && !has_range_list(lc.params)) {
      next = qird_plan(lc.params, e);
    }
  } else if (!lc.prefix.empty()) {
    // `+X:` outside the table: extended-syntax text that no command claims is unsolicited
    // (3GPP TS 27.007 §4.1); reported as such, with a diagnostic.
    e.kind = event_kind::urc;
    e.name = lc.qiurc_subtype.empty() ? without_plus(lc.prefix) : lc.qiurc_subtype;
    e.diag = diagnostic::unknown_urc;
  } else if (cmd.spec != nullptr) {
    e.kind = event_kind::info;  // an unprefixed line of the command in flight (ATI, CGMR)
    e.command = cmd.spec;
    e.name = detail::display_name(*cmd.spec);
  } else {
    e.kind = event_kind::noise;  // fits nothing: reported, never dropped
  }
  emit(e, end);
  return next;
}

// A prefix shared by a URC and a test-form answer (+QPING:, +QNTP:, +QIDNSGIP:, +QIOPEN:) is an
// answer only while that test form is in flight, and then only if it has the answer's shape:
// a range list (AN 2.1.8, 2.1.9, 2.1.10). Returns false when the line is an info line instead.
bool stream_parser::impl::emit_urc(const detail::line_class& lc, event& e,
                                   payload_plan& next) noexcept {
  const auto& cmd = ctx.command;
  if (lc.info != nullptr) {
    const bool test_in_flight = cmd.spec == lc.info && cmd.kind == form::test;
    const bool nothing_in_flight = cmd.spec == nullptr;
    const bool shaped = has_range_list(lc.params);
    if ((test_in_flight || nothing_in_flight) && shaped) {
      e.diag = diagnostic::test_form_shape;
      return false;
    }
    if (test_in_flight) e.diag = diagnostic::test_form_shape;
  }
  e.kind = event_kind::urc;
  e.urc = lc.urc;
  e.name = lc.urc->name;
  if (lc.urc->id == urc_id::recv || lc.urc->id == urc_id::buff_full) {
    next = recv_plan(lc.params, e);  // buff full: only the connect ID (AN 2.2.3)
  }
  return true;
}

// +QIRD: <actual_read_length>[,<remaining_length>] (AN 2.1.5): the payload follows by count.
auto stream_parser::impl::qird_plan(std::string_view params, event& e) const noexcept
    -> payload_plan {
  payload_plan next;
  next.format = ctx.recv_format;
  const int fields = numeric_fields(params);
  field_reader r(params);
  field f;
  const auto s = r.next(f);
  const auto n = s == field_reader::status::field && !f.quoted
                     ? parse_count(f.text, static_cast<std::uint32_t>(limits.max_payload))
                     : std::nullopt;
  if (!n || fields < 1 || fields > 2) {
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
