// Which commands the device fuzzer may send, and the guard that keeps it from sending any other.
//
// A fuzz run against a real module must leave the module as it found it. The default deny-list
// therefore holds every command whose effect outlives the run: each command table entry saved to
// NVM (command_spec::nvm: AT&W, AT+QICFG (E34), AT+QSCLK), the reboot AT+QRST, and the names
// outside the table that change the baud rate, bands, power, firmware or files. The same default
// applies to every target, the emulator included, so that a run means the same thing everywhere;
// `allow_persistent` lifts it. `only` restricts the generator to some table commands, `deny`
// adds names.
//
// The generator draws only from allowed commands, but a mutation can turn one line into another
// (a flipped byte, a case change, an inserted NUL), so every byte string is also scanned before
// it is sent: denied_in() reports a deny-listed name the module could read in it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bcconform/protocol/command_table.hpp"
#include "bcconform/protocol/result.hpp"

namespace bcconform::fuzzdev {

struct filter_options {
  bool allow_persistent = false;  ///< lift the default deny-list
  std::vector<std::string> only;  ///< table commands to draw from ("AT+QIRD", "+QIRD", "QIRD")
  std::vector<std::string> deny;  ///< more names to refuse (table or not: "+CFUN", "AT+QIRD")
};

/// A name on the default deny-list, besides the table entries whose nvm flag is set.
struct persistent_name {
  std::string_view name;  ///< as after "AT": "+IPR"
  std::string_view why;   ///< "baud rate"
};

/// The default deny-list's names other than the table's nvm entries: the reboot AT+QRST and
/// commands the table does not describe (baud rate, bands, power, firmware, files).
std::span<const persistent_name> persistent_names() noexcept;

/// "at+qird", "AT+QIRD", "+QIRD", "qird" → "+QIRD"; "AT&W", "&w" → "&W"; "ATE", "e" → "E";
/// "AT" → "" (the plain AT of the table).
/// A bare word is looked up with a '+' in front when it is not a basic command of the table.
std::string normalise_name(std::string_view text);

class command_filter {
 public:
  /// Errors (errc::unknown_command) name an --only entry that is not a table command, a --deny
  /// or --only of plain "AT" (the liveness probe), and an --only list that leaves nothing.
  static protocol::result<command_filter> make(const filter_options& o);

  /// The default: deny-list on, every other table command allowed.
  command_filter();

  /// The table commands the generator may draw from, in table order.
  const std::vector<const protocol::command_spec*>& allowed() const noexcept { return allowed_; }
  /// `c` is among allowed().
  bool allows(const protocol::command_spec& c) const;

  /// The first deny-listed name that the module could read as a command in `bytes`, "" if none.
  /// Conservative: the bytes are edited as the module edits a line (backspace deletes, other
  /// control bytes and spaces are dropped), upper-cased, split at CR and LF, and a name counts
  /// wherever it appears in a line (V.250 §5.2.1: "AT" may be followed by several commands).
  std::string denied_in(std::string_view bytes) const;

  /// Every denied name, sorted ("&W", "+CFUN", ...).
  const std::vector<std::string>& denied() const noexcept { return denied_; }

 private:
  struct empty_tag {};
  explicit command_filter(empty_tag) {}
  bool is_denied(std::string_view name) const;

  std::vector<const protocol::command_spec*> allowed_;
  std::vector<std::string> denied_;
};

}  // namespace bcconform::fuzzdev
