// LSTM and GRU forward against scalar loops written straight from TF.js's
// LSTMCell/GRUCell (recurrent.js): pins the gate orders (i, f, c, o; z, r, h),
// GRU's reset_after = false form (r applied before the recurrent matmul), the
// zero initial state, the weight names and shapes, and unit_forget_bias.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/nn/layer.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {
namespace {

struct Case {
  int64_t batch = 2, steps = 4, features = 3, units = 5;
};

// Row-major [rows, cols] weight element.
float at(const std::vector<float>& w, int64_t cols, int64_t r, int64_t c) {
  return w[r * cols + c];
}

// y [B, T, u]: the reference for return_sequences = true.
std::vector<float> lstm_reference(const Case& k, Activation rec, Activation act,
                                  const std::vector<float>& x, const std::vector<float>& W,
                                  const std::vector<float>& U, const std::vector<float>& b) {
  const int64_t u = k.units, G = 4 * u;
  std::vector<float> y(k.batch * k.steps * u);
  for (int64_t s = 0; s < k.batch; ++s) {
    std::vector<double> h(u, 0.0), c(u, 0.0);
    for (int64_t t = 0; t < k.steps; ++t) {
      std::vector<double> z(G);
      for (int64_t j = 0; j < G; ++j) {
        double v = b[j];
        for (int64_t f = 0; f < k.features; ++f)
          v += x[(s * k.steps + t) * k.features + f] * at(W, G, f, j);
        for (int64_t q = 0; q < u; ++q) v += h[q] * at(U, G, q, j);
        z[j] = v;
      }
      for (int64_t j = 0; j < u; ++j) {
        double i = activation_value(rec, static_cast<float>(z[j]));
        double f = activation_value(rec, static_cast<float>(z[u + j]));
        double cc = activation_value(act, static_cast<float>(z[2 * u + j]));
        double o = activation_value(rec, static_cast<float>(z[3 * u + j]));
        c[j] = f * c[j] + i * cc;
        h[j] = o * activation_value(act, static_cast<float>(c[j]));
        y[(s * k.steps + t) * u + j] = static_cast<float>(h[j]);
      }
    }
  }
  return y;
}

std::vector<float> gru_reference(const Case& k, Activation rec, Activation act,
                                 const std::vector<float>& x, const std::vector<float>& W,
                                 const std::vector<float>& U, const std::vector<float>& b) {
  const int64_t u = k.units, G = 3 * u;
  std::vector<float> y(k.batch * k.steps * u);
  for (int64_t s = 0; s < k.batch; ++s) {
    std::vector<double> h(u, 0.0);
    for (int64_t t = 0; t < k.steps; ++t) {
      std::vector<double> mx(G);  // matrixX = x W + b
      for (int64_t j = 0; j < G; ++j) {
        double v = b[j];
        for (int64_t f = 0; f < k.features; ++f)
          v += x[(s * k.steps + t) * k.features + f] * at(W, G, f, j);
        mx[j] = v;
      }
      std::vector<double> z(u), r(u), rh(u), hh(u);
      for (int64_t j = 0; j < u; ++j) {
        double inner_z = 0, inner_r = 0;  // matrixInner = h rk1, rk1 = U[:, :2u]
        for (int64_t q = 0; q < u; ++q) {
          inner_z += h[q] * at(U, G, q, j);
          inner_r += h[q] * at(U, G, q, u + j);
        }
        z[j] = activation_value(rec, static_cast<float>(mx[j] + inner_z));
        r[j] = activation_value(rec, static_cast<float>(mx[u + j] + inner_r));
      }
      for (int64_t q = 0; q < u; ++q) rh[q] = r[q] * h[q];
      for (int64_t j = 0; j < u; ++j) {
        double recurrent_h = 0;  // (r * h) rk2, rk2 = U[:, 2u:]
        for (int64_t q = 0; q < u; ++q) recurrent_h += rh[q] * at(U, G, q, 2 * u + j);
        hh[j] = activation_value(act, static_cast<float>(mx[2 * u + j] + recurrent_h));
      }
      for (int64_t j = 0; j < u; ++j) {
        h[j] = z[j] * h[j] + (1 - z[j]) * hh[j];
        y[(s * k.steps + t) * u + j] = static_cast<float>(h[j]);
      }
    }
  }
  return y;
}

std::vector<float> random_values(Rng& rng, int64_t n, float limit) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = rng.uniform(-limit, limit);
  return v;
}

