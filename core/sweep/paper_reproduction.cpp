#include "core/sweep/paper_reproduction.h"

#include "core/measure/backend_catalog.h"
#include "core/sweep/sweep_presets.h"

namespace gapscope {
namespace {

void note_reduction(SweepGrid& grid, const std::string& what) {
  grid.notes.push_back("reduced to fit this machine: " + what);
}

}  // namespace

std::vector<ReproductionPart> paper_reproduction(bool quick, bool native_vulkan) {
  std::vector<ReproductionPart> parts = {
      {"fig1-4", "Section 4: frameworks (Figures 1-4, Tables 2-3)", sweep_preset("paper-fig1-4")},
      {"gap-dnn", "Section 5: browser vs native, DNN", sweep_preset("paper-gap-dnn", true)},
      {"gap-cnn", "Section 5: browser vs native, CNN", sweep_preset("paper-gap-cnn", true)},
      {"gap-rnn", "Section 5: browser vs native, RNN", sweep_preset("paper-gap-rnn", true)},
  };
  // Section 3 (finding 1): can the other frameworks build a CNN and an RNN at
  // all? The smallest model of each family on them; the DNN is in Section 4.
  for (const char* family : {"cnn", "rnn"}) {
    SweepGrid g = sweep_preset(std::string("paper-gap-") + family);
    g.name = std::string("paper-frameworks-") + family;
    g.notes.clear();
    g.depths = {g.depths.front()};
    g.widths = {g.widths.front()};
    g.backends = browser_ids_besides(kTensorFlowJs);
    parts.push_back({std::string("frameworks-") + family,
                     std::string("Section 3: which frameworks build the ") + (family == std::string("cnn") ? "CNN" : "RNN"),
                     g});
  }
  for (ReproductionPart& part : parts) {
    SweepGrid& g = part.grid;
    if (part.key.rfind("frameworks-", 0) == 0) {
      g.rounds = 1;
      g.runs_scale = 0.05;
      continue;
    }
    // Section 4 is interleaved over two rounds (its frameworks are compared
    // with each other); the gap parts interleave backends per point in one
    // round, which keeps the default under 30 minutes on 2 cores (~10 here).
    g.rounds = quick || part.key != "fig1-4" ? 1 : 2;
    g.runs_scale = quick ? 0.05 : 0.2;
    if (native_vulkan && part.key != "fig1-4") g.backends.push_back("native-vulkan");
    // The paper's native side was a mainstream framework: the gaps are also
    // measured against PyTorch (its findings are judged against both).
    if (part.key != "fig1-4") g.backends.push_back("pytorch-cpu");
    if (!quick) continue;
    if (part.key == "fig1-4") {
      g.depths = {1, 2};
      g.widths = {64, 128};
      note_reduction(g, "--quick: depths 1, 2 x widths 64, 128, one round, 5% of the runs");
    } else {
      // Three corners (smallest; widest; deepest), so depth and width each vary once.
      g.depths = {g.depths.front(), g.depths.back()};
      g.widths = {g.widths.front(), g.widths.back()};
      g.skip_points = {{g.depths.back(), g.widths.back()}};
      note_reduction(g, "--quick: three corners of the grid, one round, 5% of the runs");
    }
  }
  return parts;
}

ZooPart paper_zoo_part(bool quick, bool native_vulkan) {
  ZooPart part;
  part.models = quick ? std::vector<std::string>{"mobilenet-v2", "resnet50"}
                      : std::vector<std::string>{"mobilenet-v2", "densenet121", "xception", "inception-v3", "resnet50"};
  part.backends = {"native-cpu"};
  if (native_vulkan) part.backends.push_back("native-vulkan");
  for (const std::string& id : framework_backend_ids(kTensorFlowJs)) part.backends.push_back(id);
  Protocol& p = part.protocol;
  p.batch_size = 1;
  p.phases = {"load", "warmup", "infer", "file_size"};
  // Plain JavaScript (tfjs-cpu) takes 11 s per ResNet50 image on a 2-core
  // Xeon, ~25 s per Xception image: a few runs of each phase (every warm-up
  // run is a fresh model's first image). --quick's two models take ~2 min.
  p.load_warmup = 1;
  p.load_runs = 3;
  p.warmup_runs = quick ? 1 : 2;
  p.infer_warmup = 1;
  p.infer_runs = quick ? 3 : 5;
  return part;
}

}  // namespace gapscope
