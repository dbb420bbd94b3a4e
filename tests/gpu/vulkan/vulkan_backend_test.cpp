// The native-vulkan backend as a whole: memory (staging where tensors are not
// host-visible, sub-allocation reuse, out-of-memory as a clear error naming
// the model and the bytes), one submit per training step with fewer barriers
// than dispatches, the kernel table, and the CLI's device handling.
#include <catch2/catch.hpp>
#include <numeric>

#include "core/nn/model.h"
#include "core/spec/presets.h"
#include "tests/app/native/cli_support.h"
#include "tests/gpu/vulkan/backend_pair.h"

namespace gapscope::gpu::test {
namespace {

using Catch::Matchers::Contains;

std::vector<float> iota_values(int64_t n) {
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i) * 0.5f - 3.0f;
  return v;
}

// Uploads into tensors that recorded work still reads must land after that
// work: with staging, in stream order; with mapped memory, the same result.
void check_upload_ordering(VulkanBackend& gpu) {
  Tensor x = gpu.allocate({100}), y = gpu.allocate({100});
  gpu.upload(x, std::vector<float>(100, 1.0f));
  gpu.axpy(2.0f, x, y);                           // y = 2 (recorded, not run)
  gpu.upload(x, std::vector<float>(100, 10.0f));  // must not change the axpy above
  gpu.axpy(1.0f, x, y);                           // y = 12
  std::vector<float> out(100);
  gpu.download(y, out);
  CHECK(out == std::vector<float>(100, 12.0f));
}

}  // namespace

TEST_CASE("vulkan tensors round-trip through mapped memory and through staging", "[gpu][memory]") {
  for (bool staging : {false, true}) {
    VulkanOptions options;
    options.force_staging = staging;
    VulkanBackend gpu(options);
    INFO("tensor memory: " << gpu.capabilities()["tensor_memory"]);
    for (int64_t n : {1, 3, 65, 257, 300000}) {
      Tensor t = gpu.allocate({n});
      std::vector<float> zero(static_cast<size_t>(n), -1.0f);
      gpu.download(t, zero);
      CHECK(zero == std::vector<float>(static_cast<size_t>(n), 0.0f));  // allocate() zero-fills
      gpu.upload(t, iota_values(n));
      std::vector<float> back(static_cast<size_t>(n));
      gpu.download(t, back);
      CHECK(back == iota_values(n));
      // A view in the middle of a storage.
      Tensor middle = t.rows(n / 3, n - n / 3 - n / 4);
      std::vector<float> part(static_cast<size_t>(middle.size()));
      gpu.download(middle, part);
      CHECK(std::equal(part.begin(), part.end(), iota_values(n).begin() + n / 3));
    }
    check_upload_ordering(gpu);
    Tensor f = gpu.allocate({5});
    gpu.fill(f, 2.5f);
    Tensor g = gpu.allocate({5});
    gpu.copy(f, g);
    std::vector<float> out(5);
    gpu.download(g, out);
    CHECK(out == std::vector<float>(5, 2.5f));
  }
}

TEST_CASE("freed vulkan memory is reused, and tensors may outlive their backend", "[gpu][memory]") {
  Tensor survivor;
  {
    VulkanBackend gpu;
    const uint64_t before = gpu.device_bytes_in_use();
    for (int i = 0; i < 50; ++i) gpu.allocate({1 << 20});  // 4 MiB each, freed at once
    CHECK(gpu.device_bytes_in_use() == before);
    CHECK(gpu.peak_device_bytes() <= before + (8u << 20));
    survivor = gpu.allocate({16});
  }
  CHECK(survivor.size() == 16);  // its device is kept alive by the tensor; freeing it later is safe
}

