// specs/ERRATA.md read back: the rulings (`## E<n> <title>`, each with its `**Ruling**` item)
// and the table of AN 3 error codes the AT interface cannot provoke. The coverage matrix and
// the sign-off report name rulings by number and title and give those codes their reason.
//
// The parser is line-based and forgiving: a line it does not recognise is skipped, never an
// error, so an edit of the prose around the entries cannot break a report. It never throws on
// any input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bcconform::coverage {

/// One ruling: a `## E<n> <title>` heading and the entry below it.
struct erratum {
  int number = 0;
  std::string id;      ///< "E12": `E` and the number without leading zeros
  std::string title;   ///< the heading after the number, as written (Markdown: escape to print)
  std::string ruling;  ///< the first line of its `- **Ruling**:` item, as written; "" if none
  /// The ruling says there is nothing to decide ("none needed": a typo, a wording problem), so
  /// no scenario can exercise it.
  bool nothing_to_test() const;
};

/// A row of the table "Error codes the AT interface cannot provoke".
struct unprovokable_code {
  int code = 0;
  std::string description;
  std::string reason;  ///< the third column, as written
};

struct errata_document {
  std::vector<erratum> rulings;                 ///< in file order
  std::vector<unprovokable_code> unprovokable;  ///< in table order
  /// The ruling named `id` ("E12", "e12", "E012"); nullptr if there is none.
  const erratum* find(std::string_view id) const;
  /// The table row of `code`; nullptr if the code is not in the table.
  const unprovokable_code* find_unprovokable(int code) const;
};

/// Parses the text of specs/ERRATA.md.
errata_document parse_errata(std::string_view markdown);

/// "E12" for "E12", "e12", " E012 "; "" when `text` is not `E` followed by a number.
std::string normalize_erratum_id(std::string_view text);

}  // namespace bcconform::coverage
