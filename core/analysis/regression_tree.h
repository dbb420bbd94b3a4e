// A CART regression tree (least squares), for the paper's Section 5.2: which
// factors (backend, task, depth, width) explain the browser/native time ratio.
// The tree is small and exact: numeric splits try every midpoint between
// consecutive distinct values, categorical splits find the best binary
// partition of levels by sorting levels by mean target (Breiman: for squared
// error the optimal partition is a prefix of that order).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace gapscope {

struct Factor {
  std::string name;
  bool categorical = false;
};

// A categorical factor's level ("tfjs-wasm", "train") or a numeric factor's
// value (depth 3.0, width 128.0).
using FactorValue = std::variant<std::string, double>;

// One record: values in the order of the factor list, and what to predict
// (the ratio, or its log: the caller chooses).
struct Sample {
  std::vector<FactorValue> values;
  double target = 0;
};

struct TreeOptions {
  // Root has depth 0; unset means the number of factors, as the paper does.
  std::optional<int> max_depth;
  int64_t min_samples_leaf = 1;
  // A split must lower the SSE by at least this much per training sample
  // ((sse_parent - sse_left - sse_right) / n_total, sklearn's meaning).
  double min_impurity_decrease = 0;
};

// Nodes live in RegressionTree::nodes(), root first, in pre-order.
struct TreeNode {
  double value = 0;  // mean target of the node's samples: what a leaf predicts
  int64_t n = 0;
  double sse = 0;    // sum of squared deviations from value
  int depth = 0;
  // Internal nodes only; a leaf has factor == -1.
  int factor = -1;
  double threshold = 0;                  // numeric: x <= threshold goes left
  std::vector<std::string> left_levels;  // categorical: these go left, any other level right
  int left = -1, right = -1;             // indices into nodes()

  bool is_leaf() const { return factor < 0; }
  double variance() const { return n > 0 ? sse / static_cast<double>(n) : 0; }
};

class RegressionTree {
 public:
  // Throws std::invalid_argument for: no factors or no samples, a sample
  // whose values do not match the factors (count or kind), a NaN/inf target
  // or numeric value, max_depth < 0, min_samples_leaf < 1, a negative or
  // non-finite min_impurity_decrease. Deterministic: ties between equally good
  // splits go to the earlier factor, then the smaller threshold or the
  // earlier prefix of levels sorted by mean (equal means by name).
  static RegressionTree fit(std::vector<Factor> factors, const std::vector<Sample>& samples,
                            const TreeOptions& options = {});

  // Throws std::invalid_argument if values do not match the factors. A level
  // the node never saw goes right (it is not in left_levels).
  double predict(const std::vector<FactorValue>& values) const;
  double predict(const Sample& sample) const { return predict(sample.values); }

  const std::vector<Factor>& factors() const { return factors_; }
  const std::vector<TreeNode>& nodes() const { return nodes_; }
  const TreeNode& root() const { return nodes_.front(); }
  int depth() const;       // longest root-to-leaf path in edges (0: a single leaf)
  int leaf_count() const;

  // Per factor, the SSE decrease of the splits on it, summed over the tree and
  // normalised to sum 1. A single-leaf tree explains nothing: all zeros.
  std::vector<double> importance() const;
  // Unnormalised: the SSE decreases themselves.
  std::vector<double> sse_decrease() const;

  // {"factors": [{"name","categorical"}], "nodes": [{...}], "importance": {name: x}}.
  nlohmann::json to_json() const;
  // Reads to_json()'s output back (importance is recomputed, not read).
  static RegressionTree from_json(const nlohmann::json& json);
  // Indented like sklearn's export_text:
  //   |--- backend in {tfjs-cpu}
  //   |   |--- value: 4.2 (n=12, sse=0.031)
  std::string to_text() const;
  // The same with leaf values shown by value_text (e.g. a log ratio as "12.3x").
  std::string to_text(const std::function<std::string(double)>& value_text) const;

 private:
  std::vector<Factor> factors_;
  std::vector<TreeNode> nodes_;
};

}  // namespace gapscope
