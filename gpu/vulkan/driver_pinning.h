// Under AddressSanitizer: keeps every Vulkan driver (ICD) mapped for the life
// of the process, so LeakSanitizer never sees a driver's globals vanish.
#pragma once
#include <string>
#include <vector>

namespace gapscope::gpu {

// The driver libraries the Vulkan loader would load, read from the ICD
// manifests it reads: $VK_DRIVER_FILES, else $VK_ICD_FILENAMES (files or
// folders, ':'-separated), else the icd.d folders under /etc, the XDG config
// and data folders and /usr/share. A relative "library_path" with a '/' is
// taken relative to its manifest; a bare file name is left for dlopen's search.
std::vector<std::string> vulkan_driver_libraries();

// dlopens each of vulkan_driver_libraries() with RTLD_NODELETE, once per
// process, and returns those that loaded. The loader dlcloses a driver at
// vkDestroyInstance; lavapipe keeps 128 bytes (found on an AMD Zen 5, not on
// Intel) in globals that, once unmapped, LeakSanitizer reports as a leak from
// "<unknown module>". Pinned, they stay reachable.
std::vector<std::string> pin_vulkan_drivers();

// pin_vulkan_drivers() in a build with AddressSanitizer; nothing otherwise.
// Called before every vkCreateInstance.
void pin_vulkan_drivers_for_leak_checks();

}  // namespace gapscope::gpu
