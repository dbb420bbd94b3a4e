// Finite-difference gradient checks for layers: L = sum(r * layer(x)) for a
// fixed random r, so dL/dy = r; backward must give dL/dx and dL/dparams.
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <functional>
#include <string>
#include <vector>

#include "core/nn/layer.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/layer_spec_json.h"

namespace gapscope::testing {

inline std::vector<float> host(OpsBackend& ops, const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.size()));
  ops.download(t, v);
  return v;
}

inline double weighted_sum(OpsBackend& ops, Layer& layer, const Tensor& x, const std::vector<float>& r,
                    const ForwardContext& ctx) {
  std::vector<float> y = host(ops, layer.forward(ops, x, ctx));
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y[i]) * r[i];
  return s;
}

// Central differences on every element of `t` (x or a parameter) against `analytic`.
inline void check_against_numeric(OpsBackend& ops, Layer& layer, const Tensor& x, Tensor t,
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

// Builds the layer for per-sample input shape `in`, draws weights in
// [-weight_limit, weight_limit] and x in [x_low, x_high], and checks dx (unless !check_dx) and every
// trainable parameter's gradient. prepare_x, if given, may change the drawn x
// (e.g. to keep max pooling away from ties).
inline void gradient_check(LayerSpec spec, int64_t batch, const Shape& in, uint64_t seed,
                           float x_low = -2.0f, float x_high = 2.0f, bool check_dx = true,
                           const std::function<void(std::vector<float>&)>& prepare_x = {},
                           float weight_limit = 0.8f) {
  CpuBackend ops(1);
  if (spec.name.empty()) spec.name = spec.type + "_1";
  auto layer = make_layer(spec, in, ops);
  layer->reserve(ops, batch);
  Rng rng(seed);
  // Weights drawn so that pre-activations spread over the interesting range.
  for (Parameter* p : layer->parameters()) {
    std::vector<float> w(static_cast<size_t>(p->value.size()));
    for (float& v : w) v = rng.uniform(-weight_limit, weight_limit);
    ops.upload(p->value, w);
  }
  Tensor x = ops.allocate([&] {
    Shape s{batch};
    s.insert(s.end(), in.begin(), in.end());
    return s;
  }());
  std::vector<float> xv(static_cast<size_t>(x.size()));
  for (float& v : xv) v = rng.uniform(x_low, x_high);
  if (prepare_x) prepare_x(xv);
  ops.upload(x, xv);
  std::vector<float> r(static_cast<size_t>(batch * element_count(layer->output_shape())));
  for (float& v : r) v = rng.uniform(-1.0f, 1.0f);
  Shape dy_shape{batch};
  dy_shape.insert(dy_shape.end(), layer->output_shape().begin(), layer->output_shape().end());
  Tensor dy = ops.allocate(dy_shape);
  ops.upload(dy, r);

  ForwardContext ctx{true, 1234};
  layer->forward(ops, x, ctx);
  Tensor dx_view = layer->backward(ops, x, dy, check_dx);
  std::vector<float> dx = check_dx ? host(ops, dx_view) : std::vector<float>{};
  std::vector<Parameter*> params;
  std::vector<std::vector<float>> grads;
  for (Parameter* p : layer->parameters())
    if (p->trainable) {
      params.push_back(p);
      grads.push_back(host(ops, p->grad));
    }

  if (check_dx) check_against_numeric(ops, *layer, x, x, dx, r, ctx, spec.name + " dx");
  for (size_t i = 0; i < params.size(); ++i)
    check_against_numeric(ops, *layer, x, params[i]->value, grads[i], r, ctx, params[i]->name);
}

// The forward output of `spec` (named <type>_1, its list fields completed) for
// one sample x of shape `in`, on the CPU with its weights as built.
inline std::vector<float> forward_one(LayerSpec spec, const Shape& in, const std::vector<float>& x) {
  CpuBackend ops(1);
  spec.name = spec.type + "_1";
  complete_layer_defaults(spec);
  auto layer = make_layer(spec, in, ops);
  layer->reserve(ops, 1);
  Shape batched{1};
  batched.insert(batched.end(), in.begin(), in.end());
  Tensor t = ops.allocate(batched);
  ops.upload(t, x);
  return host(ops, layer->forward(ops, t, {}));
}

// Replaces x by a shuffled ramp with steps of 0.05: no two taps of a max
// window are within the finite-difference step (1e-2) of each other.
inline void distinct_values(std::vector<float>& x) {
  std::vector<float> ramp(x.size());
  for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = 0.05f * static_cast<float>(i) - 2.0f;
  // Shuffle by the drawn values' order, so the seed still decides the layout.
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  for (size_t i = 0; i < order.size(); ++i) x[order[i]] = ramp[i];
}

}  // namespace gapscope::testing
