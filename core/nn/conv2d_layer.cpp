#include "core/nn/conv2d_layer.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/base/initializer.h"
#include "core/base/random.h"
#include "core/nn/window_geometry.h"

namespace gapscope {
namespace {

// Keras/TF.js conv2d: strides default to 1x1.
WindowGeometry conv_geometry(const LayerSpec& spec, const Shape& input_shape) {
  return window_geometry(spec.name, input_shape, spec.kernel_size, spec.strides, {1, 1},
                         spec.padding, spec.dilation_rate);
}

}  // namespace

Conv2dLayer::Conv2dLayer(const LayerSpec& spec, const Shape& input_shape, OpsBackend& ops)
    : Layer(spec.name, input_shape,
            [&] {
              WindowGeometry g = conv_geometry(spec, input_shape);
              return Shape{g.out_h, g.out_w, spec.filters};
            }()),
      activation_(spec.activation),
      use_bias_(spec.use_bias),
      kernel_initializer_(spec.kernel_initializer),
      bias_initializer_(spec.bias_initializer),
      geometry_(conv_geometry(spec, input_shape)) {
  if (spec.filters < 1)
    throw std::invalid_argument("layer '" + spec.name + "': filters must be >= 1, got " +
                                std::to_string(spec.filters));
  const WindowGeometry& g = geometry_;
  pointwise_ = g.kernel_h == 1 && g.kernel_w == 1 && g.stride_h == 1 && g.stride_w == 1 &&
               g.pad_top == 0 && g.pad_left == 0;
  kernel_.name = spec.name + "/kernel";
  kernel_.value = ops.allocate({g.kernel_h, g.kernel_w, g.channels, spec.filters});
  kernel_.grad = ops.allocate(kernel_.value.shape());
  if (use_bias_) {
    bias_.name = spec.name + "/bias";
    bias_.value = ops.allocate({spec.filters});
    bias_.grad = ops.allocate({spec.filters});
  }
}

int64_t Conv2dLayer::patch_size() const {
  return geometry_.kernel_h * geometry_.kernel_w * geometry_.channels;
}
int64_t Conv2dLayer::pixels() const { return geometry_.out_h * geometry_.out_w; }

std::vector<Parameter*> Conv2dLayer::parameters() {
  if (use_bias_) return {&kernel_, &bias_};
  return {&kernel_};
}

// Keras fans for a [kh, kw, in, out] kernel: fan_in = kh*kw*in, fan_out = kh*kw*out.
// (Orthogonal flattens the kernel to [kh*kw*in, out], as TF.js does.)
void Conv2dLayer::initialize(OpsBackend& ops, Rng& rng) {
  for (Parameter* p : parameters()) {
    std::vector<float> values(static_cast<size_t>(p->value.size()));
    gapscope::initialize(p == &kernel_ ? kernel_initializer_ : bias_initializer_, p->value.shape(), rng, values);
    ops.upload(p->value, values);
  }
}

// Samples per im2col chunk: the chunk's cols stay in L2 between im2col and
// the GEMMs that read them (a whole batch of cols would go through DRAM twice).
int64_t Conv2dLayer::chunk_samples(int64_t max_batch, int threads) const {
  const int64_t floats = kChunkFloats * std::max(threads, 1);
  return std::clamp<int64_t>(floats / (pixels() * patch_size()), 1, max_batch);
}

void Conv2dLayer::reserve(OpsBackend& ops, int64_t max_batch) {
  int64_t rows = max_batch * pixels();
  if (!z_.empty() && z_.dim(0) >= rows) return;
  int64_t filters = output_shape().back();
  chunk_ = chunk_samples(max_batch, ops.parallelism());
  keep_cols_ = rows * patch_size() <= (patch_size() <= kKeptShortRow ? kKeptColsFloats
                                                                      : kKeptInL2Floats);
  if (!pointwise_) cols_ = ops.allocate({(keep_cols_ ? max_batch : chunk_) * pixels(), patch_size()});
  cols_batch_ = 0;
  z_ = ops.allocate({rows, filters});
  y_ = activation_ == Activation::linear ? z_ : ops.allocate({rows, filters});
  dz_ = activation_ == Activation::linear ? Tensor{} : ops.allocate({rows, filters});
  dx_ = ops.allocate(batched(max_batch, input_shape()));
}

Tensor Conv2dLayer::chunk_cols(int64_t first_sample, int64_t samples) const {
  return cols_.rows(keep_cols_ ? first_sample * pixels() : 0, samples * pixels());
}

// z += b, y = act(z) on rows [first, first + count) of z and y.
void Conv2dLayer::bias_and_activation(OpsBackend& ops, int64_t first, int64_t count) {
  Tensor z = z_.rows(first, count);
  if (use_bias_) ops.add_row_bias(z, bias_.value);
  if (activation_ != Activation::linear) {
    Tensor y = y_.rows(first, count);
    ops.activation_forward(activation_, z, y);
  }
}

// Per chunk of n samples: x [n, H, W, C] -> cols [n*OH*OW, kh*kw*C] -> z = cols W [n*OH*OW, F],
// z += b, y = act(z) (while the chunk's z is still in cache).
Tensor Conv2dLayer::forward(OpsBackend& ops, const Tensor& x_in, const ForwardContext&) {
  const int64_t batch = x_in.dim(0), rows = batch * pixels(), filters = output_shape().back();
  Tensor x = x_in.reshaped(batched(batch, input_shape()));
  Tensor z = first_rows(z_, rows);
  Tensor kernel = kernel_.value.reshaped({patch_size(), filters});
  if (pointwise_) {
    ops.gemm(false, false, 1.0f, x.reshaped({rows, patch_size()}), kernel, 0.0f, z);
    bias_and_activation(ops, 0, rows);
  } else {
    for (int64_t b0 = 0; b0 < batch; b0 += chunk_) {
      const int64_t n = std::min(chunk_, batch - b0);
      Tensor cols = chunk_cols(b0, n);
      ops.im2col(with_batch(geometry_, n), x.rows(b0, n), cols);
      Tensor z_chunk = z.rows(b0 * pixels(), n * pixels());
      ops.gemm(false, false, 1.0f, cols, kernel, 0.0f, z_chunk);
      bias_and_activation(ops, b0 * pixels(), n * pixels());
    }
    cols_batch_ = keep_cols_ || batch <= chunk_ ? batch : 0;
  }
  Tensor y = activation_ == Activation::linear ? z : first_rows(y_, rows);
  return y.reshaped(batched(batch, output_shape()));
}

// dy [B, OH, OW, F] -> per chunk: dz = dy * act'(z) [n*OH*OW, F], db += sum_rows(dz),
// cols = im2col(x) (again, unless forward's are still there), dW += cols^T dz,
// dcols = dz W^T [n*OH*OW, kh*kw*C] (into cols, now in L2), dx = col2im(dcols).
Tensor Conv2dLayer::backward(OpsBackend& ops, const Tensor& x_in, const Tensor& dy_in,
                             bool need_dx) {
  const int64_t batch = x_in.dim(0), rows = batch * pixels(), filters = output_shape().back();
  const Tensor dy = dy_in.reshaped({rows, filters});
  Tensor dz = activation_ == Activation::linear ? dy : first_rows(dz_, rows);
  // dz = dy * act'(z) and db += sum_rows(dz) for rows [first, first + count).
  auto dz_and_bias = [&](int64_t first, int64_t count) {
    Tensor dz_rows = dz.rows(first, count);
    if (activation_ != Activation::linear) {
      ops.activation_backward(activation_, z_.rows(first, count), y_.rows(first, count),
                              dy.rows(first, count), dz_rows);
    }
    if (use_bias_) ops.sum_rows(dz_rows, first == 0 ? 0.0f : 1.0f, bias_.grad);
  };
  if (pointwise_) dz_and_bias(0, rows);
  Tensor x = x_in.reshaped(batched(batch, input_shape()));
  Tensor kernel = kernel_.value.reshaped({patch_size(), filters});
  Tensor kernel_grad = kernel_.grad.reshaped({patch_size(), filters});
  Tensor dx = need_dx ? first_rows(dx_, batch) : Tensor{};
  if (pointwise_) {
    ops.gemm(true, false, 1.0f, x.reshaped({rows, patch_size()}), dz, 0.0f, kernel_grad);
    if (!need_dx) return {};
    Tensor dx_rows = dx.reshaped({rows, patch_size()});
    ops.gemm(false, true, 1.0f, dz, kernel, 0.0f, dx_rows);
    return dx;
  }
  for (int64_t b0 = 0; b0 < batch; b0 += chunk_) {
    const int64_t n = std::min(chunk_, batch - b0);
    const WindowGeometry g = with_batch(geometry_, n);
    Tensor cols = chunk_cols(b0, n);
    if (cols_batch_ != batch) ops.im2col(g, x.rows(b0, n), cols);
    dz_and_bias(b0 * pixels(), n * pixels());
    Tensor dz_chunk = dz.rows(b0 * pixels(), n * pixels());
    ops.gemm(true, false, 1.0f, cols, dz_chunk, b0 == 0 ? 0.0f : 1.0f, kernel_grad);
    if (!need_dx) continue;
    ops.gemm(false, true, 1.0f, dz_chunk, kernel, 0.0f, cols);  // cols is spent: dcols
    Tensor dx_chunk = dx.rows(b0, n);
    ops.col2im(g, cols, dx_chunk);
  }
  if (need_dx) cols_batch_ = 0;  // cols now holds dcols
  return need_dx ? dx : Tensor{};
}

}  // namespace gapscope
