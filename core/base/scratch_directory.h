// A directory of its own under the system's temp directory (mkdtemp), removed
// with everything in it when the object goes: the model files and rows a run
// writes for a child process or a load/size measurement.
#pragma once
#include <filesystem>
#include <string>

namespace gapscope {

class ScratchDirectory {
 public:
  // "gapscope-bench-" -> /tmp/gapscope-bench-XXXXXX. Throws std::runtime_error
  // naming the directory and the OS reason when it cannot be made.
  explicit ScratchDirectory(const std::string& prefix);
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace gapscope
