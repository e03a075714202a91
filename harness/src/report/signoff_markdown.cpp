// The sign-off report as Markdown (CommonMark with GitHub tables). No raw HTML: every string
// goes through md_text(), links through link_target().
#include <string>

#include "signoff_doc.hpp"
#include "signoff_text.hpp"

namespace bcconform::report {
namespace {

using detail::block;
using detail::span;

std::string render(const detail::inline_text& t) {
  std::string out;
  for (const span& s : t) {
    switch (s.type) {
      case span::kind::text:
        out += detail::md_text(s.text);
        break;
      case span::kind::strong:
        out += "**" + detail::md_text(s.text) + "**";
        break;
      case span::kind::link:
        out += "[" + detail::md_text(s.text) + "](" + detail::link_target(s.href) + ")";
        break;
      case span::kind::status:
        // The verdicts a reader must act on stand out.
        out += s.status == section_status::deviates || s.status == section_status::incomplete
                   ? "**" + std::string(to_string(s.status)) + "**"
                   : std::string(to_string(s.status));
        break;
    }
  }
  return out;
}

void render_table(std::string& out, const block& b) {
  out += "|";
  for (const std::string& h : b.header) out += " " + detail::md_text(h) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < b.header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : b.rows) {
    out += "|";
    for (const auto& cell : row) out += " " + render(cell) + " |";
    out += "\n";
  }
}

void render_list(std::string& out, const block& b) {
  for (std::size_t i = 0; i < b.items.size(); ++i) {
    const std::string marker = b.ordered ? std::to_string(i + 1) + ". " : "- ";
    out += marker + render(b.items[i].text) + "\n";
    const std::string indent(marker.size(), ' ');
    for (const auto& d : b.items[i].details) out += indent + "- " + render(d) + "\n";
  }
}

}  // namespace

std::string signoff_markdown(const signoff_input& in) {
  const detail::signoff_document d = detail::layout_signoff(in);
  std::string out;
  for (const block& b : d.blocks) {
    if (!out.empty()) out += "\n";
    switch (b.type) {
      case block::kind::heading:
        out += std::string(static_cast<std::size_t>(b.level), '#') + " " + render(b.text) + "\n";
        break;
      case block::kind::paragraph:
        out += render(b.text) + "\n";
        break;
      case block::kind::table:
        render_table(out, b);
        break;
      case block::kind::list:
        render_list(out, b);
        break;
    }
  }
  return out;
}

}  // namespace bcconform::report
