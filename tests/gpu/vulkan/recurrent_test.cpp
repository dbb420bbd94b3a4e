// Embedding, the time-major axis swap and the LSTM/GRU cells on Vulkan
// against the CPU backend.
//
// Tolerances:
// - gather_rows and swap_leading_axes move values: exact (0).
// - scatter_add_rows adds each table row's dout rows in ascending id position,
//   as the CPU does: with up to 1024 ids (one chunk, no split) the same
//   additions in the same order, so bit-exact (SPIR-V does not let a driver
//   reassociate); abs 1e-5 is only a margin. 3000 ids on a small table are
//   split over workgroups and the splits added afterwards: another order of
//   up to 3000 terms in [-1, 1], whose rounding differs by about
//   2^-24 * sqrt(3000) * |partial sums ~ sqrt(3000)| ~ 2e-4: abs 1e-3.
// - cells: each output passes through at most three activations. The CPU's
//   sigmoid is Eigen's rational logistic (within 2e-7 of exact); the GPU's
//   exp, tanh and division are within a few ulp; products of a handful of
//   such factors with |values| <= ~10: rel 1e-5 and abs 2e-6. Wrong indexing
//   (gate order, thirds, rows) moves values by O(0.1-1).
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

constexpr double kCellRel = 1e-5, kCellAbs = 2e-6;

// ids in [0, rows) with repeats, some fractional (truncated like TF.js).
std::vector<float> ids_for(int64_t n, int64_t rows, uint64_t seed) {
  std::vector<float> ids = random_values(n, seed, 0.0f, static_cast<float>(rows));
  for (size_t i = 0; i < ids.size(); ++i)
    if (i % 3 != 0) ids[i] = std::floor(ids[i]);  // most integral, every third fractional
  if (n > 2) ids[1] = ids[0];                      // a repeat for sure
  if (n > 3) ids[3] = -0.5f;                       // truncates to row 0
  return ids;
}

struct CellCase {
  int64_t batch, units;
  Activation recurrent, act;
};

std::vector<CellCase> cell_cases() {
  const std::pair<Activation, Activation> activations[] = {{Activation::sigmoid, Activation::tanh},
                                                           {Activation::hard_sigmoid, Activation::tanh},
                                                           {Activation::sigmoid, Activation::relu},
                                                           {Activation::hard_sigmoid, Activation::sigmoid},
                                                           {Activation::tanh, Activation::relu}};
  std::vector<CellCase> cases;
  for (int64_t batch : {1, 3, 64})
    for (int64_t units : {1, 3, 65})
      for (const auto& [rec, act] : activations) cases.push_back({batch, units, rec, act});
  return cases;
}

std::string name_of(const CellCase& k) {
  return "batch " + std::to_string(k.batch) + " units " + std::to_string(k.units) + " " +
         std::string(activation_name(k.recurrent)) + "/" + std::string(activation_name(k.act));
}

}  // namespace

// ---- embedding ------------------------------------------------------------------

TEST_CASE("vulkan gather_rows matches the CPU", "[gpu][ops][embedding]") {
  uint64_t seed = 6000;
  for (int64_t rows : {1, 7, 300})
    for (int64_t depth : {1, 3, 65, 300})
      for (int64_t n : {1, 50}) {
        Pair table = random_pair({rows, depth}, seed += 3);
        Pair ids = pair_of({n}, ids_for(n, rows, seed += 3));
        Pair out = random_pair({n, depth}, seed += 3, 5.0f, 6.0f);
        cpu().gather_rows(table.cpu, ids.cpu, out.cpu);
        vulkan().gather_rows(table.gpu, ids.gpu, out.gpu);
        require_close(out, 0.0, 0.0, "gather " + std::to_string(n) + " of " + shape_to_string(table.cpu.shape()));
      }
}

TEST_CASE("vulkan scatter_add_rows matches the CPU", "[gpu][ops][embedding]") {
  uint64_t seed = 7000;
  for (int64_t rows : {1, 7, 300})
    for (int64_t depth : {1, 3, 65, 300})
      for (int64_t n : {1, 50, 600, 3000}) {
        Pair dout = random_pair({n, depth}, seed += 3);
        Pair ids = pair_of({n}, ids_for(n, rows, seed += 3));
        Pair dtable = random_pair({rows, depth}, seed += 3, 5.0f, 6.0f);  // overwritten, untouched rows too
        cpu().scatter_add_rows(dout.cpu, ids.cpu, dtable.cpu);
        vulkan().scatter_add_rows(dout.gpu, ids.gpu, dtable.gpu);
        require_close(dtable, 0.0, n > 1024 ? 1e-3 : 1e-5,
                      "scatter " + std::to_string(n) + " into " + shape_to_string(dtable.cpu.shape()));
      }
}

