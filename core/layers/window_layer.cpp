#include "core/layers/window_layer.h"

#include "core/layers/entry_support.h"

namespace gapscope::layer_entry {

std::pair<int64_t, int64_t> window_output_hw(const LayerSpec& layer, const std::vector<int64_t>& window,
                                             bool strides_follow_window, const Shape& input) {
  const int64_t kh = pair_value(window, 0), kw = pair_value(window, 1);
  const bool defaulted = layer.strides.empty();
  const int64_t sh = defaulted ? (strides_follow_window ? kh : 1) : pair_value(layer.strides, 0);
  const int64_t sw = defaulted ? (strides_follow_window ? kw : 1) : pair_value(layer.strides, 1);
  return {window_axis(dim(input, 0), kh, sh, layer.padding).out, window_axis(dim(input, 1), kw, sw, layer.padding).out};
}

void check_window_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input,
                        const std::vector<int64_t>& window, const char* what) {
  if (input.size() != 3) throw_input_needs(layer, place, "an input [height, width, channels]", input);
  if (layer.padding != Padding::valid) return;
  if (window[0] > input[0] || window[1] > input[1])
    throw SpecError(place.where + ": the " + std::to_string(window[0]) + "x" + std::to_string(window[1]) + " " +
                    what + " is larger than the " + std::to_string(input[0]) + "x" + std::to_string(input[1]) +
                    " input (height x width) with valid padding; use padding \"same\" or a smaller " + what);
}

}  // namespace gapscope::layer_entry
