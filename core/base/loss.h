// Losses with TF.js/Keras names; every loss is averaged over the batch.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

enum class Loss {
  categorical_crossentropy,         // target: one-hot [B, C]; output: probabilities
  sparse_categorical_crossentropy,  // target: class index [B, 1] stored as float
  binary_crossentropy,              // target in [0,1], output: probabilities
  mean_squared_error
};

std::string_view loss_name(Loss l);
std::optional<Loss> parse_loss(std::string_view name);
const std::vector<Loss>& all_losses();

// TF.js clips probabilities to [eps, 1-eps] before taking logs (backend epsilon).
inline constexpr float kLossEpsilon = 1e-7f;

}  // namespace gapscope
