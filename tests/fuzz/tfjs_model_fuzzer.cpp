// The TF.js layers format (core/io/tfjs_layers_format.cpp, tfjs_topology.cpp,
// tfjs_layer_reader.cpp): an input is model.json, then kShardSeparator, then
// the bytes of the one shard our writer names for model.json, beside it (no
// separator: no shard bytes).
#include <cstdint>
#include <string>

#include "core/io/model_formats.h"
#include "core/io/tfjs_shard_paths.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = fuzz::as_text(data, size);
  std::string_view model_json = input, shard;
  if (size_t at = input.find(fuzz::kShardSeparator); at != std::string_view::npos) {
    model_json = input.substr(0, at);
    shard = input.substr(at + fuzz::kShardSeparator.size());
  }
  fuzz::write_scratch_file(tfjs_shard_name("model.json", 0, 1), shard);
  const std::string path = fuzz::write_scratch_file("model.json", model_json);
  try {
    ModelFile model = load_tfjs_model(path, ModelFileLimits{});
    (void)model;
  } catch (const ModelFileError&) {
  }
  return 0;
}
