// gapscope-native: native runs and benchmarks of the gapscope engine. Links no
// Qt, so it runs on GPU machines that have none.
#include <malloc.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <new>

#include <Eigen/Core>

#include "app/native/arguments.h"
#include "app/native/commands.h"
#include "core/data/dataset.h"
#include "core/io/model_file.h"
#include "core/ops/cpu/sgemm.h"
#include "core/spec/model_spec.h"

namespace {

using namespace gapscope;
using namespace gapscope::cli;

const char* kHelp =
    "usage: gapscope-native COMMAND [options]   (COMMAND --help for its options)\n"
    "\n"
    "The gapscope engine without the GUI: train, time and inspect models.\n"
    "\n"
    "Commands:\n"
    "  train     train a model (preset or spec) on MNIST / Fashion-MNIST / IDX files\n"
    "  bench     time load, warmup, inference and training of one model; --gemm N\n"
    "  sweep     the same over a depth x width grid, interleaved\n"
    "  inspect   show a model file's topology, parameters, FLOPs and size\n"
    "  predict   run a saved model (native, JSON or TF.js) on a JSON batch\n"
    "\n"
    "  --version print version, git revision and build facts\n"
    "\n"
    "Exit codes: 0 ok, 1 run failed, 2 usage error, 3 bad input (spec, data or\n"
    "model file; the message names the file and the rule), 130 interrupted.\n";

void print_version() {
  std::printf("gapscope-native %s (git %s)\n  compiler %s\n  SGEMM kernel %s\n  Eigen %d.%d.%d\n",
              GAPSCOPE_VERSION, GAPSCOPE_GIT_REVISION,
#if defined(__clang__)
              "clang " __clang_version__,
#else
              "gcc " __VERSION__,
#endif
              sgemm_simd_level(), EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION);
}

}  // namespace

int main(int argc, char** argv) {
  // Keep freed model-sized buffers in the heap instead of returning them to the
  // OS: glibc otherwise maps and unmaps every buffer over 128 KiB, and a model
  // load then pays a page fault per 4 KiB of weights, every time.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(kHelp, argc < 2 ? stderr : stdout);
    return argc < 2 ? kUsage : kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    print_version();
    return kOk;
  }
  const std::map<std::string, int (*)(const CommandArgs&)> commands = {
      {"train", command_train}, {"bench", command_bench},     {"sweep", command_sweep},
      {"inspect", command_inspect}, {"predict", command_predict}};
  auto it = commands.find(argv[1]);
  if (it == commands.end()) {
    std::fprintf(stderr, "gapscope-native: unknown command '%s'\n\n%s", argv[1], kHelp);
    return kUsage;
  }
  CommandArgs args(argv + 2, argv + argc);
  try {
    return it->second(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "gapscope-native %s: %s\n", argv[1], e.what());
    return kUsage;
  } catch (const SpecError& e) {
    std::fprintf(stderr, "gapscope-native %s: invalid model spec: %s\n", argv[1], e.what());
    return kBadInput;
  } catch (const DataError& e) {
    std::fprintf(stderr, "gapscope-native %s: bad data: %s\n", argv[1], e.what());
    return kBadInput;
  } catch (const ModelFileError& e) {
    std::fprintf(stderr, "gapscope-native %s: bad model file: %s\n", argv[1], e.what());
    return kBadInput;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "gapscope-native %s: %s\n", argv[1], e.what());
    return kBadInput;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "gapscope-native %s: out of memory\n", argv[1]);
    return kFailed;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gapscope-native %s: %s\n", argv[1], e.what());
    return kFailed;
  }
}
