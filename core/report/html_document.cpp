#include "core/report/html_document.h"

#include <algorithm>
#include <cstdlib>

#include "core/report/xml_text.h"

namespace gapscope {
namespace {

// Generic fonts only: the report must look the same on a machine with none
// of ours. Figures and tables avoid page breaks inside; headings stay with
// what follows; wide figures (big trees, many heatmap columns) get a
// landscape page.
constexpr const char* kStyle = R"css(
@page { size: A4; margin: 16mm 14mm; }
@page landscape { size: A4 landscape; margin: 14mm; }
html { color: #000; background: #fff; }
body { font-family: sans-serif; font-size: 11pt; line-height: 1.4; max-width: 182mm; margin: 0 auto; padding: 2em 1em; }
h1 { font-size: 20pt; margin: 0 0 0.4em 0; }
h2 { font-size: 15pt; border-bottom: 1px solid #000; margin-top: 1.6em; }
h3 { font-size: 12.5pt; margin-top: 1.3em; }
h4, h5, h6 { font-size: 11pt; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
p, li { orphans: 3; widows: 3; }
nav.contents { border: 1px solid #999; padding: 0.4em 1em; margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
nav.contents p { font-weight: bold; margin: 0.2em 0; }
nav.contents ol { margin: 0.2em 0; }
a { color: #000; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 9.5pt; max-width: 100%; }
table, figure, pre, dl { break-inside: avoid; page-break-inside: avoid; }
table.long { break-inside: auto; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #999; padding: 2px 6px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td.breakable { overflow-wrap: anywhere; }
th { background: #eee; }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 9.5pt; margin-top: 0.3em; }
pre { font-family: monospace; font-size: 8.5pt; white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #ccc; padding: 6px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  figure.wide { page: landscape; }
  a { text-decoration: none; }
}
)css";

std::string escape(const std::string& text) { return escape_xml(text); }

// Words no column can hold (a user agent, a path, a long capability list
// without spaces) may break anywhere; ordinary words never do.
bool has_long_word(const std::string& text) {
  size_t run = 0;
  for (const char c : text) {
    run = (c == ' ' || c == '\n') ? 0 : run + 1;
    if (run > 32) return true;
  }
  return false;
}

std::string cell_tag(bool numeric, const std::string& text) {
  if (numeric) return "<td class=\"num\">";
  return has_long_word(text) ? "<td class=\"breakable\">" : "<td>";
}

// The width attribute of the SVG's root element, 0 if none.
double svg_width(const std::string& svg) {
  const auto tag = svg.find("<svg");
  if (tag == std::string::npos) return 0;
  const auto end = svg.find('>', tag);
  const auto at = svg.find(" width=\"", tag);
  if (at == std::string::npos || at > end) return 0;
  return std::strtod(svg.c_str() + at + 8, nullptr);
}

}  // namespace

HtmlDocument::HtmlDocument(std::string title) : title_(std::move(title)) {}

void HtmlDocument::heading(int level, const std::string& text, const std::string& wanted_id) {
  level = std::clamp(level, 1, 6);
  const std::string tag = "h" + std::to_string(level);
  // A section added twice (two ratio sections in one report) must not repeat an id.
  std::string id = wanted_id;
  for (int copy = 2; !id.empty() && !ids_.insert(id).second; ++copy) id = wanted_id + "-" + std::to_string(copy);
  body_ += "<" + tag + (id.empty() ? "" : " id=\"" + escape(id) + "\"") + ">" + escape(text) + "</" + tag + ">\n";
  if (level == 2 && !id.empty()) contents_.emplace_back(id, text);
}

void HtmlDocument::paragraph(const std::string& text) { body_ += "<p>" + escape(text) + "</p>\n"; }

void HtmlDocument::bullet_list(const std::vector<std::string>& items) {
  if (items.empty()) return;
  body_ += "<ul>\n";
  for (const std::string& item : items) body_ += "<li>" + escape(item) + "</li>\n";
  body_ += "</ul>\n";
}

void HtmlDocument::preformatted(const std::string& text) { body_ += "<pre>" + escape(text) + "</pre>\n"; }

void HtmlDocument::table(const Table& t) {
  auto numeric = [&](size_t column) { return column < t.numeric_columns.size() && t.numeric_columns[column]; };
  // A table longer than a page must be allowed to break (it repeats its header).
  body_ += t.rows.size() > 30 ? "<table class=\"long\">\n" : "<table>\n";
  if (!t.caption.empty()) body_ += "<caption>" + escape(t.caption) + "</caption>\n";
  if (!t.header.empty()) {
    body_ += "<thead><tr>";
    for (size_t c = 0; c < t.header.size(); ++c)
      body_ += std::string(numeric(c) ? "<th class=\"num\">" : "<th>") + escape(t.header[c]) + "</th>";
    body_ += "</tr></thead>\n";
  }
  body_ += "<tbody>\n";
  for (const auto& row : t.rows) {
    body_ += "<tr>";
    for (size_t c = 0; c < row.size(); ++c)
      body_ += cell_tag(numeric(c), row[c]) + escape(row[c]) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</tbody>\n</table>\n";
}

void HtmlDocument::figure(const std::string& svg, const std::string& caption) {
  // Wider than the A4 text width (about 690 px): print it on a landscape page.
  const bool wide = svg_width(svg) > 700;
  body_ += std::string(wide ? "<figure class=\"wide\">\n" : "<figure>\n") + svg;
  if (!caption.empty()) body_ += "<figcaption>" + escape(caption) + "</figcaption>\n";
  body_ += "</figure>\n";
}

void HtmlDocument::raw_html(const std::string& html) { body_ += html; }

void HtmlDocument::definition_list(const std::vector<std::pair<std::string, std::string>>& items) {
  if (items.empty()) return;
  body_ += "<dl>\n";
  for (const auto& [term, description] : items)
    body_ += "<dt>" + escape(term) + "</dt><dd>" + escape(description) + "</dd>\n";
  body_ += "</dl>\n";
}

std::string HtmlDocument::html() const {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" +
                    escape(title_) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
                    escape(title_) + "</h1>\n";
  if (!contents_.empty()) {
    out += "<nav class=\"contents\">\n<p>Contents</p>\n<ol>\n";
    for (const auto& [id, text] : contents_)
      out += "<li><a href=\"#" + escape(id) + "\">" + escape(text) + "</a></li>\n";
    out += "</ol>\n</nav>\n";
  }
  return out + body_ + "</body>\n</html>\n";
}

}  // namespace gapscope
