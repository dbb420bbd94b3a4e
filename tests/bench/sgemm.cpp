// SGEMM throughput: ours (1 and 2 threads) against Eigen (single-threaded,
// EIGEN_DONT_PARALLELIZE) on 1024^3 and the MLP shapes, in one run so the
// ratio is measured under the same machine load.
//   bench_sgemm [--ghz 2.445] [--min-reps 10]
#include "core/ops/cpu/sgemm.h"

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/ops/cpu/thread_pool.h"

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#endif

namespace {

using gapscope::ThreadPool;
using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMajor>;
using Map = Eigen::Map<RowMajor>;

struct Shape {
  const char* name;
  bool transpose_a, transpose_b;
  int64_t m, n, k;
};

const Shape kShapes[] = {
    {"square 1024^3", false, false, 1024, 1024, 1024},
    {"fwd 64x512x784", false, false, 64, 512, 784},
    {"fwd 64x512x512", false, false, 64, 512, 512},
    {"fwd 64x10x512", false, false, 64, 10, 512},
    {"dW 784x512x64 (A^T)", true, false, 784, 512, 64},
    {"dx 64x784x512 (B^T)", false, true, 64, 784, 512},
    {"infer 1x64x784", false, false, 1, 64, 784},
    {"infer 1x512x512", false, false, 1, 512, 512},
    {"infer 1x10x512", false, false, 1, 10, 512},
};

struct Stats {
  double median_s, p10_s, p90_s;  // seconds per call (p10 = fast end)
};

// Times `call` in reps of enough calls to last >= 0.5 ms each, after a warm-up.
Stats measure(const std::function<void()>& call, int min_reps) {
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i) call();
  auto t0 = clock::now();
  call();
  const double once = std::chrono::duration<double>(clock::now() - t0).count();
  const int calls_per_rep = std::max(1, static_cast<int>(5e-4 / std::max(once, 1e-9)));
  const int reps = std::max(min_reps, static_cast<int>(0.3 / std::max(once * calls_per_rep, 1e-9)));
  std::vector<double> times;
  for (int r = 0; r < std::min(reps, 200); ++r) {
    t0 = clock::now();
    for (int c = 0; c < calls_per_rep; ++c) call();
    times.push_back(std::chrono::duration<double>(clock::now() - t0).count() / calls_per_rep);
  }
  std::sort(times.begin(), times.end());
  auto pick = [&](double q) { return times[static_cast<size_t>(q * (times.size() - 1) + 0.5)]; };
  return {pick(0.5), pick(0.1), pick(0.9)};
}

double cpuinfo_ghz() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("cpu MHz", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return std::atof(line.c_str() + colon + 1) / 1000.0;
    }
  }
  return 0;
}

// FMA throughput of one core: 12 independent register chains, no memory
// traffic (asm, so the compiler cannot spill them). The clock in /proc/cpuinfo
// is often a VM's base clock, not the one that runs.
double fma_loop_gflops() {
#if defined(__x86_64__) && defined(__AVX2__) && defined(__FMA__)
  int64_t iterations = 10'000'000;
  const double fmas = 12.0 * iterations;
  const auto t0 = std::chrono::steady_clock::now();
  asm volatile(
      "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"
      "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"
      "1:\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm0\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm1\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm2\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm3\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm4\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm5\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm6\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm7\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm8\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm9\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm10\n\t"
      "vfmadd231ps %%ymm15, %%ymm14, %%ymm11\n\t"
      "dec %0\n\t"
      "jnz 1b\n\t"
      "vzeroupper"
      : "+r"(iterations)
      :
      : "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
        "xmm11", "xmm14", "xmm15", "cc");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return fmas * 16.0 / seconds * 1e-9;  // 8 lanes x 2 flops per FMA
#else
  return 0;
#endif
}

// Best of several runs: the first ones may run before the clock ramps up.
double measured_fma_peak_gflops() {
  double best = 0;
  for (int i = 0; i < 8; ++i) best = std::max(best, fma_loop_gflops());
  return best;
}

