#include "core/analysis/regression_tree.h"

#include <functional>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "core/base/terminal_text.h"

namespace gapscope {

namespace {

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument("regression tree: " + message);
}

std::string number_text(double x) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", x);
  return buffer;
}

// Values must match the factors one to one, in kind, and numbers be finite:
// a NaN would silently fall to the right of every threshold.
void check_values(const std::vector<Factor>& factors, const std::vector<FactorValue>& values,
                  const std::string& where) {
  if (values.size() != factors.size()) {
    std::string names;
    for (const Factor& f : factors) names += (names.empty() ? "" : ", ") + f.name;
    fail(where + " has " + std::to_string(values.size()) + " values for " +
         std::to_string(factors.size()) + " factors (" + names + ")");
  }
  for (size_t f = 0; f < factors.size(); ++f) {
    const std::string& name = factors[f].name;
    if (factors[f].categorical) {
      if (!std::holds_alternative<std::string>(values[f]))
        fail(where + ": factor '" + name + "' is categorical but its value is a number");
    } else {
      if (!std::holds_alternative<double>(values[f]))
        fail(where + ": factor '" + name + "' is numeric but its value is a string");
      if (!std::isfinite(std::get<double>(values[f])))
        fail(where + ": factor '" + name + "' has a non-finite value (" +
             number_text(std::get<double>(values[f])) + ")");
    }
  }
}

struct Moments {
  double mean = 0, sse = 0;
};

// Two passes: the SSE stays accurate when targets share a large offset.
Moments moments(const std::vector<double>& y, const std::vector<size_t>& rows) {
  Moments m;
  for (size_t r : rows) m.mean += y[r];
  m.mean /= static_cast<double>(rows.size());
  for (size_t r : rows) m.sse += (y[r] - m.mean) * (y[r] - m.mean);
  return m;
}

// A factor's column: numbers, or level codes into sorted level names (so
// "level order" is alphabetical and independent of the order of samples).
struct Column {
  std::vector<double> numbers;
  std::vector<int> codes;
  std::vector<std::string> levels;
};

struct Split {
  bool found = false;
  int factor = -1;
  double threshold = 0;
  std::vector<int> left_codes;
  double gain = 0;  // SSE decrease, from sums: for choosing only
};

class Builder {
 public:
  Builder(const std::vector<Factor>& factors, const std::vector<Sample>& samples,
          const TreeOptions& options, int max_depth)
      : factors_(factors), options_(options), max_depth_(max_depth),
        n_total_(static_cast<double>(samples.size())) {
    columns_.resize(factors.size());
    for (size_t f = 0; f < factors.size(); ++f) {
      Column& column = columns_[f];
      if (factors[f].categorical) {
        std::set<std::string> levels;
        for (const Sample& s : samples) levels.insert(std::get<std::string>(s.values[f]));
        column.levels.assign(levels.begin(), levels.end());
        for (const Sample& s : samples) {
          const std::string& level = std::get<std::string>(s.values[f]);
          column.codes.push_back(static_cast<int>(
              std::lower_bound(column.levels.begin(), column.levels.end(), level) -
              column.levels.begin()));
        }
      } else {
        for (const Sample& s : samples) column.numbers.push_back(std::get<double>(s.values[f]));
      }
    }
    for (const Sample& s : samples) y_.push_back(s.target);
  }

  std::vector<TreeNode> build() {
    std::vector<size_t> rows(y_.size());
    std::iota(rows.begin(), rows.end(), size_t{0});
    grow(rows, 0);
    return std::move(nodes_);
  }

