#include "core/report/svg_writer.h"

#include <cmath>
#include <cstdio>

#include "core/report/xml_text.h"

namespace gapscope::svg {

std::string number(double value) {
  if (!std::isfinite(value)) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string begin(double width, double height, const std::string& title, const std::string& css_class) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + escape_xml(css_class) + "\" width=\"" +
         number(width) + "\" height=\"" + number(height) + "\" viewBox=\"0 0 " + number(width) + " " +
         number(height) + "\" role=\"img\" font-family=\"sans-serif\" fill=\"#000\"><title>" + escape_xml(title) +
         "</title>\n" + rect(0, 0, width, height, "#fff");
}

std::string end() { return "</svg>\n"; }

std::string text(double x, double y, const std::string& content, const TextStyle& style) {
  std::string out = "<text x=\"" + number(x) + "\" y=\"" + number(y) + "\" font-size=\"" + number(style.size) + "\"";
  if (style.anchor != "start") out += " text-anchor=\"" + escape_xml(style.anchor) + "\"";
  if (style.bold) out += " font-weight=\"bold\"";
  if (style.fill != "#000") out += " fill=\"" + escape_xml(style.fill) + "\"";
  // dy rather than dominant-baseline: it centres the same way in every renderer.
  if (style.centre_vertically) out += " dy=\"0.35em\"";
  if (style.rotate != 0)
    out += " transform=\"rotate(" + number(style.rotate) + " " + number(x) + " " + number(y) + ")\"";
  if (!style.css_class.empty()) out += " class=\"" + escape_xml(style.css_class) + "\"";
  return out + ">" + escape_xml(content) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
                 const std::string& dash, const std::string& css_class) {
  std::string out = "<line x1=\"" + number(x1) + "\" y1=\"" + number(y1) + "\" x2=\"" + number(x2) + "\" y2=\"" +
                    number(y2) + "\" stroke=\"" + escape_xml(stroke) + "\" stroke-width=\"" + number(width) + "\"";
  if (!dash.empty()) out += " stroke-dasharray=\"" + escape_xml(dash) + "\"";
  if (!css_class.empty()) out += " class=\"" + escape_xml(css_class) + "\"";
  return out + "/>\n";
}

std::string rect(double x, double y, double width, double height, const std::string& fill, const std::string& stroke,
                 double stroke_width, const std::string& css_class, double corner_radius) {
  std::string out = "<rect x=\"" + number(x) + "\" y=\"" + number(y) + "\" width=\"" + number(width) +
                    "\" height=\"" + number(height) + "\" fill=\"" + escape_xml(fill) + "\"";
  if (stroke != "none") out += " stroke=\"" + escape_xml(stroke) + "\" stroke-width=\"" + number(stroke_width) + "\"";
  if (corner_radius > 0) out += " rx=\"" + number(corner_radius) + "\"";
  if (!css_class.empty()) out += " class=\"" + escape_xml(css_class) + "\"";
  return out + "/>\n";
}

double text_width(const std::string& text, double size) {
  double em = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // UTF-8 continuation: counted with its lead byte
    if (c == ' ' || c == '.' || c == ',' || c == ':' || c == ';' || c == 'i' || c == 'l' || c == '|' || c == '\'')
      em += 0.3;
    else if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '@')
      em += 0.9;
    else if (byte >= 'A' && byte <= 'Z')
      em += 0.7;
    else
      em += 0.6;
  }
  return em * size;
}

std::vector<std::string> wrap(const std::string& text, double max_width, double size) {
  // Break points: after a space (dropped) or after a comma (kept).
  std::vector<std::string> words;
  std::string word;
  for (const char c : text) {
    if (c == ' ') {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += c;
      if (c == ',') {
        words.push_back(word);
        word.clear();
      }
    }
  }
  if (!word.empty()) words.push_back(word);

  std::vector<std::string> lines;
  std::string current;
  for (const std::string& w : words) {
    const std::string joined = current.empty() ? w : current + " " + w;
    if (current.empty() || text_width(joined, size) <= max_width) {
      current = joined;
    } else {
      lines.push_back(current);
      current = w;
    }
  }
  if (!current.empty() || lines.empty()) lines.push_back(current);
  return lines;
}

}  // namespace gapscope::svg
