// Internal to core/io: one reader and writer per model format (each in its own
// .cpp), and the checks they share. Use core/io/model_file.h instead.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/io/model_file.h"

namespace gapscope {

void save_native_model(const std::string& path, const ModelFile& model);
ModelFile load_native_model(const std::string& path, const ModelFileLimits& limits);

void save_json_model(const std::string& path, const ModelFile& model);
ModelFile load_json_model(const std::string& path, const ModelFileLimits& limits);

// `path` is the model.json; shards go beside it.
void save_tfjs_model(const std::string& path, const ModelFile& model);
ModelFile load_tfjs_model(const std::string& path, const ModelFileLimits& limits);
// The shard files a save of `weight_bytes` to the model.json at `path` writes.
std::vector<std::string> tfjs_shard_paths(const std::string& path, int64_t weight_bytes);
// model.json plus the shards its manifest names.
int64_t tfjs_model_bytes(const std::string& path);

inline constexpr const char* kJsonModelFormat = "gapscope.model-json/1";

// A weight array as a file describes it, before any values are read.
struct WeightEntry {
  std::string name;
  Shape shape;
};

// Checks that `entries` name every parameter of the spec once, with its shape,
// and nothing else; errors are ModelFileError prefixed with `where`.
void check_weight_entries(const ModelSpec& spec, const std::vector<WeightEntry>& entries, const std::string& where);
// The weights in the spec's parameter order (after check_weight_entries).
WeightSet in_spec_order(const ModelSpec& spec, WeightSet weights);

// Validates a model before saving: a copy of the spec, names and shapes of the
// weights, and value counts. Returns the weights in spec order.
WeightSet checked_weights_for_saving(const ModelFile& model, const std::string& path, ModelSpec& validated_spec);

// Spec limits while loading a file: the file limits bound the parameters; the
// training-memory limit is for building a model, not for reading one.
SpecLimits spec_limits_for_loading(const ModelFileLimits& limits);

// The optional "vocabulary" of a model file (ModelFile::vocabulary): a
// string of at most kMaxVocabularyBytes; "" when absent.
inline constexpr int64_t kMaxVocabularyBytes = 64 << 10;
std::string read_vocabulary_json(const nlohmann::json& object, const std::string& path);

// The JSON text of a model file (native topology, JSON with weights, TF.js
// model.json): parse_json_text with the lists a model file holds (layers,
// weight entries, manifest groups, shard paths) refused as they are read, past
// the file limits, before the rest is parsed. Throws as parse_json_text.
nlohmann::json parse_model_file_json(std::string_view text, const ModelFileLimits& limits);

// Reads a shape ([784, 128]): non-negative integers; SpecError with the path.
Shape read_shape_json(const nlohmann::json& j, const std::string& path);

}  // namespace gapscope
