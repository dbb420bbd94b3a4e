#include "core/io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/base/atomic_file.h"

namespace gapscope {

MappedFile::MappedFile(const std::string& path, int64_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  struct stat info {};
  bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  if (!regular || info.st_size == 0) {
    // Directories, pipes and empty files: the buffered reader has the checks and messages.
    ::close(fd);
    fallback_ = read_file_limited(path, max_bytes);
    data_ = fallback_.data();
    size_ = fallback_.size();
    return;
  }
  if (info.st_size > max_bytes) {
    ::close(fd);
    read_file_limited(path, max_bytes);  // throws the size-over-limit message
  }
  // MAP_POPULATE: one system call faults every page in, instead of one fault per page.
  void* p = ::mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  int error = errno;
  ::close(fd);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map " + path + ": " + std::strerror(error));
  data_ = static_cast<const char*>(p);
  size_ = static_cast<size_t>(info.st_size);
  mapped_ = true;
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);
}

}  // namespace gapscope
