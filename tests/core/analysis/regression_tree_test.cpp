// The CART regression tree of Section 5.2: it finds the factor the ratio
// depends on, the exact best split (checked by hand and, for categorical
// factors, against every subset of levels), respects its limits, and reads
// back from its JSON.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>

#include "core/analysis/regression_tree.h"

namespace gapscope {

namespace {

const std::vector<Factor> kPaperFactors = {
    {"backend", true}, {"task", true}, {"depth", false}, {"width", false}};

// Every backend x task x depth x width, with a tiny deterministic wobble so no
// two targets are equal.
std::vector<Sample> paper_grid(const std::function<double(const std::string& backend,
                                                          const std::string& task, double depth,
                                                          double width)>& ratio) {
  std::vector<Sample> samples;
  int i = 0;
  for (std::string backend : {"convnetjs", "tfjs-cpu", "tfjs-wasm", "tfjs-webgl"})
    for (std::string task : {"infer", "train"})
      for (double depth : {1.0, 2.0, 3.0})
        for (double width : {64.0, 128.0, 256.0, 512.0}) {
          double noise = 1e-3 * static_cast<double>((i++ * 37) % 11 - 5) / 5;
          samples.push_back({{backend, task, depth, width}, ratio(backend, task, depth, width) + noise});
        }
  return samples;
}

double backend_ratio(const std::string& backend) {
  if (backend == "convnetjs") return 30;
  if (backend == "tfjs-cpu") return 12;
  if (backend == "tfjs-wasm") return 3;
  return 1.5;
}

double sum(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0);
}

// x: 1 2 3 4, c: a b a b, y: 1 1 5 7. Root SSE 27; x <= 2.5 leaves {1,1}
// (SSE 0) and {5,7} (SSE 2): a decrease of 25, against 8.33 (x <= 1.5),
// 16.33 (x <= 3.5) and 1 (c). In {5,7}, x <= 3.5 and c in {a} both
// decrease by 2: the tie goes to the factor listed first.
std::vector<Sample> hand_samples(bool c_first) {
  std::vector<double> x = {1, 2, 3, 4}, y = {1, 1, 5, 7};
  std::vector<std::string> c = {"a", "b", "a", "b"};
  std::vector<Sample> samples;
  for (size_t i = 0; i < 4; ++i)
    samples.push_back(c_first ? Sample{{c[i], x[i]}, y[i]} : Sample{{x[i], c[i]}, y[i]});
  return samples;
}

}  // namespace

TEST_CASE("a ratio that depends only on backend splits on backend at the root", "[analysis]") {
  auto samples = paper_grid([](const std::string& b, const std::string&, double, double) {
    return backend_ratio(b);
  });
  RegressionTree tree = RegressionTree::fit(kPaperFactors, samples);
  REQUIRE(tree.root().factor == 0);
  // Sorted by mean, the biggest gap (convnetjs at 30) is the best cut.
  REQUIRE(tree.root().left_levels == std::vector<std::string>{"tfjs-cpu", "tfjs-wasm", "tfjs-webgl"});
  std::vector<double> importance = tree.importance();
  REQUIRE(importance.size() == 4);
  REQUIRE(importance[0] > 0.95);
  REQUIRE(std::abs(sum(importance) - 1) < 1e-12);
  REQUIRE(tree.depth() <= 4);
}

TEST_CASE("a ratio that depends only on width splits on width at the right threshold", "[analysis]") {
  auto samples = paper_grid([](const std::string&, const std::string&, double, double width) {
    return width <= 128 ? 2.0 : 5.0;
  });
  RegressionTree tree = RegressionTree::fit(kPaperFactors, samples);
  REQUIRE(tree.root().factor == 3);
  REQUIRE(tree.root().threshold == 192.0);
  REQUIRE(tree.importance()[3] > 0.99);
  REQUIRE(tree.predict({std::string("tfjs-wasm"), std::string("train"), 2.0, 100.0}) ==
          Approx(2.0).margin(2e-3));
  REQUIRE(tree.predict({std::string("tfjs-wasm"), std::string("train"), 2.0, 300.0}) ==
          Approx(5.0).margin(2e-3));
}

