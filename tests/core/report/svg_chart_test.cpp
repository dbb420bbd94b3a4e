// The SVG charts: well-formed, honest about missing and non-positive values,
// log axes with decade ticks, escaped text, distinct series styles.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "core/report/chart_axis.h"
#include "core/report/chart_style.h"
#include "core/report/svg_chart.h"
#include "tests/core/report/xml_check.h"

using namespace gapscope;
using report_test::check_xml;
using report_test::count;
using Catch::Matchers::Contains;

namespace {

BarChart two_series_bars() {
  return {"Training step per configuration",
          "time per batch (ms)",
          {"2×64", "2×128", "4×64"},
          {{"native-cpu", {1.5, 2.5, 3.5}}, {"tfjs-wasm", {4.0, 8.0, 12.0}}}};
}

}  // namespace

TEST_CASE("a bar chart renders well-formed SVG with one bar per value", "[report]") {
  const std::string svg = render_svg(two_series_bars());
  const auto check = check_xml(svg);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(count(svg, "class=\"bar\"") == 6);
  CHECK_THAT(svg, Contains("Training step per configuration"));
  CHECK_THAT(svg, Contains("time per batch (ms)"));
  CHECK_THAT(svg, Contains(">native-cpu</text>"));  // legend
  CHECK_THAT(svg, Contains(">2×128</text>"));       // category
}

TEST_CASE("a missing value gives no bar and says n/a, never a zero bar", "[report]") {
  BarChart chart = two_series_bars();
  chart.series[1].values[1] = NAN;
  const std::string svg = render_svg(chart);
  REQUIRE(check_xml(svg).ok);
  CHECK(count(svg, "class=\"bar\"") == 5);
  CHECK(count(svg, "class=\"missing\">n/a<") == 1);
}

TEST_CASE("bar whiskers are drawn where low and high are given", "[report]") {
  BarChart chart = two_series_bars();
  chart.series[0].low = {1, 2, NAN};
  chart.series[0].high = {2, 3, NAN};
  const std::string svg = render_svg(chart);
  REQUIRE(check_xml(svg).ok);
  CHECK(count(svg, "class=\"whisker\"") == 2);
}

TEST_CASE("a log axis has decade ticks and minor ticks", "[report]") {
  SECTION("the axis itself") {
    const ChartAxis axis = log_axis(0.5, 2000);
    CHECK(axis.lo == Approx(0.1));
    CHECK(axis.hi == Approx(10000));
    std::vector<std::string> labels;
    for (const AxisTick& tick : axis.major) labels.push_back(tick.label);
    CHECK(labels == std::vector<std::string>{"0.1", "1", "10", "100", "1000", "10000"});
    CHECK(axis.minor.size() == 5 * 8);  // 2..9 in each of five decades
    CHECK(axis.fraction(100) == Approx(0.6));
  }
  SECTION("a short log axis also labels 2 and 5") {
    const ChartAxis axis = log_axis(3, 40);
    std::vector<std::string> labels;
    for (const AxisTick& tick : axis.major) labels.push_back(tick.label);
    CHECK(labels == std::vector<std::string>{"1", "2", "5", "10", "20", "50", "100"});
  }
  SECTION("rendered") {
    BarChart chart = two_series_bars();
    chart.series[1].values = {40, 400, 4000};
    chart.log_y = true;
    const std::string svg = render_svg(chart);
    REQUIRE(check_xml(svg).ok);
    for (const char* decade : {">1</text>", ">10</text>", ">100</text>", ">1000</text>", ">10000</text>"})
      CHECK_THAT(svg, Contains(decade));
    CHECK(count(svg, "class=\"tick-minor\"") >= 8);
  }
  SECTION("line chart, both axes") {
    std::vector<double> x, y;
    for (int i = 0; i < 12; ++i) x.push_back(std::pow(2.0, i + 4)), y.push_back(0.01 * std::pow(2.0, i));
    LineChart chart{"Inference by width", "width", "time (ms)", x, {{"a", y}}, true, true};
    const std::string svg = render_svg(chart);
    REQUIRE(check_xml(svg).ok);
    CHECK_THAT(svg, Contains(">0.01</text>"));
    CHECK_THAT(svg, Contains(">10</text>"));
    CHECK_THAT(svg, Contains(">100000</text>") || Contains(">1e5</text>"));
  }
  SECTION("a few grid values on a log x axis are ticks themselves") {
    LineChart chart{"Train by width", "width", "time (ms)", {64, 256, 1024, 4096}, {{"a", {1, 4, 16, 64}}}, true, true};
    const std::string svg = render_svg(chart);
    REQUIRE(check_xml(svg).ok);
    for (const char* tick : {">64</text>", ">256</text>", ">1024</text>", ">4096</text>", ">1</text>", ">100</text>"})
      CHECK_THAT(svg, Contains(tick));
  }
}

