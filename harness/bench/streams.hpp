// The two byte streams the parser benchmark measures, generated once from a fixed seed so every
// run, on every machine, parses the same bytes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "bcconform/protocol/parser.hpp"

namespace bcconform::bench {

/// A generated module-output stream and what the generator put into it.
struct generated_stream {
  std::string name;
  std::string bytes;
  protocol::stream_context context;  ///< what the parser must be told to frame `bytes`
  std::uint64_t finals = 0;
  std::uint64_t infos = 0;          ///< information lines, payload headers included
  std::uint64_t urcs = 0;           ///< URCs, direct-push headers included
  std::uint64_t qird_payloads = 0;  ///< `+QIRD: <n>` followed by n bytes (viewmode 0)
  std::uint64_t push_payloads = 0;  ///< direct-push `+QIURC: "recv",<id>,<n>` + n bytes
  std::uint64_t payload_bytes = 0;

  std::uint64_t lines() const noexcept { return finals + infos + urcs; }
  std::uint64_t payloads() const noexcept { return qird_payloads + push_payloads; }
};

/// Finals, information lines and URCs only, every line framed `\r\n<line>\r\n`; all sockets in
/// buffer mode, so no byte of it is payload.
const generated_stream& line_stream();

/// The same kinds of lines plus payloads of 1-512 random bytes (CR, LF and NUL included) after
/// `+QIRD: <n>` and after direct-push `+QIURC: "recv",<id>,<n>`, making up ~85% of the bytes.
/// Sockets 0-1 are in buffer mode, 2-5 in direct push; viewmode 0, showlength 1.
const generated_stream& mixed_stream();

/// Prints what a stream is made of (one paragraph).
void print_composition(std::ostream& out, const generated_stream& s);

}  // namespace bcconform::bench
