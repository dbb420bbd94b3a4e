// measure_peak_gflops(): every thread runs 12 independent FMA chains (enough
// to cover the FMA latency on both pipes of current cores), timed together.
#include "core/ops/cpu/peak_flops.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/ops/cpu/sgemm.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kChains = 12;

// One kind of FMA loop: runs `iterations` x kChains vector FMAs.
struct FmaLoop {
  void (*run)(int64_t iterations);
  int lanes;  // floats per vector
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

// Written in asm so that the compiler can neither spill nor drop the chains.
// All registers start at zero (0 * 0 + 0: no denormals, no assists).
// The asm text needs no compiler flags; these run only when sgemm() runs the
// same ISA, so the CPU has it.
// clang-format off
#define GAPSCOPE_FMA_LOOP(reg)                                                                     \
  asm volatile(                                                                                    \
      "vxorps %%xmm0, %%xmm0, %%xmm0\n\t"                                                          \
      "vxorps %%xmm1, %%xmm1, %%xmm1\n\t"                                                          \
      "vxorps %%xmm2, %%xmm2, %%xmm2\n\t"                                                          \
      "vxorps %%xmm3, %%xmm3, %%xmm3\n\t"                                                          \
      "vxorps %%xmm4, %%xmm4, %%xmm4\n\t"                                                          \
      "vxorps %%xmm5, %%xmm5, %%xmm5\n\t"                                                          \
      "vxorps %%xmm6, %%xmm6, %%xmm6\n\t"                                                          \
      "vxorps %%xmm7, %%xmm7, %%xmm7\n\t"                                                          \
      "vxorps %%xmm8, %%xmm8, %%xmm8\n\t"                                                          \
      "vxorps %%xmm9, %%xmm9, %%xmm9\n\t"                                                          \
      "vxorps %%xmm10, %%xmm10, %%xmm10\n\t"                                                       \
      "vxorps %%xmm11, %%xmm11, %%xmm11\n\t"                                                       \
      "vxorps %%xmm14, %%xmm14, %%xmm14\n\t"                                                       \
      "vxorps %%xmm15, %%xmm15, %%xmm15\n\t"                                                       \
      "1:\n\t"                                                                                     \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "0\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "1\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "2\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "3\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "4\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "5\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "6\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "7\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "8\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "9\n\t"                                       \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "10\n\t"                                      \
      "vfmadd231ps %%" reg "15, %%" reg "14, %%" reg "11\n\t"                                      \
      "dec %0\n\t"                                                                                 \
      "jnz 1b\n\t"                                                                                 \
      "vzeroupper"                                                                                 \
      : "+r"(iterations)                                                                           \
      :                                                                                            \
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",   \
        "xmm11", "xmm14", "xmm15", "cc")
// clang-format on

void fma_loop_avx512(int64_t iterations) { GAPSCOPE_FMA_LOOP("zmm"); }
void fma_loop_avx2(int64_t iterations) { GAPSCOPE_FMA_LOOP("ymm"); }

#undef GAPSCOPE_FMA_LOOP

#endif

// Portable: what the compiler makes of kChains multiply-add chains.
void fma_loop_generic(int64_t iterations) {
  float acc[kChains] = {};
  volatile float factor = 0.0f;  // unknown to the compiler: the loop stays
  const float x = factor;
  for (int64_t i = 0; i < iterations; ++i) {
    for (float& a : acc) a = a * x + x;
  }
  float sum = 0;
  for (float a : acc) sum += a;
  factor = sum;
}

FmaLoop loop_for(const char* simd) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (std::strcmp(simd, "avx512") == 0) return {fma_loop_avx512, 16};
  if (std::strcmp(simd, "avx2+fma") == 0) return {fma_loop_avx2, 8};
#endif
  return {fma_loop_generic, 1};
}

// All threads start together (a spin barrier, given up after 10 ms should the
// pool run the tasks one after another); the run lasts from the first start
// to the last finish, so tasks that did not overlap are not counted as if they had.
double timed_run_gflops(const FmaLoop& loop, int threads, ThreadPool* pool, int64_t iterations) {
  std::atomic<int> arrived{0};
  std::vector<Clock::time_point> start(static_cast<size_t>(threads)), end(start);
  auto task = [&](int t) {
    arrived.fetch_add(1);
    const auto deadline = Clock::now() + std::chrono::milliseconds(10);
    while (arrived.load() < threads && Clock::now() < deadline) {
    }
    start[static_cast<size_t>(t)] = Clock::now();
    loop.run(iterations);
    end[static_cast<size_t>(t)] = Clock::now();
  };
  if (threads == 1) {
    task(0);
  } else {
    pool->run(threads, task);
  }
  const double seconds =
      std::chrono::duration<double>(*std::max_element(end.begin(), end.end()) -
                                    *std::min_element(start.begin(), start.end()))
          .count();
  const double flops = 2.0 * kChains * loop.lanes * double(iterations) * threads;
  return flops / std::max(seconds, 1e-9) * 1e-9;
}

}  // namespace

double measure_peak_gflops(int threads, ThreadPool* pool) {
  threads = std::clamp(threads, 1, pool != nullptr ? pool->threads() : 1);
  const FmaLoop loop = loop_for(sgemm_simd_level());

  // Calibrate to ~8 ms a run, then one untimed run (clock ramp-up, wider
  // vector units waking up) and the median of five.
  constexpr int64_t kProbe = 20000;
  const auto t0 = Clock::now();
  loop.run(kProbe);
  const double probe_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const int64_t iterations = std::clamp<int64_t>(
      static_cast<int64_t>(8e-3 / std::max(probe_s, 1e-9) * kProbe), kProbe, int64_t{1} << 30);
  timed_run_gflops(loop, threads, pool, iterations);
  std::vector<double> runs;
  for (int i = 0; i < 5; ++i) runs.push_back(timed_run_gflops(loop, threads, pool, iterations));
  std::sort(runs.begin(), runs.end());
  return runs[runs.size() / 2];
}

}  // namespace gapscope
