// The standard run report of a hand-built sweep: every phase's chart and
// table, the metadata, method facts, ratio heatmaps, the tree, failures;
// and the whole page is well-formed.
#include <catch2/catch.hpp>

#include "core/report/run_report.h"
#include "tests/core/report/sample_run.h"
#include "tests/core/report/xml_check.h"

using namespace gapscope;
using report_test::check_xml;
using report_test::count;
using Catch::Matchers::Contains;

namespace {

std::string sample_report(ReportOptions options = {}) {
  return run_report_html(report_test::sample_run(), report_test::sample_analysis(), options);
}

}  // namespace

TEST_CASE("the run report is one well-formed, self-contained page", "[report]") {
  const std::string html = sample_report();
  const auto check = check_xml(html);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK_THAT(html, Contains("<title>gapscope report: paper-fig1-4 &lt;trimmed&gt;</title>"));
  for (const char* id : {"summary", "machine", "method", "phases", "ratios", "failures", "appendix"})
    CHECK_THAT(html, Contains(std::string("<li><a href=\"#") + id + "\">"));
}

TEST_CASE("the run report has a chart and a table for every phase", "[report]") {
  const std::string html = sample_report();
  // 7 phases (lines over width: the grid has two widths), 2 heatmaps, 1 tree.
  CHECK(count(html, "<svg") == 10);
  CHECK(count(html, "class=\"chart line-chart\"") == 7);
  for (const char* phase : {"load", "warmup", "infer", "train", "file_size", "memory", "cpu_utilisation"}) {
    INFO(phase);
    CHECK_THAT(html, Contains(std::string("<h3 id=\"phase-") + phase + "\">"));
  }
  for (const char* caption : {"Load: median, p10-p90 and n", "Warm-up (first inference): median", "Inference: median",
                              "Training step: median", "Model file size: median", "Peak memory: median",
                              "CPU utilisation: median"})
    CHECK_THAT(html, Contains(std::string("<caption>") + caption));
  // Method (phases, capabilities), 7 phases, ratios (summary, points, importance), failures, appendix.
  CHECK(count(html, "<table") == 2 + 7 + 3 + 1 + 1);
  // Rounds are pooled: train has 3 samples per round, two rounds.
  CHECK_THAT(html, Contains("<td>paper-dnn 2×128</td><td>tfjs-wasm</td><td class=\"num\">"));
  CHECK_THAT(html, Contains("<td>train</td>"));
  // File sizes: every backend agrees per format, so a line per format and depth.
  CHECK_THAT(html, Contains(">json format, depth 2</text>"));
  CHECK_THAT(html, Contains("file size (MB)"));
  CHECK_THAT(html, Contains("time per batch (ms)"));
}

TEST_CASE("the run report shows the machine and software, and says what was not recorded", "[report]") {
  const std::string html = sample_report();
  for (const char* value : {"Test CPU 9000", "<dd>16</dd>", "llvmpipe (cpu, Mesa)", "0.3.0", "abc1234", "gcc 12.2.0",
                            "<dd>6.4.2</dd>", "6.4.2 (Chromium 102.0.5005.177)", "<dd>102.0.5005.177</dd>",
                            "<dd>4.22.0</dd>", "--enable-unsafe-swiftshader", "--preset paper-fig1-4", "<dd>7</dd>"})
    CHECK_THAT(html, Contains(value));
  CHECK_THAT(html, Contains("<dt>Memory</dt><dd>not recorded</dd>"));
  CHECK_THAT(html, Contains("<dt>Operating system</dt><dd>not recorded</dd>"));
}

TEST_CASE("the method section takes n, warm-up runs, rounds and capabilities from the records", "[report]") {
  const std::string html = sample_report();
  // train: warm-up 2, n 3 per record, 6 pooled.
  CHECK_THAT(html, Contains("<td>train</td><td>one training step on one batch"));
  CHECK_THAT(html, Contains("<td class=\"num\">2</td><td class=\"num\">3</td><td class=\"num\">16</td>"
                            "<td class=\"num\">6</td>"));
  CHECK_THAT(html, Contains("in 2 rounds"));
  CHECK_THAT(html, Contains("TF.js 4.22.0 wasm: SIMD on, threads off (1 thread)"));
  CHECK_THAT(html, Contains("16 threads, avx2+fma"));
  CHECK_THAT(html, Contains("simd=avx2+fma; threads=16"));
  CHECK_THAT(html, Contains("<dt>Widths</dt><dd>64, 128</dd>"));
}

TEST_CASE("the run report has the ratio heatmaps, the tree and the notes", "[report]") {
  const std::string html = sample_report();
  CHECK(count(html, "class=\"chart heatmap\"") == 2);
  CHECK_THAT(html, Contains("tfjs-wasm / native-cpu, train"));
  CHECK_THAT(html, Contains("tfjs-wasm / native-cpu, infer"));
  CHECK(count(html, "class=\"tree-diagram\"") == 1);
  CHECK_THAT(html, Contains(">4.00×</text>"));  // a leaf as a ratio, not a log
  CHECK_THAT(html, Contains("<td>tfjs-wasm</td><td>native-cpu</td><td>train</td><td class=\"num\">4</td>"));
  CHECK_THAT(html, Contains("no &lt;native&gt; counterpart"));
  CHECK_THAT(html, Contains("|--- "));  // the tree as text in the appendix
}

