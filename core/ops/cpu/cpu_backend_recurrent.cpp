// native-cpu embedding (gather/scatter of table rows) and recurrent-cell ops:
// the time-major axis swap, the LSTM cell and the GRU cell in TF.js's form
// (gate orders i, f, c, o and z, r, h; GRU with reset_after = false).
//
// Speed: a cell works a batch row at a time, in column chunks that keep its
// temporaries on the stack (L1); sigmoid/tanh are Eigen's vectorised array
// functions and hard_sigmoid a clamp. Batches big enough to pay for the hand-off
// are split by rows over the thread pool.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/ops/cpu/activation_ranges.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/cpu/parallel_ranges.h"
#include "core/ops/cpu/thread_pool.h"
#include "core/ops/op_checks_layers.h"

namespace gapscope {
namespace {

using Array = Eigen::Map<Eigen::ArrayXf>;
using ConstArray = Eigen::Map<const Eigen::ArrayXf>;

// Columns a cell handles at once: its temporaries (a few of these) stay in L1.
constexpr int64_t kChunk = 256;

// y[n] = f(x[n]) for a gate or output activation (never softmax: the layers
// reject it, TF.js would normalise each gate slice on its own). Sigmoid gates
// take Eigen's rational logistic (within 2e-7 of 1 / (1 + exp(-x)), twice as
// fast: the cells spend much of their element-wise time there); every other
// activation is the activation ops' own kernel.
void activate(Activation a, const float* x, float* y, int64_t n) {
  if (a == Activation::softmax)
    throw std::logic_error("recurrent cell: softmax is not an element-wise activation");
  if (a == Activation::sigmoid) {
    Array(y, n) = ConstArray(x, n).logistic();
    return;
  }
  forward_range(a, x, y, n);
}

// The row id ids[i] of a table with `rows` rows, as TF.js casts it (truncation).
int64_t checked_id(const char* op, float value, int64_t position, int64_t rows) {
  if (!(value > -1.0f && value < static_cast<float>(rows))) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "%s: id %g at position %lld is outside the table of %lld rows [0, %lld)", op,
                  static_cast<double>(value), static_cast<long long>(position),
                  static_cast<long long>(rows), static_cast<long long>(rows));
    throw std::out_of_range(text);
  }
  return static_cast<int64_t>(value);
}

}  // namespace

// ---- embedding -------------------------------------------------------------------

// table [V, D], ids [N] -> out [N, D]
void CpuBackend::gather_rows(const Tensor& table, const Tensor& ids, Tensor& out) {
  check_embedding_operands("gather_rows", table, ids, out);
  const int64_t n = ids.size(), rows = table.dim(0), d = table.dim(1);
  const float* id = ids.data();
  for (int64_t i = 0; i < n; ++i) checked_id("gather_rows", id[i], i, rows);  // all, before writing
  const float* t = table.data();
  float* o = out.data();
  for_ranges(pool_.get(), n, std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(d, 1)),
             [&](int64_t b, int64_t e) {
               for (int64_t i = b; i < e; ++i)
                 std::memcpy(o + i * d, t + static_cast<int64_t>(id[i]) * d, d * sizeof(float));
             });
}

// dout [N, D], ids [N] -> dtable [V, D] = 0, then dtable[ids[i]] += dout[i]
void CpuBackend::scatter_add_rows(const Tensor& dout, const Tensor& ids, Tensor& dtable) {
  check_embedding_operands("scatter_add_rows", dtable, ids, dout);
  const int64_t n = ids.size(), rows = dtable.dim(0), d = dtable.dim(1);
  const float* id = ids.data();
  for (int64_t i = 0; i < n; ++i) checked_id("scatter_add_rows", id[i], i, rows);
  const float* g = dout.data();
  float* t = dtable.data();
  std::fill_n(t, dtable.size(), 0.0f);
  // Threads own column ranges: repeated ids never race.
  for_ranges(pool_.get(), d, std::max<int64_t>(16, kGrainCheap / std::max<int64_t>(n, 1)),
             [&](int64_t c0, int64_t c1) {
               for (int64_t i = 0; i < n; ++i)
                 Array(t + static_cast<int64_t>(id[i]) * d + c0, c1 - c0) +=
                     ConstArray(g + i * d + c0, c1 - c0);
             });
}

