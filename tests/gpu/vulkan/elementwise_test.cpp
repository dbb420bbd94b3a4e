// Element-wise ops on Vulkan against the CPU backend: every activation forward
// and backward (softmax row-wise, short rows on one invocation, long rows on a
// warp or a workgroup), dropout masks bit for bit, multiply, and the argument
// errors (the same messages as native-cpu).
//
// Tolerances:
// - Activations: float32 exp/log/tanh/erf differ by a few ulps between Eigen
//   and the GPU (Vulkan allows exp 3 + 2|x| ulps: ~40 ulps = 2.4e-6 at |x| =
//   20): relative 1e-5. Formulas of the form exp(x) - 1 or 1 - exp(-2|x|)
//   lose relative precision near 0, where both sides are off by a few ulps of
//   1: absolute 1e-6. An indexing or formula mistake is O(0.1) or more.
// - Backward gets the CPU's y on both sides, so only f' is compared; dx = dy *
//   f' with |dy| <= 1 keeps the same tolerances.
// - Softmax: exp of arguments down to -40 (80 + 3 ulps) and row sums in
//   another order: relative 2e-5; probabilities below 1e-7 count as equal
//   (absolute 1e-7). Its backward has y * (dy - sum(dy y)), where the
//   difference cancels: absolute 1e-6.
// - Dropout and multiply: one correctly rounded multiply per element (IEEE on
//   both sides, Vulkan requires it for OpFMul) and an integer hash: exact.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "core/base/activation.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

// Random values in [-20, 20] with the kinks and special points of every
// activation in front (0, +-2.5 for hard_sigmoid, 6 for relu6, the softplus
// thresholds, tiny magnitudes where exp(x) - 1 cancels).
std::vector<float> activation_inputs(int64_t n, uint64_t seed) {
  std::vector<float> v = random_values(n, seed, -20.0f, 20.0f);
  const float special[] = {0.0f,  -0.0f,  6.0f,   -6.0f, 2.5f,     -2.5f,   1.0f,    -1.0f,  13.9424f, -13.9424f,
                           1e-4f, -1e-4f, 1e-3f, -1e-3f, 0.3f,     -0.3f,   5.999f,  6.001f, 20.0f,    -20.0f};
  for (size_t i = 0; i < v.size() && i < std::size(special); ++i) v[i] = special[i];
  // Every third value in [-1, 1], where the formulas curve most.
  for (size_t i = std::size(special); i < v.size(); i += 3) v[i] /= 20.0f;
  return v;
}

std::string act_label(Activation a, const Shape& shape) {
  return std::string(activation_name(a)) + " " + shape_to_string(shape);
}

void check_activation(Activation act, const Shape& shape, uint64_t seed) {
  const int64_t n = element_count(shape);
  Pair x = pair_of(shape, activation_inputs(n, seed));
  Pair y{cpu().allocate(shape), vulkan().allocate(shape)};
  cpu().activation_forward(act, x.cpu, y.cpu);
  vulkan().activation_forward(act, x.gpu, y.gpu);
  const bool softmax = act == Activation::softmax;
  require_close(y, softmax ? 2e-5 : 1e-5, softmax ? 1e-7 : 1e-6, "forward " + act_label(act, shape));

  // Backward from the CPU's y on both sides.
  Pair y_ref = pair_of(shape, read(cpu(), y.cpu));
  Pair dy = random_pair(shape, seed + 1);
  Pair dx{cpu().allocate(shape), vulkan().allocate(shape)};
  cpu().activation_backward(act, x.cpu, y_ref.cpu, dy.cpu, dx.cpu);
  vulkan().activation_backward(act, x.gpu, y_ref.gpu, dy.gpu, dx.gpu);
  require_close(dx, softmax ? 2e-5 : 1e-5, 1e-6, "backward " + act_label(act, shape));
}

}  // namespace

TEST_CASE("vulkan element-wise activations match the CPU, kinks included", "[gpu][ops][elementwise]") {
  uint64_t seed = 1000;
  for (Activation act : all_activations()) {
    if (act == Activation::softmax) continue;
    for (int64_t n : {1, 3, 65, 257, 70000}) check_activation(act, {n}, seed += 7);
    check_activation(act, {33, 7, 3}, seed += 7);
  }
}