TEST_CASE("backend and task both matter when they interact, within the depth limit", "[analysis]") {
  auto samples = paper_grid([](const std::string& b, const std::string& task, double, double) {
    return std::log(backend_ratio(b) * (task == "train" ? 4.0 : 1.0));
  });
  for (int max_depth : {1, 2, 3, 4}) {
    TreeOptions options;
    options.max_depth = max_depth;
    RegressionTree tree = RegressionTree::fit(kPaperFactors, samples, options);
    REQUIRE(tree.depth() <= max_depth);
    for (const TreeNode& node : tree.nodes()) REQUIRE(node.depth <= max_depth);
  }
  RegressionTree tree = RegressionTree::fit(kPaperFactors, samples);
  std::vector<double> decrease = tree.sse_decrease();
  REQUIRE(decrease[0] > 0);
  REQUIRE(decrease[1] > 0);
  std::vector<double> importance = tree.importance();
  REQUIRE(importance[0] + importance[1] > 0.99);
  REQUIRE(std::abs(sum(importance) - 1) < 1e-12);
  // Default depth is the number of factors: 4.
  REQUIRE(tree.depth() <= 4);

  TreeOptions stump;
  stump.max_depth = 0;
  RegressionTree leaf = RegressionTree::fit(kPaperFactors, samples, stump);
  REQUIRE(leaf.nodes().size() == 1);
  REQUIRE(leaf.root().is_leaf());
  REQUIRE(leaf.root().n == static_cast<int64_t>(samples.size()));
  double mean = 0;
  for (const Sample& s : samples) mean += s.target;
  REQUIRE(leaf.root().value == Approx(mean / static_cast<double>(samples.size())));
  REQUIRE(leaf.importance() == std::vector<double>(4, 0.0));
}

TEST_CASE("a small example computed by hand", "[analysis]") {
  RegressionTree tree = RegressionTree::fit({{"x", false}, {"c", true}}, hand_samples(false));
  const auto& nodes = tree.nodes();
  REQUIRE(nodes.size() == 5);
  const TreeNode& root = tree.root();
  REQUIRE(root.factor == 0);
  REQUIRE(root.threshold == 2.5);
  REQUIRE(root.n == 4);
  REQUIRE(root.value == Approx(3.5));
  REQUIRE(root.sse == Approx(27));
  const TreeNode& left = nodes[root.left];
  const TreeNode& right = nodes[root.right];
  REQUIRE(left.is_leaf());
  REQUIRE(left.value == 1);
  REQUIRE(left.n == 2);
  REQUIRE(left.sse == 0);
  REQUIRE(right.value == 6);
  REQUIRE(right.sse == Approx(2));
  REQUIRE(right.factor == 0);  // ties with c; x comes first
  REQUIRE(right.threshold == 3.5);
  REQUIRE(nodes[right.left].value == 5);
  REQUIRE(nodes[right.right].value == 7);
  REQUIRE(tree.sse_decrease()[0] == Approx(27));
  REQUIRE(tree.sse_decrease()[1] == 0);

  // Listed first, c wins the tie: a (mean 5) goes left.
  RegressionTree swapped = RegressionTree::fit({{"c", true}, {"x", false}}, hand_samples(true));
  const TreeNode& swapped_right = swapped.nodes()[swapped.root().right];
  REQUIRE(swapped.root().factor == 1);
  REQUIRE(swapped_right.factor == 0);
  REQUIRE(swapped_right.left_levels == std::vector<std::string>{"a"});
  REQUIRE(swapped.sse_decrease()[1] == Approx(25));
  REQUIRE(swapped.sse_decrease()[0] == Approx(2));
}

TEST_CASE("min_samples_leaf and min_impurity_decrease stop splits", "[analysis]") {
  std::vector<Factor> factors = {{"x", false}, {"c", true}};
  TreeOptions min_leaf;
  min_leaf.min_samples_leaf = 2;
  RegressionTree a = RegressionTree::fit(factors, hand_samples(false), min_leaf);
  REQUIRE(a.nodes().size() == 3);
  REQUIRE(a.root().threshold == 2.5);

  // Root: 25 / 4 = 6.25 per sample; the {5,7} node: 2 / 4 = 0.5.
  TreeOptions min_decrease;
  min_decrease.min_impurity_decrease = 6;
  REQUIRE(RegressionTree::fit(factors, hand_samples(false), min_decrease).nodes().size() == 3);
  min_decrease.min_impurity_decrease = 6.3;
  REQUIRE(RegressionTree::fit(factors, hand_samples(false), min_decrease).nodes().size() == 1);
}

