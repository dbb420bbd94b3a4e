// CpuBackend window and batch-norm ops against naive loops: im2col/col2im
// (and their adjointness), max/average pooling forward and backward with same
// padding, moments and batch norm forward/backward; the batch-norm layer's
// moving statistics (TF.js's update) and its inference mode.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/nn/layer.h"
#include "core/base/random.h"
#include "core/nn/window_geometry.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/ops/host_tensors.h"

namespace gapscope {
namespace {

using test::to_tensor;
using test::to_vector;

std::vector<float> random_values(int64_t n, uint64_t seed, float low = -1.0f, float high = 1.0f) {
  Rng rng(seed);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = rng.uniform(low, high);
  return v;
}

WindowGeometry geometry(int64_t batch, Shape in, std::vector<int64_t> k, std::vector<int64_t> s,
                        Padding padding) {
  return with_batch(window_geometry("test", in, k, s, {1, 1}, padding), batch);
}

Shape x_shape(const WindowGeometry& g) { return {g.batch, g.in_h, g.in_w, g.channels}; }
int64_t patch(const WindowGeometry& g) { return g.kernel_h * g.kernel_w * g.channels; }
int64_t windows(const WindowGeometry& g) { return g.batch * g.out_h * g.out_w; }

// Input index of tap (i, j, c) of window (b, oy, ox), or -1 for padding.
int64_t tap_index(const WindowGeometry& g, int64_t b, int64_t oy, int64_t ox, int64_t i, int64_t j,
                  int64_t c) {
  int64_t iy = oy * g.stride_h - g.pad_top + i, ix = ox * g.stride_w - g.pad_left + j;
  if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) return -1;
  return ((b * g.in_h + iy) * g.in_w + ix) * g.channels + c;
}

template <typename Visit>  // visit(window row, column in the row, input index or -1)
void for_each_tap(const WindowGeometry& g, const Visit& visit) {
  for (int64_t b = 0; b < g.batch; ++b)
    for (int64_t oy = 0; oy < g.out_h; ++oy)
      for (int64_t ox = 0; ox < g.out_w; ++ox) {
        int64_t row = (b * g.out_h + oy) * g.out_w + ox, col = 0;
        for (int64_t i = 0; i < g.kernel_h; ++i)
          for (int64_t j = 0; j < g.kernel_w; ++j)
            for (int64_t c = 0; c < g.channels; ++c, ++col)
              visit(row, col, tap_index(g, b, oy, ox, i, j, c));
      }
}

std::vector<float> naive_im2col(const WindowGeometry& g, const std::vector<float>& x) {
  std::vector<float> cols(static_cast<size_t>(windows(g) * patch(g)));
  for_each_tap(g, [&](int64_t row, int64_t col, int64_t at) {
    cols[row * patch(g) + col] = at < 0 ? 0.0f : x[at];
  });
  return cols;
}

std::vector<WindowGeometry> geometries() {
  return {
      geometry(2, {7, 5, 3}, {3, 2}, {1, 1}, Padding::valid),
      geometry(2, {7, 5, 3}, {3, 2}, {2, 1}, Padding::same),
      geometry(3, {6, 6, 1}, {5, 5}, {2, 2}, Padding::same),   // pads 1 top/left, 2 bottom/right
      geometry(1, {4, 9, 2}, {1, 1}, {1, 3}, Padding::valid),
      geometry(1, {3, 3, 4}, {3, 3}, {3, 3}, Padding::same),
      geometry(64, {28, 28, 1}, {5, 5}, {1, 1}, Padding::valid),  // big enough to split over threads
      geometry(16, {12, 12, 8}, {5, 5}, {1, 1}, Padding::same),
      geometry(2, {5, 6, 11}, {2, 3}, {1, 2}, Padding::same),  // 8-channel blocks and a tail
  };
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

}  // namespace

TEST_CASE("im2col matches a naive gather and col2im is its adjoint", "[cpu][window]") {
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    for (const WindowGeometry& g : geometries()) {
      INFO("threads " << threads << ", input " << shape_to_string(x_shape(g)) << ", kernel "
                      << g.kernel_h << "x" << g.kernel_w << ", stride " << g.stride_h << "x"
                      << g.stride_w << ", pad " << g.pad_top << "," << g.pad_left);
      std::vector<float> xv = random_values(element_count(x_shape(g)), 1);
      Tensor x = to_tensor(ops, x_shape(g), xv);
      Tensor cols = ops.allocate({windows(g), patch(g)});
      ops.fill(cols, 7.0f);  // every element must be written
      ops.im2col(g, x, cols);
      CHECK(to_vector(ops, cols) == naive_im2col(g, xv));

      // col2im: a naive scatter, and <col2im(c), x> == <c, im2col(x)>.
      std::vector<float> cv = random_values(windows(g) * patch(g), 2);
      std::vector<float> expected(xv.size(), 0.0f);
      for_each_tap(g, [&](int64_t row, int64_t col, int64_t at) {
        if (at >= 0) expected[at] += cv[row * patch(g) + col];
      });
      Tensor dx = ops.allocate(x_shape(g));
      ops.fill(dx, 3.0f);  // overwritten, not added to
      ops.col2im(g, to_tensor(ops, cols.shape(), cv), dx);
      std::vector<float> got = to_vector(ops, dx);
      for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == Approx(expected[i]).margin(1e-5));
      CHECK(dot(got, xv) == Approx(dot(cv, naive_im2col(g, xv))).epsilon(1e-5));
    }
  }
}

