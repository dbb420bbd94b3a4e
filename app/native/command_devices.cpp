// gapscope-native devices: the Vulkan devices here, best first, and which one
// a native-vulkan run would take.
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "app/common/arguments.h"
#include "app/common/measurement_output.h"
#include "app/native/commands.h"
#include "gpu/vulkan/device_list.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native devices [--json]\n"
    "Lists the Vulkan devices, best first (discrete > integrated > virtual >\n"
    "software), with their type, API version, driver, device-local memory and\n"
    "compute limits, and marks the one a native-vulkan run takes. Choose another\n"
    "with $GAPSCOPE_VULKAN_DEVICE=INDEX|NAME-PART. Software devices (Mesa's\n"
    "lavapipe) are labelled `software`: correct, but no measure of a GPU.\n";

nlohmann::json device_json(const gpu::DeviceInfo& d, bool chosen) {
  return {{"index", d.index},
          {"name", d.name},
          {"type", gpu::device_kind_name(d.kind)},
          {"api_version", d.api_version},
          {"driver", d.driver},
          {"vendor_id", d.vendor_id},
          {"device_id", d.device_id},
          {"device_local_bytes", d.device_local_bytes},
          {"max_workgroup_invocations", d.max_workgroup_invocations},
          {"max_shared_memory_bytes", d.max_shared_memory_bytes},
          {"subgroup_size", d.subgroup_size},
          {"timestamps", d.timestamps},
          {"timestamp_period_ns", d.timestamp_period_ns},
          {"chosen", chosen}};
}

}  // namespace

int command_devices(const CommandArgs& raw) {
  Arguments args(raw, {}, {"--json"});
  if (args.has("--help")) {
    std::printf("%s", kHelp);
    return kOk;
  }
  const std::vector<gpu::DeviceInfo> ranked = gpu::rank_devices(gpu::list_devices());
  const char* wanted = std::getenv(gpu::kDeviceEnvironmentVariable);
  const gpu::DeviceInfo chosen = gpu::choose_device(ranked, wanted ? wanted : "");
  for (const gpu::DeviceInfo& d : ranked) {
    const bool is_chosen = d.index == chosen.index;
    if (args.has("--json")) {
      print_json_line(device_json(d, is_chosen));
      continue;
    }
    std::printf("%s %d: %s (%s)\n    Vulkan %s, %s\n    device-local memory %s; workgroups up to %u invocations, "
                "%u bytes shared; subgroup %u; timestamps %s\n",
                is_chosen ? "*" : " ", d.index, d.name.c_str(), gpu::device_kind_name(d.kind).c_str(),
                d.api_version.c_str(), d.driver.c_str(),
                human_value(static_cast<double>(d.device_local_bytes), "bytes").c_str(), d.max_workgroup_invocations,
                d.max_shared_memory_bytes, d.subgroup_size, d.timestamps ? "yes" : "no");
  }
  if (!args.has("--json"))
    std::printf("* = the device native-vulkan takes%s\n", wanted ? " ($GAPSCOPE_VULKAN_DEVICE)" : " (the best)");
  return kOk;
}

}  // namespace gapscope::cli