TEST_CASE("running out of device memory names the model and the bytes", "[gpu][memory]") {
  VulkanOptions options;
  options.memory_limit_bytes = 4u << 20;
  VulkanBackend gpu(options);
  // paper-dnn 2x1024: the 1024x1024 kernel alone is 4 MiB.
  try {
    Model model(paper_dnn(2, 1024), gpu, 1);
    FAIL("no error");
  } catch (const OutOfDeviceMemory& e) {
    CHECK_THAT(e.what(), Contains("model 'paper-dnn-2x1024'") && Contains("bytes") && Contains("4 MiB"));
    CHECK(e.bytes_requested() > 0);
  }
  // The backend is still usable for what fits.
  Model small(paper_dnn(1, 16), gpu, 1);
  std::vector<float> x(static_cast<size_t>(small.input_size()), 0.5f), y(10);
  small.predict(x, 1, y);
  CHECK(std::abs(std::accumulate(y.begin(), y.end(), 0.0f) - 1.0f) < 1e-5f);
  // A tensor no storage buffer can hold, without any limit.
  VulkanBackend unlimited;
  CHECK_THROWS_WITH(unlimited.allocate({int64_t{1} << 36}), Contains("largest storage buffer"));
}

TEST_CASE("a vulkan training step is one submit with fewer barriers than dispatches", "[gpu][dispatch]") {
  VulkanBackend gpu;
  Model model(paper_dnn(2, 64), gpu, 1);
  std::vector<float> x(static_cast<size_t>(64 * model.input_size()), 0.25f), t(static_cast<size_t>(64 * 10), 0.0f);
  for (int i = 0; i < 64; ++i) t[static_cast<size_t>(i * 10 + i % 10)] = 1.0f;
  for (int warm = 0; warm < 2; ++warm) {
    model.stage_batch(x, t, 64);
    model.train_step();
    model.read_loss();
  }
  const StreamCounters before = gpu.counters();
  const size_t pipelines = gpu.pipelines_created();
  model.stage_batch(x, t, 64);
  model.train_step();
  const float loss = model.read_loss();
  const StreamCounters after = gpu.counters();
  CHECK(std::isfinite(loss));
  CHECK(after.submits - before.submits == 1);
  const int64_t dispatches = after.dispatches - before.dispatches;
  CHECK(dispatches >= 15);  // 3 dense layers forward, backward, and updates
  CHECK(after.barriers - before.barriers < dispatches);
  CHECK(gpu.pipelines_created() == pipelines);  // made once, on first use
}

TEST_CASE("vulkan kernel timestamps make a kernel table", "[gpu][dispatch]") {
  VulkanOptions options;
  options.timestamps = true;
  VulkanBackend gpu(options);
  Pair unused = random_pair({1}, 1);  // the shared test backend stays untouched
  Tensor a = gpu.allocate({65, 33}), b = gpu.allocate({33, 17}), c = gpu.allocate({65, 17});
  for (int i = 0; i < 3; ++i) gpu.gemm(false, false, 1.0f, a, b, 0.0f, c);
  gpu.axpy(1.0f, c, c);
  gpu.synchronize();
  const std::vector<KernelTime> table = gpu.kernel_table();
  REQUIRE(table.size() == 2);
  bool saw_gemm = false;
  for (const KernelTime& row : table) {
    CHECK(row.total_us >= 0);
    if (row.name == "gemm_nn_s1_s") {
      saw_gemm = true;
      CHECK(row.count == 3);
      CHECK(row.shape == "65x17x33");
    }
  }
  CHECK(saw_gemm);
}

TEST_CASE("gapscope-native runs a model on native-vulkan and says which device", "[gpu][cli]") {
  const auto r = cli_test::run("bench --backend native-vulkan --preset paper-dnn --depth 1 --width 16 "
                               "--phases infer,train --runs-scale 0.1 --json");
  REQUIRE(r.exit_code == 0);
  const auto lines = cli_test::json_lines(r.out);
  int measured = 0;
  for (const auto& line : lines) {
    if (line.value("kind", "") != "measurement") continue;
    ++measured;
    CHECK(line["backend"] == "native-vulkan");
    CHECK(line["capabilities"]["device_type"] == vulkan().capabilities()["device_type"]);
    CHECK(line["capabilities"]["device"] == vulkan().device_info().name);
    if (line["phase"] == "device_memory") CHECK(line["median"].get<double>() > 784 * 16 * 4);
  }
  CHECK(measured >= 3);  // infer, train, device_memory (and memory, cpu_utilisation)
}

