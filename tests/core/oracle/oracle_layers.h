// Layer builders for the PyTorch oracle tests: LayerSpecs with TF.js's
// defaults unless stated, named and wired (`inputs`) where a graph needs it.
#pragma once
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/spec/model_spec.h"

namespace gapscope::oracle {

inline LayerSpec plain(const std::string& type, const std::string& name = "", std::vector<std::string> inputs = {}) {
  LayerSpec l;
  l.type = type;
  l.name = name;
  l.inputs = std::move(inputs);
  return l;
}

inline LayerSpec from(LayerSpec l, const std::string& name, std::vector<std::string> inputs = {}) {
  l.name = name;
  l.inputs = std::move(inputs);
  return l;
}

inline LayerSpec conv2d(int64_t filters, std::vector<int64_t> kernel, std::vector<int64_t> strides, Padding padding,
                 Activation activation, bool use_bias = true) {
  LayerSpec l = plain("conv2d");
  l.filters = filters;
  l.kernel_size = std::move(kernel);
  l.strides = std::move(strides);
  l.padding = padding;
  l.activation = activation;
  l.use_bias = use_bias;
  return l;
}

inline LayerSpec depthwise(std::vector<int64_t> kernel, std::vector<int64_t> strides, Padding padding, int64_t multiplier,
                    Activation activation, bool use_bias = true) {
  LayerSpec l = conv2d(0, std::move(kernel), std::move(strides), padding, activation, use_bias);
  l.type = "depthwise_conv2d";
  l.depth_multiplier = multiplier;
  return l;
}

inline LayerSpec separable(int64_t filters, std::vector<int64_t> kernel, std::vector<int64_t> strides, Padding padding,
                    int64_t multiplier, Activation activation, bool use_bias = true) {
  LayerSpec l = depthwise(std::move(kernel), std::move(strides), padding, multiplier, activation, use_bias);
  l.type = "separable_conv2d";
  l.filters = filters;
  return l;
}

inline LayerSpec pooling(const std::string& type, std::vector<int64_t> pool, Padding padding,
                  std::vector<int64_t> strides = {}) {
  LayerSpec l = plain(type);
  l.pool_size = std::move(pool);
  l.strides = std::move(strides);  // empty: pool_size
  l.padding = padding;
  return l;
}

inline LayerSpec dense(int64_t units, Activation activation) {
  LayerSpec l = plain("dense");
  l.units = units;
  l.activation = activation;
  return l;
}

// relu layer: no cap (NaN) or relu6.
inline LayerSpec relu(float max_value = std::numeric_limits<float>::quiet_NaN()) {
  LayerSpec l = plain("relu");
  l.max_value = max_value;
  return l;
}

inline LayerSpec softmax(int64_t axis) {
  LayerSpec l = plain("softmax");
  l.axis = axis;
  return l;
}

// zero_padding2d / cropping2d: [top, bottom, left, right].
inline LayerSpec margins(const std::string& type, std::vector<int64_t> m) {
  LayerSpec l = plain(type);
  l.margins = std::move(m);
  return l;
}

inline LayerSpec concatenate(int64_t axis, const std::string& name, std::vector<std::string> inputs) {
  LayerSpec l = plain("concatenate", name, std::move(inputs));
  l.axis = axis;
  return l;
}

inline LayerSpec batch_norm(float momentum, float epsilon) {
  LayerSpec l = plain("batch_normalization");
  l.momentum = momentum;
  l.epsilon = epsilon;
  return l;
}

// Keras's relu with its options; leaky_relu's alpha lives in negative_slope.
inline LayerSpec relu_options(float slope, float threshold, float max_value) {
  LayerSpec l = plain("relu");
  l.negative_slope = slope;
  l.threshold = threshold;
  l.max_value = max_value;
  return l;
}

inline LayerSpec leaky_relu(float alpha) {
  LayerSpec l = plain("leaky_relu");
  l.negative_slope = alpha;
  return l;
}

inline LayerSpec dilated(LayerSpec conv, std::vector<int64_t> dilation) {
  conv.dilation_rate = std::move(dilation);
  return conv;
}

inline LayerSpec up_sampling(std::vector<int64_t> size) {
  LayerSpec l = plain("up_sampling2d");
  l.upsampling_size = std::move(size);
  return l;
}

inline LayerSpec normalization(const std::string& type, bool center, bool scale, float epsilon = 1e-3f) {
  LayerSpec l = plain(type);
  l.center = center;
  l.scale = scale;
  l.epsilon = epsilon;
  l.momentum = 0.9f;
  return l;
}

inline LayerSpec activation_layer(Activation a) {
  LayerSpec l = plain("activation");
  l.activation = a;
  return l;
}

inline LayerSpec embedding(int64_t input_dim, int64_t output_dim) {
  LayerSpec l = plain("embedding");
  l.input_dim = input_dim;
  l.output_dim = output_dim;
  return l;
}

inline LayerSpec recurrent(const std::string& type, int64_t units, bool return_sequences,
                    Activation recurrent_activation = Activation::hard_sigmoid,
                    bool use_bias = true) {
  LayerSpec l = plain(type);
  l.units = units;
  l.activation = Activation::tanh;
  l.recurrent_activation = recurrent_activation;
  l.return_sequences = return_sequences;
  l.use_bias = use_bias;
  return l;
}

}  // namespace gapscope::oracle
