// The zoo in TF.js: each of Keras's applications, built by gapscope at its
// smallest input with 5 classes, loads in the page from the files gapscope
// writes and predicts what native-cpu predicts on the same weights and rows,
// on every TF.js backend. (Full sizes are the benchmarks' and `reproduce
// paper`'s: they take minutes per model in a browser on 2 cores.)
#include <catch2/catch.hpp>

#include "core/spec/presets.h"
#include "tests/ui/browser/browser_test_support.h"

namespace gapscope::test {

TEST_CASE("TF.js predictions equal native-cpu for every zoo model", "[browser][zoo]") {
  const std::vector<std::string> backends = tfjs_backends();
  for (const PresetInfo& preset : preset_catalog()) {
    if (preset.sized_by_depth_width) continue;
    const ModelSpec spec = build_preset(preset.name, {.input_size = preset.smallest_input_size, .classes = 5});
    for (const std::string& backend : backends) {
      INFO(backend << ", " << preset.name << " at " << preset.smallest_input_size);
      const PredictionPair outputs = predictions_on_both(backend, model_spec_to_json(spec), 2);
      REQUIRE(outputs.browser.size() == 10);
      CHECK(worst_excess(outputs.browser, outputs.native, kRelative, kAbsolute) <= 0);
    }
  }
}

}  // namespace gapscope::test
