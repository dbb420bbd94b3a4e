// What `gapscope reproduce paper` measures: the paper's Section 4 grid
// (Figures 1-4, Tables 2-3), its Section 5 gap grids (Table 5, Figures 5-6)
// and, for Section 3, whether the other frameworks build a CNN and an RNN,
// sized to fit a small machine: the default takes under 30 minutes on 2
// cores, --quick under 5. Each part is one sweep in the run history.
#pragma once
#include <string>
#include <vector>

#include "core/measure/runner.h"
#include "core/sweep/sweep_plan.h"

namespace gapscope {

struct ReproductionPart {
  std::string key;    // "fig1-4", "gap-dnn", "gap-cnn", "gap-rnn", "frameworks-cnn", "frameworks-rnn"
  std::string title;  // for progress lines and the report
  SweepGrid grid;
};

// `native_vulkan` adds native-vulkan to the gap parts (the paper's native GPU
// side; worth it on a machine with a real GPU).
std::vector<ReproductionPart> paper_reproduction(bool quick, bool native_vulkan = false);

// Section 5.1 (Table 4, Figure 5): Keras's pre-trained models, inference only
// (load, warm-up, inference per image, file sizes), one run per model with its
// backends one after another. Not a sweep: the models are not a depth x width
// grid. The paper's five (MobileNetV2, DenseNet121, Xception, InceptionV3,
// ResNet50); --quick: MobileNetV2 and ResNet50 with fewer runs.
struct ZooPart {
  std::vector<std::string> models;    // zoo preset names
  std::vector<std::string> backends;  // native-cpu, [native-vulkan], tfjs-cpu, tfjs-wasm, tfjs-webgl
  Protocol protocol;
  int64_t input_size = 0;             // 0: each model's Keras default
};
ZooPart paper_zoo_part(bool quick, bool native_vulkan = false);

}  // namespace gapscope