 private:
  int grow(const std::vector<size_t>& rows, int depth) {
    Moments m = moments(y_, rows);
    int id = static_cast<int>(nodes_.size());
    TreeNode node;
    node.value = m.mean;
    node.n = static_cast<int64_t>(rows.size());
    node.sse = m.sse;
    node.depth = depth;
    nodes_.push_back(node);

    auto [lo, hi] = std::minmax_element(rows.begin(), rows.end(),
                                        [&](size_t a, size_t b) { return y_[a] < y_[b]; });
    bool pure = y_[*lo] == y_[*hi];
    if (pure || depth >= max_depth_ ||
        static_cast<int64_t>(rows.size()) < 2 * options_.min_samples_leaf)
      return id;

    Split best = best_split(rows, m);
    if (!best.found) return id;

    std::vector<size_t> left_rows, right_rows;
    for (size_t r : rows) (goes_left(best, r) ? left_rows : right_rows).push_back(r);
    double decrease = m.sse - moments(y_, left_rows).sse - moments(y_, right_rows).sse;
    if (std::max(decrease, 0.0) / n_total_ < options_.min_impurity_decrease) return id;

    nodes_[id].factor = best.factor;
    if (factors_[best.factor].categorical) {
      std::vector<int> codes = best.left_codes;
      std::sort(codes.begin(), codes.end());
      for (int c : codes) nodes_[id].left_levels.push_back(columns_[best.factor].levels[c]);
    } else {
      nodes_[id].threshold = best.threshold;
    }
    int left = grow(left_rows, depth + 1);
    int right = grow(right_rows, depth + 1);
    nodes_[id].left = left;
    nodes_[id].right = right;
    return id;
  }

  bool goes_left(const Split& split, size_t row) const {
    const Column& column = columns_[split.factor];
    if (!factors_[split.factor].categorical) return column.numbers[row] <= split.threshold;
    return std::find(split.left_codes.begin(), split.left_codes.end(), column.codes[row]) !=
           split.left_codes.end();
  }

  // Gains come from sums of centred targets: sl²/nl + sr²/nr - s²/n. A later
  // candidate must beat the best by more than rounding to replace it, so
  // equally good splits go to the earlier one, whatever the last bits say.
  Split best_split(const std::vector<size_t>& rows, const Moments& m) const {
    double tolerance = 1e-12 * m.sse;
    double n = static_cast<double>(rows.size());
    double total = 0;
    for (size_t r : rows) total += y_[r] - m.mean;
    double base = total * total / n;
    int64_t min_leaf = options_.min_samples_leaf;

    Split best;
    auto offer = [&](int factor, double gain, double threshold, std::vector<int> left_codes) {
      if (best.found && !(gain > best.gain + tolerance)) return;
      best = Split{true, factor, threshold, std::move(left_codes), gain};
    };

    for (size_t f = 0; f < factors_.size(); ++f) {
      const Column& column = columns_[f];
      if (!factors_[f].categorical) {
        std::vector<size_t> order = rows;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
          if (column.numbers[a] != column.numbers[b]) return column.numbers[a] < column.numbers[b];
          return a < b;
        });
        double left_sum = 0;
        for (size_t i = 0; i + 1 < order.size(); ++i) {
          left_sum += y_[order[i]] - m.mean;
          double a = column.numbers[order[i]], b = column.numbers[order[i + 1]];
          int64_t n_left = static_cast<int64_t>(i + 1);
          int64_t n_right = static_cast<int64_t>(order.size()) - n_left;
          if (a == b || n_left < min_leaf || n_right < min_leaf) continue;
          double right_sum = total - left_sum;
          double gain = left_sum * left_sum / static_cast<double>(n_left) +
                        right_sum * right_sum / static_cast<double>(n_right) - base;
          // The midpoint can round up to b when a and b are adjacent doubles.
          double threshold = a + (b - a) / 2;
          if (!(threshold < b)) threshold = a;
          offer(static_cast<int>(f), gain, threshold, {});
        }
      } else {
        size_t level_count = column.levels.size();
        std::vector<double> sums(level_count, 0);
        std::vector<int64_t> counts(level_count, 0);
        for (size_t r : rows) {
          sums[column.codes[r]] += y_[r] - m.mean;
          counts[column.codes[r]] += 1;
        }
        std::vector<int> present;
        for (size_t c = 0; c < level_count; ++c)
          if (counts[c] > 0) present.push_back(static_cast<int>(c));
        // Breiman: ordered by mean target, the best partition is a prefix.
        std::sort(present.begin(), present.end(), [&](int a, int b) {
          double mean_a = sums[a] / static_cast<double>(counts[a]);
          double mean_b = sums[b] / static_cast<double>(counts[b]);
          if (mean_a != mean_b) return mean_a < mean_b;
          return a < b;
        });
        double left_sum = 0;
        int64_t n_left = 0;
        for (size_t k = 0; k + 1 < present.size(); ++k) {
          left_sum += sums[present[k]];
          n_left += counts[present[k]];
          int64_t n_right = static_cast<int64_t>(rows.size()) - n_left;
          if (n_left < min_leaf || n_right < min_leaf) continue;
          double right_sum = total - left_sum;
          double gain = left_sum * left_sum / static_cast<double>(n_left) +
                        right_sum * right_sum / static_cast<double>(n_right) - base;
          offer(static_cast<int>(f), gain, 0,
                std::vector<int>(present.begin(), present.begin() + static_cast<long>(k) + 1));
        }
      }
    }
    return best;
  }

  const std::vector<Factor>& factors_;
  const TreeOptions& options_;
  int max_depth_;
  double n_total_;
  std::vector<Column> columns_;
  std::vector<double> y_;
  std::vector<TreeNode> nodes_;
};

