// A stable one-line text form of parser events, used by the golden tests, the fuzz targets'
// chunking-invariance checks and `bcconform decode --format log`.
//
//   <offset> <kind>[ <name>][ id=<connect_id>][ len=<length>][ diag=<diagnostic>] "<bytes>"
//
// e.g. `2 final OK "OK"`, `12 data id=0 len=10 "1234567890"`. <bytes> is escaped as in
// transcripts, and `"` is written `\x22` so the closing quote is the only one in the field.
// Spans are not printed (they are checked separately).
#pragma once

#include <string>

#include "bcconform/protocol/parser.hpp"

namespace bcconform::protocol {

std::string describe(const event& e);

/// A sink that appends describe() of each event and a newline to a string.
class event_log_sink : public event_sink {
 public:
  void on_event(const event& e) override {
    log += describe(e);
    log += '\n';
  }
  std::string log;
};

}  // namespace bcconform::protocol
