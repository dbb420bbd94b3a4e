// gapscope-native train: trains a model on a dataset and reports test accuracy.
#include <cstdio>
#include <iostream>
#include <optional>

#include "app/common/arguments.h"
#include "app/native/backend_factory.h"
#include "app/native/commands.h"
#include "app/common/interrupt.h"
#include "app/common/model_source.h"
#include "app/common/progress_bar.h"
#include "core/base/atomic_file.h"
#include "core/data/mnist.h"
#include "core/data/text_dataset.h"
#include "core/io/model_file.h"
#include "core/nn/model.h"
#include "core/train/trainer.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native train [options]\n"
    "Trains a model and prints its test accuracy. Progress goes to stderr.\n\n"
    "%s"
    "Data and training:\n"
    "  --data NAME|PATH     mnist (default: 10,000 real digits, split 8,333/1,667),\n"
    "                       fashion-mnist, or a directory/file of IDX files (raw or .gz);\n"
    "                       text: fortunes (Debian's fortunes, English) or text:FILE (any\n"
    "                       UTF-8 file): next-character prediction over windows of the\n"
    "                       model's input length, last 10%% of the text for validation;\n"
    "                       paper-rnn is sized to the text's vocabulary\n"
    "  --windows N          text: training windows drawn from the text (default 32768)\n"
    "  --epochs N           passes over the training split (default 1)\n"
    "  --steps N            stop after N batches instead (overrides --epochs)\n"
    "  --batch N            batch size (default 64)\n"
    "  --learning-rate X    override the spec's learning rate\n"
    "  --seed N             seeds weights, shuffling and dropout (default 1)\n"
    "%s"
    "Output:\n"
    "  --save FILE          save the trained model (atomic write)\n"
    "  --format F           native (default) | json | tfjs (FILE is then a model.json path)\n"
    "  --json               JSON lines on stdout: {\"kind\":\"step\",...} per step and a\n"
    "                       final {\"kind\":\"result\",\"test_accuracy\":...}\n"
    "  --quiet              no progress bar\n";

ModelFormat parse_format(const std::string& name) {
  if (name == "native") return ModelFormat::native_binary;
  if (name == "json") return ModelFormat::json;
  if (name == "tfjs") return ModelFormat::tfjs_layers;
  throw UsageError("--format must be native, json or tfjs, got '" + name + "'");
}

}  // namespace

int command_train(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--data",  "--epochs", "--steps", "--batch", "--seed",
                                       "--backend", "--threads", "--save", "--format",
                                       "--learning-rate", "--windows"};
  value_flags.insert(kModelFlags.begin(), kModelFlags.end());
  value_flags.insert(kBackendFlags.begin(), kBackendFlags.end());
  std::set<std::string> switches = {"--json", "--quiet"};
  switches.insert(kBackendSwitches.begin(), kBackendSwitches.end());
  Arguments args(raw, value_flags, switches);
  if (args.has("--help")) {
    std::printf(kHelp, model_flags_help(), backends_help());
    return kOk;
  }
  bool json = args.has("--json");
  ModelFormat save_format = parse_format(args.get("--format", "native"));
  // Before the data is loaded and the model trained: a model that cannot be saved is lost work.
  if (args.has("--save")) check_writable_target(args.get("--save"));
  const std::string data_name = args.get("--data", "mnist");
  std::optional<TextCorpus> corpus;
  if (is_text_source(data_name)) corpus = load_text_source(data_name);
  ModelSource source = resolve_model(args, corpus ? static_cast<int64_t>(corpus->vocabulary.size()) : 0);
  // Now that the model's size is known: a TF.js save's shards too.
  if (args.has("--save")) check_model_save_target(args.get("--save"), source.spec, save_format);
  if (args.has("--learning-rate"))
    source.spec.optimizer.learning_rate =
        static_cast<float>(args.get_double("--learning-rate", 0, 1e-12, 1e6));
  TrainOptions options;
  options.epochs = args.get_int("--epochs", 1, 1, 100000);
  options.steps = args.get_int("--steps", 0, 1, INT64_MAX / 2);
  options.batch_size = args.get_int("--batch", 64, 1, 1 << 20);
  options.seed = static_cast<uint64_t>(args.get_int("--seed", 1, 0, INT64_MAX));
  auto backend = make_backend(args);

  DataSplit data;
  if (corpus) {
    TextDatasetOptions text;
    text.window = source.spec.input_shape.at(0);
    text.train_windows = args.get_int("--windows", text.train_windows, 1, 100'000'000);
    text.seed = options.seed;
    data = text_dataset(*corpus, text);
  } else {
    data = load_named_dataset(data_name);
  }
  Model model(source.spec, *backend, options.seed, source.weights ? &*source.weights : nullptr);
  std::fprintf(stderr, "model %s: %lld parameters on %s; data %s: %lld train, %lld test\n",
               model.spec().name.c_str(), static_cast<long long>(model.parameter_count()),
               backend_summary(*backend).c_str(),
               data.train.name.c_str(), static_cast<long long>(data.train.count()),
               static_cast<long long>(data.test.count()));

  ProgressBar progress("train", planned_steps(options, data.train.count()), !args.has("--quiet"));
  install_interrupt_handler();
  options.cancelled = interrupted;
  options.on_step = [&](const StepReport& r) {
    char detail[96];
    std::snprintf(detail, sizeof detail, "loss %.4f acc %.3f", r.loss, r.accuracy);
    progress.update(r.step, detail);
    if (json)
      std::cout << nlohmann::json{{"kind", "step"},   {"step", r.step},         {"epoch", r.epoch},
                                  {"loss", r.loss},   {"accuracy", r.accuracy}, {"ms", r.ms}}
                << '\n';
  };
  TrainResult result = train(model, data, options);
  if (result.cancelled) {
    std::fprintf(stderr, "\ninterrupted after %lld steps; nothing saved\n",
                 static_cast<long long>(result.steps));
    return kInterrupted;
  }
  char detail[64];
  std::snprintf(detail, sizeof detail, "loss %.4f", result.last_loss);
  progress.finish(detail);
  if (args.has("--save")) {
    save_model(args.get("--save"), ModelFile{model.spec(), model.weights(), corpus ? corpus->vocabulary_text() : ""},
               save_format);
    std::fprintf(stderr, "saved %s\n", args.get("--save").c_str());
  }
  if (json) {
    std::cout << nlohmann::json{{"kind", "result"},
                                {"steps", result.steps},
                                {"seconds", result.seconds},
                                {"final_loss", result.last_loss},
                                {"test_loss", result.test.loss},
                                {"test_accuracy", result.test.accuracy},
                                {"test_samples", result.test.samples}}
              << std::endl;
  } else {
    std::printf("steps %lld in %.1f s; test accuracy %.4f (loss %.4f, %lld samples)\n",
                static_cast<long long>(result.steps), result.seconds, result.test.accuracy,
                result.test.loss, static_cast<long long>(result.test.samples));
  }
  return kOk;
}

}  // namespace gapscope::cli
