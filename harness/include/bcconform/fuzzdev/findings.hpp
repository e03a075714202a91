// What the device fuzzer's oracles report: one finding per thing the module did wrong, each with
// the case that provoked it, so that `--seed S --start I --count 1` sends the same bytes again.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bcconform::fuzzdev {

enum class finding_kind : std::uint8_t {
  no_answer,          ///< liveness: a plain AT got no OK within its deadline after the case
  target_died,        ///< the module side went away: exec child exited, EOF, device vanished
  noise,              ///< a line the parser could not place (not an echo, info, final or URC)
  overflow,           ///< a line longer than the parser's limit, i.e. than anything sent to it
  diagnostic,         ///< a parser diagnostic other than the benign ones (bad_header, bad_hex, ...)
  malformed_urc,      ///< a URC of the table whose fields do not decode (AN 2.2)
  missing_final,      ///< no final result within the command's maximum response time
  late_final,         ///< a final result, but after the maximum response time
  extra_final,        ///< more final results than command lines
  accepted_refused,   ///< OK (or a prompt) for a line the command table's checker refuses
  unexpected_prompt,  ///< a `> ` prompt for a line that has no data mode (AN 2.1.4)
  reboot,             ///< RDY without a reboot command: the module restarted by itself
  data_mismatch,      ///< data-mode bytes reported sent (SEND OK) did not reach the peer as sent
};
inline constexpr int finding_kind_count = 13;

std::string_view to_string(finding_kind k) noexcept;

struct finding {
  finding_kind kind = finding_kind::noise;
  std::uint64_t seed = 0;
  std::uint64_t index = 0;  ///< the generated case during which the module did it
  std::string line;         ///< the case's bytes, escaped as in transcripts ("AT+QIRD=0,513\r")
  std::string description;  ///< what the case is ("boundary AT+QIRD <read_length>=513 (max+1)")
  std::string detail;       ///< what went wrong, in words
  std::string evidence;     ///< the module's line(s) concerned, escaped; "" when none
};

/// "[missing_final] case 17 (seed 1): AT+QIRD=0,5\r — no final result within 0.80 s".
std::string format_finding(const finding& f);

}  // namespace bcconform::fuzzdev
