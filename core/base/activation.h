// Activation functions with TF.js layers names and formulas.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

enum class Activation {
  linear, elu, hard_sigmoid, relu, relu6, selu, sigmoid, softmax,
  softplus, softsign, tanh, swish, mish, gelu
};

std::string_view activation_name(Activation a);
std::optional<Activation> parse_activation(std::string_view name);
const std::vector<Activation>& all_activations();

// Element-wise forms (every activation except softmax, which spans a row).
// y = f(x); the derivative is expressed through x (and y where cheaper).
float activation_value(Activation a, float x);
float activation_derivative(Activation a, float x, float y);

}  // namespace gapscope