TEST_CASE("vulkan activations at exact kink points match the CPU's conventions", "[gpu][ops][elementwise]") {
  // Only kinks: relu and relu6 at 0 and 6, hard_sigmoid at +-2.5, elu/selu at 0.
  const std::vector<float> kinks = {0.0f, -0.0f, 6.0f, -6.0f, 2.5f, -2.5f, 0.0f, 6.0f};
  const Shape shape{static_cast<int64_t>(kinks.size())};
  for (Activation act : all_activations()) {
    if (act == Activation::softmax) continue;
    Pair x = pair_of(shape, kinks);
    Pair y{cpu().allocate(shape), vulkan().allocate(shape)};
    cpu().activation_forward(act, x.cpu, y.cpu);
    vulkan().activation_forward(act, x.gpu, y.gpu);
    require_close(y, 1e-5, 1e-6, "kink forward " + act_label(act, shape));
    Pair y_ref = pair_of(shape, read(cpu(), y.cpu));
    Pair dy = pair_of(shape, std::vector<float>(kinks.size(), 1.0f));
    Pair dx{cpu().allocate(shape), vulkan().allocate(shape)};
    cpu().activation_backward(act, x.cpu, y_ref.cpu, dy.cpu, dx.cpu);
    vulkan().activation_backward(act, x.gpu, y_ref.gpu, dy.gpu, dx.gpu);
    // The derivative's branch at a kink is a choice: 0 vs 1 (or 0.2) is a failure.
    require_close(dx, 1e-5, 1e-6, "kink backward " + act_label(act, shape));
  }
}

TEST_CASE("vulkan softmax matches the CPU for short, warp-wide and workgroup-wide rows", "[gpu][ops][elementwise]") {
  uint64_t seed = 2000;
  const Shape shapes[] = {{1, 1}, {1, 3}, {3, 10}, {65, 3}, {64, 10}, {4, 65, 10}, {257, 33},
                          {300, 257}, {5, 1025}, {2, 5000}, {70000, 1}, {1}};
  for (const Shape& shape : shapes) check_activation(Activation::softmax, shape, seed += 11);
}

TEST_CASE("vulkan activations work in place", "[gpu][ops][elementwise]") {
  for (Activation act : {Activation::relu, Activation::tanh, Activation::softmax}) {
    const Shape shape{65, 33};
    Pair x = pair_of(shape, activation_inputs(element_count(shape), 31));
    cpu().activation_forward(act, x.cpu, x.cpu);
    vulkan().activation_forward(act, x.gpu, x.gpu);
    require_close(x, 2e-5, 1e-6, "in place " + act_label(act, shape));
  }
}

TEST_CASE("vulkan dropout masks equal the CPU's bit for bit", "[gpu][ops][elementwise]") {
  for (int64_t n : {1, 3, 65, 257, 70000})
    for (float rate : {0.0f, 0.1f, 0.5f, 0.9f})
      for (uint64_t seed : {uint64_t{0}, uint64_t{77}, uint64_t{0xFFFFFFFFFFFFFFFFull}}) {
        Pair x = random_pair({n}, 3 * n + seed);
        Pair mask{cpu().allocate({n}), vulkan().allocate({n})};
        Pair y{cpu().allocate({n}), vulkan().allocate({n})};
        cpu().dropout_forward(x.cpu, rate, seed, mask.cpu, y.cpu);
        vulkan().dropout_forward(x.gpu, rate, seed, mask.gpu, y.gpu);
        const std::string what = "dropout n " + std::to_string(n) + " rate " + std::to_string(rate) + " seed " +
                                 std::to_string(seed);
        require_close(mask, 0.0, 0.0, what + " mask");
        require_close(y, 0.0, 0.0, what + " y");
      }
}

TEST_CASE("vulkan dropout of a view and of a matrix uses element indices from the view", "[gpu][ops][elementwise]") {
  Pair all = random_pair({10, 7}, 5);
  Pair x{all.cpu.rows(3, 5), all.gpu.rows(3, 5)};
  Pair mask{cpu().allocate({5, 7}), vulkan().allocate({5, 7})};
  Pair y{cpu().allocate({5, 7}), vulkan().allocate({5, 7})};
  cpu().dropout_forward(x.cpu, 0.3f, 12345, mask.cpu, y.cpu);
  vulkan().dropout_forward(x.gpu, 0.3f, 12345, mask.gpu, y.gpu);
  require_close(mask, 0.0, 0.0, "dropout view mask");
  require_close(y, 0.0, 0.0, "dropout view y");
}

