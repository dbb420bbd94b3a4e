// reshape: the same values under target_shape (per sample, no -1); a view of
// the input, no data moves.
#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/reshape_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class ReshapeType final : public LayerType {
 public:
  std::string_view name() const override { return "reshape"; }
  std::string_view description() const override { return "a reshape layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "target_shape", .kind = LayerFieldKind::shape, .member = &LayerSpec::target_shape,
         .required_hint = "the per-sample shape, e.g. [7, 7, 16]", .summary = FieldSummary::value,
         .placeholder = "e.g. 7, 7, 16", .starts_as_input_shape = true},
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    if (layer.target_shape.empty()) throw SpecError(path + ".target_shape must not be empty, e.g. [7, 7, 16]");
    for (size_t i = 0; i < layer.target_shape.size(); ++i)
      if (layer.target_shape[i] < 1)
        throw SpecError(element_path(path + ".target_shape", i) + " must be >= 1, got " +
                        with_thousands(layer.target_shape[i]));
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    int64_t in = saturating_element_count(input), out = saturating_element_count(layer.target_shape);
    if (in != out)
      throw SpecError(place.where + ": reshape target " + shape_to_string(layer.target_shape) + " has " +
                      with_thousands(out) + " elements, the input " + shape_to_string(input) + " has " +
                      with_thousands(in));
  }
  Shape output_shape(const LayerSpec& layer, const Shape&) const override { return layer.target_shape; }
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape&) const override { return 0; }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<ReshapeLayer>(layer, input, layer.target_shape);
  }

  std::string_view tfjs_class() const override { return "Reshape"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"target_shape"}, "Reshape");
    LayerSpec layer;
    layer.target_shape = r.int_list("target_shape");
    for (size_t i = 0; i < layer.target_shape.size(); ++i)
      if (layer.target_shape[i] == -1)
        throw SpecError(element_path(r.path_of("target_shape"), i) +
                        ": an inferred (-1) dimension is not supported; give its size");
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["target_shape"] = layer.target_shape;
  }
};

}  // namespace

const LayerType& reshape_layer_type() {
  static const ReshapeType type;
  return type;
}

}  // namespace gapscope
