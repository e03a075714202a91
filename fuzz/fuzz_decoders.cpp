// fuzz_decoders: every typed decoder of decoders.hpp on arbitrary lines, checked against the
// round-trip contract stated there rather than for crashes alone.
//
// Input: any bytes, split into lines at LF (a CR before the LF is dropped, as the parser
// drops the terminator, V.250 §5.7.1). Each line goes to decode_line() and to every decode_*
// function.
//
// Invariants (any violation prints what broke and aborts):
//   - no decoder throws;
//   - a decoded value, encoded with encode_line() and decoded again by the same decoder, gives
//     the same value (decoders.hpp: decode(encode(x)) == x for every value a decoder produces);
//   - the re-encoded line is stable: encoding the second value gives the same text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "bcconform/protocol/decoders.hpp"
#include "bcconform/protocol/transcript.hpp"

namespace {

namespace proto = bcconform::protocol;

// Reports escape bytes as transcripts do (transcript.hpp), so a line can be pasted back.
std::string printable(std::string_view s) {
  return bcconform::protocol::escape_bytes(s);
}

[[noreturn]] void violated(const char* decoder, const char* what, std::string_view line,
                           std::string_view encoded = {}) {
  std::fprintf(stderr, "fuzz_decoders: invariant violated in %s: %s\n  line:    \"%s\"\n", decoder,
               what, printable(line).c_str());
  if (!encoded.empty()) std::fprintf(stderr, "  encoded: \"%s\"\n", printable(encoded).c_str());
  std::abort();
}

// One typed decoder: decode, re-encode, decode again, compare.
template <class T>
void check_typed(const char* name, proto::result<T> (*decode)(std::string_view),
                 std::string_view line) {
  const proto::result<T> first = decode(line);
  if (!first) return;
  const std::string encoded = proto::encode_line(proto::decoded_line(*first));
  const proto::result<T> second = decode(encoded);
  if (!second) {
    violated(name, ("re-encoded line refused: " + second.error().detail).c_str(), line, encoded);
  }
  if (!(*second == *first)) violated(name, "re-decoded value differs", line, encoded);
  if (proto::encode_line(proto::decoded_line(*second)) != encoded)
    violated(name, "encoding the re-decoded value gives other text", line, encoded);
}

void check_dispatch(std::string_view line) {
  const auto first = proto::decode_line(line);
  if (!first) return;
  const std::string encoded = proto::encode_line(*first);
  const auto second = proto::decode_line(encoded);
  if (!second) {
    violated("decode_line", ("re-encoded line refused: " + second.error().detail).c_str(), line,
             encoded);
  }
  if (second->index() != first->index())
    violated("decode_line", "re-encoded line decodes to another kind", line, encoded);
  if (!(*second == *first)) violated("decode_line", "re-decoded value differs", line, encoded);
}

void check_line(std::string_view line) {
  check_dispatch(line);
  check_typed("decode_qiopen", proto::decode_qiopen, line);
  check_typed("decode_closed", proto::decode_closed, line);
  check_typed("decode_recv", proto::decode_recv, line);
  check_typed("decode_incoming_full", proto::decode_incoming_full, line);
  check_typed("decode_incoming", proto::decode_incoming, line);
  check_typed("decode_dnsgip", proto::decode_dnsgip, line);
  check_typed("decode_qping", proto::decode_qping, line);
  check_typed("decode_qntp", proto::decode_qntp, line);
  check_typed("decode_qistate", proto::decode_qistate, line);
  check_typed("decode_qird", proto::decode_qird, line);
  check_typed("decode_qigeterror", proto::decode_qigeterror, line);
  check_typed("decode_qicfg", proto::decode_qicfg, line);
  check_typed("decode_qikalive", proto::decode_qikalive, line);
  check_typed("decode_qidnscfg", proto::decode_qidnscfg, line);
  check_typed("decode_cgatt", proto::decode_cgatt, line);
  check_typed("decode_cgpaddr", proto::decode_cgpaddr, line);
  check_typed("decode_cme_error", proto::decode_cme_error, line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (true) {
    const std::size_t lf = rest.find('\n');
    std::string_view line = rest.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    try {
      check_line(line);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "fuzz_decoders: a decoder threw: %s\n  line: \"%s\"\n", e.what(),
                   printable(line).c_str());
      std::abort();
    } catch (...) {
      std::fprintf(stderr, "fuzz_decoders: a decoder threw\n  line: \"%s\"\n",
                   printable(line).c_str());
      std::abort();
    }
    if (lf == std::string_view::npos) break;
    rest.remove_prefix(lf + 1);
  }
  return 0;
}
