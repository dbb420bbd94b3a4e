// Model: the layers of a ModelSpec's graph (a chain, or a DAG with merges)
// built on one ops backend, with seeded initial weights, inference, and
// one-call training steps. Layers run in the graph's order; in backward the
// gradients of an output read by several layers are summed.
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/nn/layer.h"
#include "core/nn/weights.h"
#include "core/ops/ops_backend.h"
#include "core/spec/model_graph.h"
#include "core/spec/model_spec.h"

namespace gapscope {

class MergeLayer;

class Model {
 public:
  // Validates the spec, builds the layers and initialises the weights from seed,
  // or, when weights are given, uploads those instead (a loaded model skips init).
  Model(ModelSpec spec, OpsBackend& ops, uint64_t seed, const WeightSet* weights = nullptr);
  ~Model();

  const ModelSpec& spec() const { return spec_; }
  OpsBackend& ops() { return ops_; }
  int64_t input_size() const;   // per sample
  int64_t output_size() const;  // per sample
  std::vector<Parameter*> parameters();
  int64_t parameter_count() const;

  // Named weights, downloaded from the backend.
  WeightSet weights();
  // Uploads weights matched by name; every parameter must be given with its shape.
  void set_weights(const WeightSet& weights);

  // Buffers for batches of up to max_batch rows (grows, never shrinks).
  void reserve(int64_t max_batch);

  // Inference on device tensors: x [B, input] -> view of the output [B, output].
  Tensor forward(const Tensor& x, bool training);
  // Inference from host memory: x holds batch*input_size floats, out batch*output_size.
  void predict(std::span<const float> x, int64_t batch, std::span<float> out);

  // One optimisation step on a batch staged with stage_batch(); the loss and
  // the number of correct rows stay on the device until read.
  void stage_batch(std::span<const float> x, std::span<const float> target, int64_t batch);
  void train_step();
  float read_loss();
  int64_t read_correct();
  int64_t step() const { return step_; }
  // Target values per sample the loss expects (classes, or 1 for the sparse
  // loss, per prediction).
  int64_t target_size() const;
  // Predictions per sample: 1, or T for per-step outputs [T, classes]. The
  // loss averages over all of them; read_correct() counts them.
  int64_t predictions_per_sample() const;

  // Backward only (no update): fills every parameter's grad for the staged batch
  // and returns the loss. Used by gradient checks and the PyTorch oracle.
  float compute_gradients();
  // Inference-mode loss of the staged batch (no gradients, no update);
  // read_correct() then gives the rows classified right.
  float evaluate_staged();

 private:
  void build(uint64_t seed, const WeightSet* weights);
  void forward_backward();
  // Backward from the output layer's gradient through the graph.
  void backward_graph(Tensor output_dy, bool output_done);
  // Hands the gradient `dx` of one reading of `source`'s output to it.
  void deliver_gradient(int source, const Tensor& dx);
  Tensor as_prediction_rows(const Tensor& t, int64_t batch) const;
  void apply_updates();

  ModelSpec spec_;
  OpsBackend& ops_;
  uint64_t seed_;
  ModelGraph graph_;
  std::vector<std::unique_ptr<Layer>> layers_;     // spec order
  std::vector<MergeLayer*> merges_;                // per layer: itself if a merge, else null
  std::vector<std::vector<Tensor>> layer_inputs_;  // inputs of each layer in the last forward
  std::vector<Tensor> layer_outputs_;
  std::vector<Tensor> gradient_sums_;  // per layer read by several: its output's summed gradient
  std::vector<Tensor> pending_dy_;     // backward: each layer's output gradient so far
  std::vector<int> gradients_in_;      // backward: readings of each layer's output handed back so far
  int64_t max_batch_ = 0;
  int64_t staged_batch_ = 0;
  int64_t step_ = 0;
  bool fused_softmax_loss_ = false;
  Tensor input_, target_, loss_, correct_, output_grad_;
};

}  // namespace gapscope