TEST_CASE("a linear axis steps by 1, 2 or 5 times a power of ten and starts bars at zero", "[report]") {
  const ChartAxis axis = linear_axis(3, 17, true);
  CHECK(axis.lo == 0);
  CHECK(axis.hi == 20);
  std::vector<std::string> labels;
  for (const AxisTick& tick : axis.major) labels.push_back(tick.label);
  CHECK(labels == std::vector<std::string>{"0", "5", "10", "15", "20"});
  const ChartAxis small = linear_axis(0.1, 0.3, false);
  CHECK(small.major.front().label == "0.1");
  CHECK(small.major.back().label == "0.3");
}

TEST_CASE("non-positive values on a log axis are left out with a footnote", "[report]") {
  BarChart chart = two_series_bars();
  chart.series[0].values[0] = 0;
  chart.series[0].values[1] = -3;
  chart.log_y = true;
  const std::string svg = render_svg(chart);
  REQUIRE(check_xml(svg).ok);
  CHECK(count(svg, "class=\"bar\"") == 4);
  CHECK_THAT(svg, Contains("2 values of zero or less not shown on the log axis"));

  LineChart line{"t", "x", "y", {1, 2, 3}, {{"s", {1, 0, 4}}}, false, true};
  const std::string line_svg = render_svg(line);
  REQUIRE(check_xml(line_svg).ok);
  CHECK_THAT(line_svg, Contains("1 point with a value of zero or less not shown on the log axis"));
}

TEST_CASE("a line chart breaks its line at a missing value", "[report]") {
  LineChart chart{"Train by width", "width (units per layer)", "time per batch (ms)", {64, 128, 256, 512},
                  {{"native-cpu", {1, 2, NAN, 8}}, {"tfjs-wasm", {3, 6, 12, 24}}}};
  const std::string svg = render_svg(chart);
  const auto check = check_xml(svg);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(count(svg, "class=\"series-line\"") == 2);
  const auto first_path = svg.find("class=\"series-line\" d=\"");
  const std::string d = svg.substr(first_path, svg.find("\" fill", first_path) - first_path);
  CHECK(count(d, "M") == 2);  // two pieces: the gap is not bridged
  // Ticks at the grid's widths.
  for (const char* width : {">64</text>", ">128</text>", ">256</text>", ">512</text>"}) CHECK_THAT(svg, Contains(width));
  CHECK_THAT(svg, Contains("stroke-dasharray"));  // the second series is dashed
}

TEST_CASE("a heatmap has a cell and a number per value and a colour scale", "[report]") {
  Heatmap map{"tfjs-wasm / native-cpu, train", "depth", "width", "times slower",
              {"1", "2"}, {"64", "128", "256"}, {{1.5, 2.25, 3}, {4, NAN, 60}}};
  const std::string svg = render_svg(map);
  const auto check = check_xml(svg);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(count(svg, "class=\"cell\"") == 5);
  CHECK(count(svg, "class=\"cell missing\"") == 1);
  for (const char* value : {">1.50<", ">2.25<", ">3.00<", ">4.00<", ">60.0<", ">n/a<"}) CHECK_THAT(svg, Contains(value));
  CHECK_THAT(svg, Contains("class=\"colour-scale\""));
  CHECK_THAT(svg, Contains("times slower"));

  map.log_scale = true;
  map.values[0][0] = -1;
  const std::string log_svg = render_svg(map);
  REQUIRE(check_xml(log_svg).ok);
  CHECK_THAT(log_svg, Contains("(log scale)"));
  CHECK_THAT(log_svg, Contains("1 value of zero or less not shown on the log scale"));
}

