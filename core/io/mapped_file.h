// A read-only memory map of a whole file: loading a model reads its bytes in
// place instead of copying them into a buffer first (load time is a measured phase).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace gapscope {

class MappedFile {
 public:
  // Throws std::runtime_error naming the path and the OS reason, or the size
  // and the limit when the file is larger than max_bytes (checked before mapping).
  MappedFile(const std::string& path, int64_t max_bytes);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;
  std::string fallback_;  // non-regular files (pipes) are read, not mapped
};

}  // namespace gapscope
