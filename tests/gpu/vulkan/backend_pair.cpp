#include "tests/gpu/vulkan/backend_pair.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "core/base/random.h"

namespace gapscope::gpu::test {

VulkanBackend& vulkan() {
  static std::unique_ptr<VulkanBackend> backend = [] {
    VulkanOptions options;
    if (const char* wanted = std::getenv(kDeviceEnvironmentVariable)) options.device = wanted;
    return std::make_unique<VulkanBackend>(options);
  }();
  return *backend;
}

CpuBackend& cpu() {
  static CpuBackend backend(1);
  return backend;
}

std::vector<float> random_values(int64_t count, uint64_t seed, float low, float high) {
  Rng rng(seed);
  std::vector<float> v(static_cast<size_t>(count));
  for (float& x : v) x = rng.uniform(low, high);
  return v;
}

Pair pair_of(const Shape& shape, const std::vector<float>& values) {
  Pair p{cpu().allocate(shape), vulkan().allocate(shape)};
  cpu().upload(p.cpu, values);
  vulkan().upload(p.gpu, values);
  return p;
}

Pair random_pair(const Shape& shape, uint64_t seed, float low, float high) {
  return pair_of(shape, random_values(element_count(shape), seed, low, high));
}

std::vector<float> read(OpsBackend& ops, const Tensor& t) {
  std::vector<float> v(static_cast<size_t>(t.size()));
  ops.download(t, v);
  return v;
}

void require_close(const Pair& p, double rel_tol, double abs_tol, const std::string& what) {
  REQUIRE(p.cpu.shape() == p.gpu.shape());
  const std::vector<float> expected = read(cpu(), p.cpu), actual = read(vulkan(), p.gpu);
  std::ostringstream report;
  int bad = 0;
  double worst = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    const double e = expected[i], a = actual[i];
    const bool ok = std::isfinite(e) ? std::isfinite(a) && std::abs(a - e) <= abs_tol + rel_tol * std::abs(e)
                                     : (std::isnan(e) ? std::isnan(a) : a == e);
    if (std::isfinite(e) && std::isfinite(a)) worst = std::max(worst, std::abs(a - e) / (abs_tol + rel_tol * std::abs(e)));
    if (!ok && bad++ < 8) report << "\n  [" << i << "] cpu " << e << " vulkan " << a;
  }
  INFO(what << " " << shape_to_string(p.cpu.shape()) << ": " << bad << " of " << expected.size()
            << " elements differ (worst error / tolerance " << worst << ")" << report.str());
  CHECK(bad == 0);
}

void same_invalid_argument(const std::function<void()>& on_cpu, const std::function<void()>& on_gpu) {
  std::string cpu_message, gpu_message;
  try {
    on_cpu();
  } catch (const std::invalid_argument& e) {
    cpu_message = e.what();
  }
  const int64_t before = vulkan().counters().dispatches;
  try {
    on_gpu();
  } catch (const std::invalid_argument& e) {
    gpu_message = e.what();
  }
  CHECK_FALSE(cpu_message.empty());
  CHECK(gpu_message == cpu_message);
  CHECK(vulkan().counters().dispatches == before);
}

void require_same_error(const std::function<void(OpsBackend&)>& call) {
  same_invalid_argument([&] { call(cpu()); }, [&] { call(vulkan()); });
}

Pair copy_of_cpu(const Tensor& t) { return pair_of(t.shape(), read(cpu(), t)); }

}  // namespace gapscope::gpu::test
