// Losses and accuracy on Vulkan against the CPU backend: every loss with
// one-hot, soft, sparse and binary targets, with and without the gradient,
// probabilities that hit the clip, rows short (one invocation), warp-wide and
// workgroup-wide; the fused softmax cross-entropy gradient; count_correct
// exactly (argmax ties and NaN, binary accuracy over one and several columns);
// the argument errors; a bad sparse index reported at synchronize.
//
// Tolerances: the CPU sums a row's terms and the batch in double, the GPU in
// float (a row's terms, then a tree over rows): relative 1e-5 on the loss
// (row sums of up to 5000 terms err by ~sqrt(n) ulps). Gradients: float log
// and division differ by ulps (relative 1e-5); cross-entropy's g - sum(g q)
// cancels to about 1 ulp of 1 (sum(g q) = -1 for normalised targets), times
// scale = 1/B: absolute 1e-6. count_correct counts whole rows: exact.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "core/base/random.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

enum class Targets { one_hot, soft, sparse, binary, soft_binary, real };

const char* targets_name(Targets t) {
  switch (t) {
    case Targets::one_hot: return "one-hot";
    case Targets::soft: return "soft";
    case Targets::sparse: return "sparse";
    case Targets::binary: return "binary";
    case Targets::soft_binary: return "soft binary";
    case Targets::real: return "real";
  }
  return "?";
}

// Rows of softmax probabilities over [-6, 6] logits; with `clipped`, some
// entries are exactly 0 or 1 or beyond the [1e-7, 1 - 1e-7] clip.
std::vector<float> probabilities(int64_t rows, int64_t cols, uint64_t seed, bool clipped) {
  std::vector<float> v = random_values(rows * cols, seed, -6.0f, 6.0f);
  for (int64_t r = 0; r < rows; ++r) {
    float* row = v.data() + r * cols;
    float max = row[0], sum = 0.0f;
    for (int64_t j = 0; j < cols; ++j) max = std::max(max, row[j]);
    for (int64_t j = 0; j < cols; ++j) sum += row[j] = std::exp(row[j] - max);
    for (int64_t j = 0; j < cols; ++j) row[j] /= sum;
    if (clipped && r % 3 == 1) row[r % cols] = (r % 2) ? 0.0f : 1.0f;
    // (Not in a row that has a 0 already: with 3 columns, the third's q would
    // then lie within an ulp of the clip, where float rounding picks the branch.)
    if (clipped && r % 5 == 2 && r % 3 != 1) row[(r + 1) % cols] = 5e-8f;
  }
  return v;
}

std::vector<float> targets(Targets kind, int64_t rows, int64_t cols, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> t(static_cast<size_t>(kind == Targets::sparse ? rows : rows * cols), 0.0f);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t cls = static_cast<int64_t>(rng.below(static_cast<uint64_t>(cols)));
    float* row = t.data() + (kind == Targets::sparse ? r : r * cols);
    switch (kind) {
      case Targets::one_hot: row[cls] = 1.0f; break;
      case Targets::sparse: row[0] = static_cast<float>(cls) + 0.25f * static_cast<float>(r % 4); break;  // floored
      case Targets::soft: {
        float sum = 0.0f;
        for (int64_t j = 0; j < cols; ++j) sum += row[j] = rng.uniform();
        for (int64_t j = 0; j < cols; ++j) row[j] /= sum;
        break;
      }
      case Targets::binary:
        for (int64_t j = 0; j < cols; ++j) row[j] = rng.uniform() < 0.5f ? 0.0f : 1.0f;
        break;
      case Targets::soft_binary:
      case Targets::real:
        for (int64_t j = 0; j < cols; ++j) row[j] = rng.uniform();
        break;
    }
  }
  return t;
}

Shape target_shape(Targets kind, const Shape& output) {
  Shape s = output;
  if (kind == Targets::sparse) s.back() = 1;
  return s;
}

void check_loss(Loss loss, Targets kind, const Shape& shape, uint64_t seed) {
  const int64_t cols = shape.back(), rows = element_count(shape) / cols;
  const bool probabilistic = loss != Loss::mean_squared_error;
  std::vector<float> o = probabilistic ? probabilities(rows, cols, seed, true) : random_values(rows * cols, seed);
  Pair output = pair_of(shape, o);
  Pair target = pair_of(target_shape(kind, shape), targets(kind, rows, cols, seed + 1));
  const std::string what = std::string(loss_name(loss)) + " " + targets_name(kind) + " " + shape_to_string(shape);
  for (bool with_grad : {false, true}) {
    Pair value{cpu().allocate({1}), vulkan().allocate({1})};
    Pair grad = random_pair(shape, seed + 2);  // overwritten when asked for
    cpu().loss_forward_backward(loss, output.cpu, target.cpu, value.cpu, with_grad ? &grad.cpu : nullptr);
    vulkan().loss_forward_backward(loss, output.gpu, target.gpu, value.gpu, with_grad ? &grad.gpu : nullptr);
    require_close(value, 1e-5, 1e-6, what + (with_grad ? " loss (with grad)" : " loss"));
    // Without grad the tensor is left as it was (and was not bound).
    require_close(grad, 1e-5, 1e-6, what + (with_grad ? " grad" : " untouched grad"));
  }
}

}  // namespace

