// The sign-off report as a small document tree, built once from the model (signoff_layout.cpp)
// and rendered twice (signoff_markdown.cpp, signoff_html.cpp), so the two files always hold
// the same facts. Every string in the tree is raw; the renderers escape all of it.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "bcconform/report/signoff.hpp"

namespace bcconform::report::detail {

struct span {
  enum class kind { text, strong, link, status } type = kind::text;
  std::string text;
  std::string href;  ///< link: a path relative to the report, raw (percent-encoded on output)
  section_status status = section_status::not_tested;  ///< status: which one
};

/// A run of spans; rendered on one line.
using inline_text = std::vector<span>;

struct list_item {
  inline_text text;
  std::vector<inline_text> details;  ///< a nested bullet list
};

struct block {
  enum class kind { heading, paragraph, table, list } type = kind::paragraph;
  int level = 2;                               ///< heading: 1-3
  inline_text text;                            ///< heading, paragraph
  std::vector<std::string> header;             ///< table
  std::vector<std::vector<inline_text>> rows;  ///< table
  std::vector<list_item> items;                ///< list
  bool ordered = false;                        ///< list
};

using document = std::vector<block>;

/// The report's title (raw) and its blocks.
struct signoff_document {
  std::string title;
  document blocks;
};

signoff_document layout_signoff(const signoff_input& in);

// Constructors that keep the layout code short.
inline span text(std::string s) {
  return {span::kind::text, std::move(s), {}, {}};
}
inline span strong(std::string s) {
  return {span::kind::strong, std::move(s), {}, {}};
}
inline span link(std::string s, std::string href) {
  return {span::kind::link, std::move(s), std::move(href), {}};
}
inline span status(section_status s) {
  return {span::kind::status, {}, {}, s};
}

}  // namespace bcconform::report::detail