TEST_CASE("chart text is escaped", "[report]") {
  const std::string nasty = "a<b & \"c\" > 'd'";
  BarChart bars{nasty, nasty, {nasty}, {{nasty, {1}}}};
  LineChart lines{nasty, nasty, nasty, {1, 2}, {{nasty, {1, 2}}}};
  Heatmap map{nasty, nasty, nasty, nasty, {nasty}, {nasty}, {{1}}};
  for (const std::string& svg : {render_svg(bars), render_svg(lines), render_svg(map)}) {
    const auto check = check_xml(svg);
    INFO(check.error);
    CHECK(check.ok);
    CHECK(svg.find(nasty) == std::string::npos);
    CHECK_THAT(svg, Contains("a&lt;b &amp; &quot;c&quot; &gt; &#39;d&#39;"));
  }
}

TEST_CASE("inconsistent sizes throw, naming the chart", "[report]") {
  BarChart bars = two_series_bars();
  bars.series[1].values.pop_back();
  CHECK_THROWS_WITH(render_svg(bars), Contains("Training step per configuration") && Contains("tfjs-wasm"));
  BarChart whiskers = two_series_bars();
  whiskers.series[0].low = {1};
  CHECK_THROWS_AS(render_svg(whiskers), std::invalid_argument);
  LineChart lines{"Lines", "x", "y", {1, 2, 3}, {{"s", {1, 2}}}};
  CHECK_THROWS_WITH(render_svg(lines), Contains("Lines"));
  Heatmap map{"Map", "r", "c", "v", {"a", "b"}, {"x"}, {{1}}};
  CHECK_THROWS_WITH(render_svg(map), Contains("Map"));
  map.values = {{1}, {1, 2}};
  CHECK_THROWS_WITH(render_svg(map), Contains("row 'b'"));
}

TEST_CASE("empty charts still render", "[report]") {
  for (const std::string& svg : {render_svg(BarChart{"empty", "y", {}, {}}), render_svg(LineChart{"empty", "x", "y", {}, {}}),
                                 render_svg(Heatmap{"empty", "r", "c", "v", {}, {}, {}})}) {
    CHECK(check_xml(svg).ok);
    CHECK_THAT(svg, Contains("No values to show."));
  }
}

TEST_CASE("the first eight series differ in colour, dash, marker and hatch", "[report]") {
  std::set<std::string> colours, dashes;
  std::set<MarkerShape> markers;
  std::set<int> hatches;
  for (size_t i = 0; i < 8; ++i) {
    const SeriesStyle style = series_style(i);
    colours.insert(style.colour);
    dashes.insert(style.dash);
    markers.insert(style.marker);
    hatches.insert(style.hatch);
  }
  CHECK(colours.size() == 8);
  CHECK(dashes.size() == 8);
  CHECK(markers.size() == 8);
  CHECK(hatches.size() == 8);
}

TEST_CASE("pattern ids differ between charts, so one page can hold many", "[report]") {
  BarChart other = two_series_bars();
  other.title = "Load per configuration";
  const std::string a = render_svg(two_series_bars()), b = render_svg(other);
  const auto id_of = [](const std::string& svg) {
    const auto at = svg.find("<pattern id=\"");
    return svg.substr(at + 13, svg.find('"', at + 13) - at - 13);
  };
  CHECK(id_of(a) != id_of(b));
  CHECK(render_svg(two_series_bars()) == a);  // deterministic
}

TEST_CASE("spans_orders_of_magnitude: more than a factor of 30 between positive finite values", "[report]") {
  CHECK(spans_orders_of_magnitude({1, 31}));
  CHECK_FALSE(spans_orders_of_magnitude({1, 30}));
  CHECK_FALSE(spans_orders_of_magnitude({0, -5, 2, 3, NAN, INFINITY}));
  CHECK_FALSE(spans_orders_of_magnitude({}));
  CHECK(spans_orders_of_magnitude({0.001, NAN, 1}));
}

TEST_CASE("chart fonts are at least 10 px", "[report]") {
  const std::string svg = render_svg(two_series_bars());
  for (size_t at = svg.find("font-size=\""); at != std::string::npos; at = svg.find("font-size=\"", at + 1))
    CHECK(std::stod(svg.substr(at + 11)) >= 10);
}
