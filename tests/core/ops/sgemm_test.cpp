// sgemm() against a double-precision reference, on every SIMD level the
// machine runs (each forced in turn), and the ThreadPool it runs on.
#include "core/ops/cpu/sgemm.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/ops/cpu/thread_pool.h"

namespace gapscope {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// Written into C's padding columns: sgemm must leave it alone.
constexpr float kSentinel = 12345.0f;

// A row-major matrix whose padding (columns past `cols` up to `ld`) is NaN, so
// reading outside the logical matrix poisons the result.
struct Matrix {
  int64_t rows, cols, ld;
  std::vector<float> data;
  Matrix(int64_t r, int64_t c, int64_t pad, float padding = kNaN)
      : rows(r),
        cols(c),
        ld(std::max<int64_t>(1, c + pad)),
        data(static_cast<size_t>(std::max<int64_t>(1, r * ld)), padding) {}
  float& at(int64_t r, int64_t c) { return data[static_cast<size_t>(r * ld + c)]; }
  void randomize(std::mt19937& rng) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) at(r, c) = dist(rng);
  }
};

struct Case {
  bool transpose_a, transpose_b;
  int64_t m, n, k;
  float alpha, beta;
  int64_t pad = 0;  // extra leading-dimension columns on A, B and C
};

std::string describe(const Case& c) {
  return "ta=" + std::to_string(c.transpose_a) + " tb=" + std::to_string(c.transpose_b) +
         " m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
         " alpha=" + std::to_string(c.alpha) + " beta=" + std::to_string(c.beta) +
         " pad=" + std::to_string(c.pad);
}

// Runs one sgemm and checks every element against a double reference within
// 1e-5 * sqrt(K) relative to the magnitude of the terms summed (so cancellation
// does not make the bound meaningless). NaN or inf fails; padding must be intact.
void check_sgemm(const Case& t, ThreadPool* pool, uint32_t seed) {
  std::mt19937 rng(seed);
  Matrix a(t.transpose_a ? t.k : t.m, t.transpose_a ? t.m : t.k, t.pad);
  Matrix b(t.transpose_b ? t.n : t.k, t.transpose_b ? t.k : t.n, t.pad);
  Matrix c(t.m, t.n, t.pad, kSentinel);
  a.randomize(rng);
  b.randomize(rng);
  c.randomize(rng);
  if (t.beta == 0.0f) {
    for (int64_t i = 0; i < t.m; ++i)
      for (int64_t j = 0; j < t.n; ++j) c.at(i, j) = kNaN;
  }
  const Matrix c_before = c;
  auto op_a = [&](int64_t i, int64_t p) { return t.transpose_a ? a.at(p, i) : a.at(i, p); };
  auto op_b = [&](int64_t p, int64_t j) { return t.transpose_b ? b.at(j, p) : b.at(p, j); };

  sgemm(t.transpose_a, t.transpose_b, t.m, t.n, t.k, t.alpha, a.data.data(), a.ld, b.data.data(),
        b.ld, t.beta, c.data.data(), c.ld, pool);

  const double tolerance = 1e-5 * std::sqrt(static_cast<double>(std::max<int64_t>(t.k, 1)));
  int64_t failures = 0;
  for (int64_t i = 0; i < t.m; ++i) {
    for (int64_t j = 0; j < c.ld; ++j) {
      const float got = c.at(i, j);
      if (j >= t.n) {
        if (got != kSentinel) ++failures;
        continue;
      }
      double sum = 0, magnitude = 0;
      for (int64_t p = 0; p < t.k; ++p) {
        const double term = double(op_a(i, p)) * double(op_b(p, j));
        sum += term;
        magnitude += std::abs(term);
      }
      double expected = double(t.alpha) * sum;
      magnitude = std::abs(double(t.alpha)) * magnitude;
      if (t.beta != 0.0f) {
        const double old = c_before.data[static_cast<size_t>(i * c.ld + j)];
        expected += double(t.beta) * old;
        magnitude += std::abs(double(t.beta) * old);
      }
      const double error = std::abs(double(got) - expected);
      if (!std::isfinite(got) || !(error <= tolerance * magnitude + 1e-30)) {
        if (failures == 0) {
          INFO(describe(t) << " at (" << i << "," << j << "): got " << got << " expected "
                           << expected << " error " << error << " magnitude " << magnitude);
          CHECK(false);
        }
        ++failures;
      }
    }
  }
  INFO(describe(t));
  REQUIRE(failures == 0);
}

const int64_t kOddSizes[] = {0, 1, 2, 3, 7, 17, 65, 257};

