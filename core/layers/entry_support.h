// What the layer-type entries (core/layers/<type>.cpp) share: the field
// kinds they are built from, and safe access to the shapes of specs that may
// be invalid (a missing dimension reads as 1, never out of bounds).
#pragma once
#include <cstdint>
#include <vector>

#include "core/base/checked_math.h"
#include "core/spec/layer_type.h"

namespace gapscope::layer_entry {

// An entry class that several types share, each made with its names (max and
// average pooling, the RNN cells, the merges, ...).
class NamedLayerType : public LayerType {
 public:
  NamedLayerType(std::string_view name, std::string_view description, std::string_view tfjs_class)
      : name_(name), description_(description), tfjs_class_(tfjs_class) {}
  std::string_view name() const final { return name_; }
  std::string_view description() const final { return description_; }
  std::string_view tfjs_class() const final { return tfjs_class_; }

 private:
  std::string_view name_, description_, tfjs_class_;
};

inline int64_t last_dim(const Shape& shape) { return shape.empty() ? 1 : shape.back(); }
inline int64_t dim(const Shape& shape, size_t i) { return i < shape.size() ? shape[i] : 1; }
inline int64_t pair_value(const std::vector<int64_t>& pair, size_t i, int64_t fallback = 1) {
  return i < pair.size() ? pair[i] : fallback;
}

// A required size >= 1 (units, filters, input_dim, output_dim).
LayerField count_field(const char* key, int64_t LayerSpec::*member, const char* required_hint, int64_t initial);
LayerField activation_field(nlohmann::json default_value, nlohmann::json initial = nullptr,
                            FieldSummary summary = FieldSummary::value);
LayerField use_bias_field();
LayerField initializer_field(const char* key, Initializer LayerSpec::*member, Initializer default_value);
LayerField padding_field();
// kernel_size, pool_size, strides: [h, w]; one integer n means [n, n].
LayerField pair_field(const char* key, std::vector<int64_t> LayerSpec::*member, nlohmann::json default_value,
                      nlohmann::json initial = nullptr, FieldSummary summary = FieldSummary::value);

// batch_normalization, layer_normalization and softmax work on the last axis
// only: `axis` must be -1 or the last axis counted with the batch axis (Keras
// writes 3 for images). `what` says what the layer does there ("normalises").
void check_last_axis(const LayerSpec& layer, const LayerPlace& place, const Shape& input, const char* what);

// batch_normalization, layer_normalization: epsilon (default 0.001, > 0) and
// the affine part: center, scale (default true) and the beta / gamma
// initializers; its weights gamma [C] (scale) then beta [C] (center).
LayerField epsilon_field();
std::vector<LayerField> affine_fields();
void check_epsilon(const LayerSpec& layer, const std::string& path);
std::vector<ParameterShape> affine_parameters(const LayerSpec& layer, int64_t channels);

// depthwise_conv2d, separable_conv2d: filters per input channel (default 1).
LayerField depth_multiplier_field();
// Field lists put together in order.
std::vector<LayerField> joined_fields(std::initializer_list<std::vector<LayerField>> parts);

// The kept elements of dense and conv2d: the output, and the pre-activation
// too when the activation is not linear.
int64_t output_and_preactivation(const LayerSpec& layer, const Shape& output);

}  // namespace gapscope::layer_entry
