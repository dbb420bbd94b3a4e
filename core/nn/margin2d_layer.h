// zero_padding2d and cropping2d: rows and columns added (zeros) or removed at
// the edges of a channels-last image, as Keras's ZeroPadding2D / Cropping2D.
//   pad:  x [B, H, W, C] -> y [B, H+t+b, W+l+r, C]; dx = the inner block of dy
//   crop: x [B, H, W, C] -> y [B, H-t-b, W-l-r, C]; dx = dy placed inside zeros
// Each is the other's backward. The block moves in two OpsBackend::copy_columns
// steps through a buffer [B, big H, small W, C]: whole rows, then the columns
// within each row.
#pragma once
#include "core/nn/layer.h"

namespace gapscope {

struct ImageMargins {
  int64_t top = 0, bottom = 0, left = 0, right = 0;
};

class Margin2dLayer final : public Layer {
 public:
  enum class Kind { pad, crop };
  Margin2dLayer(const LayerSpec& spec, const Shape& input_shape, Kind kind);

  void reserve(OpsBackend& ops, int64_t max_batch) override;
  Tensor forward(OpsBackend& ops, const Tensor& x, const ForwardContext& ctx) override;
  Tensor backward(OpsBackend& ops, const Tensor& x, const Tensor& dy, bool need_dx) override;

 private:
  // small [B, h, w, C] -> big [B, h+t+b, w+l+r, C], zeros around it.
  void pad(OpsBackend& ops, const Tensor& small, Tensor& big);
  // big [B, H, W, C] -> its inner block small [B, H-t-b, W-l-r, C].
  void crop(OpsBackend& ops, const Tensor& big, Tensor& small);
  const Shape& big_shape() const { return kind_ == Kind::pad ? output_shape() : input_shape(); }
  const Shape& small_shape() const { return kind_ == Kind::pad ? input_shape() : output_shape(); }

  Kind kind_;
  ImageMargins margins_;
  Tensor y_, dx_, rows_;  // rows_: [max_batch, big H, small W, C]
};

// [top, bottom, left, right] of a spec's padding / cropping.
ImageMargins image_margins(const std::vector<int64_t>& margins);

}  // namespace gapscope
