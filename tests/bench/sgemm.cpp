// SGEMM throughput of every SIMD level this machine runs (AVX-512 and AVX2
// side by side where it has both), on 1 and 2 threads, against each level's
// measured FMA peak and against Eigen (single-threaded, EIGEN_DONT_PARALLELIZE),
// on 1024^3 and the MLP shapes. The levels alternate shape by shape, so their
// ratio is measured under the same machine load.
//   bench_sgemm [--min-reps 10] [--only SUBSTRING-OF-SHAPE-NAME]
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/ops/cpu/peak_flops.h"
#include "core/ops/cpu/sgemm.h"
#include "core/ops/cpu/thread_pool.h"

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
    // paper-cnn convolutions at batch 64, as conv2d_layer.cpp calls them per
    // im2col chunk: forward cols W, dW += cols^T dz, dcols = dz W^T.
    {"conv1 fwd 10368x8x25", false, false, 10368, 8, 25},
    {"conv1 fwd 10368x16x25", false, false, 10368, 16, 25},
    {"conv1 fwd 10368x32x25", false, false, 10368, 32, 25},
    {"conv1 dW 25x16x10368 (A^T)", true, false, 25, 16, 10368},
    {"conv1 dW 25x32x10368 (A^T)", true, false, 25, 32, 10368},
    {"conv2 fwd 1152x8x200", false, false, 1152, 8, 200},
    {"conv2 fwd 576x16x400", false, false, 576, 16, 400},
    {"conv2 fwd 288x32x800", false, false, 288, 32, 800},
    {"conv2 dW 400x16x576 (A^T)", true, false, 400, 16, 576},
    {"conv2 dW 800x32x288 (A^T)", true, false, 800, 32, 288},
    {"conv2 dcols 576x400x16 (B^T)", false, true, 576, 400, 16},
    {"conv2 dcols 288x800x32 (B^T)", false, true, 288, 800, 32},
};

// Seconds per call: the median of reps of enough calls to last >= 0.5 ms
// each, after a warm-up.
double median_seconds(const std::function<void()>& call, int min_reps) {
  using clock = std::chrono::steady_clock;
  for (int i = 0; i < 3; ++i) call();
  auto t0 = clock::now();
  call();
  const double once = std::chrono::duration<double>(clock::now() - t0).count();
  const int calls_per_rep = std::max(1, static_cast<int>(5e-4 / std::max(once, 1e-9)));
  const int reps =
      std::max(min_reps, static_cast<int>(0.2 / std::max(once * calls_per_rep, 1e-9)));
  std::vector<double> times;
  for (int r = 0; r < std::min(reps, 200); ++r) {
    t0 = clock::now();
    for (int c = 0; c < calls_per_rep; ++c) call();
    times.push_back(std::chrono::duration<double>(clock::now() - t0).count() / calls_per_rep);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

std::vector<float> random_matrix(int64_t count, std::mt19937& rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = dist(rng);
  return v;
}

double eigen_seconds(const Shape& sh, const std::vector<float>& a, const std::vector<float>& b,
                     std::vector<float>& c, int min_reps) {
  const ConstMap ea(a.data(), sh.transpose_a ? sh.k : sh.m, sh.transpose_a ? sh.m : sh.k);
  const ConstMap eb(b.data(), sh.transpose_b ? sh.n : sh.k, sh.transpose_b ? sh.k : sh.n);
  Map ec(c.data(), sh.m, sh.n);
  return median_seconds(
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
}

}  // namespace

int main(int argc, char** argv) {
  int min_reps = 10;
  const char* only = "";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--min-reps")) min_reps = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
  }
  const std::vector<std::string> levels = gapscope::sgemm_available_simd_levels();
  std::printf("sgemm levels here: ");
  for (const std::string& level : levels) std::printf("%s ", level.c_str());
  std::printf("(automatic choice: %s)\n", gapscope::sgemm_simd_level());

  std::mt19937 rng(42);
  std::map<std::string, double> eigen_s;  // per shape, 1 thread
  for (int threads : {1, 2}) {
    ThreadPool pool(threads);
    std::printf("\n%d thread(s), measured FMA peak:", threads);
    std::vector<double> peak;
    for (const std::string& level : levels) {
      gapscope::sgemm_force_simd_level(level.c_str());
      peak.push_back(gapscope::measure_peak_gflops(threads, &pool));
      std::printf("  %s %.1f GFLOP/s", level.c_str(), peak.back());
    }
    std::printf("\n%-29s", "shape");
    for (const std::string& level : levels) {
      std::printf(" | %8s GFLOP/s %%peak   us/call", level.c_str());
    }
    std::printf(" | %s/%s | Eigen(1t) GFLOP/s\n", levels.front().c_str(), levels.back().c_str());

    for (const Shape& sh : kShapes) {
      if (!std::strstr(sh.name, only)) continue;
      const auto a = random_matrix(sh.m * sh.k, rng);
      const auto b = random_matrix(sh.k * sh.n, rng);
      std::vector<float> c(static_cast<size_t>(sh.m * sh.n), 0.0f);
      const int64_t lda = sh.transpose_a ? sh.m : sh.k;
      const int64_t ldb = sh.transpose_b ? sh.k : sh.n;
      const double flops = 2.0 * sh.m * sh.n * sh.k;
      std::printf("%-29s", sh.name);
      std::vector<double> seconds;
      for (size_t l = 0; l < levels.size(); ++l) {
        gapscope::sgemm_force_simd_level(levels[l].c_str());
        seconds.push_back(median_seconds(
            [&] {
              gapscope::sgemm(sh.transpose_a, sh.transpose_b, sh.m, sh.n, sh.k, 1.0f, a.data(),
                              lda, b.data(), ldb, 0.0f, c.data(), sh.n, &pool);
            },
            min_reps));
        const double gf = flops / seconds.back() * 1e-9;
        std::printf(" | %16.1f %5.1f%% %8.2f", gf, 100.0 * gf / peak[l], seconds.back() * 1e6);
      }
      if (threads == 1) eigen_s[sh.name] = eigen_seconds(sh, a, b, c, min_reps);
      std::printf(" | %9.2fx | %9.1f\n", seconds.back() / seconds.front(),
                  flops / eigen_s[sh.name] * 1e-9);
      std::fflush(stdout);
    }
  }
  gapscope::sgemm_force_simd_level(nullptr);
  return 0;
}