TEST_CASE("the categorical split is the best of all partitions of levels", "[analysis]") {
  std::mt19937 random(20190513);
  for (int trial = 0; trial < 30; ++trial) {
    int level_count = 2 + trial % 6;
    std::vector<Sample> samples;
    for (int i = 0; i < 40; ++i) {
      int level = static_cast<int>(random() % static_cast<unsigned>(level_count));
      double target = static_cast<double>(random() % 1000) / 100.0 + level % 3;
      samples.push_back({{std::string(1, static_cast<char>('a' + level))}, target});
    }
    TreeOptions options;
    options.max_depth = 1;
    RegressionTree tree = RegressionTree::fit({{"level", true}}, samples, options);

    // Brute force: every subset of levels as the left side.
    auto sse = [](const std::vector<double>& y) {
      if (y.empty()) return 0.0;
      double mean = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(y.size());
      double total = 0;
      for (double v : y) total += (v - mean) * (v - mean);
      return total;
    };
    std::vector<double> all;
    for (const Sample& s : samples) all.push_back(s.target);
    double best = 0;
    for (unsigned mask = 1; mask + 1 < (1u << level_count); ++mask) {
      std::vector<double> left, right;
      for (const Sample& s : samples) {
        int level = std::get<std::string>(s.values[0])[0] - 'a';
        ((mask >> level) & 1 ? left : right).push_back(s.target);
      }
      if (left.empty() || right.empty()) continue;
      best = std::max(best, sse(all) - sse(left) - sse(right));
    }
    INFO("trial " << trial << ", " << level_count << " levels");
    REQUIRE(tree.sse_decrease()[0] == Approx(best).epsilon(1e-12).margin(1e-9));
  }
}

TEST_CASE("predict returns leaf means and the tree reads back from JSON", "[analysis]") {
  std::vector<Factor> factors = {{"x", false}, {"c", true}};
  RegressionTree tree = RegressionTree::fit(factors, hand_samples(false));
  for (const Sample& s : hand_samples(false)) REQUIRE(tree.predict(s) == s.target);
  REQUIRE(tree.predict({0.0, std::string("a")}) == 1);
  REQUIRE(tree.predict({10.0, std::string("never seen")}) == 7);

  auto samples = paper_grid([](const std::string& b, const std::string& task, double depth, double) {
    return backend_ratio(b) * (task == "train" ? 2 : 1) + depth;
  });
  RegressionTree paper = RegressionTree::fit(kPaperFactors, samples);
  for (const Sample& s : samples) {
    double p = paper.predict(s);
    bool is_a_leaf_mean = false;
    for (const TreeNode& node : paper.nodes()) is_a_leaf_mean |= node.is_leaf() && node.value == p;
    REQUIRE(is_a_leaf_mean);
  }

  nlohmann::json json = paper.to_json();
  RegressionTree back = RegressionTree::from_json(nlohmann::json::parse(json.dump()));
  REQUIRE(back.factors().size() == 4);
  REQUIRE(back.nodes().size() == paper.nodes().size());
  for (size_t i = 0; i < paper.nodes().size(); ++i) {
    const TreeNode &a = paper.nodes()[i], &b = back.nodes()[i];
    REQUIRE(a.factor == b.factor);
    REQUIRE(a.threshold == b.threshold);
    REQUIRE(a.left_levels == b.left_levels);
    REQUIRE(a.left == b.left);
    REQUIRE(a.right == b.right);
    REQUIRE(a.n == b.n);
    REQUIRE(a.depth == b.depth);
    REQUIRE(a.value == b.value);
    REQUIRE(a.sse == b.sse);
  }
  REQUIRE(back.to_json() == json);
  for (const Sample& s : samples) REQUIRE(back.predict(s) == paper.predict(s));
  REQUIRE(json["importance"]["backend"].get<double>() == paper.importance()[0]);

  std::string text = paper.to_text();
  INFO(text);
  REQUIRE(text.find("|--- backend in {") == 0);
  REQUIRE(text.find("backend not in {") != std::string::npos);
  REQUIRE(text.find("task") != std::string::npos);
  REQUIRE(text.find("|   |--- ") != std::string::npos);
  REQUIRE(text.find("value: ") != std::string::npos);
  REQUIRE(RegressionTree::fit(factors, hand_samples(false)).to_text() ==
          "|--- x <= 2.5\n"
          "|   |--- value: 1 (n=2, sse=0)\n"
          "|--- x >  2.5\n"
          "|   |--- x <= 3.5\n"
          "|   |   |--- value: 5 (n=1, sse=0)\n"
          "|   |--- x >  3.5\n"
          "|   |   |--- value: 7 (n=1, sse=0)\n");
}

