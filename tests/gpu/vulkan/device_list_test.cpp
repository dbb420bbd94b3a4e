// Vulkan device discovery and choice: the ranking rule on made-up devices, the
// real list on this machine (Mesa's lavapipe in CI, labelled software), and
// `gapscope-native devices` with a chosen device, a name that matches nothing
// and no driver at all.
#include <catch2/catch.hpp>

#include "gpu/vulkan/device_list.h"
#include "tests/app/native/cli_support.h"

namespace gapscope::gpu {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

DeviceInfo device(int index, std::string name, DeviceKind kind, uint64_t memory = 0, bool compute = true) {
  DeviceInfo d;
  d.index = index;
  d.name = std::move(name);
  d.kind = kind;
  d.device_local_bytes = memory;
  d.has_compute_queue = compute;
  return d;
}

}  // namespace

TEST_CASE("devices rank discrete > integrated > virtual > other > software, then by memory", "[gpu][devices]") {
  const std::vector<DeviceInfo> ranked = rank_devices({
      device(0, "llvmpipe (LLVM 15)", DeviceKind::software, 1ull << 40),
      device(1, "Intel UHD", DeviceKind::integrated, 1ull << 30),
      device(2, "Small dGPU", DeviceKind::discrete, 4ull << 30),
      device(3, "Big dGPU", DeviceKind::discrete, 80ull << 30),
      device(4, "No compute", DeviceKind::discrete, 96ull << 30, false),
      device(5, "vGPU", DeviceKind::virtual_gpu),
  });
  std::vector<int> order;
  for (const DeviceInfo& d : ranked) order.push_back(d.index);
  CHECK(order == std::vector<int>{3, 2, 1, 5, 0});
}

TEST_CASE("a device is chosen by index or name part, and no match names what there is", "[gpu][devices]") {
  const std::vector<DeviceInfo> devices = {device(0, "llvmpipe (LLVM 15)", DeviceKind::software),
                                           device(1, "NVIDIA H100", DeviceKind::discrete, 80ull << 30)};
  CHECK(choose_device(devices, "").name == "NVIDIA H100");
  CHECK(choose_device(devices, "0").name == "llvmpipe (LLVM 15)");
  CHECK(choose_device(devices, "LLVMpipe").index == 0);
  CHECK_THROWS_WITH(choose_device(devices, "radeon"),
                    Equals("no Vulkan device matches 'radeon'; there are: 1: NVIDIA H100 (discrete), "
                           "0: llvmpipe (LLVM 15) (software)"));
  CHECK_THROWS_AS(choose_device({}, ""), NoVulkanDevice);
  CHECK_THROWS_WITH(choose_device({}, ""), Contains("install a driver"));
}

TEST_CASE("this machine lists its Vulkan devices, and lavapipe is labelled software", "[gpu][devices]") {
  const std::vector<DeviceInfo> devices = list_devices();
  REQUIRE_FALSE(devices.empty());  // scripts/setup.sh installs mesa-vulkan-drivers
  for (const DeviceInfo& d : devices) {
    INFO(d.name);
    CHECK_FALSE(d.api_version.empty());
    if (d.name.find("llvmpipe") != std::string::npos) {
      CHECK(d.kind == DeviceKind::software);
      CHECK(d.has_compute_queue);
      CHECK(d.max_workgroup_invocations >= 128);
    }
  }
}

TEST_CASE("gapscope-native devices marks the chosen device, refuses an unknown one and survives no driver",
          "[gpu][devices][cli]") {
  using cli_test::json_lines;
  using cli_test::run;
  const auto listed = json_lines(run("devices --json").out);
  REQUIRE_FALSE(listed.empty());
  int chosen = 0;
  for (const auto& d : listed) chosen += d["chosen"].get<bool>() ? 1 : 0;
  CHECK(chosen == 1);
  CHECK(listed.front()["chosen"] == true);  // best first, and the best is taken

  cli_test::Result unknown = run("devices", true);
  CHECK(unknown.exit_code == 0);
  CHECK_THAT(unknown.out, Contains("* = the device native-vulkan takes"));
  unknown = cli_test::run_with_env("GAPSCOPE_VULKAN_DEVICE=no-such-gpu", "devices");
  CHECK(unknown.exit_code == 4);  // backend unavailable
  CHECK_THAT(unknown.out, Contains("no Vulkan device matches 'no-such-gpu'; there are: "));

  // No driver at all: a clear message, not a crash.
  const cli_test::Result none = cli_test::run_with_env("VK_ICD_FILENAMES=/nonexistent/icd.json VK_DRIVER_FILES=/nonexistent/icd.json", "devices");
  CHECK(none.exit_code == 4);
  CHECK_THAT(none.out, Contains("Vulkan"));
  CHECK_THAT(none.out, Contains("mesa-vulkan-drivers"));
}

}  // namespace gapscope::gpu
