// gapscope-native: native runs and benchmarks of the gapscope engine. Links no
// Qt, so it runs on GPU machines that have none.
#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <map>

#include <Eigen/Core>

#include "app/common/arguments.h"
#include "app/common/command_errors.h"
#include "app/native/commands.h"
#include "core/build_info.h"
#include "core/io/tfjs_package_version.h"
#include "core/measure/process_stats.h"
#include "core/ops/cpu/flush_denormals.h"
#include "core/ops/cpu/sgemm.h"
#include "gpu/vulkan/loader_version.h"

namespace {

using namespace gapscope;
using namespace gapscope::cli;

const char* kHelp =
    "usage: gapscope-native COMMAND [options]   (COMMAND --help for its options)\n"
    "\n"
    "The gapscope engine without the GUI: train, time and inspect models.\n"
    "\n"
    "Commands:\n"
    "  train     train a model (preset or spec) on MNIST / Fashion-MNIST / IDX files,\n"
    "            or next-character prediction on text (fortunes, any UTF-8 file)\n"
    "  bench     time load, warmup, inference and training of one model; --gemm N\n"
    "  sweep     the same over a depth x width grid, interleaved\n"
    "  inspect   show a model file's topology, parameters, FLOPs and size\n"
    "  predict   run a saved model (native, JSON or TF.js) on a JSON batch\n"
    "  generate  sample text from a trained character-level model (paper-rnn)\n"
    "  devices   list the Vulkan devices, best first, and the one a GPU run takes\n"
    "  fit       the widest model of a preset whose training fits a backend's memory\n"
    "\n"
    "  --version print version, git revision and build facts\n"
    "\n"
    "%s";

void print_version() {
  std::printf("gapscope-native %s (git %s)\n  compiler %s\n  SGEMM kernel %s\n  Eigen %d.%d.%d\n  Vulkan loader %s\n",
              GAPSCOPE_VERSION, git_revision(), compiler_description().c_str(), sgemm_simd_level(), EIGEN_WORLD_VERSION,
              EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION, gpu::vulkan_loader_version().c_str());
  // The TF.js the browser side of this installation ships (gapscope runs it).
  const auto web_root = web_root_beside(this_executable_directory());
  std::printf("  TF.js %s\n", web_root.empty() ? "not installed beside this executable"
                                                 : tfjs_package_version(web_root).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that the pool's threads inherit it
  // (core/ops/cpu/flush_denormals.h says why and what it costs).
  flush_denormals_on_this_thread();
  // Keep freed model-sized buffers in the heap instead of returning them to the
  // OS: glibc otherwise maps and unmaps every buffer over 128 KiB, and a model
  // load then pays a page fault per 4 KiB of weights, every time.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fprintf(argc < 2 ? stderr : stdout, kHelp, kExitCodesHelp);
    return argc < 2 ? kUsage : kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    print_version();
    return kOk;
  }
  const std::map<std::string, int (*)(const CommandArgs&)> commands = {
      {"train", command_train}, {"bench", command_bench},     {"sweep", command_sweep},
      {"inspect", command_inspect}, {"predict", command_predict}, {"generate", command_generate},
      {"devices", command_devices},
      {"fit", command_fit}};
  auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::fprintf(stderr, "gapscope-native: unknown command '%s'\n\n", argv[1]);
    std::fprintf(stderr, kHelp, kExitCodesHelp);
    return kUsage;
  }
  CommandArgs args(argv + 2, argv + argc);
  return run_reporting_errors("gapscope-native", argv[1], [&] { return it->second(args); });
}
