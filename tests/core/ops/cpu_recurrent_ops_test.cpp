// CpuBackend embedding and recurrent-cell ops: gather/scatter (repeated ids,
// out-of-range errors), swap_leading_axes, and the LSTM/GRU cells forward and
// backward against scalar formulas, on one thread and split over two.
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/ops/host_tensors.h"

namespace gapscope {
namespace {

using test::to_tensor;
using test::to_vector;

std::vector<float> random_values(Rng& rng, int64_t n, float low, float high) {
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = rng.uniform(low, high);
  return v;
}

float f(Activation a, float x) { return activation_value(a, x); }
float df(Activation a, float x) { return activation_derivative(a, x, activation_value(a, x)); }

void check_close(const std::vector<float>& got, const std::vector<float>& expected,
                 const char* what) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO(what << "[" << i << "]");
    CHECK(got[i] == Approx(expected[i]).margin(2e-6).epsilon(2e-5));
  }
}

// Sizes: small and odd; u = 300 crosses the ops' 256-column chunks; the big
// batch on 2 threads makes the ops split rows.
struct CellCase {
  int threads;
  int64_t batch, units;
};
const CellCase kCellCases[] = {{1, 3, 5}, {1, 2, 300}, {2, 128, 64}};

}  // namespace

TEST_CASE("gather_rows copies table rows, repeated ids included", "[cpu][embedding]") {
  CpuBackend ops(1);
  Tensor table = to_tensor(ops, {3, 2}, {0, 1, 10, 11, 20, 21});
  Tensor ids = to_tensor(ops, {4}, {2, 0, 2, 1});
  Tensor out = ops.allocate({4, 2});
  ops.gather_rows(table, ids, out);
  CHECK(to_vector(ops, out) == std::vector<float>{20, 21, 0, 1, 20, 21, 10, 11});
}

TEST_CASE("scatter_add_rows sums repeated ids and zeroes untouched rows", "[cpu][embedding]") {
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    Tensor dout = to_tensor(ops, {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
    Tensor ids = to_tensor(ops, {4}, {2, 0, 2, 2});
    Tensor dtable = to_tensor(ops, {4, 2}, std::vector<float>(8, 99.0f));
    ops.scatter_add_rows(dout, ids, dtable);
    CHECK(to_vector(ops, dtable) == std::vector<float>{3, 4, 0, 0, 1 + 5 + 7, 2 + 6 + 8, 0, 0});
  }
  // Wide enough that two threads split the columns.
  CpuBackend ops(2);
  Rng rng(3);
  const int64_t n = 300, d = 256, rows = 7;
  std::vector<float> g = random_values(rng, n * d, -1, 1), idv(n);
  for (float& v : idv) v = static_cast<float>(rng.below(rows));
  Tensor dtable = ops.allocate({rows, d});
  ops.scatter_add_rows(to_tensor(ops, {n, d}, g), to_tensor(ops, {n}, idv), dtable);
  std::vector<double> expected(rows * d, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = 0; c < d; ++c) expected[static_cast<int64_t>(idv[i]) * d + c] += g[i * d + c];
  std::vector<float> got = to_vector(ops, dtable);
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-4));
}

TEST_CASE("gather and scatter reject ids outside the table, naming id and size",
          "[cpu][embedding]") {
  CpuBackend ops(1);
  Tensor table = ops.allocate({3, 2}), out = ops.allocate({2, 2});
  for (float bad : {3.0f, -1.0f, 1e9f, NAN}) {
    Tensor ids = to_tensor(ops, {2}, {0, bad});
    INFO("id " << bad);
    CHECK_THROWS_AS(ops.gather_rows(table, ids, out), std::out_of_range);
    CHECK_THROWS_AS(ops.scatter_add_rows(out, ids, table), std::out_of_range);
  }
  Tensor ids = to_tensor(ops, {2}, {1, 3});
  CHECK_THROWS_WITH(ops.gather_rows(table, ids, out), Catch::Contains("id 3") &&
                                                          Catch::Contains("position 1") &&
                                                          Catch::Contains("3 rows"));
  CHECK_THROWS_WITH(ops.scatter_add_rows(out, ids, table),
                    Catch::Contains("id 3") && Catch::Contains("3 rows"));
  Tensor wrong = ops.allocate({3, 2});
  CHECK_THROWS_AS(ops.gather_rows(table, ids, wrong), std::invalid_argument);
}

