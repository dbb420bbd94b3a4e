#include "core/spec/presets.h"

#include "core/spec/json_fields.h"

namespace gapscope {

namespace {

constexpr int kMaxDepth = 64;
constexpr int kMaxWidth = 65536;

LayerSpec dense(int64_t units, Activation activation) {
  LayerSpec layer;
  layer.type = "dense";
  layer.units = units;
  layer.activation = activation;
  return layer;
}

}  // namespace

ModelSpec paper_dnn(int depth, int width) {
  if (depth < 1 || depth > kMaxDepth)
    throw SpecError("paper-dnn depth must be in [1, " + std::to_string(kMaxDepth) + "], got " + std::to_string(depth));
  if (width < 1 || width > kMaxWidth)
    throw SpecError("paper-dnn width must be in [1, " + std::to_string(kMaxWidth) + "], got " + std::to_string(width));
  ModelSpec spec;
  spec.name = "paper-dnn-" + std::to_string(depth) + "x" + std::to_string(width);
  spec.input_shape = {784};
  for (int i = 0; i < depth; ++i) spec.layers.push_back(dense(width, Activation::relu));
  spec.layers.push_back(dense(10, Activation::softmax));
  spec.loss = Loss::categorical_crossentropy;
  spec.optimizer = default_optimizer_config(OptimizerKind::sgd);
  spec.optimizer.learning_rate = 0.1f;
  assign_default_layer_names(spec);
  return spec;
}

std::vector<std::string> preset_names() { return {"paper-dnn"}; }

ModelSpec make_preset(const std::string& name, int depth, int width) {
  if (name == "paper-dnn") return paper_dnn(depth, width);
  throw SpecError("unknown preset '" + name + "'; known presets: " + join_names(preset_names()));
}

}  // namespace gapscope
