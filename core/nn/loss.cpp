// Loss names. The math lives in the ops backends (loss_forward_backward).
#include "core/nn/loss.h"

#include <cctype>
#include <stdexcept>
#include <string>

namespace gapscope {
namespace {

struct NamedLoss {
  Loss loss;
  std::string_view name;
};

constexpr NamedLoss kNames[] = {
    {Loss::categorical_crossentropy, "categorical_crossentropy"},
    {Loss::sparse_categorical_crossentropy, "sparse_categorical_crossentropy"},
    {Loss::binary_crossentropy, "binary_crossentropy"},
    {Loss::mean_squared_error, "mean_squared_error"},
};

// TF.js names losses in camelCase ("categoricalCrossentropy"), Keras in
// snake_case: compare ignoring case and underscores.
std::string folded(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string_view loss_name(Loss l) {
  for (const auto& n : kNames)
    if (n.loss == l) return n.name;
  throw std::invalid_argument("loss_name: unknown loss " + std::to_string(static_cast<int>(l)));
}

std::optional<Loss> parse_loss(std::string_view name) {
  std::string key = folded(name);
  if (key == "mse") return Loss::mean_squared_error;  // tfjs-layers alias
  for (const auto& n : kNames)
    if (!key.empty() && key == folded(n.name)) return n.loss;
  return std::nullopt;
}

const std::vector<Loss>& all_losses() {
  static const std::vector<Loss> all = [] {
    std::vector<Loss> v;
    for (const auto& n : kNames) v.push_back(n.loss);
    return v;
  }();
  return all;
}

}  // namespace gapscope
