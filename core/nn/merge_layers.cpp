#include "core/nn/merge_layers.h"

#include <numeric>
#include <stdexcept>

namespace gapscope {

MergeLayer::MergeLayer(const LayerSpec& spec, std::vector<Shape> inputs, Shape output)
    : Layer(spec.name, inputs.front(), std::move(output)), input_shapes_(std::move(inputs)) {}

Tensor MergeLayer::forward(OpsBackend&, const Tensor&, const ForwardContext&) {
  throw std::logic_error("layer '" + name() + "' merges several inputs: call forward_all");
}

Tensor MergeLayer::backward(OpsBackend&, const Tensor&, const Tensor&, bool) {
  throw std::logic_error("layer '" + name() + "' merges several inputs: call backward_all");
}

// ---- add, average, multiply --------------------------------------------------------

ElementwiseMergeLayer::ElementwiseMergeLayer(const LayerSpec& spec, ElementwiseMerge kind,
                                             const std::vector<Shape>& inputs)
    : MergeLayer(spec, inputs, inputs.front()), kind_(kind) {}

void ElementwiseMergeLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  const Shape shape = batched(max_batch, output_shape());
  y_ = ops.allocate(shape);
  const size_t inputs = input_shapes().size();
  const size_t gradients = kind_ == ElementwiseMerge::add       ? 0
                           : kind_ == ElementwiseMerge::average ? 1
                           : kind_ == ElementwiseMerge::maximum ? inputs + 1  // + the gradient not yet routed
                                                                : inputs;
  dxs_.clear();
  for (size_t k = 0; k < gradients; ++k) dxs_.push_back(ops.allocate(shape));
}

Tensor ElementwiseMergeLayer::forward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const ForwardContext&) {
  const int64_t batch = xs.front().dim(0);
  Tensor y = first_rows(y_, batch);
  const Shape shape = y.shape();
  if (kind_ == ElementwiseMerge::multiply) {
    ops.multiply(xs[0].reshaped(shape), xs[1].reshaped(shape), y);
    for (size_t k = 2; k < xs.size(); ++k) ops.multiply(y, xs[k].reshaped(shape), y);
    return y;
  }
  ops.copy(xs[0].reshaped(shape), y);
  if (kind_ == ElementwiseMerge::maximum) {
    for (size_t k = 1; k < xs.size(); ++k) ops.maximum(xs[k].reshaped(shape), y);
    return y;
  }
  for (size_t k = 1; k < xs.size(); ++k) ops.axpy(1.0f, xs[k].reshaped(shape), y);
  if (kind_ == ElementwiseMerge::average) ops.axpby(0.0f, y, 1.0f / static_cast<float>(xs.size()), y);
  return y;
}

std::vector<Tensor> ElementwiseMergeLayer::backward_all(OpsBackend& ops, const std::vector<Tensor>& xs,
                                                        const Tensor& dy_in) {
  const int64_t batch = xs.front().dim(0);
  const Tensor dy = dy_in.reshaped(batched(batch, output_shape()));
  std::vector<Tensor> dxs;
  switch (kind_) {
    case ElementwiseMerge::add:
      dxs.assign(xs.size(), dy);
      break;
    case ElementwiseMerge::average: {
      Tensor dx = first_rows(dxs_[0], batch);
      ops.copy(dy, dx);
      ops.axpby(0.0f, dy, 1.0f / static_cast<float>(xs.size()), dx);
      dxs.assign(xs.size(), dx);
      break;
    }
    case ElementwiseMerge::multiply:
      for (size_t k = 0; k < xs.size(); ++k) {
        Tensor dx = first_rows(dxs_[k], batch);
        ops.copy(dy, dx);
        for (size_t j = 0; j < xs.size(); ++j)
          if (j != k) ops.multiply(dx, xs[j].reshaped(dy.shape()), dx);
        dxs.push_back(dx);
      }
      break;
    case ElementwiseMerge::maximum: {
      const Tensor y = first_rows(y_, batch);
      Tensor remaining = first_rows(dxs_.back(), batch);
      ops.copy(dy, remaining);
      for (size_t k = 0; k < xs.size(); ++k) {
        Tensor dx = first_rows(dxs_[k], batch);
        ops.maximum_backward(xs[k].reshaped(dy.shape()), y, remaining, dx);
        dxs.push_back(dx);
      }
      break;
    }
  }
  for (size_t k = 0; k < xs.size(); ++k) dxs[k] = dxs[k].reshaped(xs[k].shape());
  return dxs;
}

// ---- concatenate ---------------------------------------------------------------------

namespace {

int64_t product(const Shape& shape, size_t first, size_t last) {
  return std::accumulate(shape.begin() + static_cast<std::ptrdiff_t>(first),
                         shape.begin() + static_cast<std::ptrdiff_t>(last), int64_t{1}, std::multiplies<>());
}

Shape concatenated(const std::vector<Shape>& inputs, size_t axis) {
  Shape out = inputs.front();
  out[axis] = 0;
  for (const Shape& s : inputs) out[axis] += s[axis];
  return out;
}

}  // namespace

ConcatenateLayer::ConcatenateLayer(const LayerSpec& spec, int64_t axis, const std::vector<Shape>& inputs)
    : MergeLayer(spec, inputs, concatenated(inputs, static_cast<size_t>(axis))) {
  const size_t a = static_cast<size_t>(axis);
  rows_per_sample_ = product(inputs.front(), 0, a);
  for (const Shape& s : inputs) {
    columns_.push_back(product(s, a, s.size()));
    total_columns_ += columns_.back();
  }
}

void ConcatenateLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  if (!y_.empty() && y_.dim(0) >= max_batch) return;
  y_ = ops.allocate(batched(max_batch, output_shape()));
  dxs_.clear();
  for (const Shape& s : input_shapes()) dxs_.push_back(ops.allocate(batched(max_batch, s)));
}

Tensor ConcatenateLayer::forward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const ForwardContext&) {
  const int64_t batch = xs.front().dim(0), rows = batch * rows_per_sample_;
  Tensor y = first_rows(y_, batch);
  Tensor y_matrix = y.reshaped({rows, total_columns_});
  int64_t at = 0;
  for (size_t k = 0; k < xs.size(); ++k) {
    ops.copy_columns(xs[k].reshaped({rows, columns_[k]}), 0, y_matrix, at, columns_[k]);
    at += columns_[k];
  }
  return y;
}

std::vector<Tensor> ConcatenateLayer::backward_all(OpsBackend& ops, const std::vector<Tensor>& xs, const Tensor& dy) {
  const int64_t batch = xs.front().dim(0), rows = batch * rows_per_sample_;
  const Tensor dy_matrix = dy.reshaped({rows, total_columns_});
  std::vector<Tensor> dxs;
  int64_t at = 0;
  for (size_t k = 0; k < xs.size(); ++k) {
    Tensor dx = first_rows(dxs_[k], batch);
    Tensor dx_matrix = dx.reshaped({rows, columns_[k]});
    ops.copy_columns(dy_matrix, at, dx_matrix, 0, columns_[k]);
    at += columns_[k];
    dxs.push_back(dx.reshaped(xs[k].shape()));
  }
  return dxs;
}

}  // namespace gapscope