// Runs `body` once per SIMD level this machine runs (e.g. avx512, then
// avx2+fma), that level forced; the automatic choice comes back afterwards.
template <typename Body>
void for_each_simd_level(Body body) {
  struct Restore {
    ~Restore() { sgemm_force_simd_level(nullptr); }
  } restore;
  for (const std::string& level : sgemm_available_simd_levels()) {
    INFO("simd level " << level);
    REQUIRE(sgemm_force_simd_level(level.c_str()));
    REQUIRE(sgemm_simd_level() == level);
    body();
  }
}

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

}  // namespace

TEST_CASE("sgemm reports the SIMD level it runs", "[sgemm]") {
  const std::vector<std::string> levels = sgemm_available_simd_levels();
  REQUIRE(!levels.empty());
  for (const std::string& level : levels) {
    CHECK((level == "avx512" || level == "avx2+fma" || level == "generic"));
  }
#if defined(__AVX2__) && defined(__FMA__)
  CHECK(levels.back() == "avx2+fma");
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  // The AVX-512 kernels are built on every x86-64 GCC/Clang build, so a CPU
  // with AVX-512 must get them: no silent fallback.
  CHECK((levels.front() == "avx512") == cpu_has_avx512());
#endif
  const char* wanted = std::getenv("GAPSCOPE_SIMD");
  if (wanted == nullptr || *wanted == '\0') CHECK(sgemm_simd_level() == levels.front());
}

TEST_CASE("sgemm_force_simd_level selects only available levels", "[sgemm]") {
  const std::string automatic = sgemm_simd_level();
  for (const std::string& level : sgemm_available_simd_levels()) {
    CHECK(sgemm_force_simd_level(level.c_str()));
    CHECK(sgemm_simd_level() == level);
  }
#if defined(__AVX2__) && defined(__FMA__)
  CHECK(sgemm_force_simd_level("avx2"));  // short for avx2+fma
  CHECK(sgemm_simd_level() == std::string("avx2+fma"));
#endif
  CHECK_FALSE(sgemm_force_simd_level("sse9"));
  CHECK_FALSE(sgemm_force_simd_level(""));
  if (!cpu_has_avx512()) CHECK_FALSE(sgemm_force_simd_level("avx512"));
  CHECK(sgemm_force_simd_level(nullptr));
  CHECK(sgemm_simd_level() == automatic);
}

TEST_CASE("sgemm matches a double reference for all odd shapes and transposes", "[sgemm]") {
  ThreadPool two(2);
  for_each_simd_level([&] {
    for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &two}) {
      uint32_t seed = 1;
      for (int ta = 0; ta < 2; ++ta)
        for (int tb = 0; tb < 2; ++tb)
          for (int64_t m : kOddSizes)
            for (int64_t n : kOddSizes)
              for (int64_t k : kOddSizes) {
                check_sgemm({ta == 1, tb == 1, m, n, k, 1.0f, 0.0f}, pool, seed++);
              }
    }
  });
}

TEST_CASE("sgemm applies alpha and beta, and never reads C when beta is 0", "[sgemm]") {
  ThreadPool two(2);
  const float alpha_beta[][2] = {{1.0f, 1.0f}, {0.5f, -1.5f}, {-2.0f, 0.0f}, {1.0f, 0.25f}};
  const int64_t sizes[] = {1, 3, 7, 17, 65};
  for_each_simd_level([&] {
    uint32_t seed = 100;
    for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &two})
      for (const auto& ab : alpha_beta)
        for (int ta = 0; ta < 2; ++ta)
          for (int tb = 0; tb < 2; ++tb)
            for (int64_t m : sizes)
              for (int64_t n : sizes)
                for (int64_t k : sizes) {
                  check_sgemm({ta == 1, tb == 1, m, n, k, ab[0], ab[1]}, pool, seed++);
                }
  });
}

TEST_CASE("sgemm honours leading dimensions wider than the matrices", "[sgemm]") {
  ThreadPool two(2);
  for_each_simd_level([&] {
    uint32_t seed = 5000;
    for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &two})
      for (int64_t pad : {1, 5, 16})
        for (int ta = 0; ta < 2; ++ta)
          for (int tb = 0; tb < 2; ++tb)
            for (int64_t m : {1, 4, 6, 13, 70})
              for (int64_t n : {1, 9, 16, 33, 100})
                for (int64_t k : {1, 8, 30, 260}) {
                  check_sgemm({ta == 1, tb == 1, m, n, k, 1.5f, pad == 5 ? 0.0f : 0.5f, pad}, pool,
                              seed++);
                }
  });
}