TEST_CASE("native-vulkan without a driver, or with a device that is not there, fails clearly", "[gpu][cli]") {
  const auto none = cli_test::run_with_env("VK_ICD_FILENAMES=/nonexistent.json VK_DRIVER_FILES=/nonexistent.json",
                                           "bench --backend native-vulkan --preset paper-dnn --depth 1 --width 16");
  CHECK(none.exit_code == 4);  // unavailable: the GUI and `gapscope run` go on with the other backends
  CHECK_THAT(none.out, Contains("backend unavailable") && Contains("mesa-vulkan-drivers"));
  const auto wrong = cli_test::run("bench --backend native-vulkan --device no-such-gpu --preset paper-dnn "
                                   "--depth 1 --width 16", true);
  CHECK(wrong.exit_code != 0);
  CHECK_THAT(wrong.out, Contains("no Vulkan device matches 'no-such-gpu'"));
  // The CPU backend goes on without Vulkan.
  const auto cpu_run = cli_test::run_with_env("VK_ICD_FILENAMES=/nonexistent.json VK_DRIVER_FILES=/nonexistent.json",
                                              "bench --backend native-cpu --preset paper-dnn --depth 1 --width 16 "
                                              "--phases infer --runs-scale 0.1");
  CHECK(cpu_run.exit_code == 0);
}

TEST_CASE("a model too big for --device-memory-mb is a clear CLI error", "[gpu][cli]") {
  const auto r = cli_test::run("bench --backend native-vulkan --device-memory-mb 2 --preset paper-dnn --depth 2 "
                               "--width 1024 --phases train --runs-scale 0.1", true);
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.out, Contains("paper-dnn-2x1024") && Contains("bytes") && Contains("2 MiB"));
  CHECK_THAT(r.out, !Contains("terminate called"));
}

}  // namespace gapscope::gpu::test

namespace gapscope::gpu::test {

TEST_CASE("gapscope-native fit finds the widest model that trains in the device memory", "[gpu][cli]") {
  auto largest = [](int mib) {
    const auto r = cli_test::run("fit --backend native-vulkan --device-memory-mb " + std::to_string(mib) +
                                 " --preset paper-dnn --depth 1 --batch 16 --max-width 8192 --json");
    REQUIRE(r.exit_code == 0);
    const auto record = cli_test::json_lines(r.out).at(0);
    CHECK(record["method"] == "placed on the device");
    return record["largest_width"].get<int64_t>();
  };
  const int64_t in_4 = largest(4), in_16 = largest(16);
  // 784 x W weights with gradient and SGD: ~3 copies of 3 KiB per unit, in 64 MiB-or-less blocks.
  CHECK(in_4 > 64);
  CHECK(in_4 < 1000);
  CHECK(in_16 > 3 * in_4);
  CHECK(in_16 < 8192);
  // native-cpu: estimated (never probed by allocating host RAM), bounded by the spec limits too.
  const auto r = cli_test::run("fit --preset paper-dnn --depth 2 --json");
  REQUIRE(r.exit_code == 0);
  const auto record = cli_test::json_lines(r.out).at(0);
  CHECK(record["method"] == "estimated against MemAvailable");
  CHECK(record["largest_width"].get<int64_t>() > 1000);
  CHECK(record["largest_width"].get<int64_t>() <= 31227);  // 10^9 parameters at width 31228
  CHECK_FALSE(record["next_width_fails_because"].get<std::string>().empty());
}

}  // namespace gapscope::gpu::test
