// Model files: spec + named weights in three formats.
//  - native binary (default): magic "GAPSCOPE", version, topology JSON, 64-byte
//    aligned little-endian float32 weights, CRC-32C of everything before it;
//  - JSON with weights as numbers (to re-check the paper's size/load finding);
//  - TF.js layers format: NAME.json + its shards NAME-group1-shard1ofN.bin (named
//    after it, so models in one folder never share one; TF.js's own
//    group1-shard1ofN.bin load too).
// Saves are atomic (temp file + rename) and replace only regular files; write
// failures are FileWriteError (core/base/atomic_file.h), not ModelFileError.
// Loads check sizes before allocating.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base/file_write_error.h"
#include "core/nn/weights.h"
#include "core/spec/model_spec.h"

namespace gapscope {

struct ModelFile {
  ModelSpec spec;
  WeightSet weights;
  // A character-level text model: the characters its ids stand for, in id
  // order, as UTF-8 (so `generate` decodes with the text it was trained on);
  // empty for other models and for files written before it was stored.
  std::string vocabulary;
  // What loading kept out of the model, one line each, for the user to read
  // (a regularizer gapscope does not train with, a frozen layer it trains).
  std::vector<std::string> notes;
};

enum class ModelFormat { native_binary, json, tfjs_layers };

class ModelFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ModelFileLimits {
  int64_t max_file_bytes = 4LL << 30;
  int64_t max_topology_bytes = 64LL << 20;
  int64_t max_weight_arrays = 100'000;
  int64_t max_weight_elements = 1LL << 30;  // in all
};

// Throws FileWriteError when writing fails, ModelFileError when the format cannot hold the model.
void save_model(const std::string& path, const ModelFile& model, ModelFormat format);
// Before the work that makes the model (training): every file a save of a model
// of `spec` to `path` writes (TF.js: its shards and model.json) passes
// check_writable_target (core/base/atomic_file.h). Throws FileWriteError.
void check_model_save_target(const std::string& path, const ModelSpec& spec, ModelFormat format);
// Detects the format from the content (magic, or JSON with "modelTopology").
ModelFile load_model(const std::string& path, const ModelFileLimits& limits = {});
// load_model for computing with the model (predict, train, bench, generate,
// run, the workbench's import): a NaN or infinite weight is a ModelFileError
// naming the file and the weight, since every output would be NaN. Only
// inspect shows such a model.
ModelFile load_runnable_model(const std::string& path, const ModelFileLimits& limits = {});
ModelFormat detect_model_format(const std::string& path);
std::string model_format_name(ModelFormat f);  // "native", "json", "tfjs"
// Bytes on disk of a saved model (model.json + shards for TF.js).
int64_t model_file_bytes(const std::string& path, ModelFormat format);

// "weight 'dense_1/kernel' value 17 is NaN" for the first value that is NaN or
// infinite; nullopt when all are finite. The native and TF.js formats keep
// such values bit-exactly (a training run that diverged saves them); JSON
// cannot hold them, and commands that compute with a model refuse them.
std::optional<std::string> first_non_finite_weight(const WeightSet& weights);

}  // namespace gapscope
