// Finite-difference gradient checks for every layer: L = sum(r * layer(x)) for a
// fixed random r, so dL/dy = r; backward must give dL/dx and dL/dparams.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/nn/layer.h"
#include "core/nn/random.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {
namespace {

std::vector<float> host(OpsBackend& ops, const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.size()));
  ops.download(t, v);
  return v;
}

double weighted_sum(OpsBackend& ops, Layer& layer, const Tensor& x, const std::vector<float>& r,
                    const ForwardContext& ctx) {
  std::vector<float> y = host(ops, layer.forward(ops, x, ctx));
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
  return s;
}

// Central differences on every element of `t` (x or a parameter) against `analytic`.
void check_against_numeric(OpsBackend& ops, Layer& layer, const Tensor& x, Tensor t,
                           const std::vector<float>& analytic, const std::vector<float>& r,
                           const ForwardContext& ctx, const std::string& what) {
  std::vector<float> values = host(ops, t);
  const float h = 1e-2f;
  double worst = 0, scale = 1e-3;
  for (size_t i = 0; i < values.size(); ++i) {
    float saved = values[i];
    values[i] = saved + h;
    ops.upload(t, values);
    double up = weighted_sum(ops, layer, x, r, ctx);
    values[i] = saved - h;
    ops.upload(t, values);
    double down = weighted_sum(ops, layer, x, r, ctx);
    values[i] = saved;
    ops.upload(t, values);
    double numeric = (up - down) / (2 * h);
    worst = std::max(worst, std::fabs(numeric - analytic[i]));
    scale = std::max(scale, std::fabs(numeric));
  }
  INFO(what << ": max abs error " << worst << " at scale " << scale);
  CHECK(worst / scale < 2e-3);
}

void gradient_check(LayerSpec spec, int64_t batch, int64_t in, uint64_t seed) {
  CpuBackend ops(1);
  if (spec.name.empty()) spec.name = spec.type + "_1";
  auto layer = make_layer(spec, {in}, ops);
  layer->reserve(ops, batch);
  Rng rng(seed);
  // Weights drawn so that pre-activations spread over the interesting range.
  for (Parameter* p : layer->parameters()) {
    std::vector<float> w(static_cast<size_t>(p->value.size()));
    for (float& v : w) v = rng.uniform(-0.8f, 0.8f);
    ops.upload(p->value, w);
  }
  Tensor x = ops.allocate({batch, in});
  std::vector<float> xv(static_cast<size_t>(batch * in));
  for (float& v : xv) v = rng.uniform(-2.0f, 2.0f);
  ops.upload(x, xv);
  std::vector<float> r(static_cast<size_t>(batch * element_count(layer->output_shape())));
  for (float& v : r) v = rng.uniform(-1.0f, 1.0f);
  Tensor dy = ops.allocate({batch, element_count(layer->output_shape())});
  ops.upload(dy, r);

  ForwardContext ctx{true, 1234};
  layer->forward(ops, x, ctx);
  std::vector<float> dx = host(ops, layer->backward(ops, x, dy, true));
  std::vector<std::vector<float>> grads;
  for (Parameter* p : layer->parameters()) grads.push_back(host(ops, p->grad));

  check_against_numeric(ops, *layer, x, x, dx, r, ctx, spec.name + " dx");
  auto params = layer->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    check_against_numeric(ops, *layer, x, params[i]->value, grads[i], r, ctx, params[i]->name);
}

}  // namespace

TEST_CASE("dense layer gradients match finite differences for every activation", "[layer][gradient]") {
  for (Activation act : all_activations()) {
    if (act == Activation::relu6 || act == Activation::hard_sigmoid) continue;  // kinks: below
    INFO("activation " << activation_name(act));
    LayerSpec spec;
    spec.type = "dense";
    spec.units = 7;
    spec.activation = act;
    gradient_check(spec, 3, 5, 11);
  }
}

TEST_CASE("dense layer without bias, odd sizes, batch 1", "[layer][gradient]") {
  LayerSpec spec;
  spec.type = "dense";
  spec.units = 1;
  spec.use_bias = false;
  spec.activation = Activation::tanh;
  gradient_check(spec, 1, 13, 5);
}

TEST_CASE("activation layer gradients, piecewise activations away from kinks", "[layer][gradient]") {
  // Inputs in [-2, 2] avoid relu6's kink at 6; hard_sigmoid's edges are at
  // +-2.5; the step h=1e-2 crosses relu's kink only with probability ~1%.
  for (Activation act : all_activations()) {
    INFO("activation " << activation_name(act));
    LayerSpec spec;
    spec.type = "activation";
    spec.activation = act;
    gradient_check(spec, 4, 6, 21);
  }
}

TEST_CASE("dropout layer gradient uses the forward mask", "[layer][gradient]") {
  LayerSpec spec;
  spec.type = "dropout";
  spec.rate = 0.4f;
  gradient_check(spec, 5, 9, 31);
}

}  // namespace gapscope
