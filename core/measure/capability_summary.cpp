#include "core/measure/capability_summary.h"

#include "core/measure/backend_catalog.h"

namespace gapscope {
namespace {

std::string get(const Capabilities& caps, const std::string& key, const std::string& fallback = "?") {
  auto it = caps.find(key);
  return it == caps.end() || it->second.empty() ? fallback : it->second;
}

std::string on_off(const Capabilities& caps, const std::string& key) {
  const std::string value = get(caps, key);
  return value == "true" ? "on" : value == "false" ? "off" : value;
}

std::string plural_threads(const std::string& count) { return count + (count == "1" ? " thread" : " threads"); }

}  // namespace

std::string capability_summary(const std::string& backend, const Capabilities& caps) {
  if (caps.empty()) return "capabilities unknown";
  if (caps.count("device"))  // native-vulkan
    return get(caps, "device") + " (" + get(caps, "device_type") + ", Vulkan " + get(caps, "vulkan_api") + ", " +
           get(caps, "driver") + ")";
  if (get(caps, "framework", "") == "PyTorch")
    return "PyTorch " + get(caps, "torch_version") + ", " + plural_threads(get(caps, "threads")) + ", oneDNN " +
           on_off(caps, "mkldnn") + (get(caps, "lstm", "none") == "none" ? "" : ", LSTM as " + get(caps, "lstm"));
  if (is_native_backend(backend)) {
    std::string text = plural_threads(get(caps, "threads")) + ", " + get(caps, "simd");
    return text;
  }
  if (get(caps, "framework", "") == "tfjs") {
    const std::string tfjs_backend = get(caps, "tfjs_backend");
    std::string text = "TF.js " + get(caps, "tfjs_version") + " " + tfjs_backend;
    if (tfjs_backend == "wasm")
      text += ": SIMD " + on_off(caps, "wasm_simd") + ", threads " + on_off(caps, "wasm_threads") + " (" +
              plural_threads(get(caps, "threads")) + ")";
    else if (tfjs_backend == "webgl")
      text += ": WebGL " + get(caps, "webgl_version") + ", " + get(caps, "webgl_renderer") + ", max texture " +
              get(caps, "webgl_max_texture_size");
    else if (tfjs_backend == "cpu")
      text += ": plain JavaScript, 1 thread";
    return text;
  }
  // The harness names these frameworks by their backend id ("brainjs").
  const std::string framework = get(caps, "framework", backend);
  const BackendRow* row = find_backend(framework);
  return (row ? row->display_name : framework) + " " + get(caps, "framework_version", "") +
         ": plain JavaScript, 1 thread";
}

}  // namespace gapscope
