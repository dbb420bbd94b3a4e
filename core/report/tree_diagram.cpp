#include "core/report/tree_diagram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/report/svg_writer.h"

namespace gapscope {
namespace {

// Leaves stand as close as their text allows: a depth-4 tree (16 leaves)
// then fits a landscape A4 page at full size.
constexpr double kMargin = 16, kRowGap = 40, kSplitFont = 11, kValueFont = 12, kCountFont = 10.5, kMinSlot = 56;

struct Box {
  double x = 0;  // centre
  double width = 0, height = 0;
  std::vector<std::string> lines;  // split text, or the leaf's value
  std::string count;               // "n = 12"
  int leaves = 0;                  // under this node
};

std::string threshold_text(double threshold) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", threshold);
  return buffer;
}

// Leaves get consecutive slots left to right; a parent sits above the middle of its children.
void place(const RegressionTree& tree, int id, double slot_width, int& next_slot, std::vector<Box>& boxes) {
  const TreeNode& node = tree.nodes()[static_cast<size_t>(id)];
  Box& box = boxes[static_cast<size_t>(id)];
  if (node.is_leaf()) {
    box.x = kMargin + slot_width * (next_slot++ + 0.5);
    box.leaves = 1;
    return;
  }
  place(tree, node.left, slot_width, next_slot, boxes);
  place(tree, node.right, slot_width, next_slot, boxes);
  const Box& left = boxes[static_cast<size_t>(node.left)];
  const Box& right = boxes[static_cast<size_t>(node.right)];
  box.x = (left.x + right.x) / 2;
  box.leaves = left.leaves + right.leaves;
}

std::string importance_svg(const RegressionTree& tree, double top, double& height) {
  const std::vector<double> importance = tree.importance();
  std::vector<size_t> order(importance.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return importance[a] > importance[b]; });
  double label_width = 0;
  for (const Factor& f : tree.factors()) label_width = std::max(label_width, svg::text_width(f.name, 11));
  const double bar_left = kMargin + label_width + 10, bar_span = 240, row = 18;

  std::string out = svg::text(kMargin, top + 14, "Factor importance (share of the variance the splits explain)",
                              {.size = 12, .bold = true, .css_class = "importance-title"});
  double y = top + 24;
  for (const size_t f : order) {
    const double share = std::isfinite(importance[f]) ? std::clamp(importance[f], 0.0, 1.0) : 0;
    out += svg::text(bar_left - 8, y + row / 2, tree.factors()[f].name,
                     {.size = 11, .anchor = "end", .centre_vertically = true, .css_class = "factor"});
    out += svg::rect(bar_left, y + 3, bar_span, row - 6, "#f2f2f2", "#9e9e9e", 0.5);
    if (share > 0) out += svg::rect(bar_left, y + 3, bar_span * share, row - 6, "#0072B2", "#000", 0.5, "importance-bar");
    char percent[32];
    std::snprintf(percent, sizeof percent, "%.0f%%", share * 100);
    out += svg::text(bar_left + bar_span + 8, y + row / 2, percent,
                     {.size = 11, .centre_vertically = true, .css_class = "importance-value"});
    y += row;
  }
  height = y - top + 6;
  return out;
}

}  // namespace

std::string split_text(const RegressionTree& tree, const TreeNode& node) {
  if (node.is_leaf()) return "";
  const Factor& factor = tree.factors()[static_cast<size_t>(node.factor)];
  if (!factor.categorical) return factor.name + " <= " + threshold_text(node.threshold);
  std::string levels;
  for (const std::string& level : node.left_levels) levels += (levels.empty() ? "" : ", ") + level;
  return factor.name + " in {" + levels + "}";
}