TEST_CASE("window ops reject tensors that do not fit the geometry", "[cpu][window]") {
  CpuBackend ops(1);
  WindowGeometry g = geometry(2, {5, 5, 3}, {3, 3}, {1, 1}, Padding::valid);
  Tensor x = ops.allocate({2, 5, 5, 3});
  Tensor wrong_cols = ops.allocate({2 * 9, 26});
  CHECK_THROWS_AS(ops.im2col(g, x, wrong_cols), std::invalid_argument);
  Tensor wrong_y = ops.allocate({2, 3, 3, 2});
  CHECK_THROWS_AS(ops.pool_forward(PoolKind::max, g, x, wrong_y), std::invalid_argument);
  WindowGeometry bad = g;
  bad.stride_h = 0;
  Tensor cols = ops.allocate({2 * 9, 27});
  CHECK_THROWS_AS(ops.im2col(bad, x, cols), std::invalid_argument);
  CHECK_THROWS_AS(window_geometry("conv", {2, 9, 1}, {3, 3}, {}, {1, 1}, Padding::valid),
                  std::invalid_argument);
}

TEST_CASE("TF's same padding: out = ceil(in / stride), the odd pixel bottom/right",
          "[cpu][window]") {
  WindowGeometry g = window_geometry("l", {7, 6, 1}, {4, 3}, {2, 2}, {1, 1}, Padding::same);
  CHECK(g.out_h == 4);   // ceil(7 / 2)
  CHECK(g.pad_top == 1);  // total (4-1)*2 + 4 - 7 = 3
  CHECK(g.out_w == 3);
  CHECK(g.pad_left == 0);  // total (3-1)*2 + 3 - 6 = 1
  WindowGeometry v = window_geometry("l", {7, 6, 1}, {4, 3}, {2, 2}, {1, 1}, Padding::valid);
  CHECK(v.out_h == 2);  // floor((7 - 4) / 2) + 1
  CHECK(v.out_w == 2);
}

TEST_CASE("pooling matches naive max and in-image average, forward and backward",
          "[cpu][window][pool]") {
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    for (PoolKind kind : {PoolKind::max, PoolKind::average}) {
      for (const WindowGeometry& g : geometries()) {
        INFO("threads " << threads << ", " << (kind == PoolKind::max ? "max" : "average")
                        << ", input " << shape_to_string(x_shape(g)) << ", window " << g.kernel_h
                        << "x" << g.kernel_w << ", stride " << g.stride_h << "x" << g.stride_w);
        std::vector<float> xv = random_values(element_count(x_shape(g)), 3);
        if (kind == PoolKind::max)  // a tie: the first tap in window order takes the gradient
          xv[1 * g.channels] = xv[0];
        const int64_t C = g.channels, outputs = windows(g) * C;
        std::vector<float> expected(static_cast<size_t>(outputs));
        std::vector<int64_t> count(static_cast<size_t>(outputs), 0);
        for_each_tap(g, [&](int64_t row, int64_t col, int64_t at) {
          if (at < 0) return;
          float& e = expected[row * C + col % C];
          int64_t& n = count[row * C + col % C];
          e = kind == PoolKind::max ? (n == 0 ? xv[at] : std::max(e, xv[at])) : e + xv[at];
          ++n;
        });
        if (kind == PoolKind::average)
          for (int64_t i = 0; i < outputs; ++i) expected[i] /= static_cast<float>(count[i]);

        Tensor x = to_tensor(ops, x_shape(g), xv);
        Tensor y = ops.allocate({g.batch, g.out_h, g.out_w, C});
        ops.pool_forward(kind, g, x, y);
        std::vector<float> yv = to_vector(ops, y);
        for (int64_t i = 0; i < outputs; ++i) REQUIRE(yv[i] == Approx(expected[i]).margin(1e-6));

        std::vector<float> dyv = random_values(outputs, 4);
        std::vector<float> dx_expected(xv.size(), 0.0f);
        std::vector<bool> taken(static_cast<size_t>(outputs), false);
        for_each_tap(g, [&](int64_t row, int64_t col, int64_t at) {
          if (at < 0) return;
          int64_t o = row * C + col % C;
          if (kind == PoolKind::average) {
            dx_expected[at] += dyv[o] / static_cast<float>(count[o]);
          } else if (!taken[o] && xv[at] == yv[o]) {
            dx_expected[at] += dyv[o];
            taken[o] = true;
          }
        });
        Tensor dx = ops.allocate(x_shape(g));
        ops.fill(dx, 5.0f);
        ops.pool_backward(kind, g, x, y, to_tensor(ops, y.shape(), dyv), dx);
        std::vector<float> dxv = to_vector(ops, dx);
        for (size_t i = 0; i < dxv.size(); ++i)
          REQUIRE(dxv[i] == Approx(dx_expected[i]).margin(1e-5));
      }
    }
  }
}

