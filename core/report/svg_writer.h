// The few SVG elements the charts and the tree diagram are drawn with, as
// text. Every text node and attribute value is escaped here, so callers pass
// plain strings. Coordinates are CSS px in the SVG's own viewBox.
#pragma once
#include <string>
#include <vector>

namespace gapscope::svg {

// A coordinate or length: at most two decimals, no trailing zeros.
std::string number(double value);

// <svg ...> with a viewBox of width x height, black sans-serif text and an
// accessible <title>; close with end().
std::string begin(double width, double height, const std::string& title, const std::string& css_class);
std::string end();

struct TextStyle {
  double size = 11;             // px; charts never go below 10
  std::string anchor = "start"; // start | middle | end
  bool bold = false;
  double rotate = 0;            // degrees around (x, y)
  std::string fill = "#000";
  bool centre_vertically = false;  // y is the middle of the text, not its baseline
  std::string css_class;
};
std::string text(double x, double y, const std::string& content, const TextStyle& style = {});

std::string line(double x1, double y1, double x2, double y2, const std::string& stroke, double width = 1,
                 const std::string& dash = "", const std::string& css_class = "");
std::string rect(double x, double y, double width, double height, const std::string& fill,
                 const std::string& stroke = "none", double stroke_width = 1, const std::string& css_class = "",
                 double corner_radius = 0);

// The width text of `size` px takes in a generic sans-serif font, estimated
// (no font metrics here): generous, so labels are laid out without overlap.
double text_width(const std::string& text, double size);
// Breaks text at spaces (and after commas) into lines of at most max_width;
// a single word longer than that stays whole.
std::vector<std::string> wrap(const std::string& text, double max_width, double size);

}  // namespace gapscope::svg
