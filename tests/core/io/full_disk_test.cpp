// Saving onto a really full disk (a 256 KiB tmpfs) and a really read-only one
// (the same tmpfs remounted read-only): every model format and a report keep
// their previous file byte for byte, leave no temp file, and say why. Needs
// root for the mounts (CI runs as root); elsewhere it says so and skips.
#include <sys/mount.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <map>

#include "core/base/atomic_file.h"
#include "core/nn/initial_weights.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using gapscope::test::read_bytes;
using gapscope::test::same_bits;
using gapscope::test::ScratchDir;

namespace {

// A small tmpfs mounted over a scratch directory for the test's lifetime.
class SmallDisk {
 public:
  SmallDisk() {
    if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, "size=256k") != 0)
      FAIL("cannot mount a tmpfs on " << dir_.path() << ": " << std::strerror(errno));
  }
  ~SmallDisk() { ::umount2(dir_.path().c_str(), MNT_DETACH); }
  void make_read_only() {
    REQUIRE(::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=256k") == 0);
  }
  std::string file(const std::string& name) const { return dir_.file(name); }
  // Every file's bytes, by name: what must not change.
  std::map<std::string, std::string> contents() const {
    std::map<std::string, std::string> all;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path()))
      all[entry.path().filename().string()] = read_bytes(entry.path().string());
    return all;
  }

 private:
  ScratchDir dir_;
};

ModelFile preset_model(int width) {
  ModelFile model;
  model.spec = paper_dnn(1, width);
  model.weights = initial_weights(model.spec, 1);
  return model;
}

bool running_as_root() {
  if (::geteuid() == 0) return true;
  WARN("not root: the tmpfs mounts of this test need root, skipped");
  return false;
}

}  // namespace

TEST_CASE("a full disk leaves every saved model format and a report as they were", "[io][disk]") {
  if (!running_as_root()) return;
  for (const auto& [format, name] : {std::pair{ModelFormat::native_binary, "model.bin"},
                                     std::pair{ModelFormat::json, "model.json"},
                                     std::pair{ModelFormat::tfjs_layers, "model.json"}}) {
    SmallDisk disk;
    const std::string path = disk.file(name);
    save_model(path, preset_model(8), format);  // ~26 KB: fits
    write_file_atomically(disk.file("report.html"), "<html>the previous report</html>");
    const auto before = disk.contents();
    // ~800 KB of weights: cannot fit in 256 KiB.
    CHECK_THROWS_WITH(save_model(path, preset_model(256), format), Catch::Contains("No space left on device"));
    CHECK(disk.contents() == before);
    CHECK_THROWS_WITH(write_file_atomically(disk.file("report.html"), std::string(1 << 20, 'r')),
                      Catch::Contains("report.html") && Catch::Contains("No space left on device") &&
                          Catch::Contains("the previous file, if any, is unchanged"));
    CHECK(disk.contents() == before);
    CHECK(same_bits(load_model(path).weights, preset_model(8).weights));
  }
}

TEST_CASE("a read-only disk leaves every saved model format as it was", "[io][disk]") {
  if (!running_as_root()) return;
  for (const auto& [format, name] : {std::pair{ModelFormat::native_binary, "model.bin"},
                                     std::pair{ModelFormat::json, "model.json"},
                                     std::pair{ModelFormat::tfjs_layers, "model.json"}}) {
    SmallDisk disk;
    const std::string path = disk.file(name);
    save_model(path, preset_model(8), format);
    const auto before = disk.contents();
    disk.make_read_only();
    CHECK_THROWS_WITH(save_model(path, preset_model(16), format), Catch::Contains("Read-only file system"));
    CHECK(disk.contents() == before);
  }
}