TEST_CASE("average pooling with same padding divides by the in-image count", "[cpu][window][pool]") {
  CpuBackend ops(1);
  // 3x3 image 1..9, window 2x2 stride 2, same: out 2x2, pad 0 top/left, 1 bottom/right.
  WindowGeometry g = geometry(1, {3, 3, 1}, {2, 2}, {2, 2}, Padding::same);
  REQUIRE(g.out_h == 2);
  REQUIRE(g.pad_top == 0);
  Tensor x = to_tensor(ops, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor y = ops.allocate({1, 2, 2, 1});
  ops.pool_forward(PoolKind::average, g, x, y);
  CHECK(to_vector(ops, y) == std::vector<float>{3.0f, 4.5f, 7.5f, 9.0f});
  ops.pool_forward(PoolKind::max, g, x, y);
  CHECK(to_vector(ops, y) == std::vector<float>{5.0f, 6.0f, 8.0f, 9.0f});
}

TEST_CASE("moments and batch norm forward/backward match a hand computation", "[cpu][batch_norm]") {
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    for (int64_t rows : {int64_t{5}, int64_t{50000}}) {  // 50000 x 3: split over 2 threads
      INFO("threads " << threads << ", rows " << rows);
      const int64_t C = 3;
      std::vector<float> xv = random_values(rows * C, 5, -2.0f, 3.0f);
      for (int64_t r = 0; r < rows; ++r) xv[r * C + 2] += 100.0f;  // an offset column
      std::vector<double> mean(C, 0.0), var(C, 0.0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) mean[c] += xv[r * C + c] / static_cast<double>(rows);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) {
          double d = xv[r * C + c] - mean[c];
          var[c] += d * d / static_cast<double>(rows);
        }
      Tensor x = to_tensor(ops, {rows, C}, xv);
      Tensor m = ops.allocate({C}), v = ops.allocate({C});
      ops.moments(x, m, v);
      std::vector<float> mv = to_vector(ops, m), vv = to_vector(ops, v);
      for (int64_t c = 0; c < C; ++c) {
        CHECK(mv[c] == Approx(mean[c]).epsilon(1e-5));
        CHECK(vv[c] == Approx(var[c]).epsilon(1e-4));
      }

      const float eps = 1e-3f;
      std::vector<float> gamma{0.5f, -1.5f, 2.0f}, beta{0.1f, 0.0f, -3.0f};
      Tensor gt = to_tensor(ops, {C}, gamma), bt = to_tensor(ops, {C}, beta);
      Tensor y = ops.allocate({rows, C});
      ops.batch_norm_forward(x, m, v, gt, bt, eps, y);
      std::vector<float> yv = to_vector(ops, y);
      std::vector<float> dyv = random_values(rows * C, 6);
      std::vector<double> dbeta(C, 0.0), dgamma(C, 0.0);
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) {
          double xhat = (xv[r * C + c] - mean[c]) / std::sqrt(var[c] + eps);
          REQUIRE(yv[r * C + c] == Approx(gamma[c] * xhat + beta[c]).margin(2e-4));
          dbeta[c] += dyv[r * C + c];
          dgamma[c] += dyv[r * C + c] * xhat;
        }
      Tensor dx = ops.allocate({rows, C}), dg = ops.allocate({C}), db = ops.allocate({C});
      ops.batch_norm_backward(x, m, v, gt, eps, to_tensor(ops, {rows, C}, dyv), dx, dg, db);
      std::vector<float> dxv = to_vector(ops, dx), dgv = to_vector(ops, dg), dbv = to_vector(ops, db);
      for (int64_t c = 0; c < C; ++c) {
        CHECK(dbv[c] == Approx(dbeta[c]).epsilon(1e-4).margin(1e-3));
        CHECK(dgv[c] == Approx(dgamma[c]).epsilon(1e-4).margin(1e-3));
      }
      for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < C; ++c) {
          double inv = 1.0 / std::sqrt(var[c] + eps);
          double xhat = (xv[r * C + c] - mean[c]) * inv;
          double expected = gamma[c] * inv * (dyv[r * C + c] - dbeta[c] / rows - xhat * dgamma[c] / rows);
          REQUIRE(dxv[r * C + c] == Approx(expected).margin(1e-4));
        }
    }
  }
}

