// dropout: in training, zeroes each value with probability `rate` and scales
// the rest by 1 / (1 - rate); identity in inference. Any shape.
#include "core/base/json_fields.h"
#include "core/base/number_text.h"
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/dropout_layer.h"

namespace gapscope {
namespace {

using namespace layer_entry;

class DropoutType final : public LayerType {
 public:
  std::string_view name() const override { return "dropout"; }
  std::string_view description() const override { return "a dropout layer"; }
  const std::vector<LayerField>& fields() const override {
    static const std::vector<LayerField> all = {
        {.key = "rate", .kind = LayerFieldKind::number, .member = &LayerSpec::rate,
         .required_hint = "a number in [0, 1)", .initial = 0.2, .summary = FieldSummary::named, .maximum = 1,
         .step = 0.05},
    };
    return all;
  }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits&) const override {
    if (!(layer.rate >= 0.0f && layer.rate < 1.0f))
      throw SpecError(path + ".rate must be in [0, 1), got " + float_text(layer.rate));
  }
  // output + mask
  int64_t kept_elements(const LayerSpec&, const Shape&, const Shape& output) const override {
    return saturating_mul(saturating_element_count(output), 2);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend&) const override {
    return std::make_unique<DropoutLayer>(layer, input);
  }

  std::string_view tfjs_class() const override { return "Dropout"; }
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    r.check_common({"rate", "noise_shape", "seed"}, "Dropout");
    r.require_null("noise_shape", "dropout noise shapes");
    // "seed" is ignored: dropout masks come from the run's seed on every backend.
    LayerSpec layer;
    layer.rate = read_float(required_field(r.config, r.config_path, "rate"), r.path_of("rate"));
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["rate"] = float_json_value(layer.rate);
    add_tfjs_nulls(c, {"noise_shape", "seed"});
  }
};

}  // namespace

const LayerType& dropout_layer_type() {
  static const DropoutType type;
  return type;
}

}  // namespace gapscope