// ---- recurrent layers ------------------------------------------------------------

// x [A, B, F...] -> y [B, A, F...]
void CpuBackend::swap_leading_axes(const Tensor& x, Tensor& y) {
  check_swap_leading_axes(x, y);
  const int64_t a = x.dim(0), b = x.dim(1), f = a * b != 0 ? x.size() / (a * b) : 0;
  const float* xp = x.data();
  float* yp = y.data();
  // Each part writes whole [A, F] blocks of y (contiguous), reading A strided rows.
  for_ranges(pool_.get(), b, std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(a * f, 1)),
             [&](int64_t j0, int64_t j1) {
               if (f == 1) {  // a matrix transpose: tiles keep both sides in cache
                 constexpr int64_t kTile = 16;
                 for (int64_t jt = j0; jt < j1; jt += kTile)
                   for (int64_t it = 0; it < a; it += kTile)
                     for (int64_t j = jt; j < std::min(jt + kTile, j1); ++j)
                       for (int64_t i = it; i < std::min(it + kTile, a); ++i)
                         yp[j * a + i] = xp[i * b + j];
                 return;
               }
               for (int64_t j = j0; j < j1; ++j)
                 for (int64_t i = 0; i < a; ++i)
                   std::copy_n(xp + (i * b + j) * f, f, yp + (j * a + i) * f);
             });
}

// pre [B, 4u], c_prev [B, u] -> gates [B, 4u], c [B, u], h [B, u]
void CpuBackend::lstm_cell_forward(Activation recurrent, Activation act, const Tensor& pre,
                                   const Tensor& c_prev, Tensor& gates, Tensor& c, Tensor& h) {
  const int64_t u = check_lstm_cell_forward(pre, c_prev, gates, c, h), batch = pre.dim(0);
  const float *pp = pre.data(), *cpp = c_prev.data();
  float *gp = gates.data(), *cp = c.data(), *hp = h.data();
  for_rows(pool_.get(), batch, 4 * u, [&](int64_t r0, int64_t r1) {
    alignas(64) float tc[kChunk];
    for (int64_t r = r0; r < r1; ++r) {
      const float* p = pp + r * 4 * u;
      float* g = gp + r * 4 * u;
      activate(recurrent, p, g, 2 * u);  // i, f
      activate(act, p + 2 * u, g + 2 * u, u);
      activate(recurrent, p + 3 * u, g + 3 * u, u);
      for (int64_t j = 0; j < u; j += kChunk) {
        const int64_t n = std::min(kChunk, u - j);
        ConstArray i(g + j, n), f(g + u + j, n), cc(g + 2 * u + j, n), o(g + 3 * u + j, n);
        Array cr(cp + r * u + j, n);
        cr = f * ConstArray(cpp + r * u + j, n) + i * cc;
        activate(act, cr.data(), tc, n);
        Array(hp + r * u + j, n) = o * ConstArray(tc, n);
      }
    }
  });
}

