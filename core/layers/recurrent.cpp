// simple_rnn, lstm, gru over sequences: input [T, F] -> [T, units] with
// return_sequences, else the last step [units]. G gate blocks (simple_rnn 1,
// lstm 4 in the order i, f, c, o; gru 3: z, r, h): kernel [F, G*units],
// recurrent_kernel [units, G*units], bias [G*units].
#include "core/io/tfjs_layer_config.h"
#include "core/layers/entry_support.h"
#include "core/nn/gru_layer.h"
#include "core/nn/lstm_layer.h"
#include "core/nn/simple_rnn_layer.h"
#include "core/spec/initializer_json.h"

namespace gapscope {
namespace {

using namespace layer_entry;

enum class Cell { simple, lstm, gru };

class RecurrentType final : public NamedLayerType {
 public:
  RecurrentType(Cell cell, std::string_view name, std::string_view description, std::string_view tfjs_class)
      : NamedLayerType(name, description, tfjs_class), cell_(cell), fields_(make_fields()) {}

  const std::vector<LayerField>& fields() const override { return fields_; }
  void check_fields(const LayerSpec& layer, const std::string& path, const SpecLimits& limits) const override {
    check_count(layer.units, path + ".units", limits);
  }
  void check_input(const LayerSpec& layer, const LayerPlace& place, const Shape& input) const override {
    if (input.size() != 2) throw_input_needs(layer, place, "an input [timesteps, features]", input);
  }
  Shape output_shape(const LayerSpec& layer, const Shape& input) const override {
    if (layer.return_sequences) return {dim(input, 0), layer.units};
    return {layer.units};
  }
  std::vector<ParameterShape> parameters(const LayerSpec& layer, const Shape& input) const override {
    const int64_t gates = saturating_mul(gate_count(), layer.units);
    std::vector<ParameterShape> p{{layer.name + "/kernel", {last_dim(input), gates}},
                                  {layer.name + "/recurrent_kernel", {layer.units, gates}}};
    if (layer.use_bias) p.push_back({layer.name + "/bias", {gates}});
    return p;
  }
  // T x G x units x (F + units)
  int64_t multiply_adds(const LayerSpec& layer, const Shape& input, const Shape&) const override {
    const int64_t per_step = saturating_mul(saturating_mul(gate_count(), layer.units),
                                            saturating_add(last_dim(input), layer.units));
    return saturating_mul(dim(input, 0), per_step);
  }
  // The output, and per step the G gate blocks, the cell and the hidden state.
  int64_t kept_elements(const LayerSpec& layer, const Shape& input, const Shape& output) const override {
    const int64_t steps = saturating_mul(dim(input, 0), saturating_mul(gate_count() + 2, layer.units));
    return saturating_add(saturating_element_count(output), steps);
  }
  std::unique_ptr<Layer> make(const LayerSpec& layer, const Shape& input, OpsBackend& ops) const override {
    switch (cell_) {
      case Cell::simple: return std::make_unique<SimpleRnnLayer>(layer, input, ops);
      case Cell::lstm: return std::make_unique<LstmLayer>(layer, input, ops);
      case Cell::gru: return std::make_unique<GruLayer>(layer, input, ops);
    }
    return nullptr;
  }