TEST_CASE("vulkan scatter_add_rows with no ids zeroes the table", "[gpu][ops][embedding]") {
  Pair dout{cpu().allocate({0, 4}), vulkan().allocate({0, 4})};
  Pair ids{cpu().allocate({0}), vulkan().allocate({0})};
  Pair dtable = random_pair({5, 4}, 3);
  cpu().scatter_add_rows(dout.cpu, ids.cpu, dtable.cpu);
  vulkan().scatter_add_rows(dout.gpu, ids.gpu, dtable.gpu);
  require_close(dtable, 0.0, 0.0, "scatter of nothing");
}

TEST_CASE("vulkan embedding ids outside the table throw on synchronize", "[gpu][ops][embedding]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  Tensor table = vulkan().allocate({7, 3}), out = vulkan().allocate({4, 3}), dtable = vulkan().allocate({7, 3});
  Pair good_table = random_pair({7, 3}, 11);
  for (float bad : {7.0f, -1.0f, 1e9f, -3.5f, nan}) {
    INFO("bad id " << bad);
    Tensor ids = vulkan().allocate({4});
    vulkan().upload(ids, std::vector<float>{0.0f, 2.0f, bad, 6.0f});
    vulkan().gather_rows(table, ids, out);
    CHECK_THROWS_AS(vulkan().synchronize(), std::out_of_range);
    vulkan().scatter_add_rows(out, ids, dtable);
    std::vector<float> host(static_cast<size_t>(dtable.size()));
    CHECK_THROWS_AS(vulkan().download(dtable, host), std::out_of_range);
    // The error is reported once; the backend works on.
    Pair ids_ok = pair_of({4}, {0.0f, 2.0f, 2.0f, 6.0f});
    Pair out_ok = random_pair({4, 3}, 12);
    cpu().gather_rows(good_table.cpu, ids_ok.cpu, out_ok.cpu);
    vulkan().gather_rows(good_table.gpu, ids_ok.gpu, out_ok.gpu);
    require_close(out_ok, 0.0, 0.0, "gather after an error");
  }
  Tensor ids = vulkan().allocate({2});
  vulkan().upload(ids, std::vector<float>{1.0f, 7.0f});
  Tensor out2 = vulkan().allocate({2, 3});
  vulkan().gather_rows(table, ids, out2);
  CHECK_THROWS_WITH(vulkan().synchronize(), Catch::Contains("id 7") && Catch::Contains("[0, 7)"));
  // Nothing to copy (no columns), still checked.
  Tensor narrow = vulkan().allocate({7, 0}), out0 = vulkan().allocate({2, 0});
  vulkan().gather_rows(narrow, ids, out0);
  CHECK_THROWS_AS(vulkan().synchronize(), std::out_of_range);
  vulkan().scatter_add_rows(out0, ids, narrow);
  CHECK_THROWS_AS(vulkan().synchronize(), std::out_of_range);
  vulkan().synchronize();  // the status was cleared
}

TEST_CASE("vulkan embedding rejects bad shapes as the CPU does", "[gpu][ops][embedding]") {
  Pair table = random_pair({5, 3}, 1), ids = pair_of({2}, {0.0f, 1.0f});
  Pair wrong = random_pair({2, 4}, 2), flat = random_pair({15}, 3);
  same_invalid_argument([&] { cpu().gather_rows(table.cpu, ids.cpu, wrong.cpu); },
                        [&] { vulkan().gather_rows(table.gpu, ids.gpu, wrong.gpu); });
  same_invalid_argument([&] { cpu().gather_rows(flat.cpu, ids.cpu, wrong.cpu); },
                        [&] { vulkan().gather_rows(flat.gpu, ids.gpu, wrong.gpu); });
  same_invalid_argument([&] { cpu().scatter_add_rows(wrong.cpu, ids.cpu, table.cpu); },
                        [&] { vulkan().scatter_add_rows(wrong.gpu, ids.gpu, table.gpu); });
}

