// gapscope-native fit: the widest model of a preset that fits a backend's
// memory (the paper's "GL OUT OF MEMORY" limit, measured instead of met).
// native-vulkan: found by really placing each candidate (weights, optimizer
// slots, activations of one training step) on the device; native-cpu: from
// the training-memory estimate against the host's available memory, because
// probing host RAM by allocating it would push the machine into swap.
#include <cstdio>
#include <fstream>
#include <string>

#include "app/common/arguments.h"
#include "core/base/system_memory.h"
#include "app/common/measurement_output.h"
#include "app/common/model_source.h"
#include "app/native/backend_factory.h"
#include "app/native/commands.h"
#include "core/measure/synthetic_data.h"
#include "core/nn/model.h"
#include "core/spec/model_spec.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native fit [options]\n"
    "Finds the largest width of a preset (at a given depth) whose training fits\n"
    "the backend's memory: native-vulkan places weights, gradients, optimizer\n"
    "slots and one batch's activations on the device and runs a training step\n"
    "(binary search over widths); native-cpu compares the training-memory\n"
    "estimate with the memory available (MemAvailable, capped by\n"
    "$GAPSCOPE_MEMORY_BUDGET when set).\n\n"
    "  --preset NAME        paper-dnn (default), paper-cnn, paper-rnn\n"
    "  --depth N            layers (default 2)\n"
    "  --batch N            training batch (default 64)\n"
    "  --max-width N        largest width tried (default 65536)\n"
    "  --json               one JSON record\n"
    "%s";

// Whether a training step of this model fits the device (false on OutOfDeviceMemory).
bool fits_on_device(OpsBackend& ops, const ModelSpec& spec, int64_t batch, std::string& error) {
  try {
    Model model(spec, ops, 1);
    const SyntheticData data(model, batch, 1);
    model.stage_batch(data.x, data.target, batch);
    model.train_step();
    model.read_loss();
    return true;
  } catch (const OutOfDeviceMemory& e) {
    error = e.what();
    return false;
  }
}

}  // namespace

int command_fit(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--preset", "--depth", "--batch", "--max-width"};
  value_flags.insert(kBackendFlags.begin(), kBackendFlags.end());
  Arguments args(raw, value_flags, {"--json"});
  if (args.has("--help")) {
    std::printf(kHelp, backends_help());
    return kOk;
  }
  const std::string preset = args.get("--preset", "paper-dnn");
  const int64_t depth = args.get_int("--depth", 2, 1, 64);
  const int64_t batch = args.get_int("--batch", 64, 1, 1 << 16);
  const int64_t max_width = args.get_int("--max-width", 65536, 1, 1 << 20);
  auto backend = make_backend(args);
  const bool device = backend->id() != "native-cpu";
  const int64_t available = device ? 0 : available_memory_bytes();
  auto spec_of = [&](int64_t width) { return preset_model(preset, depth, width).spec; };
  std::string last_error;
  // The spec's own limits (parameters, estimated memory) bound the search too.
  auto fits = [&](int64_t width) {
    try {
      ModelSpec spec = spec_of(width);
      validate_model_spec(spec);
      if (device) return fits_on_device(*backend, spec, batch, last_error);
      const int64_t need = estimate_training_memory(spec, batch).total_bytes;
      last_error = "needs ~" + std::to_string(need >> 20) + " MiB, " + std::to_string(available >> 20) +
                   " MiB available";
      return need <= available;
    } catch (const SpecError& e) {
      last_error = std::string("over the model spec limits: ") + e.what();
      return false;
    }
  };
  if (!fits(1)) throw std::runtime_error("even width 1 does not fit: " + last_error);
  int64_t low = 1, high = max_width;  // low fits; search (low, high]
  std::string limit;                  // why high does not fit
  if (fits(high)) {
    low = high;
  } else {
    limit = last_error;
    while (high - low > 1) {
      const int64_t mid = low + (high - low) / 2;
      const bool ok = fits(mid);
      (ok ? low : high) = mid;
      if (!ok) limit = last_error;
      std::fprintf(stderr, "  width %lld %s\n", static_cast<long long>(mid), ok ? "fits" : "does not fit");
    }
  }
  const int64_t bytes = estimate_training_memory(spec_of(low), batch).total_bytes;
  const std::string method = device ? "placed on the device" : "estimated against " + memory_budget_source();
  if (args.has("--json")) {
    print_json_line({{"kind", "fit"}, {"backend", backend->id()}, {"preset", preset}, {"depth", depth},
                     {"batch", batch}, {"largest_width", low}, {"max_width_tried", max_width},
                     {"estimated_training_bytes", bytes}, {"method", method}, {"next_width_fails_because", limit},
                     {"capabilities", backend->capabilities()}});
  } else {
    std::printf("%s: largest %s width at depth %lld, batch %lld: %lld%s (%s; ~%.1f MiB to train)\n",
                backend_summary(*backend).c_str(), preset.c_str(), static_cast<long long>(depth),
                static_cast<long long>(batch), static_cast<long long>(low),
                low == max_width ? " (the largest tried)" : "", method.c_str(),
                static_cast<double>(bytes) / (1 << 20));
    if (!limit.empty()) std::printf("width %lld: %s\n", static_cast<long long>(low + 1), limit.c_str());
  }
  return kOk;
}

}  // namespace gapscope::cli
