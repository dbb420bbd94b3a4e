// A layer is an explicit forward/backward pair (no autograd tape). It owns its
// parameters and the output/gradient buffers it needs for up to max_batch rows;
// forward and backward return views of those buffers sized to the batch.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/ops/ops_backend.h"
#include "core/spec/model_spec.h"

namespace gapscope {

struct Parameter {
  std::string name;           // TF.js weight name, e.g. "dense_1/kernel"
  Tensor value;
  Tensor grad;                // empty when not trainable
  std::vector<Tensor> slots;  // optimizer state, created lazily
  bool trainable = true;      // false: state the layer updates itself (batch-norm moving stats)
};

class Rng;

struct ForwardContext {
  bool training = false;
  uint64_t dropout_seed = 0;  // differs per step, so masks differ per step
};

class Layer {
 public:
  virtual ~Layer() = default;
  const std::string& name() const { return name_; }
  const Shape& input_shape() const { return input_shape_; }   // per sample
  const Shape& output_shape() const { return output_shape_; } // per sample

  // Draws the initial weights from rng, parameter by parameter in parameters()
  // order, with the spec's initializers and Keras's fans. Layers without
  // weights draw nothing.
  virtual void initialize(OpsBackend&, Rng&) {}
  virtual void reserve(OpsBackend& ops, int64_t max_batch) = 0;
  // x: [B, input...] -> y: [B, output...]. Layers may be given x in any shape
  // with B rows and reshape it; they return y shaped [B, output...].
  virtual Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) = 0;
  // dy: [B, output...]; writes parameter gradients; returns dx unless !need_dx.
  virtual Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) = 0;
  virtual std::vector<Parameter*> parameters() { return {}; }

 protected:
  Layer(std::string name, Shape input, Shape output)
      : name_(std::move(name)), input_shape_(std::move(input)), output_shape_(std::move(output)) {}
  // For layers whose output shape comes from parts built after the base.
  void set_output_shape(Shape output) { output_shape_ = std::move(output); }
  // [batch, shape...]
  static Shape batched(int64_t batch, const Shape& shape);
  // View of the first `batch` rows of a buffer reserved for max_batch rows.
  static Tensor first_rows(const Tensor& buffer, int64_t batch) { return buffer.rows(0, batch); }

 private:
  std::string name_;
  Shape input_shape_;
  Shape output_shape_;
};

// Builds a layer given its inputs' per-sample shapes (a MergeLayer for
// merges, which take several).
std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const std::vector<Shape>& input_shapes, OpsBackend& ops);
inline std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops) {
  return make_layer(spec, std::vector<Shape>{input_shape}, ops);
}

}  // namespace gapscope