// ---- swap ---------------------------------------------------------------------------

TEST_CASE("vulkan swap_leading_axes matches the CPU", "[gpu][ops][rnn]") {
  uint64_t seed = 8000;
  for (const Shape& shape : {Shape{5, 7}, Shape{1, 6}, Shape{6, 1}, Shape{33, 65}, Shape{64, 40}, Shape{3, 4, 2},
                             Shape{40, 64, 100}, Shape{1, 6, 3}, Shape{7, 1, 5}, Shape{65, 3, 1}, Shape{2, 3, 4, 5}}) {
    Shape swapped = shape;
    std::swap(swapped[0], swapped[1]);
    Pair x = random_pair(shape, seed += 3);
    Pair y = random_pair(swapped, seed += 3);
    cpu().swap_leading_axes(x.cpu, y.cpu);
    vulkan().swap_leading_axes(x.gpu, y.gpu);
    require_close(y, 0.0, 0.0, "swap " + shape_to_string(shape));
  }
  Pair x = random_pair({4, 5}, 1), wrong = random_pair({4, 5}, 2), vec = random_pair({20}, 3);
  same_invalid_argument([&] { cpu().swap_leading_axes(x.cpu, wrong.cpu); },
                        [&] { vulkan().swap_leading_axes(x.gpu, wrong.gpu); });
  same_invalid_argument([&] { cpu().swap_leading_axes(vec.cpu, wrong.cpu); },
                        [&] { vulkan().swap_leading_axes(vec.gpu, wrong.gpu); });
}

// ---- LSTM ---------------------------------------------------------------------------

TEST_CASE("vulkan lstm cell forward and backward match the CPU", "[gpu][ops][rnn]") {
  uint64_t seed = 9000;
  for (const CellCase& k : cell_cases()) {
    const std::string name = name_of(k);
    const int64_t b = k.batch, u = k.units;
    Pair pre = random_pair({b, 4 * u}, seed += 3, -3.0f, 3.0f);  // past hard_sigmoid's +-2.5 and relu's 0
    Pair c_prev = random_pair({b, u}, seed += 3, -2.0f, 2.0f);
    Pair gates = random_pair({b, 4 * u}, seed += 3, 5.0f, 6.0f);
    Pair c = random_pair({b, u}, seed += 3, 5.0f, 6.0f), h = random_pair({b, u}, seed += 3, 5.0f, 6.0f);
    cpu().lstm_cell_forward(k.recurrent, k.act, pre.cpu, c_prev.cpu, gates.cpu, c.cpu, h.cpu);
    vulkan().lstm_cell_forward(k.recurrent, k.act, pre.gpu, c_prev.gpu, gates.gpu, c.gpu, h.gpu);
    require_close(gates, kCellRel, kCellAbs, "lstm gates " + name);
    require_close(c, kCellRel, kCellAbs, "lstm c " + name);
    require_close(h, kCellRel, kCellAbs, "lstm h " + name);

    // Backward from the CPU's forward state on both sides.
    Pair g = copy_of_cpu(gates.cpu), cc = copy_of_cpu(c.cpu);
    Pair dh = random_pair({b, u}, seed += 3), dc = random_pair({b, u}, seed += 3);
    Pair dpre = random_pair({b, 4 * u}, seed += 3, 5.0f, 6.0f), dc_prev = random_pair({b, u}, seed += 3, 5.0f, 6.0f);
    cpu().lstm_cell_backward(k.recurrent, k.act, pre.cpu, g.cpu, c_prev.cpu, cc.cpu, dh.cpu, dc.cpu, dpre.cpu,
                             dc_prev.cpu);
    vulkan().lstm_cell_backward(k.recurrent, k.act, pre.gpu, g.gpu, c_prev.gpu, cc.gpu, dh.gpu, dc.gpu, dpre.gpu,
                                dc_prev.gpu);
    require_close(dpre, kCellRel, kCellAbs, "lstm dpre " + name);
    require_close(dc_prev, kCellRel, kCellAbs, "lstm dc_prev " + name);

    // dc_prev aliasing dc: the same results, written over dc.
    Pair dpre2 = random_pair({b, 4 * u}, seed += 3, 5.0f, 6.0f);
    cpu().lstm_cell_backward(k.recurrent, k.act, pre.cpu, g.cpu, c_prev.cpu, cc.cpu, dh.cpu, dc.cpu, dpre2.cpu,
                             dc.cpu);
    vulkan().lstm_cell_backward(k.recurrent, k.act, pre.gpu, g.gpu, c_prev.gpu, cc.gpu, dh.gpu, dc.gpu, dpre2.gpu,
                                dc.gpu);
    require_close(dpre2, kCellRel, kCellAbs, "lstm dpre, dc_prev aliasing dc, " + name);
    require_close(dc, kCellRel, kCellAbs, "lstm dc_prev aliasing dc " + name);
    CHECK(read(vulkan(), dc.gpu) == read(vulkan(), dc_prev.gpu));  // aliasing changes nothing on the GPU
  }
}