TEST_CASE("sgemm with K = 0 or alpha = 0 only scales C", "[sgemm]") {
  for_each_simd_level([&] {
    for (float beta : {0.0f, 1.0f, -0.5f}) {
      check_sgemm({false, false, 5, 7, 0, 1.0f, beta, 2}, nullptr, 1);
      check_sgemm({true, true, 9, 3, 0, 2.0f, beta, 0}, nullptr, 2);
    }
  });
  // alpha == 0: A and B are not referenced (NaN in them must not leak through).
  std::vector<float> a(6, kNaN), b(6, kNaN), c = {1, 2, 3, 4};
  sgemm(false, false, 2, 2, 3, 0.0f, a.data(), 3, b.data(), 2, 2.0f, c.data(), 2, nullptr);
  CHECK(c == std::vector<float>{2, 4, 6, 8});
}

TEST_CASE("sgemm handles the MLP shapes and blocking boundaries", "[sgemm]") {
  ThreadPool two(2);
  const Case cases[] = {
      {false, false, 64, 512, 784, 1.0f, 0.0f},  // forward, batch 64
      {false, false, 64, 512, 512, 1.0f, 1.0f},
      {true, false, 784, 512, 64, 1.0f, 0.0f},  // weight gradient x^T * dy
      {false, true, 64, 784, 512, 1.0f, 0.0f},  // dx = dy * W^T
      {false, false, 64, 10, 512, 1.0f, 0.0f},
      {false, false, 1, 64, 784, 1.0f, 0.0f},  // inference, one sample
      {false, false, 1, 512, 512, 1.0f, 1.0f},
      {false, false, 1, 10, 512, 1.0f, 0.0f},
      {false, true, 1, 10, 512, 1.0f, 0.0f},
      {true, true, 4, 1000, 300, -1.0f, 0.5f},
      {false, false, 2, 2100, 50, 1.0f, 0.5f},  // small-M streaming, two column chunks
      {true, false, 4, 1100, 21, 2.0f, 0.0f},
      {false, false, 3, 70, 9, 1.0f, -1.0f},
      {false, false, 150, 2100, 300, 1.0f, 0.5f},   // > one nc panel, two kc slices
      {true, true, 301, 70, 530, 0.75f, 0.0f},      // three mc blocks
      {false, false, 90, 4200, 520, -0.5f, 0.0f},   // B packed by the tiles, 3 panels
      {false, false, 11, 100, 300, 1.0f, 0.5f},     // first tile shorter than the micro-tile
      {false, false, 40, 95, 270, 1.0f, 1.0f, 3},   // ragged last sliver, padded ld
  };
  for_each_simd_level([&] {
    uint32_t seed = 9000;
    for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &two})
      for (const Case& t : cases) check_sgemm(t, pool, seed++);
  });
}

TEST_CASE("sgemm handles narrow C, in-place tiles and split K (convolution shapes)", "[sgemm]") {
  ThreadPool two(2);
  const Case cases[] = {
      {false, false, 1000, 16, 25, 1.0f, 0.0f},      // conv forward: cols W, 16 filters
      {false, false, 1000, 8, 25, 1.0f, 0.0f},       // 8 filters: masked columns
      {false, false, 300, 32, 800, 1.0f, 0.5f},      // 32 filters, two kc slices
      {false, false, 57, 20, 300, -1.0f, 1.0f},      // one 32-wide sliver, ragged rows
      {false, false, 100, 1, 300, 1.0f, 0.0f},       // a single column
      {true, false, 25, 16, 10368, 1.0f, 1.0f},      // dW += cols^T dz: split K
      {true, false, 25, 32, 5000, 0.5f, -1.0f},      // split K, 32 columns
      {true, false, 400, 16, 576, 1.0f, 1.0f},       // dW, rows cut over threads
      {false, true, 200, 16, 700, 1.0f, 0.0f},       // transposed B packed per kc slice
      {false, true, 30, 13, 600, 2.0f, 0.5f},        // transposed B, partial sliver
      {true, true, 29, 7, 1100, 1.0f, 0.0f},         // both transposed, split K
      {false, false, 9, 16, 3000, 1.0f, 0.5f},       // one short tile, split K
      {false, false, 13, 36, 5000, 1.0f, 0.5f},      // computed transposed, split K, strided C
      {false, false, 70, 12, 530, 1.0f, 1.0f, 3},    // padded leading dimensions
      {true, false, 45, 30, 2000, 1.0f, 0.0f, 5},    // transposed A in place, padded
      {false, true, 576, 400, 16, 1.0f, 0.0f},       // dcols = dz W^T
  };
  for_each_simd_level([&] {
    uint32_t seed = 9500;
    for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &two})
      for (const Case& t : cases) check_sgemm(t, pool, seed++);
  });
}

