// Stream composition (seed 0x6263636f6e666f72, std::mt19937_64; ~4 MiB each):
//
// Every line is framed `\r\n<line>\r\n` as the module frames its responses (AN 2.2). A line is
// drawn uniformly from 16 templates whose numbers vary:
//   finals (5):  OK | ERROR | SEND OK | CLOSE OK | +CME ERROR: 50            (AN 2, AN 3)
//   info (5):    +QISTATE: <id>,"TCP","220.18.39.22",<port>,0,2,1,0          (AN 2.1.3)
//                +QIRD: 0 | +QIGETERROR: 552, invalid parameters            (AN 2.1.5, 2.1.12)
//                +QICFG: "showlength",1 | +CGPADDR: 1,"100.127.243.105"      (AN 2.1.11, 4.1.1)
//   URCs (6):    +QIURC: "closed",<id> | +QIURC: "recv",<0|1>[,<n>] (buffer mode)
//                +QIURC: "incoming",2,0,"192.168.2.2",<port> | +QIOPEN: <id>,0
//                +QPING: 0,220.18.29.21,32,<ms>,255 | +QPING: 2,4,4,0,192,479,287 (AN 2.2, 2.1.8)
//
// The line stream is only such lines. The mixed stream draws, per record, a payload with
// probability 55% and a line otherwise. A payload is, with equal odds, a buffer-mode read
//   \r\n+QIRD: <n>\r\n<n bytes>\r\n\r\nOK\r\n                                  (AN 2.1.5)
// or a direct push on socket 2-5
//   \r\n+QIURC: "recv",<id>,<n>\r\n<n bytes>\r\n                               (AN 2.2.2, E2)
// with n uniform in 1..512 and each byte, with odds 1/8, one of CR, LF, NUL, else uniform in
// 0..255, so payloads look like lines and contain terminators. Payload bytes come to ~85%.
#include "streams.hpp"

#include <array>
#include <cstdio>
#include <ostream>
#include <random>
#include <string_view>

namespace bcconform::bench {
namespace {

using protocol::access_mode;

constexpr std::uint64_t seed = 0x6263636f6e666f72;  // "bcconfor"
constexpr std::size_t target_size = std::size_t{4} << 20;
constexpr unsigned payload_percent = 55;
constexpr int max_payload = protocol::protocol_limits::max_read_length;  // AN 2.1.5: 512

enum class line_kind { final, info, urc };

class stream_builder {
 public:
  explicit stream_builder(generated_stream& out) : out_(out), rng_(seed) {}

  void add_line() {
    std::string line;
    switch (draw_line(line)) {
      case line_kind::final:
        ++out_.finals;
        break;
      case line_kind::info:
        ++out_.infos;
        break;
      case line_kind::urc:
        ++out_.urcs;
        break;
    }
    frame(line);
  }

  void add_payload() {
    const int n = uniform(1, max_payload);
    if (uniform(0, 1) == 0) {
      frame("+QIRD: " + std::to_string(n));
      ++out_.infos;
      append_payload(n);
      out_.bytes += "\r\n";
      frame("OK");
      ++out_.finals;
      ++out_.qird_payloads;
    } else {
      frame("+QIURC: \"recv\"," + std::to_string(uniform(2, 5)) + "," + std::to_string(n));
      ++out_.urcs;
      append_payload(n);
      out_.bytes += "\r\n";
      ++out_.push_payloads;
    }
  }

  bool percent(unsigned p) { return static_cast<unsigned>(uniform(0, 99)) < p; }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  void frame(std::string_view line) {
    out_.bytes += "\r\n";
    out_.bytes += line;
    out_.bytes += "\r\n";
  }

  void append_payload(int n) {
    static constexpr std::array<char, 3> terminators{'\r', '\n', '\0'};
    for (int i = 0; i < n; ++i) {
      const bool terminator = uniform(0, 7) == 0;
      out_.bytes += terminator ? terminators[static_cast<std::size_t>(uniform(0, 2))]
                               : static_cast<char>(uniform(0, 255));
    }
    out_.payload_bytes += static_cast<std::uint64_t>(n);
  }