// dh, dc [B, u] -> dpre [B, 4u], dc_prev [B, u] (may alias dc):
//   dc_total = dc + dh*o*act'(c);  dpre_o = dh*act(c)*rec'(pre_o)
//   dpre_i = dc_total*c~*rec'(pre_i);  dpre_f = dc_total*c_prev*rec'(pre_f)
//   dpre_c = dc_total*i*act'(pre_c);  dc_prev = dc_total*f
void CpuBackend::lstm_cell_backward(Activation recurrent, Activation act, const Tensor& pre,
                                    const Tensor& gates, const Tensor& c_prev, const Tensor& c,
                                    const Tensor& dh, const Tensor& dc, Tensor& dpre,
                                    Tensor& dc_prev) {
  const int64_t u = check_lstm_cell_backward(pre, gates, c_prev, c, dh, dc, dpre, dc_prev),
                batch = pre.dim(0);
  const float *pp = pre.data(), *gp = gates.data(), *cpp = c_prev.data(), *cp = c.data(),
              *dhp = dh.data(), *dcp = dc.data();
  float *dpp = dpre.data(), *dcpp = dc_prev.data();
  for_rows(pool_.get(), batch, 6 * u, [&](int64_t r0, int64_t r1) {
    alignas(64) float tc[kChunk], dtc[kChunk], di[kChunk], df[kChunk], dcc[kChunk], dO[kChunk],
        dct[kChunk];
    for (int64_t r = r0; r < r1; ++r) {
      const float* p = pp + r * 4 * u;
      const float* g = gp + r * 4 * u;
      float* dp = dpp + r * 4 * u;
      for (int64_t j = 0; j < u; j += kChunk) {
        const int64_t n = std::min(kChunk, u - j), s = r * u + j;
        activate(act, cp + s, tc, n);
        derivative_block(act, cp + s, tc, dtc, n);
        derivative_block(recurrent, p + j, g + j, di, n);
        derivative_block(recurrent, p + u + j, g + u + j, df, n);
        derivative_block(act, p + 2 * u + j, g + 2 * u + j, dcc, n);
        derivative_block(recurrent, p + 3 * u + j, g + 3 * u + j, dO, n);
        ConstArray i(g + j, n), f(g + u + j, n), cc(g + 2 * u + j, n), o(g + 3 * u + j, n);
        ConstArray dhr(dhp + s, n);
        Array total(dct, n);
        total = ConstArray(dcp + s, n) + dhr * o * ConstArray(dtc, n);
        Array(dp + j, n) = total * cc * ConstArray(di, n);
        Array(dp + u + j, n) = total * ConstArray(cpp + s, n) * ConstArray(df, n);
        Array(dp + 2 * u + j, n) = total * i * ConstArray(dcc, n);
        Array(dp + 3 * u + j, n) = dhr * ConstArray(tc, n) * ConstArray(dO, n);
        Array(dcpp + s, n) = total * f;  // last: dc_prev may alias dc
      }
    }
  });
}

// h_rec [B, 3u] = h_prev U, h_prev [B, u]; pre [B, 3u] in/out -> gates[:, zr], rh [B, u]
void CpuBackend::gru_gates_forward(Activation recurrent, const Tensor& h_rec, const Tensor& h_prev,
                                   Tensor& pre, Tensor& gates, Tensor& rh) {
  const int64_t u = check_gru_gates_forward(h_rec, h_prev, pre, gates, rh), batch = pre.dim(0);
  const float *hrp = h_rec.data(), *hpp = h_prev.data();
  float *pp = pre.data(), *gp = gates.data(), *rhp = rh.data();
  for_rows(pool_.get(), batch, 2 * u, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* p = pp + r * 3 * u;
      float* g = gp + r * 3 * u;
      Array(p, 2 * u) += ConstArray(hrp + r * 3 * u, 2 * u);
      activate(recurrent, p, g, 2 * u);
      Array(rhp + r * u, u) = ConstArray(g + u, u) * ConstArray(hpp + r * u, u);
    }
  });
}

// rh_rec [B, 3u] = rh U, h_prev [B, u]; pre [B, 3u] in/out -> gates[:, h], h [B, u]
void CpuBackend::gru_output_forward(Activation act, const Tensor& rh_rec, const Tensor& h_prev,
                                    Tensor& pre, Tensor& gates, Tensor& h) {
  const int64_t u = check_gru_output_forward(rh_rec, h_prev, pre, gates, h), batch = pre.dim(0);
  const float *rrp = rh_rec.data(), *hpp = h_prev.data();
  float *pp = pre.data(), *gp = gates.data(), *hp = h.data();
  for_rows(pool_.get(), batch, 2 * u, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      float* p = pp + r * 3 * u + 2 * u;
      float* g = gp + r * 3 * u;
      Array(p, u) += ConstArray(rrp + r * 3 * u + 2 * u, u);
      activate(act, p, g + 2 * u, u);
      ConstArray z(g, u), hh(g + 2 * u, u), hprev(hpp + r * u, u);
      Array(hp + r * u, u) = z * hprev + (1.0f - z) * hh;
    }
  });
}