std::vector<float> random_matrix(int64_t count, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  double ghz = 0;
  int min_reps = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--ghz")) ghz = std::atof(argv[i + 1]);
    if (!std::strcmp(argv[i], "--min-reps")) min_reps = std::atoi(argv[i + 1]);
  }
  const char* ghz_source = "--ghz";
  if (ghz <= 0) {
    ghz = cpuinfo_ghz();
    ghz_source = "/proc/cpuinfo";
  }
  if (ghz <= 0) {
    ghz = 2.445;
    ghz_source = "default";
  }
  const double peak_per_thread = 2 * 8 * 2 * ghz;  // 2 FMA pipes x 8 lanes x 2 flops
  std::printf("sgemm simd=%s  clock %.3f GHz (%s)  peak %.1f GFLOP/s per thread\n",
              gapscope::sgemm_simd_level(), ghz, ghz_source, peak_per_thread);
  const double fma_peak = measured_fma_peak_gflops();
  if (fma_peak > 0) {
    std::printf(
        "measured FMA peak %.1f GFLOP/s per thread (= %.2f GHz effective; %%meas uses it)\n",
        fma_peak, fma_peak / 32.0);
  }
  std::printf("%-22s %3s %9s %17s %6s %6s %10s | %9s %10s %7s\n", "shape", "thr", "GFLOP/s",
              "[p10  p90]", "%peak", "%meas", "us/call", "Eigen(1t)", "us/call", "ours/Eigen");

  std::mt19937 rng(42);
  std::vector<double> eigen_median(std::size(kShapes), 0);
  for (int threads : {1, 2}) {
    ThreadPool pool(threads);
    for (size_t s = 0; s < std::size(kShapes); ++s) {
      const Shape& sh = kShapes[s];
      const auto a = random_matrix(sh.m * sh.k, rng);
      const auto b = random_matrix(sh.k * sh.n, rng);
      std::vector<float> c(static_cast<size_t>(sh.m * sh.n), 0.0f);
      const int64_t lda = sh.transpose_a ? sh.m : sh.k;
      const int64_t ldb = sh.transpose_b ? sh.k : sh.n;
      const double flops = 2.0 * sh.m * sh.n * sh.k;

      const Stats ours = measure(
          [&] {
            gapscope::sgemm(sh.transpose_a, sh.transpose_b, sh.m, sh.n, sh.k, 1.0f, a.data(), lda,
                            b.data(), ldb, 0.0f, c.data(), sh.n, &pool);
          },
          min_reps);
      if (threads == 1) {
        const ConstMap ea(a.data(), sh.transpose_a ? sh.k : sh.m, lda);
        const ConstMap eb(b.data(), sh.transpose_b ? sh.n : sh.k, ldb);
        Map ec(c.data(), sh.m, sh.n);
        const Stats eigen = measure(
            [&] {
              if (sh.transpose_a && sh.transpose_b) {
                ec.noalias() = ea.transpose() * eb.transpose();
              } else if (sh.transpose_a) {
                ec.noalias() = ea.transpose() * eb;
              } else if (sh.transpose_b) {
                ec.noalias() = ea * eb.transpose();
              } else {
                ec.noalias() = ea * eb;
              }
            },
            min_reps);
        eigen_median[s] = eigen.median_s;
      }
      const double gf = flops / ours.median_s * 1e-9;
      const double eigen_gf = flops / eigen_median[s] * 1e-9;
      std::printf("%-22s %3d %9.1f [%6.1f %6.1f] %5.1f%% %5.1f%% %10.2f | %9.1f %10.2f %7.2fx\n",
                  sh.name, threads, gf, flops / ours.p90_s * 1e-9, flops / ours.p10_s * 1e-9,
                  100.0 * gf / (peak_per_thread * threads),
                  fma_peak > 0 ? 100.0 * gf / (fma_peak * threads) : 0.0, ours.median_s * 1e6,
                  eigen_gf, eigen_median[s] * 1e6, eigen_median[s] / ours.median_s);
      std::fflush(stdout);
    }
  }
  return 0;
}