TEST_CASE("swap_leading_axes transposes the first two axes", "[cpu][rnn]") {
  for (int threads : {1, 2}) {
    CpuBackend ops(threads);
    for (Shape shape : {Shape{3, 4, 2}, Shape{5, 7}, Shape{40, 64, 100}, Shape{1, 6, 3}}) {
      INFO(shape_to_string(shape) << " on " << threads << " threads");
      int64_t a = shape[0], b = shape[1], f = element_count(shape) / (a * b);
      std::vector<float> xv(static_cast<size_t>(element_count(shape)));
      for (size_t i = 0; i < xv.size(); ++i) xv[i] = static_cast<float>(i);
      Shape swapped = shape;
      std::swap(swapped[0], swapped[1]);
      Tensor y = ops.allocate(swapped);
      ops.swap_leading_axes(to_tensor(ops, shape, xv), y);
      std::vector<float> got = to_vector(ops, y);
      bool ok = true;
      for (int64_t i = 0; i < a; ++i)
        for (int64_t j = 0; j < b; ++j)
          for (int64_t k = 0; k < f; ++k) ok &= got[(j * a + i) * f + k] == xv[(i * b + j) * f + k];
      CHECK(ok);
    }
  }
  CpuBackend ops(1);
  Tensor y = ops.allocate({3, 4, 2});
  CHECK_THROWS_AS(ops.swap_leading_axes(ops.allocate({3, 4, 2}), y), std::invalid_argument);
}

TEST_CASE("lstm_cell_forward and backward equal the scalar formulas", "[cpu][rnn][lstm]") {
  for (const CellCase& k : kCellCases) {
    for (Activation rec : {Activation::hard_sigmoid, Activation::sigmoid}) {
      const Activation act = Activation::tanh;
      INFO("batch " << k.batch << ", units " << k.units << ", threads " << k.threads
                    << ", recurrent " << activation_name(rec));
      CpuBackend ops(k.threads);
      Rng rng(11);
      const int64_t B = k.batch, u = k.units, n = B * u;
      std::vector<float> pre = random_values(rng, B * 4 * u, -4, 4);
      std::vector<float> c_prev = random_values(rng, n, -2, 2);
      std::vector<float> dh = random_values(rng, n, -1, 1), dc = random_values(rng, n, -1, 1);
      Tensor pre_t = to_tensor(ops, {B, 4 * u}, pre), c_prev_t = to_tensor(ops, {B, u}, c_prev);
      Tensor gates = ops.allocate({B, 4 * u}), c = ops.allocate({B, u}), h = ops.allocate({B, u});
      ops.lstm_cell_forward(rec, act, pre_t, c_prev_t, gates, c, h);

      std::vector<float> eg(B * 4 * u), ec(n), eh(n), edpre(B * 4 * u), edc(n);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < u; ++j) {
          const float* p = &pre[b * 4 * u];
          float i = f(rec, p[j]), fg = f(rec, p[u + j]), cc = f(act, p[2 * u + j]),
                o = f(rec, p[3 * u + j]);
          eg[b * 4 * u + j] = i;
          eg[b * 4 * u + u + j] = fg;
          eg[b * 4 * u + 2 * u + j] = cc;
          eg[b * 4 * u + 3 * u + j] = o;
          int64_t s = b * u + j;
          ec[s] = fg * c_prev[s] + i * cc;
          eh[s] = o * f(act, ec[s]);
          float total = dc[s] + dh[s] * o * df(act, ec[s]);
          edpre[b * 4 * u + j] = total * cc * df(rec, p[j]);
          edpre[b * 4 * u + u + j] = total * c_prev[s] * df(rec, p[u + j]);
          edpre[b * 4 * u + 2 * u + j] = total * i * df(act, p[2 * u + j]);
          edpre[b * 4 * u + 3 * u + j] = dh[s] * f(act, ec[s]) * df(rec, p[3 * u + j]);
          edc[s] = total * fg;
        }
      check_close(to_vector(ops, gates), eg, "gates");
      check_close(to_vector(ops, c), ec, "c");
      check_close(to_vector(ops, h), eh, "h");

      // dc_prev aliases dc, as the layer uses it.
      Tensor dh_t = to_tensor(ops, {B, u}, dh), dc_t = to_tensor(ops, {B, u}, dc);
      Tensor dpre = ops.allocate({B, 4 * u});
      ops.lstm_cell_backward(rec, act, pre_t, gates, c_prev_t, c, dh_t, dc_t, dpre, dc_t);
      check_close(to_vector(ops, dpre), edpre, "dpre");
      check_close(to_vector(ops, dc_t), edc, "dc_prev");
    }
  }
}

