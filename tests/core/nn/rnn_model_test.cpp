// Recurrent models train end to end on a fixed batch: lstm over one-hot rows,
// and embedding -> gru over ids; the loss falls over 30 Adam steps.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/nn/model.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"

namespace gapscope {
namespace {

// 30 Adam steps on one staged batch: every loss finite, the last under half the first.
void check_loss_halves(Model& model, const std::vector<float>& x, const std::vector<float>& target, int64_t batch) {
  model.stage_batch(x, target, batch);
  std::vector<float> losses;
  for (int step = 0; step < 30; ++step) {
    model.train_step();
    losses.push_back(model.read_loss());
  }
  INFO("first loss " << losses.front() << ", last " << losses.back());
  CHECK(losses.back() < 0.5f * losses.front());
  for (float loss : losses) REQUIRE(std::isfinite(loss));
}

}  // namespace

TEST_CASE("lstm + dense softmax model: loss falls over 30 Adam steps", "[model][rnn]") {
  ModelSpec spec;
  spec.name = "lstm-toy";
  spec.input_shape = {6, 5};
  LayerSpec lstm;
  lstm.type = "lstm";
  lstm.units = 8;
  lstm.activation = Activation::tanh;
  lstm.recurrent_activation = Activation::hard_sigmoid;
  lstm.kernel_initializer = Initializer::glorot_uniform;
  LayerSpec dense;
  dense.type = "dense";
  dense.units = 5;
  dense.activation = Activation::softmax;
  spec.layers = {lstm, dense};
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  spec.optimizer.learning_rate = 0.02f;

  CpuBackend ops(1);
  Model model(spec, ops, 5);
  // 16 sequences of 6 random one-hot rows; the class is the first row's symbol,
  // so the LSTM must carry it through 5 more steps.
  const int64_t batch = 16;
  Rng rng(9);
  std::vector<float> x(batch * 6 * 5, 0.0f), target(batch * 5, 0.0f);
  for (int64_t s = 0; s < batch; ++s) {
    for (int64_t t = 0; t < 6; ++t) {
      int64_t symbol = static_cast<int64_t>(rng.below(5));
      x[(s * 6 + t) * 5 + symbol] = 1.0f;
      if (t == 0) target[s * 5 + symbol] = 1.0f;
    }
  }
  check_loss_halves(model, x, target, batch);
}

TEST_CASE("embedding + gru + dense softmax model: loss falls over 30 Adam steps", "[model][rnn]") {
  ModelSpec spec;
  spec.name = "gru-toy";
  spec.input_shape = {6};
  LayerSpec embedding;
  embedding.type = "embedding";
  embedding.input_dim = 10;
  embedding.output_dim = 4;
  embedding.kernel_initializer = Initializer::random_uniform;
  LayerSpec gru;
  gru.type = "gru";
  gru.units = 8;
  gru.activation = Activation::tanh;
  gru.recurrent_activation = Activation::hard_sigmoid;
  LayerSpec dense;
  dense.type = "dense";
  dense.units = 10;
  dense.activation = Activation::softmax;
  spec.layers = {embedding, gru, dense};
  spec.loss = Loss::sparse_categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  spec.optimizer.learning_rate = 0.02f;

  CpuBackend ops(1);
  Model model(spec, ops, 5);
  // The class is the first id of the window.
  const int64_t batch = 16;
  Rng rng(10);
  std::vector<float> x(batch * 6), target(batch);
  for (int64_t s = 0; s < batch; ++s) {
    for (int64_t t = 0; t < 6; ++t) x[s * 6 + t] = static_cast<float>(rng.below(10));
    target[s] = x[s * 6];
  }
  check_loss_halves(model, x, target, batch);
}

}  // namespace gapscope