TEST_CASE("vulkan losses match the CPU for every loss and target kind", "[gpu][ops][loss]") {
  const Shape shapes[] = {{1, 1}, {3, 10}, {65, 3}, {64, 10}, {257, 33}, {4, 5, 10}, {7, 1500}, {300, 257}};
  uint64_t seed = 7000;
  for (const Shape& shape : shapes) {
    check_loss(Loss::categorical_crossentropy, Targets::one_hot, shape, seed += 5);
    check_loss(Loss::categorical_crossentropy, Targets::soft, shape, seed += 5);
    check_loss(Loss::sparse_categorical_crossentropy, Targets::sparse, shape, seed += 5);
    check_loss(Loss::binary_crossentropy, Targets::binary, shape, seed += 5);
    check_loss(Loss::binary_crossentropy, Targets::soft_binary, shape, seed += 5);
    check_loss(Loss::mean_squared_error, Targets::real, shape, seed += 5);
    check_loss(Loss::mean_squared_error, Targets::one_hot, shape, seed += 5);
  }
  // Many rows: the row totals' tree over 256 invocations.
  check_loss(Loss::sparse_categorical_crossentropy, Targets::sparse, {70000, 3}, seed += 5);
  check_loss(Loss::binary_crossentropy, Targets::binary, {70000, 1}, seed += 5);
}

TEST_CASE("vulkan fused softmax cross-entropy gradient matches the CPU", "[gpu][ops][loss]") {
  const Shape shapes[] = {{1, 1}, {3, 10}, {65, 3}, {64, 10}, {257, 33}, {4, 5, 10}, {7, 1500}, {300, 257}};
  uint64_t seed = 8000;
  for (const Shape& shape : shapes)
    for (Targets kind : {Targets::one_hot, Targets::soft, Targets::sparse}) {
      const int64_t cols = shape.back(), rows = element_count(shape) / cols;
      const Loss loss =
          kind == Targets::sparse ? Loss::sparse_categorical_crossentropy : Loss::categorical_crossentropy;
      Pair p = pair_of(shape, probabilities(rows, cols, seed += 3, false));
      Pair t = pair_of(target_shape(kind, shape), targets(kind, rows, cols, seed + 1));
      Pair value{cpu().allocate({1}), vulkan().allocate({1})};
      Pair grad{cpu().allocate(shape), vulkan().allocate(shape)};
      cpu().softmax_crossentropy_backward(loss, p.cpu, t.cpu, value.cpu, grad.cpu);
      vulkan().softmax_crossentropy_backward(loss, p.gpu, t.gpu, value.gpu, grad.gpu);
      const std::string what = std::string("softmax xent ") + targets_name(kind) + " " + shape_to_string(shape);
      require_close(value, 1e-5, 1e-6, what + " loss");
      // (p * sum(t) - t) / B: one multiply-subtract per element, sum(t) in another order.
      require_close(grad, 1e-5, 1e-7, what + " grad");
    }
}

TEST_CASE("vulkan count_correct equals the CPU's count exactly", "[gpu][ops][loss]") {
  uint64_t seed = 9000;
  const Shape shapes[] = {{1, 1}, {3, 10}, {65, 3}, {64, 10}, {257, 33}, {4, 5, 10}, {7, 1500}, {300, 257}, {70000, 2}};
  for (const Shape& shape : shapes) {
    const int64_t cols = shape.back(), rows = element_count(shape) / cols;
    // Values on a coarse grid, so that argmax ties are common; a NaN first
    // value in some rows (argmax stays 0) and a NaN inside others (never wins).
    std::vector<float> o = random_values(rows * cols, seed += 3, 0.0f, 1.0f);
    for (float& v : o) v = std::round(v * 4.0f) / 4.0f;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (int64_t r = 0; r < rows; r += 7) o[r * cols] = nan;
    for (int64_t r = 3; r < rows; r += 11) o[r * cols + (r % cols)] = nan;
    Pair output = pair_of(shape, o);
    for (Targets kind : {Targets::one_hot, Targets::sparse, Targets::binary}) {
      const Loss loss = kind == Targets::sparse  ? Loss::sparse_categorical_crossentropy
                        : kind == Targets::binary ? Loss::binary_crossentropy
                                                  : Loss::categorical_crossentropy;
      std::vector<float> t = targets(kind, rows, cols, seed + 1);
      Pair target = pair_of(target_shape(kind, shape), t);
      for (Loss as : {loss, Loss::mean_squared_error}) {
        if (kind == Targets::sparse && as != loss) continue;
        Pair count{cpu().allocate({1}), vulkan().allocate({1})};
        cpu().count_correct(output.cpu, target.cpu, as, count.cpu);
        vulkan().count_correct(output.gpu, target.gpu, as, count.gpu);
        require_close(count, 0.0, 0.0,
                      std::string("count_correct ") + std::string(loss_name(as)) + " " + targets_name(kind) + " " +
                          shape_to_string(shape));
      }
    }
  }
}

