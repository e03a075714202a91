// `bcconform decode`: module-to-host bytes, or a two-sided transcript, in; one event per output
// line out (JSON Lines, or the event-log form of event_log.hpp).
//
// Raw input is what the module sent; the options give the stream_context the bytes cannot
// carry (AN 2.1.1 access mode, AN 2.1.11 viewmode/showlength/dataformat, ATE echo). With
// --transcript the host side is replayed into a session_tracker, which keeps that context
// true as the conversation changes it; the options are then only its starting point.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bcconform/protocol/parser.hpp"

namespace CLI {
class App;
}

namespace bcconform::cli {

enum class output_format { jsonl, log };

struct decode_options {
  std::string input = "-";  ///< a file, or "-" for standard input
  bool transcript = false;  ///< the input is a bcconform transcript, not raw module bytes
  std::vector<int> push;    ///< connect IDs in direct-push access mode
  int viewmode = 0;
  int showlength = 0;
  protocol::data_format recv_format = protocol::data_format::text;
  bool echo = true;
  std::size_t max_line = protocol::parser_limits{}.max_line;
  output_format format = output_format::jsonl;
};

/// Adds the `decode` subcommand to `app`, storing its options in `opts` (which must outlive
/// parsing). Returns the subcommand so the caller can tell whether it was given.
CLI::App& add_decode_command(CLI::App& app, decode_options& opts);

/// Runs the decode; returns an exit_code. Messages go to standard error.
int run_decode(const decode_options& opts);

}  // namespace bcconform::cli
