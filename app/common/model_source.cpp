#include "app/common/model_source.h"

#include <fstream>

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
         "  --model FILE         a ModelSpec JSON (gapscope.model/1) or a saved model:\n"
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
         head.find(kModelSpecFormat) != std::string::npos &&
         head.find("gapscope.model-json") == std::string::npos;
}

}  // namespace

ModelSource resolve_model(const Arguments& args, int64_t vocabulary) {
  if (args.has("--model")) {
    if (args.has("--preset") || args.has("--depth") || args.has("--width"))
      throw UsageError("--model cannot be combined with --preset/--depth/--width");
    std::string path = args.get("--model");
    ModelSource source;
    if (is_model_spec_json(path)) {
      source.spec = load_model_spec_file(path);
    } else {
      ModelFile file = load_runnable_model(path);
      source.spec = std::move(file.spec);
      source.weights = std::move(file.weights);
    }
    source.config = {{"model_file", path}};
    return source;
  }
  return preset_model(args.get("--preset", "paper-dnn"), args.get_int("--depth", 2, 1, 64),
                      args.get_int("--width", 128, 1, 65536), vocabulary);
}

}  // namespace gapscope::cli