TEST_CASE("vulkan count_correct of binary accuracy over several columns is the CPU's fraction", "[gpu][ops][loss]") {
  // Fractions k/3 summed over rows: the GPU divides the whole count once and rounds exactly.
  for (int64_t rows : {1, 2, 5, 97, 1000}) {
    const Shape shape{rows, 3};
    Pair output = random_pair(shape, 60 + rows, 0.0f, 1.0f);
    Pair target = pair_of(shape, targets(Targets::binary, rows, 3, 61 + rows));
    Pair count{cpu().allocate({1}), vulkan().allocate({1})};
    cpu().count_correct(output.cpu, target.cpu, Loss::binary_crossentropy, count.cpu);
    vulkan().count_correct(output.gpu, target.gpu, Loss::binary_crossentropy, count.gpu);
    require_close(count, 0.0, 0.0, "binary accuracy over 3 columns");
  }
}

TEST_CASE("vulkan losses reject bad arguments as the CPU does", "[gpu][ops][loss]") {
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({0, 3}), t = ops.allocate({0, 3}), l = ops.allocate({1});
    ops.loss_forward_backward(Loss::mean_squared_error, o, t, l, nullptr);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 3}), l = ops.allocate({2});
    ops.loss_forward_backward(Loss::mean_squared_error, o, t, l, nullptr);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 3}), l = ops.allocate({1});
    ops.loss_forward_backward(Loss::sparse_categorical_crossentropy, o, t, l, nullptr);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 2}), l = ops.allocate({1});
    ops.loss_forward_backward(Loss::categorical_crossentropy, o, t, l, nullptr);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 3}), l = ops.allocate({1}), g = ops.allocate({3, 4});
    ops.loss_forward_backward(Loss::categorical_crossentropy, o, t, l, &g);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 3}), l = ops.allocate({1}), g = ops.allocate({4, 3});
    ops.softmax_crossentropy_backward(Loss::binary_crossentropy, o, t, l, g);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({4, 1}), l = ops.allocate({1}), g = ops.allocate({4, 4});
    ops.softmax_crossentropy_backward(Loss::sparse_categorical_crossentropy, o, t, l, g);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor o = ops.allocate({4, 3}), t = ops.allocate({3, 1}), c = ops.allocate({1});
    ops.count_correct(o, t, Loss::sparse_categorical_crossentropy, c);
  });
}

TEST_CASE("vulkan reports a sparse target that is no class index at synchronize", "[gpu][ops][loss]") {
  for (float bad : {3.0f, -1.0f, std::numeric_limits<float>::quiet_NaN()}) {
    Tensor o = random_pair({4, 3}, 1, 0.0f, 1.0f).gpu;
    Tensor t = pair_of({4, 1}, {0.0f, 2.0f, bad, 1.0f}).gpu;
    Tensor l = vulkan().allocate({1}), g = vulkan().allocate({4, 3});
    vulkan().loss_forward_backward(Loss::sparse_categorical_crossentropy, o, t, l, &g);
    CHECK_THROWS_WITH(vulkan().synchronize(), Catch::Matchers::Contains("sparse target row 2 holds") &&
                                                  Catch::Matchers::Contains("not a class index in [0, 3)"));
    vulkan().count_correct(o, t, Loss::sparse_categorical_crossentropy, l);
    CHECK_THROWS(vulkan().synchronize());
    vulkan().softmax_crossentropy_backward(Loss::sparse_categorical_crossentropy, o, t, l, g);
    CHECK_THROWS(vulkan().synchronize());
    // The error is reported once; the backend goes on.
    vulkan().loss_forward_backward(Loss::mean_squared_error, o, o, l, nullptr);
    CHECK(read(vulkan(), l) == std::vector<float>{0.0f});
  }
}

}  // namespace gapscope::gpu::test
