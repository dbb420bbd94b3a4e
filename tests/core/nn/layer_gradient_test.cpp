// Finite-difference gradient checks for every layer: L = sum(r * layer(x)) for a
// fixed random r, so dL/dy = r; backward must give dL/dx and dL/dparams.
#include "tests/core/nn/gradient_check.h"

namespace gapscope {
using testing::gradient_check;

TEST_CASE("dense layer gradients match finite differences for every activation", "[layer][gradient]") {
  for (Activation act : all_activations()) {
    if (act == Activation::relu6 || act == Activation::hard_sigmoid) continue;  // kinks: below
    INFO("activation " << activation_name(act));
    LayerSpec spec;
    spec.type = "dense";
    spec.units = 7;
    spec.activation = act;
    gradient_check(spec, 3, {5}, 11);
  }
}

TEST_CASE("dense layer without bias, odd sizes, batch 1", "[layer][gradient]") {
  LayerSpec spec;
  spec.type = "dense";
  spec.units = 1;
  spec.use_bias = false;
  spec.activation = Activation::tanh;
  gradient_check(spec, 1, {13}, 5);
}

TEST_CASE("activation layer gradients, piecewise activations away from kinks", "[layer][gradient]") {
  // Inputs in [-2, 2] avoid relu6's kink at 6; hard_sigmoid's edges are at
  // +-2.5; the step h=1e-2 crosses relu's kink only with probability ~1%.
  for (Activation act : all_activations()) {
    INFO("activation " << activation_name(act));
    LayerSpec spec;
    spec.type = "activation";
    spec.activation = act;
    gradient_check(spec, 4, {6}, 21);
  }
}

TEST_CASE("dropout layer gradient uses the forward mask", "[layer][gradient]") {
  LayerSpec spec;
  spec.type = "dropout";
  spec.rate = 0.4f;
  gradient_check(spec, 5, {9}, 31);
}

}  // namespace gapscope
