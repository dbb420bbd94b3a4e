// CpuBackend losses: hand-computed values, gradients against central
// differences, the fused softmax-cross-entropy gradient against softmax
// backward composed with the loss gradient, and count_correct.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/ops/host_tensors.h"

namespace gapscope {
namespace {

using test::scalar_of;
using test::to_tensor;
using test::to_vector;

float loss_of(OpsBackend& ops, Loss loss, const Shape& shape, const std::vector<float>& output,
              const Shape& target_shape, const std::vector<float>& target) {
  Tensor o = to_tensor(ops, shape, output), t = to_tensor(ops, target_shape, target);
  Tensor l = ops.allocate({1});
  ops.loss_forward_backward(loss, o, t, l, nullptr);
  return scalar_of(ops, l);
}

Shape target_shape_for(Loss loss, const Shape& output_shape) {
  if (loss != Loss::sparse_categorical_crossentropy) return output_shape;
  return {output_shape[0], 1};
}

// Random outputs and targets that keep every probability inside the clip range.
struct Problem {
  Shape shape, target_shape;
  std::vector<float> output, target;
};

Problem random_problem(Loss loss, int64_t rows, int64_t cols, Rng& rng) {
  Problem p{{rows, cols}, target_shape_for(loss, {rows, cols}), {}, {}};
  p.output.resize(static_cast<size_t>(rows * cols));
  for (float& v : p.output)
    v = rng.uniform(0.05f, 0.9f);  // not normalised: TF.js divides by the sum
  for (int64_t r = 0; r < rows; ++r) {
    int64_t cls = static_cast<int64_t>(rng.below(static_cast<uint64_t>(cols)));
    for (int64_t c = 0; c < cols; ++c) {
      switch (loss) {
        case Loss::categorical_crossentropy: p.target.push_back(c == cls ? 1.0f : 0.0f); break;
        case Loss::binary_crossentropy:
          p.target.push_back(rng.uniform() < 0.5f ? 1.0f : 0.0f);
          break;
        case Loss::mean_squared_error: p.target.push_back(rng.uniform(-1, 1)); break;
        case Loss::sparse_categorical_crossentropy: break;
      }
    }
    if (loss == Loss::sparse_categorical_crossentropy) p.target.push_back(static_cast<float>(cls));
  }
  return p;
}

std::vector<float> softmax_host(OpsBackend& ops, const Shape& shape,
                                const std::vector<float>& logits) {
  Tensor x = to_tensor(ops, shape, logits), y = ops.allocate(shape);
  ops.activation_forward(Activation::softmax, x, y);
  return to_vector(ops, y);
}

}  // namespace

TEST_CASE("loss values for hand-computed examples", "[cpu][loss]") {
  CpuBackend ops(1);
  // -(ln 0.7 + ln 0.8) / 2 = (0.3566749 + 0.2231436) / 2
  CHECK(loss_of(ops, Loss::categorical_crossentropy, {2, 3}, {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f},
                {2, 3}, {1, 0, 0, 0, 0, 1}) == Approx(0.2899092f).epsilon(1e-6));
  CHECK(loss_of(ops, Loss::sparse_categorical_crossentropy, {2, 3},
                {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f}, {2, 1},
                {0, 2}) == Approx(0.2899092f).epsilon(1e-6));
  // Outputs are divided by their sum first: [1, 2, 1] -> q = 0.5 -> ln 2.
  CHECK(loss_of(ops, Loss::categorical_crossentropy, {1, 3}, {1, 2, 1}, {1, 3}, {0, 1, 0}) ==
        Approx(0.6931472f).epsilon(1e-6));
  // A probability of 0 is clipped to 1e-7: -ln 1e-7 = 16.118096.
  CHECK(loss_of(ops, Loss::categorical_crossentropy, {1, 2}, {1, 0}, {1, 2}, {0, 1}) ==
        Approx(16.118096f).epsilon(1e-6));
  // mean(-ln 0.9, -ln 0.8) = (0.1053605 + 0.2231436) / 2
  CHECK(loss_of(ops, Loss::binary_crossentropy, {1, 2}, {0.9f, 0.2f}, {1, 2}, {1, 0}) ==
        Approx(0.1642520f).epsilon(1e-6));
  // rows: (1 + 0) / 2 = 0.5 and (4 + 9) / 2 = 6.5; mean 3.5
  CHECK(loss_of(ops, Loss::mean_squared_error, {2, 2}, {1, 2, 3, 4}, {2, 2}, {0, 2, 1, 1}) ==
        Approx(3.5f).epsilon(1e-7));
  // binary clip: p = 1 with target 0 -> -ln(1 - (1 - 1e-7)) ~ 15.94 (float clip 1 - 2^-23)
  float clipped = loss_of(ops, Loss::binary_crossentropy, {1, 1}, {1.0f}, {1, 1}, {0.0f});
  CHECK(std::isfinite(clipped));
  CHECK(clipped == Approx(-std::log1p(-static_cast<double>(1.0f - 1e-7f))).epsilon(1e-5));
}

TEST_CASE("loss gradients match central differences", "[cpu][loss][gradient]") {
  CpuBackend ops(1);
  Rng rng(17);
  const float h = 1e-3f;
  for (Loss loss : all_losses()) {
    INFO(loss_name(loss));
    Problem p = random_problem(loss, 4, 5, rng);
    Tensor o = to_tensor(ops, p.shape, p.output), t = to_tensor(ops, p.target_shape, p.target);
    Tensor l = ops.allocate({1}), g = ops.allocate(p.shape);
    ops.loss_forward_backward(loss, o, t, l, &g);
    std::vector<float> analytic = to_vector(ops, g);
    for (size_t i = 0; i < p.output.size(); ++i) {
      std::vector<float> up(p.output), down(p.output);
      up[i] += h;
      down[i] -= h;
      double numeric =
          (static_cast<double>(loss_of(ops, loss, p.shape, up, p.target_shape, p.target)) -
           loss_of(ops, loss, p.shape, down, p.target_shape, p.target)) /
          (static_cast<double>(up[i]) - down[i]);
      INFO("element " << i << ": analytic " << analytic[i] << ", numeric " << numeric);
      CHECK(std::fabs(analytic[i] - numeric) <= 2e-4 + 1e-3 * std::fabs(numeric));
    }
  }
}

TEST_CASE("clipped probabilities pass no gradient, as TF.js's clipByValue",
          "[cpu][loss][gradient]") {
  CpuBackend ops(1);
  Tensor l = ops.allocate({1}), g = ops.allocate({1, 2});
  // q = [1, 0]: target class clipped at 1e-7 -> the whole row's gradient is 0.
  Tensor o = to_tensor(ops, {1, 2}, {1, 0}), t = to_tensor(ops, {1, 2}, {0, 1});
  ops.loss_forward_backward(Loss::categorical_crossentropy, o, t, l, &g);
  CHECK(to_vector(ops, g) == std::vector<float>{0, 0});
  Tensor ob = to_tensor(ops, {1, 2}, {1.0f, 0.5f}), tb = to_tensor(ops, {1, 2}, {0, 1});
  ops.loss_forward_backward(Loss::binary_crossentropy, ob, tb, l, &g);
  std::vector<float> gb = to_vector(ops, g);
  CHECK(gb[0] == 0.0f);
  CHECK(gb[1] == Approx(-0.5 / (0.5 * 0.5) / 2));  // (p - t) / (p (1 - p)) / columns
}

TEST_CASE("sparse targets outside 0 to C-1 are errors naming row and value", "[cpu][loss]") {
  CpuBackend ops(1);
  Tensor o = to_tensor(ops, {2, 3}, {0.2f, 0.3f, 0.5f, 0.3f, 0.3f, 0.4f}), l = ops.allocate({1});
  for (float bad : {3.0f, -1.0f, std::numeric_limits<float>::quiet_NaN()}) {
    Tensor t = to_tensor(ops, {2, 1}, {0.0f, bad});
    CHECK_THROWS_WITH(
        ops.loss_forward_backward(Loss::sparse_categorical_crossentropy, o, t, l, nullptr),
        Catch::Contains("row 1") && Catch::Contains("[0, 3)"));
  }
  Tensor t = to_tensor(ops, {2, 1}, {0.0f, 3.0f});
  CHECK_THROWS_WITH(
      ops.loss_forward_backward(Loss::sparse_categorical_crossentropy, o, t, l, nullptr),
      Catch::Contains("holds 3"));
  // TF.js floors the stored index.
  Tensor fractional = to_tensor(ops, {2, 1}, {0.0f, 2.7f});
  ops.loss_forward_backward(Loss::sparse_categorical_crossentropy, o, fractional, l, nullptr);
  CHECK(scalar_of(ops, l) == Approx(-(std::log(0.2) + std::log(0.4)) / 2).epsilon(1e-6));
}

TEST_CASE("loss operands are shape-checked", "[cpu][loss]") {
  CpuBackend ops(1);
  Tensor o = ops.allocate({2, 3}), t = ops.allocate({2, 3}), l = ops.allocate({1});
  Tensor wrong = ops.allocate({3, 2}), two = ops.allocate({2}), g = ops.allocate({2, 3});
  CHECK_THROWS_WITH(ops.loss_forward_backward(Loss::mean_squared_error, o, wrong, l, nullptr),
                    Catch::Contains("loss_forward_backward"));
  CHECK_THROWS_AS(ops.loss_forward_backward(Loss::mean_squared_error, o, t, two, nullptr),
                  std::invalid_argument);
  CHECK_THROWS_AS(ops.loss_forward_backward(Loss::mean_squared_error, o, t, l, &wrong),
                  std::invalid_argument);
  CHECK_THROWS_AS(
      ops.loss_forward_backward(Loss::sparse_categorical_crossentropy, o, t, l, nullptr),
      std::invalid_argument);
  CHECK_THROWS_WITH(ops.softmax_crossentropy_backward(Loss::mean_squared_error, o, t, l, g),
                    Catch::Contains("softmax_crossentropy_backward"));
}

TEST_CASE("fused softmax cross-entropy gradient equals the composed one", "[cpu][loss][softmax]") {
  CpuBackend ops(1);
  Rng rng(23);
  const int64_t rows = 5, cols = 7;
  const Shape shape{rows, cols};
  std::vector<float> logits(rows * cols);
  for (float& v : logits) v = rng.uniform(-3, 3);
  std::vector<float> probabilities = softmax_host(ops, shape, logits);

  std::vector<float> one_hot(rows * cols, 0.0f), soft(rows * cols), sparse(rows);
  for (int64_t r = 0; r < rows; ++r) {
    int64_t cls = static_cast<int64_t>(rng.below(cols));
    one_hot[r * cols + cls] = 1;
    sparse[r] = static_cast<float>(cls);
    float sum = 0;  // label-smoothing-like soft targets that sum to 1
    for (int64_t c = 0; c < cols; ++c) sum += soft[r * cols + c] = rng.uniform(0.1f, 1.0f);
    for (int64_t c = 0; c < cols; ++c) soft[r * cols + c] /= sum;
  }
  struct Case {
    Loss loss;
    Shape target_shape;
    std::vector<float> target;
  };
  for (const Case& c : {Case{Loss::categorical_crossentropy, shape, one_hot},
                        Case{Loss::categorical_crossentropy, shape, soft},
                        Case{Loss::sparse_categorical_crossentropy, {rows, 1}, sparse}}) {
    INFO(loss_name(c.loss));
    Tensor x = to_tensor(ops, shape, logits), p = to_tensor(ops, shape, probabilities);
    Tensor t = to_tensor(ops, c.target_shape, c.target);
    Tensor loss_composed = ops.allocate({1}), loss_fused = ops.allocate({1});
    Tensor dp = ops.allocate(shape), dx = ops.allocate(shape), fused = ops.allocate(shape);
    ops.loss_forward_backward(c.loss, p, t, loss_composed, &dp);
    ops.activation_backward(Activation::softmax, x, p, dp, dx);
    ops.softmax_crossentropy_backward(c.loss, p, t, loss_fused, fused);
    CHECK(scalar_of(ops, loss_fused) == scalar_of(ops, loss_composed));
    std::vector<float> composed = to_vector(ops, dx), direct = to_vector(ops, fused);
    for (size_t i = 0; i < composed.size(); ++i)
      CHECK(direct[i] == Approx(composed[i]).margin(1e-6));
  }
}

TEST_CASE("fused gradient is (p - onehot) / B", "[cpu][loss][softmax]") {
  CpuBackend ops(1);
  Tensor p = to_tensor(ops, {2, 3}, {0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f});
  Tensor t = to_tensor(ops, {2, 1}, {0, 2}), l = ops.allocate({1}), g = ops.allocate({2, 3});
  ops.softmax_crossentropy_backward(Loss::sparse_categorical_crossentropy, p, t, l, g);
  std::vector<float> expected = {-0.15f, 0.1f, 0.05f, 0.05f, 0.05f, -0.1f};
  std::vector<float> got = to_vector(ops, g);
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-7));
  CHECK(scalar_of(ops, l) == Approx(0.2899092f).epsilon(1e-6));
}

