// gapscope-native predict: runs a saved model on a batch from a JSON file.
#include <cstdio>
#include <fstream>

#include "app/common/arguments.h"
#include "app/common/model_source.h"
#include "app/native/backend_factory.h"
#include "app/native/commands.h"
#include "app/common/measurement_output.h"
#include "core/base/atomic_file.h"
#include "core/data/dataset.h"
#include "core/data/prediction_batch.h"
#include "core/io/model_file.h"
#include "core/nn/model.h"

namespace gapscope::cli {
namespace {

const char* kHelp =
    "usage: gapscope-native predict --model FILE --input FILE.json [options]\n"
    "Runs a model on a batch and prints the outputs.\n\n"
    "  --model FILE         native binary, JSON-with-weights, or TF.js model.json\n"
    "  --input FILE.json    a batch as nested arrays: [[x1, x2, ...], ...]; each sample\n"
    "                       may itself be nested (e.g. 28x28) and is flattened row-major;\n"
    "                       a single flat array of input-size numbers is a batch of 1\n"
    "%s"
    "  --json               print {\"outputs\": [[...], ...]}\n";

constexpr int64_t kMaxInputBytes = 1LL << 30;

}  // namespace

int command_predict(const CommandArgs& raw) {
  std::set<std::string> value_flags = {"--model", "--input"};
  value_flags.insert(kBackendFlags.begin(), kBackendFlags.end());
  Arguments args(raw, value_flags, {"--json"});
  if (args.has("--help")) {
    std::printf(kHelp, backends_help());
    return kOk;
  }
  if (!args.has("--model") || !args.has("--input")) throw UsageError("predict needs --model and --input");
  ModelFile file = ModelArgument(args.get("--model")).load();
  auto backend = make_backend(args);
  Model model(file.spec, *backend, 1, &file.weights);

  const std::string input_path = args.get("--input");
  PredictionBatch batch;
  try {
    batch = parse_prediction_batch(read_file_limited(input_path, kMaxInputBytes), model.input_size());
  } catch (const DataError& e) {
    throw DataError(input_path + ": " + e.what());
  }
  const std::vector<float>& x = batch.values;
  const int64_t rows = batch.rows;
  std::vector<float> out(static_cast<size_t>(rows * model.output_size()));
  model.predict(x, rows, out);

  nlohmann::json outputs = nlohmann::json::array();
  for (int64_t r = 0; r < rows; ++r)
    outputs.push_back(std::vector<float>(out.begin() + r * model.output_size(),
                                         out.begin() + (r + 1) * model.output_size()));
  if (args.has("--json")) {
    print_json_line({{"outputs", outputs}});
    return kOk;
  }
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = out.data() + r * model.output_size();
    int64_t best = std::max_element(row, row + model.output_size()) - row;
    std::printf("sample %lld: argmax %lld  [", static_cast<long long>(r), static_cast<long long>(best));
    for (int64_t j = 0; j < model.output_size(); ++j) std::printf("%s%.6g", j ? ", " : "", static_cast<double>(row[j]));
    std::printf("]\n");
  }
  return kOk;
}

}  // namespace gapscope::cli
