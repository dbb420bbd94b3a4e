// embedding: token ids [T] in [0, input_dim) -> vectors [T, output_dim];
// embeddings [input_dim, output_dim]. It reads ids, which no layer computes,
// and passes no gradient back: it must come first.
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/embedding_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class EmbeddingType final : public LayerType {
 public:
  std::string_view name() const override { return "embedding"; }
  std::string_view description() const override { return "an embedding layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        count_field("input_dim", &LayerSpec::input_dim, "the vocabulary size (an integer >= 1)", 1000),
        count_field("output_dim", &LayerSpec::output_dim, "the vector size (an integer >= 1)", 32),
        initializer_field("embeddings_initializer", &LayerSpec::kernel_initializer, Initializer::random_uniform),
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.input_dim, path + ".input_dim", limits);
    check_count(layer.output_dim, path + ".output_dim", limits);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    if (!place.reads_model_input)
      throw SpecError(place.where +
                      ": embedding must take the model's input: it reads token ids, which no layer computes, and "
                      "passes no gradient back");
    if (input.size() != 1) throw_input_needs(layer, place, "an input [timesteps] of token ids (rank 1)", input);
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    Shape out = input;
    out.push_back(layer.output_dim);
    return out;
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape&) const override {
    return {{layer.name + "/embeddings", {layer.input_dim, layer.output_dim}}};
  }
  bool reads_token_ids() const override { return true; }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    return std::make_unique<EmbeddingLayer>(layer, input, ops);
  }

  std::string_view tfjs_class() const override { return "Embedding"; }
  bool tfjs_input_dim_is_shape() const override { return false; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer",
                    "activity_regularizer", "embeddings_constraint", "mask_zero", "input_length"},
                   "Embedding");
    r.note_ignored({"embeddings_regularizer", "activity_regularizer"}, "regularizer");
    r.note_ignored({"embeddings_constraint"}, "constraint");
    r.require_false("mask_zero", "masks");
    LayerSpec layer;
    layer.input_dim = r.integer("input_dim");
    layer.output_dim = r.integer("output_dim");
    layer.kernel_initializer = r.initializer("embeddings_initializer", Initializer::random_uniform);
    return layer;
  }
  // As tf.layers.embedding({inputShape: [T], ...}) writes it: input_length null.
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["input_dim"] = layer.input_dim;
    c["output_dim"] = layer.output_dim;
    c["embeddings_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    add_tfjs_nulls(c, {"embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "mask_zero",
                       "input_length"});
  }
};

}  // namespace

const LayerType& embedding_layer_type() {
  static const EmbeddingType type;
  return type;
}

}  // namespace gapscope