void check_factors(const std::vector<Factor>& factors) {
  if (factors.empty()) fail("no factors");
  std::set<std::string> names;
  for (const Factor& f : factors) {
    if (f.name.empty()) fail("a factor has an empty name");
    if (!names.insert(f.name).second) fail("factor '" + f.name + "' is listed twice");
  }
}

}  // namespace

RegressionTree RegressionTree::fit(std::vector<Factor> factors, const std::vector<Sample>& samples,
                                   const TreeOptions& options) {
  check_factors(factors);
  if (samples.empty()) fail("no samples");
  int max_depth = options.max_depth.value_or(static_cast<int>(factors.size()));
  if (max_depth < 0) fail("max_depth is " + std::to_string(max_depth) + ", must be >= 0");
  if (options.min_samples_leaf < 1)
    fail("min_samples_leaf is " + std::to_string(options.min_samples_leaf) + ", must be >= 1");
  if (!std::isfinite(options.min_impurity_decrease) || options.min_impurity_decrease < 0)
    fail("min_impurity_decrease is " + number_text(options.min_impurity_decrease) +
         ", must be finite and >= 0");
  for (size_t i = 0; i < samples.size(); ++i) {
    std::string where = "sample " + std::to_string(i);
    check_values(factors, samples[i].values, where);
    if (!std::isfinite(samples[i].target))
      fail(where + ": target is not finite (" + number_text(samples[i].target) + ")");
  }

  RegressionTree tree;
  tree.nodes_ = Builder(factors, samples, options, max_depth).build();
  tree.factors_ = std::move(factors);
  return tree;
}

double RegressionTree::predict(const std::vector<FactorValue>& values) const {
  check_values(factors_, values, "the sample to predict");
  const TreeNode* node = &nodes_.front();
  while (!node->is_leaf()) {
    const FactorValue& v = values[node->factor];
    bool left = factors_[node->factor].categorical
                    ? std::find(node->left_levels.begin(), node->left_levels.end(),
                                std::get<std::string>(v)) != node->left_levels.end()
                    : std::get<double>(v) <= node->threshold;
    node = &nodes_[left ? node->left : node->right];
  }
  return node->value;
}

int RegressionTree::depth() const {
  int deepest = 0;
  for (const TreeNode& node : nodes_) deepest = std::max(deepest, node.depth);
  return deepest;
}

int RegressionTree::leaf_count() const {
  return static_cast<int>(std::count_if(nodes_.begin(), nodes_.end(),
                                        [](const TreeNode& node) { return node.is_leaf(); }));
}

std::vector<double> RegressionTree::sse_decrease() const {
  std::vector<double> decrease(factors_.size(), 0);
  for (const TreeNode& node : nodes_) {
    if (node.is_leaf()) continue;
    double d = node.sse - nodes_[node.left].sse - nodes_[node.right].sse;
    decrease[node.factor] += std::max(d, 0.0);
  }
  return decrease;
}

std::vector<double> RegressionTree::importance() const {
  std::vector<double> share = sse_decrease();
  double total = std::accumulate(share.begin(), share.end(), 0.0);
  if (total <= 0) return std::vector<double>(factors_.size(), 0);
  for (double& s : share) s /= total;
  return share;
}