// ---- GRU ----------------------------------------------------------------------------

TEST_CASE("vulkan gru cell steps match the CPU", "[gpu][ops][rnn]") {
  uint64_t seed = 10000;
  for (const CellCase& k : cell_cases()) {
    const std::string name = name_of(k);
    const int64_t b = k.batch, u = k.units;
    // Step 1: pre's z, r thirds completed; gates' h third and pre's h third untouched.
    Pair pre = random_pair({b, 3 * u}, seed += 3, -2.0f, 2.0f);
    Pair h_rec = random_pair({b, 3 * u}, seed += 3, -1.0f, 1.0f);
    Pair h_prev = random_pair({b, u}, seed += 3);
    Pair gates = random_pair({b, 3 * u}, seed += 3, 5.0f, 6.0f);
    Pair rh = random_pair({b, u}, seed += 3, 5.0f, 6.0f);
    cpu().gru_gates_forward(k.recurrent, h_rec.cpu, h_prev.cpu, pre.cpu, gates.cpu, rh.cpu);
    vulkan().gru_gates_forward(k.recurrent, h_rec.gpu, h_prev.gpu, pre.gpu, gates.gpu, rh.gpu);
    require_close(pre, kCellRel, kCellAbs, "gru step 1 pre " + name);
    require_close(gates, kCellRel, kCellAbs, "gru step 1 gates " + name);
    require_close(rh, kCellRel, kCellAbs, "gru rh " + name);

    // Step 2 from the CPU's state: pre's h third completed, z, r thirds untouched.
    Pair pre2 = copy_of_cpu(pre.cpu), gates2 = copy_of_cpu(gates.cpu);
    Pair rh_rec = random_pair({b, 3 * u}, seed += 3, -1.0f, 1.0f);
    Pair h = random_pair({b, u}, seed += 3, 5.0f, 6.0f);
    cpu().gru_output_forward(k.act, rh_rec.cpu, h_prev.cpu, pre2.cpu, gates2.cpu, h.cpu);
    vulkan().gru_output_forward(k.act, rh_rec.gpu, h_prev.gpu, pre2.gpu, gates2.gpu, h.gpu);
    require_close(pre2, kCellRel, kCellAbs, "gru step 2 pre " + name);
    require_close(gates2, kCellRel, kCellAbs, "gru step 2 gates " + name);
    require_close(h, kCellRel, kCellAbs, "gru h " + name);

    // Backward of step 2 then step 1, from the CPU's forward state.
    Pair pre3 = copy_of_cpu(pre2.cpu), gates3 = copy_of_cpu(gates2.cpu);
    Pair dh = random_pair({b, u}, seed += 3);
    Pair dpre_zr = random_pair({b, 3 * u}, seed += 3, 5.0f, 6.0f), dpre_h = random_pair({b, 3 * u}, seed += 3, 5.0f, 6.0f);
    Pair dh_prev = random_pair({b, u}, seed += 3);  // accumulated into
    cpu().gru_output_backward(k.recurrent, k.act, pre3.cpu, gates3.cpu, h_prev.cpu, dh.cpu, dpre_zr.cpu, dpre_h.cpu,
                              dh_prev.cpu);
    vulkan().gru_output_backward(k.recurrent, k.act, pre3.gpu, gates3.gpu, h_prev.gpu, dh.gpu, dpre_zr.gpu,
                                 dpre_h.gpu, dh_prev.gpu);
    require_close(dpre_zr, kCellRel, kCellAbs, "gru dpre_zr after step 2 backward " + name);
    require_close(dpre_h, kCellRel, kCellAbs, "gru dpre_h " + name);
    require_close(dh_prev, kCellRel, kCellAbs, "gru dh_prev after step 2 backward " + name);

    Pair dzr = copy_of_cpu(dpre_zr.cpu), dhp = copy_of_cpu(dh_prev.cpu);
    Pair drh = random_pair({b, u}, seed += 3);
    cpu().gru_gates_backward(k.recurrent, pre3.cpu, gates3.cpu, h_prev.cpu, drh.cpu, dzr.cpu, dhp.cpu);
    vulkan().gru_gates_backward(k.recurrent, pre3.gpu, gates3.gpu, h_prev.gpu, drh.gpu, dzr.gpu, dhp.gpu);
    require_close(dzr, kCellRel, kCellAbs, "gru dpre_zr after step 1 backward " + name);
    require_close(dhp, kCellRel, kCellAbs, "gru dh_prev after step 1 backward " + name);
  }
}

