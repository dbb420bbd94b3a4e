#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "core/analysis/ratio_analysis.h"

using namespace gapscope;

namespace {

StoredConfiguration configuration(const std::string& backend, int64_t depth, int64_t width, int round,
                                  std::vector<std::pair<std::string, std::vector<double>>> phases) {
  StoredConfiguration c;
  c.plan.backend = backend;
  c.plan.model = "paper-dnn-" + std::to_string(depth) + "x" + std::to_string(width);
  c.plan.config = {{"preset", "paper-dnn"}, {"depth", depth}, {"width", width}, {"round", round}};
  c.status = ConfigurationStatus::done;
  for (auto& [phase, samples] : phases) c.measurements.push_back(make_measurement(phase, "ms", samples));
  return c;
}

// Native takes depth*width/100 ms; each browser backend a fixed multiple of it.
StoredRun synthetic_run(const std::map<std::string, double>& slowdown) {
  StoredRun run;
  for (int64_t depth : {1, 2, 4})
    for (int64_t width : {64, 128, 256}) {
      const double native = static_cast<double>(depth * width) / 100;
      run.configurations.push_back(configuration("native-cpu", depth, width, 0,
                                                 {{"train", {native}}, {"infer", {native / 10}}}));
      for (const auto& [backend, factor] : slowdown)
        run.configurations.push_back(configuration(backend, depth, width, 0,
                                                   {{"train", {native * factor}}, {"infer", {native / 10 * factor}}}));
    }
  return run;
}

}  // namespace

TEST_CASE("rounds of a configuration are pooled before the median", "[analysis]") {
  StoredRun run;
  run.configurations.push_back(configuration("native-cpu", 1, 8, 0, {{"train", {1, 2, 3}}}));
  run.configurations.push_back(configuration("native-cpu", 1, 8, 1, {{"train", {10, 11}}}));
  const auto pooled = pool_rounds(run);
  REQUIRE(pooled.size() == 1);
  CHECK(pooled[0].summary.n == 5);
  CHECK(pooled[0].summary.median == 3);
  CHECK(pooled[0].depth == 1);
  CHECK(pooled[0].width == 8);
}

TEST_CASE("the ratio is browser median over native median at the same point and task", "[analysis]") {
  const RatioAnalysis analysis = analyse_ratios(synthetic_run({{"tfjs-wasm", 3.0}}));
  REQUIRE(analysis.points.size() == 9 * 2);
  for (const RatioPoint& p : analysis.points) {
    CHECK(p.reference == "native-cpu");
    CHECK(p.ratio == Approx(3.0));
    CHECK(p.browser_ms == Approx(p.native_ms * 3.0));
  }
}

TEST_CASE("decision tree: when the ratio depends only on the backend, the root splits on backend", "[analysis]") {
  const RatioAnalysis analysis = analyse_ratios(synthetic_run({{"tfjs-wasm", 2.0}, {"tfjs-cpu", 40.0}}));
  REQUIRE(analysis.tree);
  const RegressionTree& tree = *analysis.tree;
  CHECK(tree.factors()[static_cast<size_t>(tree.root().factor)].name == "backend");
  const auto importance = tree.importance();
  CHECK(std::accumulate(importance.begin(), importance.end(), 0.0) == Approx(1.0));
  CHECK(importance[0] == Approx(1.0));  // backend explains everything
  // Depth limited to the number of factors, as the paper.
  CHECK(tree.depth() <= 4);
  CHECK(std::pow(10, tree.predict(std::vector<FactorValue>{std::string("tfjs-cpu"), std::string("train"), 2.0, 64.0})) ==
        Approx(40.0));
}

TEST_CASE("points without a native counterpart are left out and counted", "[analysis]") {
  StoredRun run = synthetic_run({{"tfjs-wasm", 2.0}});
  run.configurations.push_back(configuration("tfjs-wasm", 8, 64, 0, {{"train", {5}}}));
  const RatioAnalysis analysis = analyse_ratios(run);
  CHECK(analysis.points.size() == 18);
  REQUIRE(analysis.notes.size() == 1);
  CHECK_THAT(analysis.notes[0], Catch::Contains("1 browser measurement"));
  CHECK_FALSE(analyse_ratios(StoredRun{}).tree);
}
