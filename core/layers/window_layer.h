// What conv2d and the pooling layers share: a window sliding over a
// channels-last image [H, W, C] (kernel_size or pool_size), its strides and
// padding, with TF's output sizes (core/base/window_size.h).
#pragma once
#include <utility>
#include <vector>

#include "core/spec/layer_type.h"

namespace gapscope {
struct TfjsLayerReader;
}

namespace gapscope::layer_entry {

// [OH, OW] of the window on `input`. Empty strides (a spec not yet
// completed) mean [1, 1], or the window itself when strides_follow_window.
std::pair<int64_t, int64_t> window_output_hw(const LayerSpec& layer, const std::vector<int64_t>& window,
                                             bool strides_follow_window, const Shape& input);

// The input must be [height, width, channels], and a valid window must fit
// it; `what` is "kernel" or "pool" in the message.
void check_window_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input,
                        const std::vector<int64_t>& window, const char* what);

// The extent of a dilated window, (k - 1) * d + 1 per axis (dilation empty: [1, 1]).
std::vector<int64_t> dilated_window(const std::vector<int64_t>& window, const std::vector<int64_t>& dilation);

// What the convolutions (conv2d, depthwise_conv2d, separable_conv2d) share.
// Fields: kernel_size (required; the builder starts at `initial`), strides
// (default 1), padding.
std::vector<LayerField> convolution_window_fields(nlohmann::json initial);
void check_convolution_window(const LayerSpec& layer, const std::string& path);
// TF.js's BaseConv settings: kernel_size, strides, padding, dilation_rate,
// activation, use_bias, bias_initializer; channels_last only (refused by field
// path otherwise), and dilation 1 unless the type takes a dilation_rate
// (conv2d). Every class also has these config keys.
inline const std::vector<std::string_view> kTfjsConvolutionKeys = {
    "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation", "use_bias",
    "bias_initializer", "bias_regularizer", "activity_regularizer", "bias_constraint"};
void read_tfjs_convolution(const TfjsLayerReader& r, LayerSpec& layer, bool takes_dilation = false);
// The same keys, in tfjs-layers 4.22's getConfig order, from kernel_size on.
void write_tfjs_convolution(const LayerSpec& layer, nlohmann::ordered_json& c);

}  // namespace gapscope::layer_entry
