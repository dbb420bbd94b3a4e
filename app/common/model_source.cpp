#include "app/common/model_source.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "core/base/replayable_input.h"
#include "core/base/json_text.h"
#include "core/io/model_file.h"
#include "core/spec/presets.h"

namespace gapscope::cli {

namespace {
constexpr int64_t kMaxZooInput = 4096;  // a 4096x4096 image is far past what any zoo run needs
}

const std::set<std::string> kModelFlags = {"--preset", "--depth", "--width", "--input-size", "--classes", "--model"};

const char* model_flags_help() {
  static const std::string help = [] {
    std::string text =
        "Model (one of):\n"
        "  --preset NAME        a ready-made model (default paper-dnn):\n";
    for (const PresetInfo& row : preset_catalog()) {
      std::string name = row.name;
      name.resize(std::max<size_t>(name.size(), 14), ' ');
      text += "                         " + name + row.summary + "\n";
    }
    text +=
        "  --depth D            paper presets: hidden/conv/LSTM layers (default 2)\n"
        "  --width W            paper presets: units, kernels or LSTM units per layer (default 128)\n"
        "  --input-size N       zoo presets: image side (Keras's default: 224, 299 for\n"
        "                       inception-v3 and xception; at least 32, 75 and 71)\n"
        "  --classes N          zoo presets: softmax outputs (default 1000); a zoo\n"
        "                       preset times inference only unless --phases has train\n"
        "  --model FILE         a ModelSpec JSON (gapscope.model/1 or /2) or a saved model:\n"
        "                       native binary, JSON-with-weights, or TF.js model.json\n";
    return text;
  }();
  return help.c_str();
}

ModelSource preset_model(const std::string& name, int64_t depth, int64_t width, int64_t vocabulary) {
  ModelSource source;
  source.config = {{"preset", name}, {"depth", depth}, {"width", width}};
  source.spec = make_preset(name, static_cast<int>(depth), static_cast<int>(width), vocabulary);
  // Recorded where the model reads the text ([window, vocabulary]).
  if (vocabulary > 0 && source.spec.input_shape.back() == vocabulary) source.config["vocabulary"] = vocabulary;
  return source;
}

ModelArgument::ModelArgument(std::string given) : given_(std::move(given)) {
  try {
    path_ = replayable_path(given_, ModelFileLimits{}.max_file_bytes);
  } catch (const std::runtime_error& e) {
    throw ModelFileError(e.what());
  }
}

ModelFile ModelArgument::load() const {
  return noted(read([](const std::string& path) { return load_runnable_model(path); }));
}

ModelFile ModelArgument::load_any() const {
  return noted(read([](const std::string& path) { return load_model(path); }));
}

ModelFile ModelArgument::noted(ModelFile file) const {
  for (const std::string& note : file.notes) std::cerr << "note: " << given_ << ": " << note << "\n";
  return file;
}

std::string ModelArgument::as_given(std::string message) const {
  if (path_ == given_) return message;
  for (size_t at = 0; (at = message.find(path_, at)) != std::string::npos; at += given_.size())
    message.replace(at, path_.size(), given_);
  return message;
}

namespace {

bool is_model_spec_json(const std::string& path) {
  std::ifstream in(path);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  // A spec is a JSON object; a native binary model starts with its magic (and
  // holds the spec's format string in its topology, so look at the start first).
  const size_t first = json_value_start(head);
  return first != std::string::npos && head[first] == '{' &&
         (head.find(kModelSpecFormat) != std::string::npos || head.find(kModelGraphSpecFormat) != std::string::npos) &&
         head.find("gapscope.model-json") == std::string::npos;
}

}  // namespace

ModelSource resolve_model(const Arguments& args, int64_t vocabulary) {
  if (args.has("--model")) {
    if (args.has("--preset") || args.has("--depth") || args.has("--width"))
      throw UsageError("--model cannot be combined with --preset/--depth/--width");
    const ModelArgument model(args.get("--model"));
    ModelSource source;
    if (model.read(is_model_spec_json)) {
      source.spec = model.read([](const std::string& path) { return load_model_spec_file(path); });
    } else {
      ModelFile file = model.load();
      source.spec = std::move(file.spec);
      source.weights = std::move(file.weights);
    }
    source.config = {{"model_file", model.given()}};
    return source;
  }
  const std::string name = args.get("--preset", "paper-dnn");
  const PresetInfo& row = preset_info(name);
  if (row.sized_by_depth_width) {
    if (args.has("--input-size") || args.has("--classes"))
      throw UsageError("--input-size and --classes size the zoo presets; " + name + " takes --depth and --width");
    return preset_model(name, args.get_int("--depth", 2, 1, 64), args.get_int("--width", 128, 1, 65536), vocabulary);
  }
  if (args.has("--depth") || args.has("--width"))
    throw UsageError(name + " is sized by --input-size and --classes, not --depth and --width");
  const PresetOptions options{
      .input_size = args.get_int("--input-size", row.default_input_size, row.smallest_input_size, kMaxZooInput),
      .classes = args.get_int("--classes", 1000, 1, 1 << 20)};
  ModelSource source;
  source.spec = build_preset(name, options);
  source.config = {{"preset", name}, {"input_size", options.input_size}, {"classes", options.classes}};
  source.inference_by_default = true;
  return source;
}

std::vector<std::string> default_phases(const ModelSource& source, const std::vector<std::string>& all) {
  if (!source.inference_by_default) return all;
  std::vector<std::string> phases;
  for (const std::string& phase : all)
    if (phase != "train") phases.push_back(phase);
  return phases;
}

}  // namespace gapscope::cli