  // Buffer-mode recv URCs name sockets 0-1 only: in the mixed stream 2-5 are direct push, where
  // the same header would announce a payload.
  line_kind draw_line(std::string& line) {
    const auto id = [this] { return std::to_string(uniform(0, 5)); };
    switch (uniform(0, 15)) {
      case 0:
        line = "OK";
        return line_kind::final;
      case 1:
        line = "ERROR";
        return line_kind::final;
      case 2:
        line = "SEND OK";
        return line_kind::final;
      case 3:
        line = "CLOSE OK";
        return line_kind::final;
      case 4:
        line = "+CME ERROR: 50";
        return line_kind::final;
      case 5:
        line = "+QISTATE: " + id() + ",\"TCP\",\"220.18.39.22\"," +
               std::to_string(uniform(1, 65535)) + ",0,2,1,0";
        return line_kind::info;
      case 6:
        line = "+QIRD: 0";
        return line_kind::info;
      case 7:
        line = "+QIGETERROR: 552, invalid parameters";
        return line_kind::info;
      case 8:
        line = "+QICFG: \"showlength\",1";
        return line_kind::info;
      case 9:
        line = "+CGPADDR: 1,\"100.127.243.105\"";
        return line_kind::info;
      case 10:
        line = "+QIURC: \"closed\"," + id();
        return line_kind::urc;
      case 11:
        line = "+QIURC: \"incoming\",2,0,\"192.168.2.2\"," + std::to_string(uniform(1, 65535));
        return line_kind::urc;
      case 12:
        line = "+QIOPEN: " + id() + ",0";
        return line_kind::urc;
      case 13:
        line = "+QPING: 0,220.18.29.21,32," + std::to_string(uniform(1, 999)) + ",255";
        return line_kind::urc;
      case 14:
        line = "+QPING: 2,4,4,0,192,479,287";
        return line_kind::urc;
      default:
        line = "+QIURC: \"recv\"," + std::to_string(uniform(0, 1));
        if (uniform(0, 1) == 0) line += "," + std::to_string(uniform(1, max_payload));
        return line_kind::urc;
    }
  }

  generated_stream& out_;
  std::mt19937_64 rng_;
};

generated_stream make_line_stream() {
  generated_stream s;
  s.name = "lines";
  s.context.showlength = true;
  stream_builder b(s);
  s.bytes.reserve(target_size + 1024);
  while (s.bytes.size() < target_size) b.add_line();
  return s;
}

generated_stream make_mixed_stream() {
  generated_stream s;
  s.name = "mixed";
  s.context.showlength = true;
  for (int id = 2; id < protocol::stream_context::max_sockets; ++id)
    s.context.access[static_cast<std::size_t>(id)] = access_mode::direct_push;
  stream_builder b(s);
  s.bytes.reserve(target_size + 1024);
  while (s.bytes.size() < target_size) {
    if (b.percent(payload_percent)) {
      b.add_payload();
    } else {
      b.add_line();
    }
  }
  return s;
}

}  // namespace

const generated_stream& line_stream() {
  static const generated_stream s = make_line_stream();
  return s;
}

const generated_stream& mixed_stream() {
  static const generated_stream s = make_mixed_stream();
  return s;
}

void print_composition(std::ostream& out, const generated_stream& s) {
  const double share = s.bytes.empty() ? 0.0
                                       : 100.0 * static_cast<double>(s.payload_bytes) /
                                             static_cast<double>(s.bytes.size());
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.1f%%", share);
  out << "stream " << s.name << ": " << s.bytes.size() << " bytes; " << s.lines()
      << " lines (finals " << s.finals << ", info " << s.infos << ", URCs " << s.urcs << "); "
      << s.payloads() << " payloads (+QIRD " << s.qird_payloads << ", direct push "
      << s.push_payloads << "), " << s.payload_bytes << " payload bytes (" << pct << ")\n";
}

}  // namespace bcconform::bench
