// The HTML builder: escaped text, a table of contents, numeric columns,
// print-friendly and self-contained (no script, nothing fetched).
#include <catch2/catch.hpp>

#include "core/report/html_document.h"
#include "core/report/svg_chart.h"
#include "tests/core/report/xml_check.h"

using namespace gapscope;
using report_test::check_xml;
using report_test::count;
using Catch::Matchers::Contains;

TEST_CASE("the HTML document escapes text and is well-formed", "[report]") {
  const std::string nasty = "<script>alert(\"x\")</script> & co";
  HtmlDocument doc(nasty);
  doc.heading(2, nasty, "first");
  doc.paragraph(nasty);
  doc.bullet_list({nasty});
  doc.preformatted(nasty);
  doc.definition_list({{nasty, nasty}});
  doc.table({nasty, {nasty, "n"}, {{nasty, "1"}}, {false, true}});
  doc.figure(render_svg(BarChart{nasty, "ms", {"a"}, {{"s", {1}}}}), nasty);
  doc.raw_html("<p class=\"raw\">kept</p>\n");
  const std::string html = doc.html();
  const auto check = check_xml(html);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(count(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co") >= 9);
  CHECK_THAT(html, Contains("<p class=\"raw\">kept</p>"));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_THAT(html, Contains("<meta charset=\"utf-8\"/>"));
}

TEST_CASE("level-2 headings with ids make the table of contents", "[report]") {
  HtmlDocument doc("Report");
  doc.heading(2, "Summary", "summary");
  doc.heading(3, "Detail", "detail");
  doc.heading(2, "Method", "method");
  doc.heading(2, "No id");
  const std::string html = doc.html();
  REQUIRE(check_xml(html).ok);
  CHECK_THAT(html, Contains("<li><a href=\"#summary\">Summary</a></li>"));
  CHECK_THAT(html, Contains("<li><a href=\"#method\">Method</a></li>"));
  CHECK(html.find("href=\"#detail\"") == std::string::npos);
  CHECK(count(html, "<li><a href=") == 2);
  CHECK(html.find("<nav") < html.find("<h2 id=\"summary\">"));
}

TEST_CASE("a heading id used twice gets a suffix", "[report]") {
  HtmlDocument doc("Report");
  doc.heading(2, "Ratios", "ratios");
  doc.heading(2, "Ratios again", "ratios");
  const std::string html = doc.html();
  CHECK_THAT(html, Contains("<h2 id=\"ratios\">Ratios</h2>"));
  CHECK_THAT(html, Contains("<h2 id=\"ratios-2\">Ratios again</h2>"));
  CHECK_THAT(html, Contains("<li><a href=\"#ratios-2\">Ratios again</a></li>"));
}

TEST_CASE("numeric columns are right-aligned", "[report]") {
  HtmlDocument doc("T");
  doc.table({"caption", {"name", "median"}, {{"a", "1.00 ms"}, {"b", "2.00 ms"}}, {false, true}});
  const std::string html = doc.html();
  CHECK(count(html, "<td class=\"num\">") == 2);
  CHECK(count(html, "<th class=\"num\">median</th>") == 1);
  CHECK_THAT(html, Contains("<caption>caption</caption>"));
  CHECK_THAT(html, Contains("text-align: right"));
}

TEST_CASE("the page prints on A4, keeps figures and tables whole, and fetches nothing", "[report]") {
  HtmlDocument doc("T");
  doc.figure(render_svg(BarChart{"c", "ms", {"a"}, {{"s", {1}}}}), "caption");
  const std::string html = doc.html();
  CHECK_THAT(html, Contains("size: A4"));
  CHECK_THAT(html, Contains("@media print"));
  CHECK_THAT(html, Contains("page-break-inside: avoid"));
  CHECK_THAT(html, Contains("font-family: sans-serif"));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("href=\"http") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK_THAT(html, Contains("<figure>\n<svg"));
  CHECK_THAT(html, Contains("<figcaption>caption</figcaption>"));
}

TEST_CASE("a figure wider than the page gets the landscape class", "[report]") {
  HtmlDocument doc("T");
  doc.figure("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1400\" height=\"10\"></svg>", "");
  doc.figure("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"10\"></svg>", "");
  const std::string html = doc.html();
  CHECK(count(html, "<figure class=\"wide\">") == 1);
  CHECK(count(html, "<figure>") == 1);
}