nlohmann::json RegressionTree::to_json() const {
  nlohmann::json factors = nlohmann::json::array();
  for (const Factor& f : factors_) factors.push_back({{"name", f.name}, {"categorical", f.categorical}});
  nlohmann::json nodes = nlohmann::json::array();
  for (const TreeNode& node : nodes_) {
    nlohmann::json j = {{"n", node.n}, {"value", node.value}, {"sse", node.sse}, {"depth", node.depth}};
    if (!node.is_leaf()) {
      j["factor"] = factors_[node.factor].name;
      if (factors_[node.factor].categorical)
        j["left_levels"] = node.left_levels;
      else
        j["threshold"] = node.threshold;
      j["left"] = node.left;
      j["right"] = node.right;
    }
    nodes.push_back(std::move(j));
  }
  nlohmann::json importance = nlohmann::json::object();
  std::vector<double> shares = this->importance();
  for (size_t f = 0; f < factors_.size(); ++f) importance[factors_[f].name] = shares[f];
  return {{"factors", factors}, {"nodes", nodes}, {"importance", importance}};
}

RegressionTree RegressionTree::from_json(const nlohmann::json& json) {
  RegressionTree tree;
  try {
    for (const nlohmann::json& f : json.at("factors"))
      tree.factors_.push_back({f.at("name").get<std::string>(), f.at("categorical").get<bool>()});
    check_factors(tree.factors_);
    std::map<std::string, int> index;
    for (size_t f = 0; f < tree.factors_.size(); ++f) index[tree.factors_[f].name] = static_cast<int>(f);
    const nlohmann::json& nodes = json.at("nodes");
    int count = static_cast<int>(nodes.size());
    if (count == 0) fail("no nodes");
    for (int i = 0; i < count; ++i) {
      const nlohmann::json& j = nodes[i];
      TreeNode node;
      node.n = j.at("n").get<int64_t>();
      node.value = j.at("value").get<double>();
      node.sse = j.at("sse").get<double>();
      node.depth = j.at("depth").get<int>();
      if (j.contains("factor")) {
        std::string name = j.at("factor").get<std::string>();
        auto it = index.find(name);
        if (it == index.end()) fail("node " + std::to_string(i) + " splits on unknown factor '" + name + "'");
        node.factor = it->second;
        if (tree.factors_[node.factor].categorical)
          node.left_levels = j.at("left_levels").get<std::vector<std::string>>();
        else
          node.threshold = j.at("threshold").get<double>();
        node.left = j.at("left").get<int>();
        node.right = j.at("right").get<int>();
        // Pre-order: children come after their parent, so walks always end.
        for (int child : {node.left, node.right})
          if (child <= i || child >= count)
            fail("node " + std::to_string(i) + " has child " + std::to_string(child) +
                 " outside " + std::to_string(i + 1) + ".." + std::to_string(count - 1));
      }
      tree.nodes_.push_back(std::move(node));
    }
  } catch (const nlohmann::json::exception& e) {
    fail(std::string("bad JSON: ") + e.what());
  }
  return tree;
}

namespace {

void render(const RegressionTree& tree, int id, int indent, const std::function<std::string(double)>& value_text,
            std::string& out) {
  const TreeNode& node = tree.nodes()[id];
  std::string prefix;
  for (int i = 0; i < indent; ++i) prefix += "|   ";
  prefix += "|--- ";
  if (node.is_leaf()) {
    out += prefix + "value: " + value_text(node.value) + " (n=" + std::to_string(node.n) +
           ", sse=" + number_text(node.sse) + ")\n";
    return;
  }
  const Factor& factor = tree.factors()[node.factor];
  std::string left_test, right_test;
  if (factor.categorical) {
    std::string levels;
    // Levels are stored names (backends, tasks): text for a terminal.
    for (const std::string& level : node.left_levels) levels += (levels.empty() ? "" : ", ") + printable(level);
    left_test = factor.name + " in {" + levels + "}";
    right_test = factor.name + " not in {" + levels + "}";
  } else {
    left_test = factor.name + " <= " + number_text(node.threshold);
    right_test = factor.name + " >  " + number_text(node.threshold);
  }
  out += prefix + left_test + "\n";
  render(tree, node.left, indent + 1, value_text, out);
  out += prefix + right_test + "\n";
  render(tree, node.right, indent + 1, value_text, out);
}

}  // namespace

std::string RegressionTree::to_text() const { return to_text(number_text); }

std::string RegressionTree::to_text(const std::function<std::string(double)>& value_text) const {
  std::string out;
  render(*this, 0, 0, value_text, out);
  return out;
}

}  // namespace gapscope
