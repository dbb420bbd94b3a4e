// PyTorch as oracle for the CNN and RNN layers: conv2d (valid and TF 'same'
// padding, strides), max/average pooling, flatten, batch normalization,
// embedding, simple_rnn, lstm and gru, each in a small model with odd shapes.
// The same initial weights give the same inference outputs, loss, gradients of
// every trainable weight and weights after 5 optimizer steps (batch norm's
// moving statistics included) as PyTorch in float64, which converts the TF.js
// layouts (channels-last images, [kh, kw, in, out] kernels, i|f|c|o and z|r|h
// gate blocks) itself: see pytorch_oracle.py.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/spec/model_spec.h"
#include "tests/core/oracle/oracle_check.h"
#include "tests/core/oracle/oracle_layers.h"

namespace gapscope {
namespace {

using namespace oracle;

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

// Inputs away from the kinks where possible: images N(0, 1) (relu kinks are
// met only at exact zeros), sequences U(-1, 1) so that gate pre-activations
// mostly stay inside hard_sigmoid's linear part |x| < 2.5, ids integers.
std::vector<OracleCase> oracle_cases() {
  std::vector<OracleCase> cases;
  for (const CaseDef& def : case_defs()) {
    OracleCase c{def.what, {}, def.batch, [inputs = def.inputs, vocabulary = def.vocabulary](Rng& rng) {
                   switch (inputs) {
                     case Inputs::normal: return static_cast<float>(rng.normal());
                     case Inputs::uniform: return rng.uniform(-1.0f, 1.0f);
                     case Inputs::ids: break;
                   }
                   return static_cast<float>(rng.below(static_cast<uint64_t>(vocabulary)));
                 }};
    c.spec.name = "oracle-layers-" + std::to_string(cases.size());
    c.spec.input_shape = def.input_shape;
    c.spec.layers = def.layers;
    c.spec.loss = def.loss;
    prepare_oracle_spec(c.spec, def.optimizer);
    cases.push_back(std::move(c));
  }
  return cases;
}

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
  check_engine_against_oracle(oracle_cases(), 2000, 300, "layers");
}

}  // namespace gapscope
