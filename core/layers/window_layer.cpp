#include "core/layers/window_layer.h"

#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/spec/initializer_json.h"

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

std::vector<int64_t> dilated_window(const std::vector<int64_t>& window, const std::vector<int64_t>& dilation) {
  return {(pair_value(window, 0) - 1) * pair_value(dilation, 0) + 1, (pair_value(window, 1) - 1) * pair_value(dilation, 1) + 1};
}

std::vector<LayerField> convolution_window_fields(nlohmann::json initial) {
  LayerField kernel = pair_field("kernel_size", &LayerSpec::kernel_size, nullptr, std::move(initial));
  const std::string n = kernel.initial.at(0).dump();
  kernel.required_hint = "e.g. " + n + " or [" + n + ", " + n + "]";
  return {kernel,
          pair_field("strides", &LayerSpec::strides, nlohmann::json::array({1, 1}), nullptr,
                     FieldSummary::named_unless_default),
          padding_field()};
}

void check_convolution_window(const LayerSpec& layer, const std::string& path) {
  check_pair(layer.kernel_size, path + ".kernel_size");
  check_pair(layer.strides, path + ".strides");
}

void read_tfjs_convolution(const TfjsLayerReader& r, LayerSpec& layer, bool takes_dilation) {
  r.note_ignored({"bias_regularizer", "activity_regularizer"}, "regularizer");
  r.note_ignored({"bias_constraint"}, "constraint");
  r.require_channels_last();
  const std::vector<int64_t> dilation = r.pair("dilation_rate", {1, 1});
  if (takes_dilation)
    layer.dilation_rate = dilation;
  else if (dilation != std::vector<int64_t>{1, 1})
    throw SpecError(r.path_of("dilation_rate") +
                    ": this convolution is supported undilated only (must be [1, 1]; Conv2D takes a dilation_rate)");
  r.require_present("kernel_size");
  layer.kernel_size = r.pair("kernel_size", {});
  layer.strides = r.pair("strides", {1, 1});
  layer.padding = r.padding();
  layer.activation = r.activation("activation", Activation::linear);
  layer.use_bias = r.flag("use_bias", true);
  layer.bias_initializer = r.initializer("bias_initializer", Initializer::zeros);
}

void write_tfjs_convolution(const LayerSpec& layer, nlohmann::ordered_json& c) {
  c["kernel_size"] = layer.kernel_size;
  c["strides"] = layer.strides;
  c["padding"] = padding_name(layer.padding);
  c["data_format"] = "channels_last";
  c["dilation_rate"] = {pair_value(layer.dilation_rate, 0), pair_value(layer.dilation_rate, 1)};
  c["activation"] = activation_name(layer.activation);
  c["use_bias"] = layer.use_bias;
  c["bias_initializer"] = initializer_to_tfjs_json(layer.bias_initializer);
  add_tfjs_nulls(c, {"bias_regularizer", "activity_regularizer", "bias_constraint"});
}

}  // namespace gapscope::layer_entry
