#include "core/nn/model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "core/nn/dense_layer.h"
#include "core/nn/merge_layers.h"
#include "core/base/random.h"

namespace gapscope {
namespace {

// [batch, ...sample]
Shape batch_shape(int64_t batch, const Shape& sample) {
  Shape shape{batch};
  shape.insert(shape.end(), sample.begin(), sample.end());
  return shape;
}

bool is_crossentropy(Loss loss) {
  return loss == Loss::categorical_crossentropy || loss == Loss::sparse_categorical_crossentropy;
}

// A device that ran out of memory names the bytes; the user also needs to
// know which model (and batch) asked for them.
[[noreturn]] void throw_for_model(const OutOfDeviceMemory& e, const ModelSpec& spec, const std::string& what) {
  throw OutOfDeviceMemory("model '" + spec.name + "' does not fit while " + what + ": " + e.what(),
                          e.bytes_requested());
}

}  // namespace

Model::Model(ModelSpec spec, OpsBackend& ops, uint64_t seed, const WeightSet* weights)
    : spec_(std::move(spec)), ops_(ops), seed_(seed) {
  // Judged for one sample: a model that cannot train at a big batch may still
  // infer (ResNet50 at 224 needs 18 GiB to train at 64); whoever trains checks
  // its own batch (check_training_fits_machine).
  validate_model_spec(spec_, SpecLimits{.batch_size = 1});
  try {
    build(seed, weights);
  } catch (const OutOfDeviceMemory& e) {
    throw_for_model(e, spec_, "placing its weights on " + ops_.id());
  }
}

void Model::build(uint64_t seed, const WeightSet* weights) {
  graph_ = model_graph(spec_);
  const GraphShapes shapes = graph_shapes(spec_, graph_);
  Rng rng(seed);
  // In spec order (not run order), so a seed always gives the same weights.
  for (size_t i = 0; i < spec_.layers.size(); ++i) {
    auto layer = make_layer(spec_.layers[i], shapes.inputs[i], ops_);
    if (!weights) layer->initialize(ops_, rng);
    merges_.push_back(dynamic_cast<MergeLayer*>(layer.get()));
    layers_.push_back(std::move(layer));
  }
  // Softmax output + cross-entropy: differentiate through both at once (p - t),
  // which is exact and avoids the softmax Jacobian.
  auto* last = dynamic_cast<DenseLayer*>(layers_[static_cast<size_t>(graph_.output)].get());
  fused_softmax_loss_ =
      last && last->activation() == Activation::softmax && is_crossentropy(spec_.loss);
  const size_t n = layers_.size();
  layer_inputs_.resize(n);
  layer_outputs_.resize(n);
  gradient_sums_.resize(n);
  pending_dy_.resize(n);
  gradients_in_.resize(n);
  if (weights) set_weights(*weights);
  loss_ = ops_.allocate({1});
  correct_ = ops_.allocate({1});
}

Model::~Model() = default;

int64_t Model::input_size() const { return element_count(spec_.input_shape); }
int64_t Model::output_size() const { return element_count(layers_.back()->output_shape()); }

int64_t Model::predictions_per_sample() const {
  const Shape& out = layers_.back()->output_shape();
  return element_count(out) / out.back();
}

int64_t Model::target_size() const {
  return spec_.loss == Loss::sparse_categorical_crossentropy ? predictions_per_sample() : output_size();
}

// The loss and accuracy ops see rows of the last axis: an output [B, T, V]
// (per-step predictions) is B*T predictions, averaged over all of them as Keras does.
Tensor Model::as_prediction_rows(const Tensor& t, int64_t batch) const {
  int64_t rows = batch * predictions_per_sample();
  return t.reshaped({rows, t.size() / rows});
}

std::vector<Parameter*> Model::parameters() {
  std::vector<Parameter*> all;
  for (auto& layer : layers_)
    for (Parameter* p : layer->parameters()) all.push_back(p);
  return all;
}

int64_t Model::parameter_count() const {
  int64_t n = 0;
  for (auto& layer : layers_)
    for (Parameter* p : layer->parameters()) n += p->value.size();
  return n;
}

WeightSet Model::weights() {
  WeightSet set;
  for (Parameter* p : parameters()) {
    NamedArray array{p->name, p->value.shape(), std::vector<float>(static_cast<size_t>(p->value.size()))};
    ops_.download(p->value, array.values);
    set.push_back(std::move(array));
  }
  return set;
}

void Model::set_weights(const WeightSet& weights) {
  std::map<std::string, const NamedArray*> by_name;
  for (const NamedArray& array : weights) by_name[array.name] = &array;
  for (Parameter* p : parameters()) {
    auto it = by_name.find(p->name);
    if (it == by_name.end()) throw std::invalid_argument("weights: missing '" + p->name + "'");
    const NamedArray& array = *it->second;
    if (array.shape != p->value.shape())
      throw std::invalid_argument("weights: '" + p->name + "' has shape " +
                                  shape_to_string(array.shape) + ", the model needs " +
                                  shape_to_string(p->value.shape()));
    ops_.upload(p->value, array.values);
  }
}

void Model::reserve(int64_t max_batch) {
  if (max_batch <= max_batch_) return;
  try {
    for (auto& layer : layers_) layer->reserve(ops_, max_batch);
    for (size_t i = 0; i < layers_.size(); ++i)
      if (graph_.readers[i] > 1) gradient_sums_[i] = ops_.allocate(batch_shape(max_batch, layers_[i]->output_shape()));
    input_ = ops_.allocate({max_batch, input_size()});
    target_ = ops_.allocate({max_batch, target_size()});
    output_grad_ = ops_.allocate({max_batch, output_size()});
  } catch (const OutOfDeviceMemory& e) {
    throw_for_model(e, spec_, "reserving activations for batch " + std::to_string(max_batch) + " on " + ops_.id());
  }
  max_batch_ = max_batch;
}

Tensor Model::forward(const Tensor& x, bool training) {
  reserve(x.dim(0));
  ForwardContext ctx{training, seed_ ^ (0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(step_ + 1))};
  const Tensor input = x.reshaped(batch_shape(x.dim(0), spec_.input_shape));
  for (int index : graph_.order) {
    const size_t i = static_cast<size_t>(index);
    std::vector<Tensor>& xs = layer_inputs_[i];
    xs.clear();
    for (int s : graph_.sources[i]) xs.push_back(s == kModelInputSource ? input : layer_outputs_[static_cast<size_t>(s)]);
    layer_outputs_[i] = merges_[i] ? merges_[i]->forward_all(ops_, xs, ctx) : layers_[i]->forward(ops_, xs[0], ctx);
  }
  return layer_outputs_[static_cast<size_t>(graph_.output)];
}

void Model::predict(std::span<const float> x, int64_t batch, std::span<float> out) {
  if (static_cast<int64_t>(x.size()) != batch * input_size() ||
      static_cast<int64_t>(out.size()) != batch * output_size())
    throw std::invalid_argument("predict: " + std::to_string(x.size()) + " inputs and room for " +
                                std::to_string(out.size()) + " outputs do not fit batch " +
                                std::to_string(batch) + " of " + std::to_string(input_size()) +
                                " -> " + std::to_string(output_size()));
  reserve(batch);
  Tensor in = input_.rows(0, batch);
  ops_.upload(in, x);
  Tensor y = forward(in, false);
  ops_.download(y, out);
}

void Model::stage_batch(std::span<const float> x, std::span<const float> target, int64_t batch) {
  if (static_cast<int64_t>(x.size()) != batch * input_size() ||
      static_cast<int64_t>(target.size()) != batch * target_size())
    throw std::invalid_argument("stage_batch: sizes do not match batch " + std::to_string(batch));
  reserve(batch);
  Tensor in = input_.rows(0, batch), t = target_.rows(0, batch);
  ops_.upload(in, x);
  ops_.upload(t, target);
  staged_batch_ = batch;
}

void Model::forward_backward() {
  if (staged_batch_ == 0) throw std::logic_error("train_step: no batch staged");
  int64_t batch = staged_batch_;
  Tensor x = input_.rows(0, batch);
  Tensor t = as_prediction_rows(target_.rows(0, batch), batch);
  Tensor y_out = forward(x, true);
  Tensor y = as_prediction_rows(y_out, batch);
  Tensor dy = as_prediction_rows(output_grad_.rows(0, batch), batch);
  ops_.count_correct(y, t, spec_.loss, correct_);
  if (fused_softmax_loss_) {
    ops_.softmax_crossentropy_backward(spec_.loss, y, t, loss_, dy);
    backward_graph(dy, true);
  } else {
    ops_.loss_forward_backward(spec_.loss, y, t, loss_, &dy);
    backward_graph(dy.reshaped(y_out.shape()), false);
  }
}

// Reverse run order: a layer's readers all come after it, so its output's
// gradient is complete when its turn comes. output_done: output_dy is the
// output layer's pre-activation gradient (fused softmax + cross-entropy).
void Model::backward_graph(Tensor output_dy, bool output_done) {
  std::fill(gradients_in_.begin(), gradients_in_.end(), 0);
  const size_t out = static_cast<size_t>(graph_.output);
  pending_dy_[out] = output_dy;
  for (size_t k = graph_.order.size(); k-- > 0;) {
    const size_t i = static_cast<size_t>(graph_.order[k]);
    const std::vector<int>& sources = graph_.sources[i];
    const Tensor& dy = pending_dy_[i];
    if (merges_[i]) {
      const std::vector<Tensor> dxs = merges_[i]->backward_all(ops_, layer_inputs_[i], dy);
      for (size_t s = 0; s < sources.size(); ++s) deliver_gradient(sources[s], dxs[s]);
      continue;
    }
    const bool need_dx = sources[0] != kModelInputSource;
    const Tensor dx = i == out && output_done
                          ? static_cast<DenseLayer&>(*layers_[i]).backward_from_preactivation(ops_, layer_inputs_[i][0], dy, need_dx)
                          : layers_[i]->backward(ops_, layer_inputs_[i][0], dy, need_dx);
    if (need_dx) deliver_gradient(sources[0], dx);
  }
}

// A source's gradient in its output's own shape ([batch, H, W, C], not the
// flat rows a reader may hand back): layers check the shape of their dy.
void Model::deliver_gradient(int source, const Tensor& dx) {
  if (source == kModelInputSource) return;
  const size_t s = static_cast<size_t>(source);
  const Tensor part = dx.reshaped(batch_shape(dx.dim(0), layers_[s]->output_shape()));
  if (graph_.readers[s] == 1) {
    pending_dy_[s] = part;
    return;
  }
  Tensor sum = gradient_sums_[s].rows(0, dx.dim(0));
  if (gradients_in_[s]++ == 0)
    ops_.copy(part, sum);
  else
    ops_.axpy(1.0f, part, sum);
  pending_dy_[s] = sum;
}

void Model::apply_updates() {
  ++step_;
  int slots = optimizer_slot_count(spec_.optimizer.kind);
  for (Parameter* p : parameters()) {
    if (!p->trainable) continue;
    while (static_cast<int>(p->slots.size()) < slots) p->slots.push_back(ops_.allocate(p->value.shape()));
    ops_.optimizer_update(spec_.optimizer, step_, p->value, p->grad, p->slots);
  }
}

void Model::train_step() {
  forward_backward();
  apply_updates();
}

float Model::compute_gradients() {
  forward_backward();
  return read_loss();
}

float Model::evaluate_staged() {
  if (staged_batch_ == 0) throw std::logic_error("evaluate: no batch staged");
  Tensor x = input_.rows(0, staged_batch_);
  Tensor t = as_prediction_rows(target_.rows(0, staged_batch_), staged_batch_);
  Tensor y = as_prediction_rows(forward(x, false), staged_batch_);
  ops_.count_correct(y, t, spec_.loss, correct_);
  ops_.loss_forward_backward(spec_.loss, y, t, loss_, nullptr);
  return read_loss();
}

float Model::read_loss() {
  float value = 0;
  ops_.download(loss_, std::span<float>(&value, 1));
  return value;
}

int64_t Model::read_correct() {
  float value = 0;
  ops_.download(correct_, std::span<float>(&value, 1));
  return std::llround(value);
}

}  // namespace gapscope