// dh [B, u] -> dpre_zr [B, 3u] (z third), dpre_h [B, 3u] (h third), dh_prev += dh*z
void CpuBackend::gru_output_backward(Activation recurrent, Activation act, const Tensor& pre,
                                     const Tensor& gates, const Tensor& h_prev, const Tensor& dh,
                                     Tensor& dpre_zr, Tensor& dpre_h, Tensor& dh_prev) {
  const int64_t u = check_gru_output_backward(pre, gates, h_prev, dh, dpre_zr, dpre_h, dh_prev),
                batch = pre.dim(0);
  const float *pp = pre.data(), *gp = gates.data(), *hpp = h_prev.data(), *dhp = dh.data();
  float *dzrp = dpre_zr.data(), *dhhp = dpre_h.data(), *dhpp = dh_prev.data();
  for_rows(pool_.get(), batch, 4 * u, [&](int64_t r0, int64_t r1) {
    alignas(64) float dz[kChunk], dhh[kChunk];
    for (int64_t r = r0; r < r1; ++r) {
      const float* p = pp + r * 3 * u;
      const float* g = gp + r * 3 * u;
      float* dzr = dzrp + r * 3 * u;
      float* dph = dhhp + r * 3 * u;
      std::fill_n(dzr + u, 2 * u, 0.0f);
      std::fill_n(dph, 2 * u, 0.0f);
      for (int64_t j = 0; j < u; j += kChunk) {
        const int64_t n = std::min(kChunk, u - j), s = r * u + j;
        derivative_block(recurrent, p + j, g + j, dz, n);
        derivative_block(act, p + 2 * u + j, g + 2 * u + j, dhh, n);
        ConstArray z(g + j, n), hh(g + 2 * u + j, n), hprev(hpp + s, n), d(dhp + s, n);
        Array(dzr + j, n) = d * (hprev - hh) * ConstArray(dz, n);
        Array(dph + 2 * u + j, n) = d * (1.0f - z) * ConstArray(dhh, n);
        Array(dhpp + s, n) += d * z;
      }
    }
  });
}

// drh [B, u] = dpre_h U^T -> dpre_zr[:, r], dh_prev += drh*r
void CpuBackend::gru_gates_backward(Activation recurrent, const Tensor& pre, const Tensor& gates,
                                    const Tensor& h_prev, const Tensor& drh, Tensor& dpre_zr,
                                    Tensor& dh_prev) {
  const int64_t u = check_gru_gates_backward(pre, gates, h_prev, drh, dpre_zr, dh_prev),
                batch = pre.dim(0);
  const float *pp = pre.data(), *gp = gates.data(), *hpp = h_prev.data(), *drp = drh.data();
  float *dzrp = dpre_zr.data(), *dhpp = dh_prev.data();
  for_rows(pool_.get(), batch, 2 * u, [&](int64_t r0, int64_t r1) {
    alignas(64) float dr[kChunk];
    for (int64_t r = r0; r < r1; ++r) {
      const float* p = pp + r * 3 * u + u;
      const float* g = gp + r * 3 * u + u;
      float* dzr = dzrp + r * 3 * u + u;
      for (int64_t j = 0; j < u; j += kChunk) {
        const int64_t n = std::min(kChunk, u - j), s = r * u + j;
        derivative_block(recurrent, p + j, g + j, dr, n);
        ConstArray d(drp + s, n), rg(g + j, n);
        Array(dzr + j, n) = d * ConstArray(hpp + s, n) * ConstArray(dr, n);
        Array(dhpp + s, n) += d * rg;
      }
    }
  });
}

}  // namespace gapscope
