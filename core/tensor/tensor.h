// Tensor: float32, row-major, shape-checked. A tensor is a view (shape + offset)
// into a Storage owned by an ops backend; host backends expose a pointer,
// device backends (Vulkan) do not, so layers never touch data directly.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gapscope {

using Shape = std::vector<int64_t>;

int64_t element_count(const Shape& shape);
std::string shape_to_string(const Shape& shape);

// Backend-owned memory. host_data() is null for memory the CPU cannot address.
class Storage {
 public:
  virtual ~Storage() = default;
  virtual float* host_data() = 0;
  virtual int64_t size() const = 0;  // in floats
};

class Tensor {
 public:
  Tensor() = default;
  Tensor(Shape shape, std::shared_ptr<Storage> storage, int64_t offset = 0);

  const Shape& shape() const { return shape_; }
  int64_t dim(int i) const;  // negative i counts from the end
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t size() const { return element_count(shape_); }
  bool empty() const { return storage_ == nullptr; }
  int64_t offset() const { return offset_; }
  Storage* storage() const { return storage_.get(); }

  // Host pointer; throws if the storage lives on a device.
  float* data();
  const float* data() const;

  // Same storage, other shape (same element count).
  Tensor reshaped(Shape shape) const;
  // Rows [begin, begin+count) of the leading dimension.
  Tensor rows(int64_t begin, int64_t count) const;

 private:
  Shape shape_;
  std::shared_ptr<Storage> storage_;
  int64_t offset_ = 0;
};

// Throws std::invalid_argument naming `what` when shapes differ.
void require_shape(const Tensor& t, const Shape& expected, const char* what);

}  // namespace gapscope