TEST_CASE("the run report's summary starts with the result and names the data", "[report]") {
  const std::string html = sample_report();
  // The geometric mean of the sample's tfjs-wasm ratios, per task.
  CHECK_THAT(html, Contains("<dt>Result</dt><dd>tfjs-wasm 3.46× native-cpu&#39;s time for training; tfjs-wasm 3.00× "
                            "native-cpu&#39;s time for inference (geometric mean over the configurations)</dd>"));
  CHECK(html.find("<dt>Result</dt>") < html.find("<dt>Run</dt>"));
  CHECK_THAT(html, Contains("<dt>Data</dt><dd>synthetic rows, seeded (times do not depend on the values)</dd>"));

  StoredRun workbench = report_test::sample_run();
  for (StoredConfiguration& c : workbench.configurations)
    c.plan.config["data"] = {{"source", "fortunes"}, {"window", 20}, {"test_fraction", 0.1}};
  CHECK_THAT(run_report_html(workbench, RatioAnalysis{}, {}),
             Contains("<dt>Data</dt><dd>fortunes, windows of 20 characters</dd>"));
  CHECK(run_report_html(workbench, RatioAnalysis{}, {}).find("<dt>Result</dt>") == std::string::npos);
}

TEST_CASE("the run report lists failures with reason and escaped message", "[report]") {
  const std::string html = sample_report();
  CHECK_THAT(html, Contains("<td>unsupported</td>"));
  CHECK_THAT(html, Contains("&quot;quoted&quot;\nsecond line &lt;b&gt;&amp;"));
  CHECK_THAT(html, Contains("16 done, 1 failed"));
}

TEST_CASE("notes and extra sections go where asked", "[report]") {
  ReportOptions options;
  options.title = "Custom";
  options.notes = {"trimmed 8×4096 <too slow>"};
  options.extra_sections = [](HtmlDocument& doc) { doc.heading(2, "Paper findings", "findings"); };
  const std::string html = sample_report(options);
  REQUIRE(check_xml(html).ok);
  CHECK_THAT(html, Contains("<h1>Custom</h1>"));
  CHECK_THAT(html, Contains("<li>trimmed 8×4096 &lt;too slow&gt;</li>"));
  const auto extra = html.find("<h2 id=\"findings\">"), appendix = html.find("<h2 id=\"appendix\">"),
             failures = html.find("<h2 id=\"failures\">");
  REQUIRE(extra != std::string::npos);
  CHECK(failures < extra);
  CHECK(extra < appendix);
}

TEST_CASE("a run without a grid gets bar charts, one group per configuration", "[report]") {
  StoredRun run;
  run.summary.id = "single";
  run.configurations.push_back(report_test::sample_configuration(0, "native-cpu", 2, 128, 0));
  run.configurations.push_back(report_test::sample_configuration(1, "tfjs-wasm", 2, 128, 0));
  const std::string html = run_report_html(run, RatioAnalysis{}, {});
  const auto check = check_xml(html);
  INFO(check.error);
  REQUIRE(check.ok);
  CHECK(count(html, "class=\"chart bar-chart\"") == 7);
  CHECK(count(html, "<svg") == 7);
  CHECK_THAT(html, Contains("class=\"whisker\""));
  CHECK_THAT(html, Contains("No ratios"));
  CHECK_THAT(html, Contains("<dt>CPU</dt><dd>not recorded</dd>"));
  CHECK_THAT(html, Contains("No configuration failed."));
}

TEST_CASE("more series than styles split a phase into one chart per depth", "[report]") {
  StoredRun run;
  int64_t index = 0;
  for (const char* backend : {"native-cpu", "tfjs-cpu", "tfjs-wasm", "tfjs-webgl", "brainjs"})
    for (const int64_t depth : {1, 2})
      for (const int64_t width : {64, 128}) {
        StoredConfiguration c = report_test::sample_configuration(index++, backend, depth, width, 0);
        std::erase_if(c.measurements, [](const Measurement& m) { return m.phase != "train"; });
        run.configurations.push_back(c);
      }
  const std::string html = run_report_html(run, RatioAnalysis{}, {});
  REQUIRE(check_xml(html).ok);
  CHECK(count(html, "class=\"chart line-chart\"") == 2);
  CHECK_THAT(html, Contains("Training step by width, depth 1"));
  CHECK_THAT(html, Contains("Training step by width, depth 2"));
  CHECK_THAT(html, Contains("Not measured in this run: load, warmup, infer, file_size, file_load, memory, cpu_utilisation."));
}

TEST_CASE("an empty run still gives a well-formed report", "[report]") {
  StoredRun run;
  run.summary.id = "empty";
  const std::string html = run_report_html(run, RatioAnalysis{}, {});
  REQUIRE(check_xml(html).ok);
  CHECK_THAT(html, Contains("This run recorded no measurements."));
  CHECK(count(html, "<svg") == 0);
}
