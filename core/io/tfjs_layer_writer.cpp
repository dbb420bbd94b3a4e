// Writing TF.js layer configs: the base config every class carries and the
// dispatch to the class's registry entry, which writes what tfjs-layers
// 4.22's getConfig() writes for it (checked against files TF.js wrote, key
// order included; see tests/data/tfjs_cnn_rnn_model).
#include "core/io/tfjs_layer_config.h"
#include "core/spec/layer_type.h"

namespace gapscope {

using nlohmann::ordered_json;

// Every layer config carries these, as Layer.getConfig() writes them; only the
// first layer carries the input shape (and, in 4.22, the dtype).
void add_tfjs_base_config(ordered_json& config, const LayerSpec& layer, const ModelSpec& spec, bool first) {
  config["name"] = layer.name;
  config["trainable"] = true;
  if (first) {
    ordered_json shape = ordered_json::array({nullptr});
    for (int64_t d : spec.input_shape) shape.push_back(d);
    config["batch_input_shape"] = shape;
    config["dtype"] = "float32";
  }
}

void add_tfjs_nulls(ordered_json& config, std::initializer_list<const char*> keys) {
  for (const char* key : keys) config[key] = nullptr;
}

ordered_json tfjs_layer_json(const LayerSpec& layer, const ModelSpec& spec, bool first) {
  const LayerType* type = find_layer_type(layer.type);
  if (!type) throw SpecError("layer type '" + layer.type + "' has no TF.js form");
  ordered_json config = ordered_json::object();
  if (type->tfjs_base_config_first()) add_tfjs_base_config(config, layer, spec, first);
  type->write_tfjs(layer, config);
  if (!type->tfjs_base_config_first()) add_tfjs_base_config(config, layer, spec, first);
  return ordered_json{{"class_name", std::string(type->tfjs_class())}, {"config", config}};
}

}  // namespace gapscope
