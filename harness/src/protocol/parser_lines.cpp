// The hot path: lines framed and classified straight from the caller's chunk, and the event
// each line makes. The command table says what a line is (line_classifier.hpp), the
// stream_context what it means now; payload headers are read in parser_classify.cpp.
#include "byte_scan.hpp"
#include "parser_impl.hpp"

namespace bcconform::protocol {
namespace {

std::string_view without_plus(std::string_view prefix) noexcept {
  if (!prefix.empty() && prefix.front() == '+') prefix.remove_prefix(1);
  return prefix;
}

}  // namespace

// What the table alone does not decide. True when a payload follows, its plan in `announced`.
// One switch for every line, `done` included: a single indirect jump mispredicts less often on
// a random mix of lines than a test for `done` followed by a switch over the rest.
BCCONFORM_HOT_INLINE bool stream_parser::impl::look_further(std::string_view text,
                                                            const detail::line_class& lc, event& e,
                                                            bool no_parenthesis) noexcept {
  const detail::line_meaning& m = *lc.meaning;
  announced.wire = 0;
  announced.unframed = false;
  // A shared prefix without a range list is the URC unless its test form is in flight
  // (emit_urc): when the scan has seen no '(' in the line, that is settled here, without a
  // branch, so that most URC lines take the same path as final results (one fewer target for
  // the switch to mispredict on a random mix of lines).
  const auto& cmd = ctx.command;
  const bool test_in_flight = (cmd.spec == m.answer) & (cmd.kind == form::test);
  const unsigned open =
      detail::opaque((m.urc_unless_answer & no_parenthesis & !test_in_flight) ^ 1u);
  static_assert(static_cast<unsigned>(detail::line_action::done) == 0);
  switch (static_cast<detail::line_action>(static_cast<unsigned>(m.action) * open)) {
    case detail::line_action::done:
      break;
    case detail::line_action::qird:
      qird_header(m.command, lc.params(text), e);
      break;
    case detail::line_action::shared:
      shared_line(m, lc.params(text), e);
      break;
    case detail::line_action::qiurc:
      qiurc_line(text, lc, e);
      break;
    case detail::line_action::unknown:
      unknown_urc(e, without_plus(lc.prefix(text)));
      break;
    case detail::line_action::unprefixed:
      unprefixed(e);
      break;
  }
  return announced.wire != 0 || announced.unframed;
}

// The event of a classified line. True when a payload follows; its plan is then in
// `announced`, read before the sink could change the context. Inlined into its two callers:
// it runs for every line, and most lines need less work than a call costs.
BCCONFORM_HOT_INLINE bool stream_parser::impl::emit_line(std::string_view text,
                                                         const detail::line_class& lc,
                                                         std::uint64_t end,
                                                         bool no_parenthesis) noexcept {
  if (!ctx.command.echo_text.empty() && text == ctx.command.echo_text) {
    emit(new_event(event_kind::echo, line_off, text), end);  // the bytes actually sent
    return false;
  }
  const detail::line_meaning& m = *lc.meaning;
  event& e = new_event(m.kind, line_off, text);
  e.name = m.name;
  e.final = m.final;
  e.command = m.command;
  e.urc = m.urc;
  const bool announces = look_further(text, lc, e, no_parenthesis);
  emit(e, end);
  return announces;
}

// The common case, straight from the caller's chunk: no data echo pending, viewmode 0 and no
// unframed data line announced (the sink may change that after any event, so it is checked
// before every line). Each round loads 64 bytes from where the separators before a line
// start: their CR/LF mask gives the separators and the end of a line of up to 63 - separators
// bytes without a data-dependent branch (line lengths are as random as the lines; a branch on
// them costs more than the loads). The line's key is found from one more 16-byte load and
// looked up without copying the line. A prompt, a line that does not end in the chunk or is
// overlong, and the last 79 bytes of a chunk are left to on_line_start() at the same position,
// which does what this would.
const char* stream_parser::impl::scan_lines(const char* p, const char* end) noexcept {
  using detail::block16;
  constexpr auto window = static_cast<std::ptrdiff_t>(4 * block16::size);
  while (end - p >= window + static_cast<std::ptrdiff_t>(block16::size) &&
         ctx.pending_data_echo.empty() && ctx.viewmode != 1 && !unframed_next) {
    const detail::block64 window_bytes(p);
    const std::uint64_t eols = window_bytes.eol_mask();
    if (eols == ~std::uint64_t{0}) {  // 64 separators
      p += window;
      continue;
    }
    const unsigned seps = detail::lowest_bit64(~eols);
    const char* const line = p + seps;
    if (*line == '>') return line;             // perhaps a prompt (AN 2.1.4)
    const std::uint64_t after = eols >> seps;  // bit i: line[i] is CR or LF
    const char* eol =
        after != 0 ? line + detail::lowest_bit64(after) : detail::find_eol(p + window, end);
    const auto len = static_cast<std::size_t>(eol - line);
    if (eol == end || len > limits.max_line) return line;
    skip_data_echo = false;
    line_off = off(line);
    const std::string_view text(line, len);
    const unsigned colons = block16(line).mask_of(':') & detail::line_head::low_bits(len);
    const detail::line_class lc =
        index.classify(text, detail::line_head::load(line, block16::size, block16::size),
                       detail::first_colon(text, colons));
    // No '(' in a line that ends in the window: no range list (emit_urc, AN 2.1.8).
    const std::uint64_t in_line = (std::uint64_t{1} << (after != 0 ? len : 0)) - 1;
    const bool no_parenthesis = after != 0 && ((window_bytes.mask_of('(') >> seps) & in_line) == 0;
    p = eol + 1;
    if (emit_line(text, lc, off(p), no_parenthesis)) {
      after_line(eol, announced);
      if (st != state::line_start) return p;
    }
  }
  return p;
}

auto stream_parser::impl::classify_and_emit(std::string_view text, const detail::line_class& lc,
                                            std::uint64_t end) noexcept -> payload_plan {
  return emit_line(text, lc, end, false) ? announced : payload_plan{};
}

// A prefix shared by a URC and a test-form answer (+QPING:, +QNTP:, +QIDNSGIP:, +QIOPEN:) is an
// answer only while that test form is in flight, and then only if it has the answer's shape:
// a range list (AN 2.1.8, 2.1.9, 2.1.10). Returns false when the line is an info line instead.
BCCONFORM_HOT_INLINE bool stream_parser::impl::emit_urc(const urc_spec* u, const command_spec* info,
                                                        std::string_view params,
                                                        event& e) noexcept {
  const auto& cmd = ctx.command;
  if (info != nullptr) {
    const bool test_in_flight = cmd.spec == info && cmd.kind == form::test;
    const bool nothing_in_flight = cmd.spec == nullptr;
    if ((test_in_flight || nothing_in_flight) && has_range_list(params)) {
      e.diag = diagnostic::test_form_shape;
      return false;
    }
    if (test_in_flight) e.diag = diagnostic::test_form_shape;
  }
  e.kind = event_kind::urc;
  e.urc = u;
  e.name = u->name;
  if (u->id == urc_id::recv || u->id == urc_id::buff_full) {
    announced = recv_plan(params, e);  // buff full: only the connect ID (AN 2.2.3)
  }
  return true;
}

// A URC prefix shared with a test answer (line_action::shared): the URC, or else the answer.
void stream_parser::impl::shared_line(const detail::line_meaning& m, std::string_view params,
                                      event& e) noexcept {
  if (emit_urc(m.urc, m.answer, params, e)) return;
  e.kind = event_kind::info;
  e.command = m.answer;
  e.name = m.answer_name;
  e.urc = nullptr;
  if (m.qird) qird_header(m.answer, params, e);
}

// A +QIRD information line announces its payload unless it is the test form's answer, a range
// list (AN 2.1.5). `+QIRD: <n>[,<rem>]` with plain numbers is read here; other shapes go through
// qird_plan(), which decides the same for these.
void stream_parser::impl::qird_header(const command_spec* qird, std::string_view params,
                                      event& e) noexcept {
  const auto& cmd = ctx.command;
  if (cmd.spec == qird && cmd.kind == form::test) return;
  const detail::plain_numbers nums = detail::read_plain_numbers(params);
  if (nums.count == 0) {
    if (!has_range_list(params)) announced = qird_plan(params, e);
    return;
  }
  const std::uint32_t n = nums.value[0];  // plain numbers hold no '(': not a range list
  if (n > limits.max_payload) {
    e.diag = diagnostic::bad_header;
    return;
  }
  announced.format = ctx.recv_format;
  announced.length = n;
  announced.wire = wire_size(n);
  const bool qird_in_flight = cmd.spec != nullptr && cmd.spec->info_prefix == detail::qird_prefix;
  announced.connect_id = qird_in_flight ? cmd.connect_id : -1;
}

// recv_plan() for `"recv",<connectID>[,<length>]` with plain numbers: the same decisions
// without field_reader.
BCCONFORM_HOT_INLINE auto stream_parser::impl::recv_plan_plain(const detail::plain_numbers& nums,
                                                               event& e) const noexcept
    -> payload_plan {
  payload_plan next;
  next.format = ctx.recv_format;
  const std::uint32_t id = nums.value[0];
  if (id > protocol_limits::connect_id_max) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  e.connect_id = static_cast<int>(id);
  if (ctx.access[id] != access_mode::direct_push) return next;
  next.connect_id = e.connect_id;
  if (nums.count == 1) {
    next.unframed = true;
    return next;
  }
  const std::uint32_t n = nums.value[1];
  if (n > limits.max_payload) {
    e.diag = diagnostic::bad_header;
    return next;
  }
  next.length = n;
  next.wire = wire_size(n);
  return next;
}

// `+QIURC: "<subtype>",...` (AN 2.2): a URC the subtype names, else an unknown one named by it.
void stream_parser::impl::qiurc_line(std::string_view text, const detail::line_class& lc,
                                     event& e) noexcept {
  const detail::qiurc_class q = index.classify_qiurc(text, readable(text));
  if (q.urc == nullptr) {
    const std::string_view subtype = q.subtype(text);
    unknown_urc(e, subtype.empty() ? without_plus(lc.prefix(text)) : subtype);
    return;
  }
  e.kind = event_kind::urc;
  e.urc = q.urc;
  e.name = q.urc->name;
  if (q.urc->id != urc_id::recv && q.urc->id != urc_id::buff_full) return;
  // `"recv",<fields>`: the subtype ends at q.close; plain numbers right after its comma are
  // read directly, anything else by recv_plan() (AN 2.2.2, 2.2.3).
  const std::string_view rest = text.substr(q.close);
  if (rest.size() >= 2 && rest[0] == '"' && rest[1] == ',') {
    const detail::plain_numbers nums = detail::read_plain_numbers(rest.substr(2));
    if (nums.count > 0) {
      announced = recv_plan_plain(nums, e);
      return;
    }
  }
  announced = recv_plan(lc.params(text), e);
}

// `+X:` outside the table: extended-syntax text that no command claims is unsolicited
// (3GPP TS 27.007 §4.1); reported as such, with a diagnostic.
void stream_parser::impl::unknown_urc(event& e, std::string_view name) noexcept {
  e.kind = event_kind::urc;
  e.name = name;
  e.diag = diagnostic::unknown_urc;
}

// A line with no prefix the table knows: an unprefixed line of the command in flight (ATI,
// CGMR), or noise, reported and never dropped.
void stream_parser::impl::unprefixed(event& e) noexcept {
  const auto& cmd = ctx.command;
  if (cmd.spec != nullptr) {
    e.kind = event_kind::info;
    e.command = cmd.spec;
    e.name = detail::display_name(*cmd.spec);
  } else {
    e.kind = event_kind::noise;
  }
}

}  // namespace bcconform::protocol