TEST_CASE("gru cell ops equal the scalar formulas", "[cpu][rnn][gru]") {
  for (const CellCase& k : kCellCases) {
    for (Activation rec : {Activation::hard_sigmoid, Activation::sigmoid}) {
      const Activation act = Activation::tanh;
      INFO("batch " << k.batch << ", units " << k.units << ", threads " << k.threads
                    << ", recurrent " << activation_name(rec));
      CpuBackend ops(k.threads);
      Rng rng(13);
      const int64_t B = k.batch, u = k.units, n = B * u, w = 3 * u;
      std::vector<float> x_pre = random_values(rng, B * w, -3, 3);
      std::vector<float> h_rec = random_values(rng, B * w, -2, 2);
      std::vector<float> rh_rec = random_values(rng, B * w, -2, 2);
      std::vector<float> h_prev = random_values(rng, n, -1, 1);
      std::vector<float> dh = random_values(rng, n, -1, 1), drh = random_values(rng, n, -1, 1);
      std::vector<float> dh_prev0 = random_values(rng, n, -1, 1);

      Tensor pre = to_tensor(ops, {B, w}, x_pre), hp = to_tensor(ops, {B, u}, h_prev);
      Tensor gates = ops.allocate({B, w}), rh = ops.allocate({B, u}), h = ops.allocate({B, u});
      ops.gru_gates_forward(rec, to_tensor(ops, {B, w}, h_rec), hp, pre, gates, rh);
      ops.gru_output_forward(act, to_tensor(ops, {B, w}, rh_rec), hp, pre, gates, h);
      Tensor dpre_zr = to_tensor(ops, {B, w}, std::vector<float>(B * w, 7.0f));
      Tensor dpre_h = to_tensor(ops, {B, w}, std::vector<float>(B * w, 7.0f));
      Tensor dh_prev = to_tensor(ops, {B, u}, dh_prev0);
      ops.gru_output_backward(rec, act, pre, gates, hp, to_tensor(ops, {B, u}, dh), dpre_zr, dpre_h,
                              dh_prev);
      ops.gru_gates_backward(rec, pre, gates, hp, to_tensor(ops, {B, u}, drh), dpre_zr, dh_prev);

      std::vector<float> epre(B * w), eg(B * w), erh(n), eh(n), edzr(B * w, 0.0f), edh(B * w, 0.0f),
          edhp(n);
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = 0; j < u; ++j) {
          int64_t row = b * w, s = b * u + j;
          float pz = x_pre[row + j] + h_rec[row + j];
          float pr = x_pre[row + u + j] + h_rec[row + u + j];
          float z = f(rec, pz), r = f(rec, pr);
          erh[s] = r * h_prev[s];
          float ph = x_pre[row + 2 * u + j] + rh_rec[row + 2 * u + j];
          float hh = f(act, ph);
          epre[row + j] = pz;
          epre[row + u + j] = pr;
          epre[row + 2 * u + j] = ph;
          eg[row + j] = z;
          eg[row + u + j] = r;
          eg[row + 2 * u + j] = hh;
          eh[s] = z * h_prev[s] + (1 - z) * hh;
          edzr[row + j] = dh[s] * (h_prev[s] - hh) * df(rec, pz);
          edzr[row + u + j] = drh[s] * h_prev[s] * df(rec, pr);
          edh[row + 2 * u + j] = dh[s] * (1 - z) * df(act, ph);
          edhp[s] = dh_prev0[s] + dh[s] * z + drh[s] * r;
        }
      check_close(to_vector(ops, pre), epre, "pre");
      check_close(to_vector(ops, gates), eg, "gates");
      check_close(to_vector(ops, rh), erh, "rh");
      check_close(to_vector(ops, h), eh, "h");
      check_close(to_vector(ops, dpre_zr), edzr, "dpre_zr");
      check_close(to_vector(ops, dpre_h), edh, "dpre_h");
      check_close(to_vector(ops, dh_prev), edhp, "dh_prev");
    }
  }
}

TEST_CASE("cell ops reject mismatched shapes", "[cpu][rnn]") {
  CpuBackend ops(1);
  Tensor pre = ops.allocate({2, 8}), c = ops.allocate({2, 2}), gates = ops.allocate({2, 8});
  Tensor h = ops.allocate({2, 2});
  Tensor wrong = ops.allocate({2, 3});
  CHECK_THROWS_AS(
      ops.lstm_cell_forward(Activation::sigmoid, Activation::tanh, pre, wrong, gates, c, h),
      std::invalid_argument);
  Tensor pre7 = ops.allocate({2, 7});
  CHECK_THROWS_AS(
      ops.lstm_cell_forward(Activation::sigmoid, Activation::tanh, pre7, c, gates, c, h),
      std::invalid_argument);
  Tensor rh = ops.allocate({2, 2});
  Tensor pre6 = ops.allocate({2, 6}), g6 = ops.allocate({2, 6});
  CHECK_THROWS_AS(ops.gru_gates_forward(Activation::sigmoid, pre, h, pre6, g6, rh),
                  std::invalid_argument);
}

}  // namespace gapscope