TEST_CASE("vulkan cells reject bad arguments as the CPU does", "[gpu][ops][rnn]") {
  Pair pre4 = random_pair({2, 8}, 1), pre3 = random_pair({2, 6}, 2), odd = random_pair({2, 7}, 3);
  Pair s = random_pair({2, 2}, 4), wrong = random_pair({3, 2}, 5);
  const Activation sg = Activation::sigmoid, th = Activation::tanh;
  same_invalid_argument([&] { cpu().lstm_cell_forward(sg, th, odd.cpu, s.cpu, odd.cpu, s.cpu, s.cpu); },
                        [&] { vulkan().lstm_cell_forward(sg, th, odd.gpu, s.gpu, odd.gpu, s.gpu, s.gpu); });
  same_invalid_argument([&] { cpu().lstm_cell_forward(sg, th, pre4.cpu, wrong.cpu, pre4.cpu, s.cpu, s.cpu); },
                        [&] { vulkan().lstm_cell_forward(sg, th, pre4.gpu, wrong.gpu, pre4.gpu, s.gpu, s.gpu); });
  same_invalid_argument(
      [&] { cpu().lstm_cell_backward(sg, th, pre4.cpu, pre4.cpu, s.cpu, s.cpu, s.cpu, s.cpu, pre4.cpu, wrong.cpu); },
      [&] {
        vulkan().lstm_cell_backward(sg, th, pre4.gpu, pre4.gpu, s.gpu, s.gpu, s.gpu, s.gpu, pre4.gpu, wrong.gpu);
      });
  same_invalid_argument([&] { cpu().gru_gates_forward(sg, pre4.cpu, s.cpu, pre3.cpu, pre3.cpu, s.cpu); },
                        [&] { vulkan().gru_gates_forward(sg, pre4.gpu, s.gpu, pre3.gpu, pre3.gpu, s.gpu); });
  same_invalid_argument([&] { cpu().gru_output_forward(th, pre3.cpu, s.cpu, pre3.cpu, pre3.cpu, wrong.cpu); },
                        [&] { vulkan().gru_output_forward(th, pre3.gpu, s.gpu, pre3.gpu, pre3.gpu, wrong.gpu); });
  same_invalid_argument(
      [&] { cpu().gru_output_backward(sg, th, pre3.cpu, pre3.cpu, s.cpu, s.cpu, pre3.cpu, pre4.cpu, s.cpu); },
      [&] { vulkan().gru_output_backward(sg, th, pre3.gpu, pre3.gpu, s.gpu, s.gpu, pre3.gpu, pre4.gpu, s.gpu); });
  same_invalid_argument([&] { cpu().gru_gates_backward(sg, pre3.cpu, pre3.cpu, s.cpu, wrong.cpu, pre3.cpu, s.cpu); },
                        [&] { vulkan().gru_gates_backward(sg, pre3.gpu, pre3.gpu, s.gpu, wrong.gpu, pre3.gpu, s.gpu); });
  CHECK_THROWS_AS(vulkan().lstm_cell_forward(Activation::softmax, th, pre4.gpu, s.gpu, pre4.gpu, s.gpu, s.gpu),
                  std::logic_error);
}

}  // namespace gapscope::gpu::test
