// Byte-level mutations of valid lines: what a noisy UART, a buggy driver or a careless user
// does to a command line.
#include <array>

#include "generator_detail.hpp"

namespace bcconform::fuzzdev::detail {
namespace {

enum class op : std::uint8_t { flip, replace, truncate, duplicate, recase, insert, erase };
constexpr int op_count = 7;

// Bytes with a meaning on the serial line: CR ends a line (V.250 §5.2.1), LF follows it, NUL is
// what a floating line reads, Ctrl+Z sends and Esc cancels data (AN 2.1.4), backspace edits.
constexpr std::array<std::string_view, 7> specials{
    {"\r", "\n", std::string_view("\0", 1), "\x1a", "\x1b", "\r\n", "\x08"}};
constexpr std::array<std::string_view, 7> special_names{
    {"CR", "LF", "NUL", "Ctrl+Z", "Esc", "CR LF", "BS"}};

char toggle_case(char c) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c - 'a' + 'A');
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c;
}

std::string apply(draw& d, op o, std::string& line) {
  const std::size_t at = d.below(line.size());
  switch (o) {
    case op::flip: {
      const auto bit = d.below(8);
      line[at] = static_cast<char>(line[at] ^ (1 << bit));
      return "bit " + std::to_string(bit) + " of byte " + std::to_string(at) + " flipped";
    }
    case op::replace:
      line[at] = static_cast<char>(d.below(256));
      return "byte " + std::to_string(at) + " replaced";
    case op::truncate:
      line.resize(std::max<std::size_t>(at, 1));
      return "cut to " + std::to_string(line.size()) + " bytes";
    case op::duplicate: {
      const std::size_t end = at + 1 + d.below(line.size() - at);
      line.insert(end, line.substr(at, end - at));
      return "bytes " + std::to_string(at) + "-" + std::to_string(end - 1) + " repeated";
    }
    case op::recase:
      if (d.chance(1, 3)) {
        for (char& c : line) c = toggle_case(c);
        return "case of every letter changed";
      }
      line[at] = toggle_case(line[at]);
      return "case of byte " + std::to_string(at) + " changed";
    case op::insert: {
      const std::size_t which = d.below(specials.size());
      line.insert(at, specials[which]);
      return std::string(special_names[which]) + " inserted at " + std::to_string(at);
    }
    case op::erase:
      line.erase(at, 1);
      return "byte " + std::to_string(at) + " deleted";
  }
  return {};
}

}  // namespace

bool make_mutation(draw& d, const command_filter& filter, fuzz_case& out) {
  if (!make_valid(d, filter, out)) return false;
  std::string line = out.bytes;
  std::string what;
  const auto n = 1 + d.below(3);
  for (std::uint64_t i = 0; i < n && !line.empty(); ++i) {
    if (!what.empty()) what += ", ";
    what += apply(d, static_cast<op>(d.below(op_count)), line);
  }
  if (line.empty()) return false;
  out.description = "mutation of " + out.bytes + ": " + what;
  out.bytes = std::move(line);
  return true;
}

}  // namespace bcconform::fuzzdev::detail
