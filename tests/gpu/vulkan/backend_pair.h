// Vulkan-vs-CPU op checks (ggml's test-backend-ops is the model): the same
// random inputs on both backends, the op on each, outputs compared element by
// element. One Vulkan backend per test process (device creation ~100 ms).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/ops/cpu/cpu_backend.h"
#include "gpu/vulkan/vulkan_backend.h"

namespace gapscope::gpu::test {

// The device the tests run on ($GAPSCOPE_VULKAN_DEVICE, else the best: lavapipe in CI).
VulkanBackend& vulkan();
CpuBackend& cpu();

// The same tensor on both backends.
struct Pair {
  Tensor cpu, gpu;
};
// Uniform values in [low, high) from `seed`.
std::vector<float> random_values(int64_t count, uint64_t seed, float low = -1.0f, float high = 1.0f);
Pair pair_of(const Shape& shape, const std::vector<float>& values);
Pair random_pair(const Shape& shape, uint64_t seed, float low = -1.0f, float high = 1.0f);
std::vector<float> read(OpsBackend& ops, const Tensor& t);

// Every element: |gpu - cpu| <= abs_tol + rel_tol * |cpu|. A NaN or infinity
// on the GPU where the CPU has a finite value fails (and vice versa); the
// first mismatches are printed with their index.
void require_close(const Pair& p, double rel_tol, double abs_tol, const std::string& what);

// Bad arguments: both calls throw std::invalid_argument with the same message,
// the Vulkan one before recording any dispatch.
void same_invalid_argument(const std::function<void()>& on_cpu, const std::function<void()>& on_gpu);
// The same, for one call made on each backend.
void require_same_error(const std::function<void(OpsBackend&)>& call);
// A pair holding what a CPU tensor holds now.
Pair copy_of_cpu(const Tensor& t);

}  // namespace gapscope::gpu::test
