// native-cpu memory, GEMM and row reductions. Element-wise, loss and optimizer
// methods live in cpu_backend_elementwise.cpp and cpu_backend_optimizer.cpp.
#include "core/ops/cpu/cpu_backend.h"
#include "core/ops/op_checks.h"

#include <sys/mman.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <thread>

#include "core/base/sanitizers.h"
#include "core/ops/cpu/flush_denormals.h"
#include "core/ops/cpu/sgemm.h"
#include "core/ops/cpu/thread_pool.h"

namespace gapscope {
namespace {

// 64-byte aligned, zero-filled host memory (one cache line; full AVX-512
// loads). Large tensors are mapped straight from the kernel, whose pages are
// zero and take no memory until written: a layer's gradient buffers, reserved
// with its activations, cost nothing while the model only infers (ResNet50 at
// batch 32 would otherwise hold training's 9 GiB to predict). Under ASan they
// stay on the heap, where its red zones check them.
class HostStorage final : public Storage {
 public:
  explicit HostStorage(int64_t floats) : size_(floats) {
    bytes_ = static_cast<size_t>(std::max<int64_t>(floats, 1)) * sizeof(float);
    bytes_ = (bytes_ + 63) / 64 * 64;
    if (kMapped && bytes_ >= kMapBytes) {
      void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      data_ = static_cast<float*>(p);
      mapped_ = true;
      return;
    }
    data_ = static_cast<float*>(std::aligned_alloc(64, bytes_));
    if (!data_) throw std::bad_alloc();
    std::memset(data_, 0, bytes_);
  }
  ~HostStorage() override {
    if (mapped_)
      munmap(data_, bytes_);
    else
      std::free(data_);
  }
  float* host_data() override { return data_; }
  int64_t size() const override { return size_; }

 private:
  static constexpr bool kMapped = !kAddressSanitizer;
  static constexpr size_t kMapBytes = size_t{1} << 20;
  float* data_;
  size_t bytes_;
  int64_t size_;
  bool mapped_ = false;
};

int default_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace

CpuBackend::CpuBackend(int threads)
    : pool_(std::make_unique<ThreadPool>(threads > 0 ? threads : default_threads())) {}

CpuBackend::~CpuBackend() = default;

int CpuBackend::threads() const { return pool_->threads(); }

Capabilities CpuBackend::capabilities() const {
  return {{"backend", "native-cpu"},
          {"threads", std::to_string(pool_->threads())},
          {"simd", sgemm_simd_level()},
          {"eigen", std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) +
                        "." + std::to_string(EIGEN_MINOR_VERSION)},
          {"eigen_simd", Eigen::SimdInstructionSetsInUse()},
          // The pool's threads inherit the mode of the thread that made them.
          {"denormals", denormals_flushed_on_this_thread() ? "flushed to zero" : "kept"}};
}

Tensor CpuBackend::allocate(const Shape& shape) {
  int64_t n = element_count(shape);
  return Tensor(shape, std::make_shared<HostStorage>(n));
}

void CpuBackend::upload(Tensor& dst, std::span<const float> src) {
  if (static_cast<int64_t>(src.size()) != dst.size())
    throw std::invalid_argument("upload: " + std::to_string(src.size()) + " values for tensor " +
                                shape_to_string(dst.shape()));
  std::copy(src.begin(), src.end(), dst.data());
}

void CpuBackend::download(const Tensor& src, std::span<float> dst) {
  if (static_cast<int64_t>(dst.size()) != src.size())
    throw std::invalid_argument("download: room for " + std::to_string(dst.size()) +
                                " values, tensor " + shape_to_string(src.shape()));
  std::copy(src.data(), src.data() + src.size(), dst.begin());
}

void CpuBackend::fill(Tensor& t, float value) { std::fill_n(t.data(), t.size(), value); }

void CpuBackend::copy(const Tensor& src, Tensor& dst) {
  require_same_size(src, dst, "copy");
  std::copy_n(src.data(), src.size(), dst.data());
}

void CpuBackend::gemm(bool transpose_a, bool transpose_b, float alpha, const Tensor& a,
                      const Tensor& b, float beta, Tensor& c) {
  const auto [m, n, k] = gemm_dims(transpose_a, transpose_b, a, b, c);
  sgemm(transpose_a, transpose_b, m, n, k, alpha, a.data(), a.dim(1), b.data(), b.dim(1), beta,
        c.data(), n, pool_.get());
}

void CpuBackend::add_row_bias(Tensor& y, const Tensor& bias) {
  require_matrix(y, "add_row_bias", "y");
  require_shape(bias, {y.dim(1)}, "add_row_bias: bias");
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<RowMajor> ym(y.data(), y.dim(0), y.dim(1));
  Eigen::Map<const Eigen::RowVectorXf> bv(bias.data(), bias.size());
  ym.rowwise() += bv;
}

void CpuBackend::sum_rows(const Tensor& x, float beta, Tensor& out) {
  require_matrix(x, "sum_rows", "x");
  require_shape(out, {x.dim(1)}, "sum_rows: out");
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  Eigen::Map<const RowMajor> xm(x.data(), x.dim(0), x.dim(1));
  Eigen::Map<Eigen::RowVectorXf> o(out.data(), out.size());
  if (beta == 0.0f)
    o = xm.colwise().sum();
  else
    o = beta * o + xm.colwise().sum();
}

}  // namespace gapscope
