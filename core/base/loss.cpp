// Loss names. The math lives in the ops backends (loss_forward_backward).
#include "core/base/loss.h"
#include "core/base/enum_names.h"

#include <stdexcept>
#include <string>

namespace gapscope {
namespace {

constexpr EnumName<Loss> kNames[] = {
    {Loss::categorical_crossentropy, "categorical_crossentropy"},
    {Loss::sparse_categorical_crossentropy, "sparse_categorical_crossentropy"},
    {Loss::binary_crossentropy, "binary_crossentropy"},
    {Loss::mean_squared_error, "mean_squared_error"},
};

}  // namespace

std::string_view loss_name(Loss l) { return name_of<Loss>(kNames, l, "loss"); }

std::optional<Loss> parse_loss(std::string_view name) {
  if (fold_name(name) == "mse") return Loss::mean_squared_error;  // tfjs-layers alias
  return parse_name<Loss>(kNames, name);
}

const std::vector<Loss>& all_losses() {
  static const std::vector<Loss> all = all_values<Loss>(kNames);
  return all;
}

}  // namespace gapscope