TEST_CASE("sgemm is deterministic across pool sizes for the same rectangle cut", "[sgemm]") {
  // The small-M path splits only by columns, so results must be bit-identical.
  ThreadPool two(2);
  std::mt19937 rng(3);
  Matrix a(2, 700, 0), b(700, 900, 0);
  a.randomize(rng);
  b.randomize(rng);
  for_each_simd_level([&] {
    std::vector<float> c1(2 * 900), c2(2 * 900);
    sgemm(false, false, 2, 900, 700, 1.0f, a.data.data(), 700, b.data.data(), 900, 0.0f, c1.data(),
          900, nullptr);
    sgemm(false, false, 2, 900, 700, 1.0f, a.data.data(), 700, b.data.data(), 900, 0.0f, c2.data(),
          900, &two);
    CHECK(c1 == c2);
  });
}

TEST_CASE("ThreadPool runs every index exactly once", "[thread_pool]") {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    CHECK(pool.threads() == threads);
    for (int count : {0, 1, 2, 3, 7, 100, 1000}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
      pool.run(count, [&](int i) { hits[static_cast<size_t>(i)].fetch_add(1); });
      for (int i = 0; i < count; ++i) {
        INFO("threads " << threads << " count " << count << " index " << i);
        REQUIRE(hits[static_cast<size_t>(i)].load() == 1);
      }
    }
  }
}

TEST_CASE("ThreadPool of one thread runs tasks on the caller", "[thread_pool]") {
  ThreadPool pool(1);
  const auto caller = std::this_thread::get_id();
  bool all_on_caller = true;
  pool.run(10, [&](int) { all_on_caller = all_on_caller && std::this_thread::get_id() == caller; });
  CHECK(all_on_caller);
}

TEST_CASE("ThreadPool propagates task exceptions and stays usable", "[thread_pool]") {
  for (int threads : {1, 2, 4}) {
    ThreadPool pool(threads);
    CHECK_THROWS_AS(pool.run(8,
                             [](int i) {
                               if (i == 5) throw std::runtime_error("task 5 failed");
                             }),
                    std::runtime_error);
    // Every index throws: whichever thread runs it, exactly one exception comes out.
    CHECK_THROWS_WITH(pool.run(64, [](int) { throw std::logic_error("boom"); }), "boom");
    std::atomic<int> sum{0};
    pool.run(100, [&](int i) { sum += i; });
    CHECK(sum == 4950);
  }
}

TEST_CASE("ThreadPool handles many small runs, also after workers fall asleep", "[thread_pool]") {
  ThreadPool pool(2);
  std::atomic<int64_t> total{0};
  const int runs = 20000;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < runs; ++r) pool.run(2, [&](int i) { total += i + 1; });
  const double us_per_run =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      runs;
  CHECK(total == 3 * runs);
  WARN("ThreadPool(2).run(2, tiny task): " << us_per_run << " us per call");
  CHECK(us_per_run < 200.0);  // loose: the machine is shared; typical is ~1 us

  // Let the workers go to sleep, then wake them repeatedly.
  for (int r = 0; r < 20; ++r) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::atomic<int> hits{0};
    pool.run(5, [&](int) { ++hits; });
    REQUIRE(hits == 5);
  }
}

TEST_CASE("ThreadPool run() nested in a task or from two threads is safe", "[thread_pool]") {
  ThreadPool pool(2);
  std::atomic<int> inner{0};
  pool.run(4, [&](int) { pool.run(3, [&](int) { ++inner; }); });
  CHECK(inner == 12);

  // A task may also drive a GEMM on the same pool (it then runs inline).
  std::vector<float> a(64 * 64, 1.0f), b(64 * 64, 1.0f), c(2 * 64 * 64, 0.0f);
  pool.run(2, [&](int i) {
    sgemm(false, false, 64, 64, 64, 1.0f, a.data(), 64, b.data(), 64, 0.0f,
          c.data() + i * 64 * 64, 64, &pool);
  });
  CHECK(std::all_of(c.begin(), c.end(), [](float v) { return v == 64.0f; }));

  std::atomic<int> total{0};
  auto caller = [&] {
    for (int r = 0; r < 2000; ++r) pool.run(3, [&](int) { ++total; });
  };
  std::thread other(caller);
  caller();
  other.join();
  CHECK(total == 2 * 2000 * 3);
}

TEST_CASE("ThreadPool tasks may take long and the caller waits for all", "[thread_pool]") {
  ThreadPool pool(2);
  std::atomic<int> finished{0};
  pool.run(4, [&](int i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * (i + 1)));
    ++finished;
  });
  CHECK(finished == 4);
}

}  // namespace gapscope