TEST_CASE("bad input throws invalid_argument naming the problem", "[analysis]") {
  std::vector<Factor> factors = {{"backend", true}, {"width", false}};
  auto good = [] {
    return std::vector<Sample>{{{std::string("tfjs-wasm"), 64.0}, 2.0},
                               {{std::string("tfjs-webgl"), 128.0}, 1.5},
                               {{std::string("convnetjs"), 256.0}, 30.0}};
  };
  double nan = std::numeric_limits<double>::quiet_NaN();
  double inf = std::numeric_limits<double>::infinity();
  using Catch::Matchers::Contains;

  REQUIRE_THROWS_AS(RegressionTree::fit(factors, {}), std::invalid_argument);
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, {}), Contains("no samples"));
  REQUIRE_THROWS_WITH(RegressionTree::fit({}, good()), Contains("no factors"));
  REQUIRE_THROWS_WITH(RegressionTree::fit({{"a", true}, {"a", false}}, good()),
                      Contains("'a' is listed twice"));

  auto samples = good();
  samples[2].target = nan;
  REQUIRE_THROWS_AS(RegressionTree::fit(factors, samples), std::invalid_argument);
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, samples), Contains("sample 2: target is not finite"));

  samples = good();
  samples[1].values[1] = inf;
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, samples),
                      Contains("sample 1: factor 'width' has a non-finite value"));

  samples = good();
  samples[0].values.pop_back();
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, samples),
                      Contains("sample 0 has 1 values for 2 factors (backend, width)"));

  samples = good();
  samples[1].values[0] = 3.0;
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, samples),
                      Contains("sample 1: factor 'backend' is categorical but its value is a number"));
  samples = good();
  samples[2].values[1] = std::string("wide");
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, samples),
                      Contains("sample 2: factor 'width' is numeric but its value is a string"));

  TreeOptions options;
  options.max_depth = -1;
  REQUIRE_THROWS_AS(RegressionTree::fit(factors, good(), options), std::invalid_argument);
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, good(), options), Contains("max_depth is -1"));
  options = {};
  options.min_samples_leaf = 0;
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, good(), options), Contains("min_samples_leaf"));
  options = {};
  options.min_impurity_decrease = -1;
  REQUIRE_THROWS_WITH(RegressionTree::fit(factors, good(), options), Contains("min_impurity_decrease"));

  RegressionTree tree = RegressionTree::fit(factors, good());
  REQUIRE_THROWS_WITH(tree.predict({64.0, 64.0}),
                      Contains("factor 'backend' is categorical but its value is a number"));
  REQUIRE_THROWS_WITH(tree.predict({std::string("tfjs-wasm")}), Contains("1 values for 2 factors"));

  nlohmann::json json = tree.to_json();
  json["nodes"][0]["left"] = 0;
  REQUIRE_THROWS_WITH(RegressionTree::from_json(json), Contains("node 0 has child 0"));
  REQUIRE_THROWS_WITH(RegressionTree::from_json(nlohmann::json::object()), Contains("bad JSON"));
}

TEST_CASE("fitting twice gives the identical tree", "[analysis]") {
  auto samples = paper_grid([](const std::string& b, const std::string& task, double depth, double width) {
    return backend_ratio(b) * (task == "train" ? 2 : 1) + depth * width / 512;
  });
  RegressionTree a = RegressionTree::fit(kPaperFactors, samples);
  RegressionTree b = RegressionTree::fit(kPaperFactors, samples);
  REQUIRE(a.to_json().dump() == b.to_json().dump());
  REQUIRE(a.to_text() == b.to_text());
  REQUIRE(a.nodes().size() > 3);
}

}  // namespace gapscope
