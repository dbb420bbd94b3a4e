#include "app/common/model_source.h"

#include <fstream>
#include <iostream>

#include "core/base/replayable_input.h"
#include "core/base/json_text.h"
#include "core/io/model_file.h"
#include "core/spec/presets.h"

namespace gapscope::cli {

const std::set<std::string> kModelFlags = {"--preset", "--depth", "--width", "--model"};

const char* model_flags_help() {
  return "Model (one of):\n"
         "  --preset NAME        paper-dnn (default), paper-cnn or paper-rnn\n"
         "  --depth D            hidden/conv/LSTM layers of the preset (default 2)\n"
         "  --width W            units, kernels or LSTM units per layer (default 128)\n"
         "  --model FILE         a ModelSpec JSON (gapscope.model/1 or /2) or a saved model:\n"
         "                       native binary, JSON-with-weights, or TF.js model.json\n";
}

ModelSource preset_model(const std::string& name, int64_t depth, int64_t width, int64_t vocabulary) {
  ModelSource source;
  source.config = {{"preset", name}, {"depth", depth}, {"width", width}};
  if (name == "paper-rnn" && vocabulary > 0) {
    source.spec = paper_rnn(static_cast<int>(depth), static_cast<int>(width), vocabulary);
    source.config["vocabulary"] = vocabulary;
  } else {
    source.spec = make_preset(name, static_cast<int>(depth), static_cast<int>(width));
  }
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
  return preset_model(args.get("--preset", "paper-dnn"), args.get_int("--depth", 2, 1, 64),
                      args.get_int("--width", 128, 1, 65536), vocabulary);
}

}  // namespace gapscope::cli
