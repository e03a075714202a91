// The sign-off report as one self-contained HTML5 file: inline CSS, no script, no external
// resource, readable from a CI artifact store without a network. Every element is closed and
// every attribute quoted, so the file is also well-formed XML (the tests parse it as both).
#include <string>

#include "signoff_doc.hpp"
#include "signoff_text.hpp"

namespace bcconform::report {
namespace {

using detail::block;
using detail::span;

constexpr const char* style = R"(body { font-family: sans-serif; margin: 2em; color: #1b1b1b; }
h1 { font-size: 1.6em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
li { margin: 0.3em 0; }
li li { margin: 0.1em 0; font-family: monospace; white-space: pre-wrap; word-break: break-all; }
.status { font-weight: bold; padding: 0 0.3em; border-radius: 3px; }
.s-conforms { color: #125c12; background: #e3f4e3; }
.s-waived { color: #5c4a00; background: #fbf3d0; }
.s-deviates { color: #8a1010; background: #fbe3e3; }
.s-incomplete { color: #5c3a00; background: #fde9cf; }
.s-not-tested { color: #555; background: #eee; }
)";

const char* status_class(section_status s) noexcept {
  switch (s) {
    case section_status::conforms:
      return "s-conforms";
    case section_status::waived:
      return "s-waived";
    case section_status::deviates:
      return "s-deviates";
    case section_status::incomplete:
      return "s-incomplete";
    case section_status::not_tested:
      return "s-not-tested";
  }
  return "s-not-tested";
}

std::string render(const detail::inline_text& t) {
  std::string out;
  for (const span& s : t) {
    switch (s.type) {
      case span::kind::text:
        out += detail::html_text(s.text);
        break;
      case span::kind::strong:
        out += "<strong>" + detail::html_text(s.text) + "</strong>";
        break;
      case span::kind::link:
        // link_target() emits only A-Z a-z 0-9 - . _ ~ / %: nothing to escape in an attribute.
        out +=
            "<a href=\"" + detail::link_target(s.href) + "\">" + detail::html_text(s.text) + "</a>";
        break;
      case span::kind::status:
        out += "<span class=\"status " + std::string(status_class(s.status)) + "\">" +
               std::string(to_string(s.status)) + "</span>";
        break;
    }
  }
  return out;
}

void render_table(std::string& out, const block& b) {
  out += "<table>\n<thead><tr>";
  for (const std::string& h : b.header) out += "<th>" + detail::html_text(h) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : b.rows) {
    out += "<tr>";
    for (const auto& cell : row) out += "<td>" + render(cell) + "</td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void render_list(std::string& out, const block& b) {
  const std::string tag = b.ordered ? "ol" : "ul";
  out += "<" + tag + ">\n";
  for (const auto& item : b.items) {
    out += "<li>" + render(item.text);
    if (!item.details.empty()) {
      out += "\n<ul>\n";
      for (const auto& d : item.details) out += "<li>" + render(d) + "</li>\n";
      out += "</ul>\n";
    }
    out += "</li>\n";
  }
  out += "</" + tag + ">\n";
}

void render_block(std::string& out, const block& b) {
  switch (b.type) {
    case block::kind::heading: {
      const std::string tag = "h" + std::to_string(b.level);
      out += "<" + tag + ">" + render(b.text) + "</" + tag + ">\n";
      return;
    }
    case block::kind::paragraph:
      out += "<p>" + render(b.text) + "</p>\n";
      return;
    case block::kind::table:
      return render_table(out, b);
    case block::kind::list:
      return render_list(out, b);
  }
}

}  // namespace

std::string signoff_html(const signoff_input& in) {
  const detail::signoff_document d = detail::layout_signoff(in);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n";
  out += "<title>" + detail::html_text(d.title) + "</title>\n";
  out += "<style>\n" + std::string(style) + "</style>\n</head>\n<body>\n";
  for (const block& b : d.blocks) render_block(out, b);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace bcconform::report