TEST_CASE("count_correct follows tfjs-layers' accuracy metrics", "[cpu][accuracy]") {
  CpuBackend ops(1);
  Tensor correct = ops.allocate({1});
  auto count = [&](Loss loss, const Shape& shape, std::vector<float> output, const Shape& tshape,
                   std::vector<float> target) {
    Tensor o = to_tensor(ops, shape, output), t = to_tensor(ops, tshape, target);
    ops.count_correct(o, t, loss, correct);
    return scalar_of(ops, correct);
  };
  // argmax vs one-hot argmax; a tie goes to the first maximum (row 3).
  CHECK(count(Loss::categorical_crossentropy, {3, 3},
              {0.1f, 0.8f, 0.1f, 0.6f, 0.3f, 0.1f, 0.4f, 0.4f, 0.2f}, {3, 3},
              {0, 1, 0, 0, 0, 1, 1, 0, 0}) == 2.0f);
  CHECK(count(Loss::sparse_categorical_crossentropy, {3, 3},
              {0.1f, 0.8f, 0.1f, 0.6f, 0.3f, 0.1f, 0.4f, 0.4f, 0.2f}, {3, 1}, {1, 2, 1}) == 1.0f);
  // MSE with several outputs uses categorical accuracy too.
  CHECK(count(Loss::mean_squared_error, {2, 2}, {0.1f, 0.9f, 0.9f, 0.1f}, {2, 2}, {0, 1, 0, 1}) ==
        1.0f);
  // One output column: output > 0.5 against the target (0.5 itself counts as 0).
  CHECK(count(Loss::binary_crossentropy, {4, 1}, {0.9f, 0.2f, 0.5f, 0.7f}, {4, 1}, {1, 0, 1, 0}) ==
        2.0f);
  CHECK(count(Loss::mean_squared_error, {2, 1}, {0.9f, 0.2f}, {2, 1}, {1, 0}) == 2.0f);
  // Several binary columns: each row adds the fraction of its columns that match.
  CHECK(count(Loss::binary_crossentropy, {2, 2}, {0.9f, 0.9f, 0.1f, 0.1f}, {2, 2}, {1, 0, 0, 0}) ==
        Approx(1.5f));
  Tensor o = to_tensor(ops, {1, 3}, {0.1f, 0.2f, 0.7f}), bad = to_tensor(ops, {1, 1}, {5});
  CHECK_THROWS_WITH(ops.count_correct(o, bad, Loss::sparse_categorical_crossentropy, correct),
                    Catch::Contains("count_correct"));
}

}  // namespace gapscope
