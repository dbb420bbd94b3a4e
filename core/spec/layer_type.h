// A layer type: everything gapscope knows about one kind of layer, in one
// registry entry (core/layers/<type>.cpp): its spec fields with defaults, the
// rules on their values and on its input, its output shape, parameters, FLOPs
// and training memory, the engine layer it builds, its TF.js class and config,
// and the fields the model builder edits. Nothing else lists layer types.
//
// This interface sits in core/spec so that spec, nn and io can look types up;
// the entries live above them in core/layers (they build nn layers and read
// TF.js configs), and core/layers/layer_registry.cpp defines the lookups.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

class Layer;
class OpsBackend;
struct TfjsLayerReader;

enum class LayerFieldKind {
  integer,      // int64_t
  number,       // float; null where the default is null (NaN: none)
  boolean,
  activation,   // a name of all_activations()
  initializer,  // a name or {"class_name": ...}
  pair,         // [h, w]; one integer n means [n, n]
  margins,      // [top, bottom, left, right]; also n, [h, w], [[top, bottom], [left, right]]
  shape,        // a list of sizes, as written
  padding,      // "valid" | "same"
  fixed,        // accepted only with its default value (no member): Keras settings we have one of
};

// How the builder's layer table shows a field in its settings column.
enum class FieldSummary {
  hidden,
  value,                 // "relu", "[5, 5]"
  named,                 // "units 64"
  named_unless_default,  // "strides [2, 2]"; nothing while it is the default
};

using LayerMember =
    std::variant<std::monostate, int64_t LayerSpec::*, float LayerSpec::*, bool LayerSpec::*,
                 Activation LayerSpec::*, Initializer LayerSpec::*, std::vector<int64_t> LayerSpec::*,
                 Padding LayerSpec::*>;

// One key of a layer type in the spec (and in the builder).
struct LayerField {
  std::string key;  // Keras/TF.js name: "units"
  LayerFieldKind kind;
  LayerMember member;  // where the value lives; monostate for fixed
  // What core assumes when the key is absent. null: required (see
  // required_hint), taken from default_from, or left empty until validation.
  nlohmann::json default_value = nullptr;
  std::string required_hint = {};  // set: the key must be given; says what it takes
  std::string default_from = {};   // absent, it takes this field's value (pooling strides = pool_size)
  std::string fixed_reason = {};   // fixed: why only the default is accepted

  // The builder: what a new layer gets (null: not written), the editor's
  // range (wide enough to type invalid values, so the validator explains
  // them), how the layer table shows it.
  nlohmann::json initial = nullptr;
  FieldSummary summary = FieldSummary::hidden;
  double minimum = 0, maximum = 0, step = 1;  // maximum 0: the type's largest
  int decimals = 3;
  std::string placeholder = {};
  bool starts_as_input_shape = false;  // a new layer takes the shape it receives (reshape)
};

// Where a layer sits, for messages: index into spec.layers and
// "layers[2] (conv2d_1)".
struct LayerPlace {
  size_t index = 0;
  std::string where;
  bool reads_model_input = false;  // its (first) input is the model's input
};

class LayerType {
 public:
  virtual ~LayerType() = default;

  // --- the spec ---
  virtual std::string_view name() const = 0;         // "dense"
  virtual std::string_view description() const = 0;  // "a dense layer", in messages
  // Every key besides "type" and "name", in the order the builder shows them.
  virtual const std::vector<LayerField>& fields() const = 0;
  // The rules on the values, with field paths ("layers[2].units must be >= 1").
  virtual void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const {}
  // The rule for the per-sample input; default: rank >= 1.
  virtual void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const;
  // Per sample, without the batch axis; any spec, valid or not, gets an answer.
  virtual Shape output_shape(const LayerSpec& layer, const Shape& input) const { return input; }
  // In file order (see parameter_shapes in model_spec.h); layer.name is set.
  virtual std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const { return {}; }
  // Multiply-adds with weights of one sample's forward pass.
  virtual int64_t multiply_adds(const LayerSpec& layer, const Shape& input, const Shape& output) const { return 0; }
  // Floats kept per sample for backward besides the input (its output by default).
  virtual int64_t kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) const;
  // It reads token ids (integers), not values: it must take the model input.
  virtual bool reads_token_ids() const { return false; }

  // --- merges: layers of two or more inputs (add, concatenate, ...) ---
  virtual bool is_merge() const { return false; }
  // The rules and output for all inputs; a single-input type gets one shape
  // and answers with check_input / output_shape.
  virtual void check_inputs(const LayerSpec& layer, const LayerPlace& place, const std::vector<Shape>& inputs) const;
  virtual Shape output_shape_of(const LayerSpec& layer, const std::vector<Shape>& inputs) const;
  // It has an output activation (shown by `inspect`).
  bool has_activation() const;

  // --- the engine ---
  virtual std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const = 0;
  // Merges build from all their inputs' shapes (make() gets only the first).
  virtual std::unique_ptr<Layer> make_merge(const LayerSpec& layer, const std::vector<Shape>& inputs,
                                            OpsBackend& ops) const;

  // --- TF.js layers format ---
  virtual std::string_view tfjs_class() const = 0;  // "Dense"
  // The layer of a config (keys snake_case); SpecError with field paths for
  // any setting we do not implement. The caller sets the name.
  virtual LayerSpec read_tfjs(const TfjsLayerReader& config) const = 0;
  // The config keys tfjs-layers 4.22's getConfig() writes, in its order.
  virtual void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& config) const = 0;
  // RNN configs start with the base config (name, trainable, ...); others end with it.
  virtual bool tfjs_base_config_first() const { return false; }
  // Keras's input_dim declares the input shape [input_dim], except where it
  // means something else (Embedding: the vocabulary; its input_length is the shape).
  virtual bool tfjs_input_dim_is_shape() const { return true; }
};

// --- the registry (core/layers/layer_registry.cpp) ---

// Every type, in documentation order.
const std::vector<const LayerType*>& layer_types();
// nullptr when no type has that name / TF.js class.
const LayerType* find_layer_type(std::string_view name);
const LayerType* find_tfjs_layer_class(std::string_view class_name);
// The type of a layer; std::invalid_argument naming the layer when unknown
// (a validated spec never has one).
const LayerType& layer_type_of(const LayerSpec& layer);

// Rules several types share, with the messages validation gives.
// units, filters, input_dim, output_dim: 1 .. limits.max_units.
void check_count(int64_t value, const std::string& path, const SpecLimits& limits);
// kernel_size, pool_size, strides: exactly [h, w], each >= 1.
void check_pair(const std::vector<int64_t>& pair, const std::string& path);
// "layers[2] (conv2d_1): conv2d needs <rule>, got [784]".
[[noreturn]] void throw_input_needs(const LayerSpec& layer, const LayerPlace& place, const std::string& rule,
                                    const Shape& input);

}  // namespace gapscope