  bool tfjs_base_config_first() const override { return true; }  // RNN.getConfig merges it first
  LayerSpec read_tfjs(const TfjsLayerReader& r) const override {
    std::vector<std::string_view> keys = {
        "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
        "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
        "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "time_major"};
    if (cell_ != Cell::simple) keys.insert(keys.end(), {"recurrent_activation", "implementation"});
    if (cell_ == Cell::lstm) keys.push_back("unit_forget_bias");
    if (cell_ == Cell::gru) keys.push_back("reset_after");
    r.check_common(keys, std::string(tfjs_class()));
    r.note_ignored({"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer"},
                    "regularizer");
    r.note_ignored({"kernel_constraint", "recurrent_constraint", "bias_constraint"}, "constraint");
    r.require_zero("dropout", "input dropout");
    r.require_zero("recurrent_dropout", "recurrent dropout");
    r.require_false("return_state", "returned states");
    r.require_false("go_backwards", "backwards RNNs");
    r.require_false("stateful", "stateful RNNs");
    r.require_false("time_major", "time-major inputs");
    r.require_false("reset_after", "GRUs with reset_after");  // TF.js has none either
    // "implementation" and "unroll" only choose how the same maths is computed.
    LayerSpec layer;
    layer.units = r.integer("units");
    layer.activation = r.activation("activation", Activation::tanh);
    layer.recurrent_activation = r.activation("recurrent_activation", Activation::hard_sigmoid);
    layer.use_bias = r.flag("use_bias", true);
    layer.kernel_initializer = r.initializer("kernel_initializer", Initializer::glorot_normal);  // TF.js's default
    layer.recurrent_initializer = r.initializer("recurrent_initializer", Initializer::orthogonal);
    layer.bias_initializer = r.initializer("bias_initializer", Initializer::zeros);
    layer.unit_forget_bias = r.flag("unit_forget_bias", false);  // TF.js: undefined = false
    layer.return_sequences = r.flag("return_sequences", false);
    return layer;
  }
  void write_tfjs(const LayerSpec& layer, nlohmann::ordered_json& c) const override {
    c["units"] = layer.units;
    c["activation"] = activation_name(layer.activation);
    if (cell_ != Cell::simple) c["recurrent_activation"] = activation_name(layer.recurrent_activation);
    c["use_bias"] = layer.use_bias;
    c["kernel_initializer"] = initializer_to_tfjs_json(layer.kernel_initializer);
    c["recurrent_initializer"] = initializer_to_tfjs_json(layer.recurrent_initializer);
    c["bias_initializer"] = initializer_to_tfjs_json(layer.bias_initializer);
    if (cell_ == Cell::lstm) c["unit_forget_bias"] = layer.unit_forget_bias;
    add_tfjs_nulls(c, {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
                       "kernel_constraint", "recurrent_constraint", "bias_constraint"});
    c["dropout"] = 0;
    c["recurrent_dropout"] = 0;
    if (cell_ != Cell::simple) c["implementation"] = nullptr;
    if (cell_ == Cell::gru) c["reset_after"] = false;  // the only GRU TF.js has
    c["return_sequences"] = layer.return_sequences;
    c["return_state"] = false;
    c["go_backwards"] = false;
    c["stateful"] = false;
    c["unroll"] = false;
  }

 private:
  int64_t gate_count() const { return cell_ == Cell::lstm ? 4 : cell_ == Cell::gru ? 3 : 1; }

  // Defaults as TF.js: activation tanh, recurrent_activation hard_sigmoid,
  // recurrent_initializer orthogonal; kernel glorot_uniform as Keras; lstm's
  // forget-gate bias starts at 1.
  std::vector<LayerField> make_fields() const {
    std::vector<LayerField> f = {
        count_field("units", &LayerSpec::units, "an RNN layer needs units (an integer >= 1)", 64),
        activation_field("tanh")};
    if (cell_ != Cell::simple)
      f.push_back({.key = "recurrent_activation", .kind = LayerFieldKind::activation,
                   .member = &LayerSpec::recurrent_activation, .default_value = "hard_sigmoid"});
    f.push_back(use_bias_field());
    f.push_back(initializer_field("kernel_initializer", &LayerSpec::kernel_initializer, Initializer::glorot_uniform));
    f.push_back(
        initializer_field("recurrent_initializer", &LayerSpec::recurrent_initializer, Initializer::orthogonal));
    f.push_back(initializer_field("bias_initializer", &LayerSpec::bias_initializer, Initializer::zeros));
    f.push_back({.key = "return_sequences", .kind = LayerFieldKind::boolean, .member = &LayerSpec::return_sequences,
                 .default_value = false, .initial = false, .summary = FieldSummary::named_unless_default});
    if (cell_ == Cell::lstm)
      f.push_back({.key = "unit_forget_bias", .kind = LayerFieldKind::boolean, .member = &LayerSpec::unit_forget_bias,
                   .default_value = true});
    return f;
  }

  Cell cell_;
  std::vector<LayerField> fields_;
};

}  // namespace

const LayerType& simple_rnn_layer_type() {
  static const RecurrentType type(Cell::simple, "simple_rnn", "a simple_rnn layer", "SimpleRNN");
  return type;
}

const LayerType& lstm_layer_type() {
  static const RecurrentType type(Cell::lstm, "lstm", "an lstm layer", "LSTM");
  return type;
}

const LayerType& gru_layer_type() {
  static const RecurrentType type(Cell::gru, "gru", "a gru layer", "GRU");
  return type;
}

}  // namespace gapscope