std::string render_tree_svg(const RegressionTree& tree, const std::string& title,
                            const std::function<std::string(double)>& format_value) {
  const std::vector<TreeNode>& nodes = tree.nodes();
  std::vector<Box> boxes(nodes.size());

  // Text first: the widest leaf decides how far apart leaves stand.
  double widest_leaf = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    boxes[i].count = "n = " + std::to_string(nodes[i].n);
    if (nodes[i].is_leaf()) {
      boxes[i].lines = {format_value ? format_value(nodes[i].value) : threshold_text(nodes[i].value)};
      widest_leaf = std::max({widest_leaf, svg::text_width(boxes[i].lines[0], kValueFont),
                              svg::text_width(boxes[i].count, kCountFont)});
    }
  }
  const double slot_width = std::max(kMinSlot, widest_leaf + 16);
  int slots = 0;
  if (!nodes.empty()) place(tree, 0, slot_width, slots, boxes);

  // Internal nodes wrap their split to the width their subtree spans.
  int max_depth = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    Box& box = boxes[i];
    max_depth = std::max(max_depth, nodes[i].depth);
    if (nodes[i].is_leaf()) {
      box.width = slot_width - 8;
      box.height = kValueFont + kCountFont + 16;
      continue;
    }
    const double room = std::clamp(slot_width * box.leaves - 12, 80.0, 220.0);
    box.lines = svg::wrap(split_text(tree, nodes[i]), room - 14, kSplitFont);
    double widest = svg::text_width(box.count, kCountFont);
    for (const std::string& line : box.lines) widest = std::max(widest, svg::text_width(line, kSplitFont));
    box.width = widest + 16;
    box.height = (kSplitFont + 3) * static_cast<double>(box.lines.size()) + kCountFont + 14;
  }
  std::vector<double> row_height(static_cast<size_t>(max_depth) + 1, 0);
  for (size_t i = 0; i < nodes.size(); ++i)
    row_height[static_cast<size_t>(nodes[i].depth)] =
        std::max(row_height[static_cast<size_t>(nodes[i].depth)], boxes[i].height);

  const double width = std::max(kMargin * 2 + slot_width * slots, 520.0);
  const double shift = (width - (kMargin * 2 + slot_width * slots)) / 2;  // centre a narrow tree
  double y = 8;
  std::string body;
  for (const std::string& line : svg::wrap(title, width - 20, 14)) {
    y += 18;
    body += svg::text(width / 2, y, line, {.size = 14, .anchor = "middle", .bold = true, .css_class = "title"});
  }
  y += 14;
  std::vector<double> row_top(row_height.size());
  for (size_t d = 0; d < row_height.size(); ++d) {
    row_top[d] = y;
    y += row_height[d] + kRowGap;
  }
  auto top_of = [&](size_t i) { return row_top[static_cast<size_t>(nodes[i].depth)]; };

  // Edges under the boxes, each labelled where it leaves its parent.
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].is_leaf()) continue;
    const double x0 = boxes[i].x + shift, y0 = top_of(i) + boxes[i].height;
    for (const auto& [child, answer] : {std::pair{nodes[i].left, "yes"}, std::pair{nodes[i].right, "no"}}) {
      const auto c = static_cast<size_t>(child);
      const double x1 = boxes[c].x + shift, y1 = top_of(c);
      body += svg::line(x0, y0, x1, y1, "#000", 1.2, "", "edge");
      const double lx = x0 + (x1 - x0) * 0.45, ly = y0 + (y1 - y0) * 0.45;
      body += svg::rect(lx - 12, ly - 8, 24, 15, "#fff");
      body += svg::text(lx, ly, answer, {.size = 11, .anchor = "middle", .centre_vertically = true,
                                         .css_class = "edge-label"});
    }
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Box& box = boxes[i];
    const double left = box.x + shift - box.width / 2, top = top_of(i);
    const bool leaf = nodes[i].is_leaf();
    body += svg::rect(left, top, box.width, box.height, leaf ? "#e8f1f8" : "#fff", "#000", leaf ? 1.4 : 1,
                      leaf ? "node leaf" : "node internal", 4);
    double line_y = top + 4;
    for (const std::string& line : box.lines) {
      const double size = leaf ? kValueFont : kSplitFont;
      line_y += size + 3;
      body += svg::text(box.x + shift, line_y - 3, line,
                        {.size = size, .anchor = "middle", .bold = leaf, .css_class = leaf ? "leaf-value" : "split"});
    }
    body += svg::text(box.x + shift, line_y + kCountFont + 2, box.count,
                      {.size = kCountFont, .anchor = "middle", .css_class = "node-count"});
  }

  double importance_height = 0;
  body += importance_svg(tree, y - kRowGap + 18, importance_height);
  y += -kRowGap + 18 + importance_height + 8;
  return svg::begin(width, y, title, "tree-diagram") + body + svg::end();
}

}  // namespace gapscope