TEST_CASE("vulkan multiply matches the CPU exactly", "[gpu][ops][elementwise]") {
  for (int64_t n : {1, 3, 65, 257, 70000}) {
    Pair a = random_pair({n}, 40 + n), b = random_pair({n}, 41 + n);
    Pair y{cpu().allocate({n}), vulkan().allocate({n})};
    cpu().multiply(a.cpu, b.cpu, y.cpu);
    vulkan().multiply(a.gpu, b.gpu, y.gpu);
    require_close(y, 0.0, 0.0, "multiply");
    // In place: y = y * b.
    cpu().multiply(y.cpu, b.cpu, y.cpu);
    vulkan().multiply(y.gpu, b.gpu, y.gpu);
    require_close(y, 0.0, 0.0, "multiply in place");
  }
}

TEST_CASE("vulkan copy_columns matches the CPU exactly and leaves other columns", "[gpu][ops][elementwise]") {
  struct Case {
    int64_t rows, src_width, src_column, dst_width, dst_column, columns;
  };
  for (const Case& c : {Case{1, 1, 0, 1, 0, 1}, Case{5, 3, 0, 7, 4, 3}, Case{64, 9, 2, 20, 0, 5},
                        Case{300, 40, 10, 70, 35, 30}, Case{3, 4, 1, 4, 1, 0}}) {
    Pair src = random_pair({c.rows, c.src_width}, 60 + c.rows), dst = random_pair({c.rows, c.dst_width}, 61 + c.rows);
    cpu().copy_columns(src.cpu, c.src_column, dst.cpu, c.dst_column, c.columns);
    vulkan().copy_columns(src.gpu, c.src_column, dst.gpu, c.dst_column, c.columns);
    require_close(dst, 0.0, 0.0, "copy_columns " + std::to_string(c.rows) + "x" + std::to_string(c.columns));
  }
  // What the CPU does, by hand: row 1 of a 2x3 into columns 1..2 of a 2x4.
  Tensor src = cpu().allocate({2, 3}), dst = cpu().allocate({2, 4});
  cpu().upload(src, std::vector<float>{1, 2, 3, 4, 5, 6});
  cpu().copy_columns(src, 1, dst, 2, 2);
  std::vector<float> out(8);
  cpu().download(dst, out);
  CHECK(out == std::vector<float>{0, 0, 2, 3, 0, 0, 5, 6});
  require_same_error([](OpsBackend& ops) {
    Tensor a = ops.allocate({3, 4}), b = ops.allocate({2, 4});
    ops.copy_columns(a, 0, b, 0, 2);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor a = ops.allocate({3, 4}), b = ops.allocate({3, 4});
    ops.copy_columns(a, 3, b, 0, 2);
  });
}

TEST_CASE("vulkan element-wise ops reject bad arguments as the CPU does", "[gpu][ops][elementwise]") {
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), y = ops.allocate({3, 4});
    ops.activation_forward(Activation::relu, x, y);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4, 3}), y = ops.allocate({4, 3}), dy = ops.allocate({4, 3}), dx = ops.allocate({12});
    ops.activation_backward(Activation::softmax, x, y, dy, dx);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4}), mask = ops.allocate({4}), y = ops.allocate({4});
    ops.dropout_forward(x, 1.0f, 1, mask, y);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4}), mask = ops.allocate({5}), y = ops.allocate({4});
    ops.dropout_forward(x, 0.5f, 1, mask, y);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor a = ops.allocate({4}), b = ops.allocate({4}), y = ops.allocate({2, 2});
    ops.multiply(a, b, y);
  });
  require_same_error([](OpsBackend& ops) {
    Tensor x = ops.allocate({4}), y = ops.allocate({2, 2});
    ops.axpy(1.0f, x, y);
  });
}

}  // namespace gapscope::gpu::test
