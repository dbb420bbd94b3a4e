#include "core/tensor/tensor.h"

#include <sstream>
#include <stdexcept>

namespace gapscope {

int64_t element_count(const Shape& shape) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string shape_to_string(const Shape& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

Tensor::Tensor(Shape shape, std::shared_ptr<Storage> storage, int64_t offset)
    : shape_(std::move(shape)), storage_(std::move(storage)), offset_(offset) {
  for (int64_t d : shape_)
    if (d < 0) throw std::invalid_argument("tensor dimension < 0 in " + shape_to_string(shape_));
  if (storage_ && offset_ + size() > storage_->size())
    throw std::out_of_range("tensor view " + shape_to_string(shape_) + " at offset " +
                            std::to_string(offset_) + " exceeds storage of " +
                            std::to_string(storage_->size()) + " floats");
}

int64_t Tensor::dim(int i) const {
  int r = rank();
  if (i < 0) i += r;
  if (i < 0 || i >= r)
    throw std::out_of_range("dimension " + std::to_string(i) + " of tensor " + shape_to_string(shape_));
  return shape_[static_cast<size_t>(i)];
}

float* Tensor::data() {
  float* p = storage_ ? storage_->host_data() : nullptr;
  if (!p) throw std::logic_error("tensor has no host memory");
  return p + offset_;
}

const float* Tensor::data() const { return const_cast<Tensor*>(this)->data(); }

Tensor Tensor::reshaped(Shape shape) const {
  if (element_count(shape) != size())
    throw std::invalid_argument("cannot reshape " + shape_to_string(shape_) + " to " + shape_to_string(shape));
  return Tensor(std::move(shape), storage_, offset_);
}

Tensor Tensor::rows(int64_t begin, int64_t count) const {
  if (rank() < 1 || begin < 0 || count < 0 || begin + count > shape_[0])
    throw std::out_of_range("rows [" + std::to_string(begin) + ", " + std::to_string(begin + count) +
                            ") of tensor " + shape_to_string(shape_));
  Shape s = shape_;
  s[0] = count;
  int64_t row = shape_[0] ? size() / shape_[0] : 0;
  return Tensor(std::move(s), storage_, offset_ + begin * row);
}

void require_shape(const Tensor& t, const Shape& expected, const char* what) {
  if (t.shape() != expected)
    throw std::invalid_argument(std::string(what) + ": expected shape " + shape_to_string(expected) +
                                ", got " + shape_to_string(t.shape()));
}

}  // namespace gapscope
