// Finite-difference gradient checks for simple_rnn, lstm, gru (both output
// modes, with and without bias, smooth and hard_sigmoid gates) and embedding
// (integer ids; the table's gradient only).
#include <cmath>

#include "tests/core/nn/gradient_check.h"

namespace gapscope {
using testing::gradient_check;

namespace {

LayerSpec recurrent_spec(const char* type, bool return_sequences) {
  LayerSpec spec;
  spec.type = type;
  spec.units = 4;
  spec.activation = Activation::tanh;
  spec.recurrent_activation = Activation::sigmoid;
  spec.return_sequences = return_sequences;
  return spec;
}

}  // namespace

TEST_CASE("recurrent layer gradients match finite differences (tanh, sigmoid gates)",
          "[layer][gradient][rnn]") {
  for (const char* type : {"simple_rnn", "lstm", "gru"}) {
    for (bool sequences : {false, true}) {
      INFO(type << (sequences ? " return_sequences" : " last step"));
      gradient_check(recurrent_spec(type, sequences), 3, {5, 3}, 41);
    }
  }
}

TEST_CASE("recurrent layer gradients without bias", "[layer][gradient][rnn]") {
  for (const char* type : {"simple_rnn", "lstm", "gru"}) {
    INFO(type);
    LayerSpec spec = recurrent_spec(type, true);
    spec.use_bias = false;
    gradient_check(spec, 3, {5, 3}, 43);
  }
}

TEST_CASE("lstm and gru gradients with hard_sigmoid gates inside its linear range",
          "[layer][gradient][rnn]") {
  // Small x and weights keep every gate pre-activation well inside (-2.5, 2.5):
  // |pre| <= 3 * 1 * 0.3 + 4 * 1 * 0.3 + 0.3 = 2.4, and in practice far less.
  for (const char* type : {"lstm", "gru"}) {
    for (bool sequences : {false, true}) {
      INFO(type << (sequences ? " return_sequences" : " last step"));
      LayerSpec spec = recurrent_spec(type, sequences);
      spec.recurrent_activation = Activation::hard_sigmoid;
      gradient_check(spec, 3, {5, 3}, 47, -1.0f, 1.0f, true, {}, 0.3f);
    }
  }
}

TEST_CASE("simple_rnn gradients with another output activation", "[layer][gradient][rnn]") {
  LayerSpec spec = recurrent_spec("simple_rnn", true);
  spec.activation = Activation::sigmoid;
  gradient_check(spec, 2, {4, 5}, 53);
}

TEST_CASE("embedding gradient: repeated ids add up, no dx", "[layer][gradient][embedding]") {
  LayerSpec spec;
  spec.type = "embedding";
  spec.input_dim = 7;
  spec.output_dim = 4;
  // 3 x 5 ids among 7 rows: repeats are certain; some rows get none.
  gradient_check(spec, 3, {5}, 59, 0.0f, 7.0f, false, [](std::vector<float>& ids) {
    for (float& v : ids) v = std::floor(v);
  });
}

}  // namespace gapscope