TEST_CASE("batch-norm layer: TF.js moving averages in training, moving statistics in inference",
          "[layer][batch_norm]") {
  CpuBackend ops(1);
  LayerSpec spec;
  spec.type = "batch_normalization";
  spec.name = "bn";
  spec.momentum = 0.9f;
  spec.epsilon = 0.01f;
  auto layer = make_layer(spec, {2, 2}, ops);  // rank-2 samples: rows are (sample, position)
  layer->reserve(ops, 2);
  std::vector<Parameter*> params = layer->parameters();
  REQUIRE(params.size() == 4);
  CHECK(params[0]->name == "bn/gamma");
  CHECK(params[1]->name == "bn/beta");
  CHECK(params[2]->name == "bn/moving_mean");
  CHECK(params[3]->name == "bn/moving_variance");
  CHECK(params[0]->trainable);
  CHECK(params[1]->trainable);
  CHECK_FALSE(params[2]->trainable);
  CHECK(params[2]->grad.empty());
  CHECK_FALSE(params[3]->trainable);
  CHECK(params[3]->grad.empty());
  CHECK(to_vector(ops, params[0]->value) == std::vector<float>{1, 1});
  CHECK(to_vector(ops, params[3]->value) == std::vector<float>{1, 1});

  // 4 rows of 2 features: column 0 = 1, 2, 3, 6 (mean 3, biased var 3.5),
  // column 1 = 0, 0, 4, 4 (mean 2, var 4).
  Tensor x = to_tensor(ops, {2, 2, 2}, {1, 0, 2, 0, 3, 4, 6, 4});
  Tensor y = layer->forward(ops, x, ForwardContext{true, 0});
  std::vector<float> yv = to_vector(ops, y);
  CHECK(yv[0] == Approx((1 - 3) / std::sqrt(3.5 + 0.01)));
  CHECK(yv[7] == Approx((4 - 2) / std::sqrt(4 + 0.01)));
  // moving = momentum * moving + (1 - momentum) * batch (biased variance).
  std::vector<float> mm = to_vector(ops, params[2]->value), mv = to_vector(ops, params[3]->value);
  CHECK(mm[0] == Approx(0.1 * 3));
  CHECK(mm[1] == Approx(0.1 * 2));
  CHECK(mv[0] == Approx(0.9 + 0.1 * 3.5));
  CHECK(mv[1] == Approx(0.9 + 0.1 * 4));
  layer->forward(ops, x, ForwardContext{true, 0});  // a second step compounds
  mm = to_vector(ops, params[2]->value);
  CHECK(mm[0] == Approx(0.9 * 0.3 + 0.1 * 3));

  // Inference uses the moving statistics and leaves them alone.
  ops.upload(params[0]->value, std::vector<float>{2.0f, 1.0f});
  ops.upload(params[1]->value, std::vector<float>{0.5f, -1.0f});
  ops.upload(params[2]->value, std::vector<float>{1.0f, -2.0f});
  ops.upload(params[3]->value, std::vector<float>{4.0f, 0.25f});
  yv = to_vector(ops, layer->forward(ops, x, ForwardContext{false, 0}));
  CHECK(yv[0] == Approx(2.0 * (1 - 1) / std::sqrt(4.01) + 0.5));
  CHECK(yv[4] == Approx(2.0 * (3 - 1) / std::sqrt(4.01) + 0.5));
  CHECK(yv[5] == Approx(1.0 * (4 + 2) / std::sqrt(0.26) - 1.0));
  CHECK(to_vector(ops, params[2]->value) == std::vector<float>{1.0f, -2.0f});
}

}  // namespace gapscope
