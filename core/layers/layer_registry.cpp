// The layer registry: every layer type gapscope knows, in documentation
// order. Adding a type = its entry file here in core/layers (with its engine
// layer in core/nn and its tests) + one line below.
#include <algorithm>

#include "core/spec/layer_type.h"

namespace gapscope {

// Each defined in core/layers/<type>.cpp.
const LayerType& dense_layer_type();
const LayerType& activation_layer_type();
const LayerType& dropout_layer_type();
const LayerType& conv2d_layer_type();
const LayerType& max_pooling2d_layer_type();
const LayerType& average_pooling2d_layer_type();
const LayerType& flatten_layer_type();
const LayerType& reshape_layer_type();
const LayerType& batch_normalization_layer_type();
const LayerType& layer_normalization_layer_type();
const LayerType& embedding_layer_type();
const LayerType& simple_rnn_layer_type();
const LayerType& lstm_layer_type();
const LayerType& gru_layer_type();
const LayerType& depthwise_conv2d_layer_type();
const LayerType& separable_conv2d_layer_type();
const LayerType& relu_layer_type();
const LayerType& softmax_layer_type();
const LayerType& global_average_pooling2d_layer_type();
const LayerType& global_max_pooling2d_layer_type();
const LayerType& zero_padding2d_layer_type();
const LayerType& cropping2d_layer_type();
const LayerType& add_layer_type();
const LayerType& average_layer_type();
const LayerType& multiply_layer_type();
const LayerType& maximum_layer_type();
const LayerType& concatenate_layer_type();
const LayerType& leaky_relu_layer_type();
const LayerType& up_sampling2d_layer_type();

const std::vector<const LayerType*>& layer_types() {
  static const std::vector<const LayerType*> all = {
      &dense_layer_type(),
      &activation_layer_type(),
      &relu_layer_type(),
      &leaky_relu_layer_type(),
      &softmax_layer_type(),
      &dropout_layer_type(),
      &conv2d_layer_type(),
      &depthwise_conv2d_layer_type(),
      &separable_conv2d_layer_type(),
      &max_pooling2d_layer_type(),
      &average_pooling2d_layer_type(),
      &global_average_pooling2d_layer_type(),
      &global_max_pooling2d_layer_type(),
      &up_sampling2d_layer_type(),
      &zero_padding2d_layer_type(),
      &cropping2d_layer_type(),
      &flatten_layer_type(),
      &reshape_layer_type(),
      &batch_normalization_layer_type(),
      &layer_normalization_layer_type(),
      &embedding_layer_type(),
      &simple_rnn_layer_type(),
      &lstm_layer_type(),
      &gru_layer_type(),
      &add_layer_type(),
      &average_layer_type(),
      &multiply_layer_type(),
      &maximum_layer_type(),
      &concatenate_layer_type(),
  };
  return all;
}

const LayerType* find_layer_type(std::string_view name) {
  const auto& all = layer_types();
  auto it = std::find_if(all.begin(), all.end(), [&](const LayerType* t) { return t->name() == name; });
  return it == all.end() ? nullptr : *it;
}

const LayerType* find_tfjs_layer_class(std::string_view class_name) {
  const auto& all = layer_types();
  auto it = std::find_if(all.begin(), all.end(), [&](const LayerType* t) { return t->tfjs_class() == class_name; });
  return it == all.end() ? nullptr : *it;
}

}  // namespace gapscope
