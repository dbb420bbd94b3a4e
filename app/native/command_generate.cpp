// gapscope-native generate: samples text from a trained character-level model.
#include <cstdio>

#include "app/common/arguments.h"
#include "app/native/commands.h"
#include "core/data/text_dataset.h"
#include "core/io/model_file.h"
#include "core/nn/model.h"
#include "core/base/random.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/train/text_generation.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native generate --model FILE [options]\n"
    "Samples text from a character-level model trained with\n"
    "`gapscope-native train --preset paper-rnn --data fortunes --save FILE`.\n\n"
    "  --model FILE         the trained model (native, JSON or TF.js model.json)\n"
    "  --data fortunes|text:FILE\n"
    "                       the text it was trained on (default fortunes): its\n"
    "                       characters are the model's vocabulary\n"
    "  --seed-text TEXT     the start; at least the model's window (40) characters of\n"
    "                       the vocabulary (default: a window of the validation text)\n"
    "  --length N           characters to generate (default 200)\n"
    "  --temperature T      0 = always the likeliest character; 1 = the model's own\n"
    "                       distribution; higher = more random (default 0.5)\n"
    "  --seed N             sampling seed (default 1)\n"
    "Prints the seed text, then the generated text, on stdout.\n";

}  // namespace

int command_generate(const CommandArgs& raw) {
  Arguments args(raw, {"--model", "--data", "--seed-text", "--length", "--temperature", "--seed"}, {});
  if (args.has("--help")) {
    std::printf("%s", kHelp);
    return kOk;
  }
  if (!args.has("--model")) throw UsageError("generate needs --model FILE (see --help)");
  ModelFile file = load_runnable_model(args.get("--model"));
  const TextCorpus corpus = load_text_source(args.get("--data", "fortunes"));
  CpuBackend cpu;
  Model model(file.spec, cpu, 1, &file.weights);

  GenerateOptions options;
  options.length = args.get_int("--length", 200, 0, 10'000'000);
  options.temperature = args.get_double("--temperature", 0.5, 0, 100);
  options.seed = static_cast<uint64_t>(args.get_int("--seed", 1, 0, INT64_MAX));
  std::string seed_text = args.get("--seed-text", "");
  if (!args.has("--seed-text")) {
    const int64_t window = model.spec().input_shape.at(0);
    const std::vector<int32_t>& text = corpus.validation.empty() ? corpus.train : corpus.validation;
    if (static_cast<int64_t>(text.size()) <= window)
      throw DataError(corpus.name + ": too little text for a seed window of " + std::to_string(window));
    Rng rng(options.seed);
    const auto start = static_cast<int64_t>(rng.below(static_cast<uint64_t>(text.size()) - window));
    seed_text = corpus.decode(std::span<const int32_t>(text.data() + start, static_cast<size_t>(window)));
  }
  const std::string generated = generate_text(model, corpus, seed_text, options);
  std::printf("%s%s\n", seed_text.c_str(), generated.c_str());
  return kOk;
}

}  // namespace gapscope::cli
