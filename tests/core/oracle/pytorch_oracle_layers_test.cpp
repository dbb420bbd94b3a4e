// PyTorch as oracle for the CNN and RNN layers: conv2d (valid and TF 'same'
// padding, strides), max/average pooling, flatten, batch normalization,
// embedding, simple_rnn, lstm and gru, each in a small model with odd shapes.
// The same initial weights give the same inference outputs, loss, gradients of
// every trainable weight and weights after 5 optimizer steps (batch norm's
// moving statistics included) as PyTorch in float64, which converts the TF.js
// layouts (channels-last images, [kh, kw, in, out] kernels, i|f|c|o and z|r|h
// gate blocks) itself: see pytorch_oracle.py.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/nn/model.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"
#include "core/train/targets.h"
#include "tests/core/oracle/oracle_support.h"

namespace gapscope {
namespace {

using namespace oracle;
constexpr int kSteps = 5;

// --- layer builders (TF.js defaults unless stated) -----------------------------

LayerSpec conv2d(int64_t filters, std::vector<int64_t> kernel, std::vector<int64_t> strides,
                 Padding padding, Activation activation, bool use_bias = true) {
  LayerSpec l;
  l.use_bias = use_bias;
  l.type = "conv2d";
  l.filters = filters;
  l.kernel_size = std::move(kernel);
  l.strides = std::move(strides);
  l.padding = padding;
  l.activation = activation;
  return l;
}

LayerSpec pooling(const std::string& type, std::vector<int64_t> pool, Padding padding,
                  std::vector<int64_t> strides = {}) {
  LayerSpec l;
  l.type = type;
  l.pool_size = std::move(pool);
  l.strides = std::move(strides);  // empty: pool_size
  l.padding = padding;
  return l;
}

LayerSpec plain(const std::string& type) {
  LayerSpec l;
  l.type = type;
  return l;
}

LayerSpec activation_layer(Activation a) {
  LayerSpec l = plain("activation");
  l.activation = a;
  return l;
}

LayerSpec dense(int64_t units, Activation activation) {
  LayerSpec l = plain("dense");
  l.units = units;
  l.activation = activation;
  return l;
}

LayerSpec batch_norm(float momentum, float epsilon) {
  LayerSpec l = plain("batch_normalization");
  l.momentum = momentum;
  l.epsilon = epsilon;
  return l;
}

LayerSpec embedding(int64_t input_dim, int64_t output_dim) {
  LayerSpec l = plain("embedding");
  l.input_dim = input_dim;
  l.output_dim = output_dim;
  return l;
}

LayerSpec recurrent(const std::string& type, int64_t units, bool return_sequences,
                    Activation recurrent_activation = Activation::hard_sigmoid,
                    bool use_bias = true) {
  LayerSpec l = plain(type);
  l.units = units;
  l.activation = Activation::tanh;
  l.recurrent_activation = recurrent_activation;
  l.return_sequences = return_sequences;
  l.use_bias = use_bias;
  return l;
}

// --- cases -----------------------------------------------------------------------

enum class Inputs { normal, uniform, ids };

struct CaseDef {
  std::string what;
  Shape input_shape;
  std::vector<LayerSpec> layers;
  Loss loss;
  OptimizerKind optimizer;
  int64_t batch;
  Inputs inputs;
  int64_t vocabulary = 0;  // ids: [0, vocabulary)
};

std::vector<CaseDef> case_defs() {
  using A = Activation;
  using L = Loss;
  using O = OptimizerKind;
  const Padding valid = Padding::valid, same = Padding::same;
  return {
      {"conv2d valid 3x3 relu -> max_pooling2d 2 -> flatten -> dense softmax",
       {7, 6, 2},
       {conv2d(3, {3, 3}, {1, 1}, valid, A::relu), pooling("max_pooling2d", {2, 2}, valid),
        plain("flatten"), dense(4, A::softmax)},
       L::categorical_crossentropy, O::sgd, 4, Inputs::normal},
      {"conv2d same 3x2 stride 2 tanh on 7x5x2 -> average_pooling2d 2 same -> flatten -> dense",
       {7, 5, 2},
       {conv2d(3, {3, 2}, {2, 2}, same, A::tanh), pooling("average_pooling2d", {2, 2}, same),
        plain("flatten"), dense(3, A::linear)},
       L::mean_squared_error, O::adam, 3, Inputs::normal},
      // No conv bias before batch norm: the batch mean cancels it, so its exact
      // gradient is 0 and float rounding noise (1e-9 vs 1e-17) has no scale to
      // be judged against, and rmsprop would blow that noise up to lr-sized steps.
      {"conv2d (no bias) -> batch_normalization -> activation relu -> flatten -> dense softmax",
       {6, 5, 1},
       {conv2d(4, {3, 3}, {1, 1}, valid, A::linear, false), batch_norm(0.9f, 1e-3f),
        activation_layer(A::relu), plain("flatten"), dense(3, A::softmax)},
       L::categorical_crossentropy, O::rmsprop, 5, Inputs::normal},
      {"embedding -> lstm -> dense softmax (sparse)",
       {5},
       {embedding(7, 4), recurrent("lstm", 5, false), dense(4, A::softmax)},
       L::sparse_categorical_crossentropy, O::adam, 4, Inputs::ids, 7},
      {"lstm (return_sequences) -> lstm -> dense",
       {6, 3},
       {recurrent("lstm", 4, true), recurrent("lstm", 5, false), dense(2, A::linear)},
       L::mean_squared_error, O::sgd, 3, Inputs::uniform},
      {"gru (return_sequences) -> dense softmax per step, loss over every step",
       {5, 3},
       {recurrent("gru", 6, true), dense(4, A::softmax)},
       L::sparse_categorical_crossentropy, O::rmsprop, 4, Inputs::uniform},
      {"simple_rnn -> dense sigmoid",
       {4, 3},
       {recurrent("simple_rnn", 5, false), dense(3, A::sigmoid)},
       L::binary_crossentropy, O::adam, 5, Inputs::uniform},
      {"lstm recurrent_activation sigmoid, no bias -> dense softmax",
       {5, 4},
       {recurrent("lstm", 5, false, A::sigmoid, false), dense(3, A::softmax)},
       L::categorical_crossentropy, O::rmsprop, 3, Inputs::uniform},
  };
}

struct Case {
  CaseDef def;
  ModelSpec spec;
  std::vector<float> input, target;
};

Case make_case(const CaseDef& def, size_t i) {
  Case c{def, {}, {}, {}};
  ModelSpec& spec = c.spec;
  spec.name = "oracle-layers-" + std::to_string(i);
  spec.input_shape = def.input_shape;
  spec.layers = def.layers;
  spec.loss = def.loss;
  spec.optimizer = default_optimizer_config(def.optimizer);
  spec.optimizer.learning_rate = 0.05f;
  // As in pytorch_oracle_test.cpp: PyTorch adds epsilon outside the square
  // root, TF.js inside; a negligible one makes both rules agree.
  spec.optimizer.epsilon = 1e-20f;
  validate_model_spec(spec);
  return c;
}

// Inputs away from the kinks where possible: images N(0, 1) (relu kinks are
// met only at exact zeros), sequences U(-1, 1) so that gate pre-activations
// mostly stay inside hard_sigmoid's linear part |x| < 2.5, ids integers.
void fill_batch(Case& c, const Model& model, uint64_t seed) {
  Rng rng(seed);
  const int64_t batch = c.def.batch, inputs = model.input_size();
  for (int64_t k = 0; k < batch * inputs; ++k) {
    switch (c.def.inputs) {
      case Inputs::normal: c.input.push_back(static_cast<float>(rng.normal())); break;
      case Inputs::uniform: c.input.push_back(rng.uniform(-1.0f, 1.0f)); break;
      case Inputs::ids:
        c.input.push_back(static_cast<float>(rng.below(static_cast<uint64_t>(c.def.vocabulary))));
        break;
    }
  }
  const int64_t predictions = batch * model.predictions_per_sample();
  const int64_t classes = model.output_size() / model.predictions_per_sample();
  c.target.resize(static_cast<size_t>(batch * model.target_size()));
  if (c.spec.loss == Loss::mean_squared_error || c.spec.loss == Loss::binary_crossentropy) {
    for (float& t : c.target) t = rng.uniform();
  } else {
    std::vector<int32_t> labels;
    for (int64_t k = 0; k < predictions; ++k)
      labels.push_back(static_cast<int32_t>(rng.below(static_cast<uint64_t>(classes))));
    const int64_t per_prediction = c.spec.loss == Loss::sparse_categorical_crossentropy ? 1 : classes;
    encode_targets(c.spec.loss, labels, per_prediction, c.target);
  }
}

struct NativeResult {
  std::vector<float> output;
  float loss = 0;
  WeightSet gradients, weights_after;
};

}  // namespace

// The oracle against independent references (naive loops with TF's padding,
// torch.nn.LSTM/RNN, a numpy GRU, F.batch_norm): an engine and an oracle that
// share one misreading of TF.js would otherwise agree.
TEST_CASE("the PyTorch oracle layers match independent references", "[oracle][pytorch][layers]") {
  std::string command = std::string(GAPSCOPE_PYTHON) + " " + GAPSCOPE_SOURCE_DIR +
                        "/tests/core/oracle/pytorch_oracle_selfcheck.py";
  CHECK(std::system(command.c_str()) == 0);
}

TEST_CASE("engine matches PyTorch on conv2d, pooling, batch norm, embedding and RNN layers",
          "[oracle][pytorch][layers]") {
  CpuBackend cpu(1);
  const std::vector<CaseDef> defs = case_defs();
  std::vector<Case> cases;
  std::vector<NativeResult> native;
  nlohmann::json oracle_cases = nlohmann::json::array();
  for (size_t i = 0; i < defs.size(); ++i) {
    INFO("case " << i << ": " << defs[i].what);
    Case c = make_case(defs[i], i);
    Model model(c.spec, cpu, 2000 + i);
    fill_batch(c, model, 300 + i);
    const int64_t batch = c.def.batch;
    WeightSet initial = model.weights();
    NativeResult r;
    // Inference first: with the initial moving statistics, as the oracle's
    // output (a training forward may move them).
    r.output.resize(static_cast<size_t>(batch * model.output_size()));
    model.predict(c.input, batch, r.output);
    model.stage_batch(c.input, c.target, batch);
    r.loss = model.compute_gradients();
    for (Parameter* p : model.parameters()) {
      if (!p->trainable) continue;  // moving statistics: no gradient
      NamedArray g{p->name, p->grad.shape(), std::vector<float>(static_cast<size_t>(p->grad.size()))};
      cpu.download(p->grad, g.values);
      r.gradients.push_back(std::move(g));
    }

    Model trained(c.spec, cpu, 2000 + i, &initial);
    trained.stage_batch(c.input, c.target, batch);
    for (int s = 0; s < kSteps; ++s) trained.train_step();
    r.weights_after = trained.weights();

    oracle_cases.push_back({{"spec", model_spec_to_json(c.spec)},
                            {"weights", weights_json(initial)},
                            {"input", rows_json(c.input, model.input_size())},
                            {"target", rows_json(c.target, model.target_size())},
                            {"steps", kSteps}});
    cases.push_back(std::move(c));
    native.push_back(std::move(r));
  }
  nlohmann::json oracle = run_oracle(oracle_cases, "layers");
  std::ostringstream summary;

  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const NativeResult& r = native[i];
    const nlohmann::json& o = oracle[i];
    INFO("case " << i << ": " << c.def.what << "; loss " << loss_name(c.spec.loss) << ", optimizer "
                 << optimizer_name(c.spec.optimizer.kind));
    // Every trainable weight has an oracle gradient and vice versa.
    CHECK(r.gradients.size() == o["gradients"].size());
    CHECK(r.weights_after.size() == o["weights_after"].size());
    double worst = relative_error(r.output, o["output"].get<std::vector<double>>());
    CHECK(worst < 1e-4);
    double loss_error = relative_error({r.loss}, {o["loss"].get<double>()});
    CHECK(loss_error < 1e-4);
    worst = std::max(worst, loss_error);
    for (const NamedArray& g : r.gradients) {
      INFO("gradient of " << g.name);
      REQUIRE(o["gradients"].contains(g.name));
      double e = relative_error(g.values, o["gradients"][g.name].get<std::vector<double>>());
      CHECK(e < 1e-4);
      worst = std::max(worst, e);
    }
    for (const NamedArray& w : r.weights_after) {
      INFO("weights after " << kSteps << " steps: " << w.name);
      REQUIRE(o["weights_after"].contains(w.name));
      double e = relative_error(w.values, o["weights_after"][w.name].get<std::vector<double>>());
      CHECK(e < 1e-4);
      worst = std::max(worst, e);
    }
    summary << "case " << i << " (" << c.def.what << "): max relative error " << worst << "\n";
  }
  // The per-case maxima, for the record (shown with -s).
  INFO(summary.str());
  SUCCEED();
}

}  // namespace gapscope
