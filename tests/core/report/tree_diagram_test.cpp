// The regression tree diagram: a box per node, yes/no edges, splits and
// leaf values as text, importance bars, and width that grows with the leaves.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/report/report_numbers.h"
#include "core/report/tree_diagram.h"
#include "tests/core/report/xml_check.h"

using namespace gapscope;
using report_test::check_xml;
using report_test::count;
using Catch::Matchers::Contains;

namespace {

// log10 ratio: tfjs-cpu is 100x slower, the others 2x, and wide layers double it.
RegressionTree ratio_tree() {
  std::vector<Sample> samples;
  for (const char* backend : {"tfjs-cpu", "tfjs-wasm", "tfjs-webgl"})
    for (const char* task : {"train", "infer"})
      for (const double depth : {1.0, 2.0, 4.0})
        for (const double width : {64.0, 128.0, 256.0}) {
          const double base = std::string(backend) == "tfjs-cpu" ? 100 : 2;
          samples.push_back({{std::string(backend), std::string(task), depth, width},
                             std::log10(base * (width > 128 ? 2 : 1))});
        }
  return RegressionTree::fit({{"backend", true}, {"task", true}, {"depth", false}, {"width", false}}, samples);
}

double svg_width(const std::string& svg) {
  const auto at = svg.find(" width=\"");
  return std::stod(svg.substr(at + 8));
}

}  // namespace

TEST_CASE("the tree diagram draws one box per node and labels every edge", "[report]") {
  const RegressionTree tree = ratio_tree();
  REQUIRE(tree.leaf_count() == 4);
  const std::string svg =
      render_tree_svg(tree, "Regression tree", [](double v) { return format_ratio(std::pow(10.0, v)); });
  const auto check = check_xml(svg);
  INFO(check.error);
  REQUIRE(check.ok);
  const int nodes = static_cast<int>(tree.nodes().size());
  CHECK(count(svg, "class=\"node ") == nodes);
  CHECK(count(svg, "class=\"node leaf\"") == tree.leaf_count());
  CHECK(count(svg, "class=\"edge\"") == nodes - 1);
  CHECK(count(svg, ">yes</text>") == (nodes - 1) / 2);
  CHECK(count(svg, ">no</text>") == (nodes - 1) / 2);
  CHECK_THAT(svg, Contains("backend in {"));
  CHECK_THAT(svg, Contains("width &lt;= 192"));
  CHECK_THAT(svg, Contains(">100×</text>"));
  CHECK_THAT(svg, Contains(">4.00×</text>"));
  CHECK_THAT(svg, Contains("n = 54"));  // the root
  CHECK(count(svg, "class=\"factor\"") == 4);
  CHECK(count(svg, "class=\"importance-bar\"") == 2);  // task and depth explain nothing
}

TEST_CASE("split text names the levels that go left", "[report]") {
  const RegressionTree tree = ratio_tree();
  const TreeNode& root = tree.root();
  CHECK(split_text(tree, root) == "backend in {" + root.left_levels.front() + (root.left_levels.size() > 1 ? ", " + root.left_levels[1] : "") + "}");
}

TEST_CASE("a deep tree grows wider with its leaves and stays well-formed", "[report]") {
  std::vector<Sample> samples;
  for (int i = 0; i < 64; ++i) samples.push_back({{static_cast<double>(i)}, static_cast<double>(i * i % 17)});
  const RegressionTree tree = RegressionTree::fit({{"x", false}}, samples, {.max_depth = 5});
  REQUIRE(tree.depth() == 5);
  const std::string svg = render_tree_svg(tree, "deep", [](double v) { return format_significant(v); });
  REQUIRE(check_xml(svg).ok);
  CHECK(count(svg, "class=\"node ") == static_cast<int>(tree.nodes().size()));
  CHECK(svg_width(svg) >= 56.0 * tree.leaf_count());
  for (size_t at = svg.find("font-size=\""); at != std::string::npos; at = svg.find("font-size=\"", at + 1))
    CHECK(std::stod(svg.substr(at + 11)) >= 10);
}

TEST_CASE("a single-leaf tree is one box", "[report]") {
  const RegressionTree tree = RegressionTree::fit({{"x", false}}, {{{1.0}, 2.0}, {{2.0}, 2.0}});
  const std::string svg = render_tree_svg(tree, "flat <tree>", [](double v) { return format_significant(v); });
  REQUIRE(check_xml(svg).ok);
  CHECK(count(svg, "class=\"node ") == 1);
  CHECK_THAT(svg, Contains("flat &lt;tree&gt;"));
  CHECK(count(svg, "class=\"importance-bar\"") == 0);
}