// Runs the layer (return_sequences on and off) with random weights and
// compares it with the reference.
template <typename Reference>
void check_against_reference(const char* type, int gates, Activation rec, Activation act,
                             const Reference& reference) {
  Case k;
  CpuBackend ops(1);
  Rng rng(7);
  const int64_t G = gates * k.units;
  std::vector<float> x = random_values(rng, k.batch * k.steps * k.features, 1.5f);
  std::vector<float> W = random_values(rng, k.features * G, 1.0f);
  std::vector<float> U = random_values(rng, k.units * G, 1.0f);
  std::vector<float> b = random_values(rng, G, 0.5f);
  std::vector<float> expected = reference(k, rec, act, x, W, U, b);
  for (bool sequences : {true, false}) {
    INFO(type << (sequences ? " return_sequences" : " last step") << ", recurrent "
              << activation_name(rec));
    LayerSpec spec;
    spec.type = type;
    spec.name = std::string(type) + "_1";
    spec.units = k.units;
    spec.activation = act;
    spec.recurrent_activation = rec;
    spec.return_sequences = sequences;
    auto layer = make_layer(spec, {k.steps, k.features}, ops);
    std::vector<Parameter*> params = layer->parameters();
    REQUIRE(params.size() == 3);
    CHECK(params[0]->name == spec.name + "/kernel");
    CHECK(params[0]->value.shape() == Shape{k.features, G});
    CHECK(params[1]->name == spec.name + "/recurrent_kernel");
    CHECK(params[1]->value.shape() == Shape{k.units, G});
    CHECK(params[2]->name == spec.name + "/bias");
    CHECK(params[2]->value.shape() == Shape{G});
    ops.upload(params[0]->value, W);
    ops.upload(params[1]->value, U);
    ops.upload(params[2]->value, b);
    layer->reserve(ops, k.batch);
    Tensor xt = ops.allocate({k.batch, k.steps, k.features});
    ops.upload(xt, x);
    Tensor y = layer->forward(ops, xt, ForwardContext{});
    std::vector<float> got(static_cast<size_t>(y.size()));
    ops.download(y, got);
    if (sequences) {
      REQUIRE(y.shape() == Shape{k.batch, k.steps, k.units});
      for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(2e-5));
    } else {
      REQUIRE(y.shape() == Shape{k.batch, k.units});
      for (int64_t s = 0; s < k.batch; ++s)
        for (int64_t j = 0; j < k.units; ++j)
          CHECK(got[s * k.units + j] ==
                Approx(expected[(s * k.steps + k.steps - 1) * k.units + j]).margin(2e-5));
    }
  }
}

}  // namespace

TEST_CASE("lstm forward equals TF.js's LSTMCell equations", "[layer][rnn][reference]") {
  for (Activation rec : {Activation::hard_sigmoid, Activation::sigmoid})
    check_against_reference("lstm", 4, rec, Activation::tanh, lstm_reference);
}

TEST_CASE("gru forward equals TF.js's GRUCell equations (reset_after false)",
          "[layer][rnn][reference]") {
  for (Activation rec : {Activation::hard_sigmoid, Activation::sigmoid})
    check_against_reference("gru", 3, rec, Activation::tanh, gru_reference);
}

TEST_CASE("recurrent layers honour the spec's activations", "[layer][rnn][reference]") {
  check_against_reference("lstm", 4, Activation::sigmoid, Activation::relu, lstm_reference);
  check_against_reference("gru", 3, Activation::hard_sigmoid, Activation::softsign, gru_reference);
}

TEST_CASE("lstm initial weights: fans, orthogonal recurrent kernel, unit_forget_bias",
          "[layer][rnn][init]") {
  CpuBackend ops(1);
  LayerSpec spec;
  spec.type = "lstm";
  spec.name = "lstm_1";
  spec.units = 6;
  spec.bias_initializer = Initializer::zeros;
  for (bool forget_bias : {true, false}) {
    spec.unit_forget_bias = forget_bias;
    auto layer = make_layer(spec, {3, 10}, ops);
    Rng rng(3);
    layer->initialize(ops, rng);
    std::vector<Parameter*> p = layer->parameters();
    std::vector<float> W(p[0]->value.size()), U(p[1]->value.size()), b(p[2]->value.size());
    ops.download(p[0]->value, W);
    ops.download(p[1]->value, U);
    ops.download(p[2]->value, b);
    // glorot_uniform with fan_in 10, fan_out 24.
    const float limit = std::sqrt(6.0f / (10 + 24));
    for (float w : W) CHECK(std::fabs(w) <= limit);
    // orthogonal [6, 24]: rows are orthonormal.
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) {
        double dot = 0;
        for (int c = 0; c < 24; ++c) dot += U[i * 24 + c] * U[j * 24 + c];
        CHECK(dot == Approx(i == j ? 1.0 : 0.0).margin(1e-4));
      }
    for (int j = 0; j < 24; ++j) CHECK(b[j] == (forget_bias && j >= 6 && j < 12 ? 1.0f : 0.0f));
  }
}

TEST_CASE("embedding forward gathers rows, and bad ids name the id and the table size",
          "[layer][embedding]") {
  CpuBackend ops(1);
  LayerSpec spec;
  spec.type = "embedding";
  spec.name = "embedding_1";
  spec.input_dim = 4;
  spec.output_dim = 3;
  spec.kernel_initializer = Initializer::random_uniform;
  auto layer = make_layer(spec, Shape{2}, ops);
  REQUIRE(layer->output_shape() == Shape{2, 3});
  std::vector<Parameter*> p = layer->parameters();
  REQUIRE(p.size() == 1);
  CHECK(p[0]->name == "embedding_1/embeddings");
  Rng rng(1);
  layer->initialize(ops, rng);
  std::vector<float> table(12);
  ops.download(p[0]->value, table);
  for (float v : table) CHECK(std::fabs(v) <= 0.05f);
  layer->reserve(ops, 2);
  Tensor x = ops.allocate({2, 2});
  ops.upload(x, std::vector<float>{3, 0, 3, 1});
  Tensor y = layer->forward(ops, x, ForwardContext{});
  REQUIRE(y.shape() == Shape{2, 2, 3});
  std::vector<float> got(12);
  ops.download(y, got);
  const int ids[4] = {3, 0, 3, 1};
  for (int i = 0; i < 4; ++i)
    for (int d = 0; d < 3; ++d) CHECK(got[i * 3 + d] == table[ids[i] * 3 + d]);
  ops.upload(x, std::vector<float>{0, 4, 1, 1});
  CHECK_THROWS_WITH(layer->forward(ops, x, ForwardContext{}),
                    Catch::Contains("id 4") && Catch::Contains("4 rows"));
}

}  // namespace gapscope
