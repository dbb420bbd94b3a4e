// gapscope-native sweep: a depth x width grid, interleaved. Each round visits
// every configuration once (A B C A B C ...), so slow drift of the machine
// spreads over all configurations instead of biasing the last ones.
#include <cstdio>
#include <map>

#include "app/common/arguments.h"
#include "app/native/backend_factory.h"
#include "app/native/commands.h"
#include "app/common/interrupt.h"
#include "app/common/measurement_output.h"
#include "app/common/model_source.h"
#include "app/common/progress_bar.h"
#include "core/base/atomic_file.h"
#include "core/measure/native_runner.h"
#include "core/sweep/sweep_size.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native sweep [options]\n"
    "Measures a preset over a depth x width grid, interleaving configurations\n"
    "round by round. Prints a table of medians; --json prints one aggregated\n"
    "record per configuration and phase.\n\n"
    "  --preset NAME        paper-dnn (default), paper-cnn or paper-rnn\n"
    "  --depths LIST        default paper-dnn 1,2,4,8; paper-cnn 1,2,3; paper-rnn 1,2\n"
    "  --widths LIST        default paper-dnn 64,128,256,512; paper-cnn 8,16,32;\n"
    "                       paper-rnn 64,128,256 (sizes that take minutes on 2 cores)\n"
    "  --rounds N           interleaved rounds (default 3)\n"
    "  --max-items N        refuse more than N items, depths x widths x rounds\n"
    "                       (default 100,000: a sweep you can wait for)\n"
    "  --phases LIST        default infer,train\n"
    "  --runs-scale X       scale each phase's run count (default 1)\n"
    "  --batch N            default 64\n"
    "%s"
    "  --json               JSON lines on stdout (schema gapscope.measurement/1)\n"
    "  --out FILE           also write the JSON lines to FILE, rewritten atomically\n"
    "                       after every configuration (a killed sweep keeps its data)\n"
    "  --quiet              no progress bar\n";

struct Config {
  int64_t depth, width;
};

}  // namespace

int command_sweep(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--preset", "--depths",     "--widths", "--rounds",   "--max-items",
                                       "--phases", "--runs-scale", "--batch",  "--out"};
  value_flags.insert(kBackendFlags.begin(), kBackendFlags.end());
  Arguments args(raw, value_flags, {"--json", "--quiet"});
  if (args.has("--help")) {
    std::printf(kHelp, backends_help());
    return kOk;
  }
  bool json = args.has("--json");
  if (args.has("--out")) check_writable_target(args.get("--out"));  // before measuring anything
  std::string preset = args.get("--preset", "paper-dnn");
  const bool cnn = preset == "paper-cnn", rnn = preset == "paper-rnn";
  auto depths = args.get_int_list("--depths", cnn ? std::vector<int64_t>{1, 2, 3} : rnn ? std::vector<int64_t>{1, 2}
                                                                                 : std::vector<int64_t>{1, 2, 4, 8},
                                  1, 64);
  auto widths = args.get_int_list("--widths", cnn   ? std::vector<int64_t>{8, 16, 32}
                                              : rnn ? std::vector<int64_t>{64, 128, 256}
                                                    : std::vector<int64_t>{64, 128, 256, 512},
                                  1, 65536);
  int64_t rounds = args.get_int("--rounds", 3, 1, 1000);
  // Before the grid is built or validated; nothing is stored up front, so a person may ask for more.
  check_sweep_size(depths.size(), widths.size(), 1, rounds,
                   args.get_int("--max-items", kMaxSweepItems, 1, int64_t{1} << 40), "raise the limit with --max-items N");
  double scale = args.get_double("--runs-scale", 1.0, 0.01, 100.0);
  auto backend = make_backend(args);

  Protocol protocol;
  protocol.batch_size = args.get_int("--batch", 64, 1, 1 << 16);
  protocol.phases = args.get_list("--phases", {"infer", "train"}, {"load", "warmup", "infer", "train"});
  // Each round gets its share of the runs (at least 3).
  protocol = protocol.scaled(scale / static_cast<double>(rounds));

  std::vector<Config> grid;
  for (int64_t d : depths)
    for (int64_t w : widths) grid.push_back({d, w});
  // Validate every configuration before measuring any.
  for (const Config& c : grid) preset_model(preset, c.depth, c.width);

  std::string run_id = new_run_id();
  const nlohmann::json metadata = run_metadata(run_id);
  if (json) print_json_line(metadata);
  NativeRunner runner(*backend);
  std::map<std::pair<size_t, std::string>, Measurement> merged;  // (config, phase) -> all samples
  auto merged_lines = [&] {
    std::string lines;
    for (auto& [key, m] : merged) lines += to_json(m).dump() + "\n";
    return lines;
  };
  // Rewritten (atomically) after every configuration: a killed sweep keeps what it measured.
  auto save = [&] {
    if (args.has("--out")) write_file_atomically(args.get("--out"), metadata.dump() + "\n" + merged_lines());
  };
  ProgressBar progress("sweep", rounds * static_cast<int64_t>(grid.size()), !args.has("--quiet"));
  install_interrupt_handler();
  int64_t done = 0;
  for (int64_t round = 0; round < rounds && !interrupted(); ++round) {
    for (size_t i = 0; i < grid.size() && !interrupted(); ++i) {
      ModelSource source = preset_model(preset, grid[i].depth, grid[i].width);
      Job job{source.spec, std::nullopt, protocol, 1, source.config, run_id, nullptr};
      job.config["batch"] = protocol.batch_size;
      job.config["threads"] = backend_threads(*backend);
      for (Measurement& m : runner.run(job, nullptr)) {
        if (m.phase == "memory") continue;  // a per-process figure: meaningless per config here
        auto key = std::make_pair(i, m.phase + m.format);
        auto it = merged.find(key);
        if (it == merged.end()) {
          merged.emplace(key, m);
        } else {
          it->second.samples.insert(it->second.samples.end(), m.samples.begin(), m.samples.end());
          it->second.summary = summarize(it->second.samples);
        }
      }
      save();
      progress.update(++done, preset + " " + std::to_string(grid[i].depth) + "x" +
                                  std::to_string(grid[i].width));
    }
  }
  progress.finish();
  if (interrupted()) std::fprintf(stderr, "interrupted: printing the rounds completed so far\n");

  if (json) {
    std::fputs(merged_lines().c_str(), stdout);
  } else {
    std::printf("%-8s %-8s", "depth", "width");
    for (const std::string& phase : protocol.phases) std::printf(" %16s", (phase + " median").c_str());
    std::printf("\n");
    for (size_t i = 0; i < grid.size(); ++i) {
      std::printf("%-8lld %-8lld", static_cast<long long>(grid[i].depth),
                  static_cast<long long>(grid[i].width));
      for (const std::string& phase : protocol.phases) {
        auto it = merged.find({i, phase});
        std::printf(" %16s", it == merged.end() ? "-" : human_value(it->second.summary.median, it->second.unit).c_str());
      }
      std::printf("\n");
    }
  }
  return interrupted() ? kInterrupted : kOk;
}

}  // namespace gapscope::cli
