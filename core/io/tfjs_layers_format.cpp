// The TF.js layers format: model.json (topology, training config, weight
// manifest) plus binary shards of little-endian float32 weights beside it,
// concatenated in manifest order and split every 4 MiB like the TF.js
// converter does. Shards are named after their model.json (a.json:
// a-group1-shard1of2.bin, a-group1-shard2of2.bin; core/io/tfjs_shard_paths.h);
// any names a manifest gives are read (TF.js's own: group1-shard1of1.bin).
// The manifest lists trainable weights first, then non-trainable ones, as
// TF.js does. Reading follows tfjs-layers: weights match the topology by name,
// never by position; optimizer weights ("group": "optimizer") are skipped.
#include <sys/stat.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/io/little_endian.h"
#include "core/io/model_formats.h"
#include "core/io/tfjs_shard_paths.h"
#include "core/io/tfjs_topology.h"
#include "core/base/checked_math.h"
#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/base/number_text.h"

#ifndef GAPSCOPE_VERSION
#define GAPSCOPE_VERSION "dev"
#endif

namespace gapscope {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

constexpr int64_t kShardBytes = 4LL << 20;

int64_t file_size_of(const std::string& path, const std::string& field) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw SpecError(field + ": cannot read " + path + ": " + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) throw SpecError(field + ": " + path + " is not a regular file");
  return info.st_size;
}

struct Shard {
  std::string path;
  int64_t bytes;
};

struct ManifestWeight {
  WeightEntry entry;
  int64_t bytes;
  bool skip;  // optimizer state: not part of the model
};

struct ManifestGroup {
  std::vector<Shard> shards;
  std::vector<ManifestWeight> weights;
};

int64_t dtype_bytes(const std::string& dtype) {
  if (dtype == "float32" || dtype == "int32") return 4;
  if (dtype == "float16") return 2;
  if (dtype == "bool" || dtype == "uint8" || dtype == "int8") return 1;
  return 0;  // string and others: variable or unknown size
}

ManifestWeight read_manifest_weight(const json& item, const std::string& path) {
  expect_object(item, path);
  ManifestWeight w;
  w.entry.name = read_string(required_field(item, path, "name"), field_path(path, "name"));
  w.entry.shape = read_shape_json(required_field(item, path, "shape"), field_path(path, "shape"));
  std::string dtype = read_string(required_field(item, path, "dtype"), field_path(path, "dtype"));
  const json* group = optional_field(item, "group");
  w.skip = group && group->is_string() && group->get<std::string>() == "optimizer";
  const json* quantization = optional_field(item, "quantization");
  if (quantization && !w.skip)
    throw SpecError(field_path(path, "quantization") + ": quantized weights ('" + w.entry.name +
                    "') are not supported");
  if (!w.skip && dtype != "float32")
    throw SpecError(field_path(path, "dtype") + ": weight '" + w.entry.name + "' has dtype " + dtype +
                    "; only float32 weights are supported");
  std::string stored_dtype = dtype;
  if (quantization && quantization->is_object() && quantization->contains("dtype"))
    stored_dtype = read_string((*quantization)["dtype"], field_path(path, "quantization.dtype"));
  int64_t element_bytes = dtype_bytes(stored_dtype);
  if (element_bytes == 0)
    throw SpecError(field_path(path, "dtype") + ": cannot size a weight of dtype " + stored_dtype);
  w.bytes = saturating_mul(saturating_element_count(w.entry.shape), element_bytes);
  return w;
}

std::vector<ManifestGroup> read_manifest(const json& manifest, const std::string& model_json_path,
                                         const ModelFileLimits& limits) {
  expect_array(manifest, "weightsManifest");
  std::vector<ManifestGroup> groups;
  int64_t arrays = 0, elements = 0, file_bytes = 0;
  for (size_t g = 0; g < manifest.size(); ++g) {
    std::string group_path = element_path("weightsManifest", g);
    const json& item = expect_object(manifest[g], group_path);
    ManifestGroup group;
    const json& paths = expect_array(required_field(item, group_path, "paths"), field_path(group_path, "paths"));
    for (size_t p = 0; p < paths.size(); ++p) {
      std::string field = element_path(field_path(group_path, "paths"), p);
      std::string shard = resolve_tfjs_shard_path(model_json_path, read_string(paths[p], field), field);
      group.shards.push_back({shard, file_size_of(shard, field)});
      file_bytes = saturating_add(file_bytes, group.shards.back().bytes);
    }
    const json& weights =
        expect_array(required_field(item, group_path, "weights"), field_path(group_path, "weights"));
    // Limits before reading each entry, let alone its data.
    arrays = saturating_add(arrays, static_cast<int64_t>(weights.size()));
    if (arrays > limits.max_weight_arrays)
      throw SpecError("weightsManifest lists more than " + with_thousands(limits.max_weight_arrays) +
                      " weights, over the limit");
    int64_t listed_bytes = 0;
    for (size_t w = 0; w < weights.size(); ++w) {
      ManifestWeight weight = read_manifest_weight(weights[w], element_path(field_path(group_path, "weights"), w));
      listed_bytes = saturating_add(listed_bytes, weight.bytes);
      elements = saturating_add(elements, saturating_element_count(weight.entry.shape));
      group.weights.push_back(std::move(weight));
    }
    if (elements > limits.max_weight_elements)
      throw SpecError("weightsManifest lists more than " + with_thousands(limits.max_weight_elements) +
                      " values in all, over the limit");
    int64_t shard_bytes = 0;
    for (const Shard& s : group.shards) shard_bytes = saturating_add(shard_bytes, s.bytes);
    if (listed_bytes != shard_bytes)
      throw SpecError(group_path + " lists weights of " + with_thousands(listed_bytes) + " bytes but its shards hold " +
                      with_thousands(shard_bytes) + " bytes: a shard is truncated, missing data or not this model's");
    groups.push_back(std::move(group));
  }
  if (file_bytes > limits.max_file_bytes)
    throw SpecError("the weight shards hold " + with_thousands(file_bytes) + " bytes, over the limit of " +
                    with_thousands(limits.max_file_bytes));
  return groups;
}

// Reads a group's shards as one byte stream, as TF.js concatenates them.
class ShardStream {
 public:
  explicit ShardStream(const std::vector<Shard>& shards) : shards_(shards) {}

  void read(char* out, int64_t bytes) {
    while (bytes > 0) {
      if (!file_.is_open() || left_in_shard_ == 0) open_next();
      int64_t chunk = std::min(bytes, left_in_shard_);
      if (out) {
        file_.read(out, chunk);
        out += chunk;
      } else {
        file_.seekg(chunk, std::ios::cur);
      }
      if (!file_) throw ModelFileError("cannot read " + shards_[index_ - 1].path + ": read failed or file shrank");
      left_in_shard_ -= chunk;
      bytes -= chunk;
    }
  }

 private:
  void open_next() {
    if (file_.is_open()) file_.close();
    if (index_ >= shards_.size()) throw ModelFileError("weight shards ended early");
    const Shard& shard = shards_[index_++];
    file_.open(shard.path, std::ios::binary);
    if (!file_) throw ModelFileError("cannot read " + shard.path + ": " + std::strerror(errno));
    left_in_shard_ = shard.bytes;
  }

  const std::vector<Shard>& shards_;
  size_t index_ = 0;
  std::ifstream file_;
  int64_t left_in_shard_ = 0;
};

json read_model_json(const std::string& path, const ModelFileLimits& limits) {
  std::string text;
  try {
    text = read_file_limited(path, limits.max_topology_bytes);
  } catch (const std::runtime_error& e) {
    throw ModelFileError(e.what());
  }
  try {
    json root = parse_model_file_json(text, limits);
    expect_object(root, "model.json");
    return root;
  } catch (const SpecError& e) {  // a JsonSyntaxError names its line, column and byte
    throw ModelFileError(path + ": " + e.what());
  }
}

// The vocabulary gapscope stores in userDefinedMetadata.gapscope; other
// metadata (any tool may set its own) is left alone.
std::string gapscope_vocabulary_of(const json& root) {
  const json* metadata = optional_field(root, "userDefinedMetadata");
  if (!metadata || !metadata->is_object()) return "";
  const json* ours = optional_field(*metadata, "gapscope");
  if (!ours || !ours->is_object()) return "";
  return read_vocabulary_json(*ours, "userDefinedMetadata.gapscope");
}

void check_layers_model(const json& root) {
  const json* format = optional_field(root, "format");
  if (!format || format->is_null()) return;  // older TF.js files have none
  std::string name = read_string(*format, "format");
  if (name == "graph-model")
    throw SpecError("format is \"graph-model\" (a TF.js graph model); only layers models can be imported");
  if (name != "layers-model") throw SpecError("format must be \"layers-model\", got \"" + name + "\"");
}

// TF.js lists model.weights: every trainable weight first, then the
// non-trainable ones (batch-norm moving statistics), each group in layer order.
WeightSet manifest_order(const ModelSpec& spec, WeightSet weights) {
  std::map<std::string, bool> trainable;
  for (const ParameterShape& p : parameter_shapes(spec)) trainable[p.name] = p.trainable;
  std::stable_partition(weights.begin(), weights.end(), [&](const NamedArray& w) { return trainable.at(w.name); });
  return weights;
}

}  // namespace

std::vector<std::string> tfjs_shard_paths(const std::string& path, int64_t weight_bytes) {
  const size_t count = std::max<size_t>(1, static_cast<size_t>((weight_bytes + kShardBytes - 1) / kShardBytes));
  std::vector<std::string> paths;
  for (size_t i = 0; i < count; ++i) paths.push_back(folder_of(path) + "/" + tfjs_shard_name(path, i, count));
  return paths;
}

void save_tfjs_model(const std::string& path, const ModelFile& model) {
  ModelSpec spec;
  WeightSet weights = manifest_order(spec, checked_weights_for_saving(model, path, spec));

  int64_t total = 0;
  for (const NamedArray& w : weights) total += static_cast<int64_t>(w.values.size()) * 4;
  std::string data(static_cast<size_t>(total), '\0');
  ordered_json entries = ordered_json::array();
  int64_t at = 0;
  for (const NamedArray& w : weights) {
    store_floats_le(data.data() + at, w.values.data(), w.values.size());
    at += static_cast<int64_t>(w.values.size()) * 4;
    entries.push_back(ordered_json{{"name", w.name}, {"shape", w.shape}, {"dtype", "float32"}});
  }

  // Every file is written before any replaces its old version, shards first and
  // model.json last: a full disk leaves the previous model whole, and a reader
  // never sees a model.json whose shards are not all in place.
  AtomicFileSet files;
  const std::vector<std::string> shards = tfjs_shard_paths(path, total);
  ordered_json paths = ordered_json::array();
  try {
    for (size_t i = 0; i < shards.size(); ++i) {
      int64_t begin = static_cast<int64_t>(i) * kShardBytes;
      int64_t size = std::min(kShardBytes, total - begin);
      files.add(shards[i], std::string_view(data).substr(static_cast<size_t>(begin), static_cast<size_t>(size)));
      paths.push_back(tfjs_shard_name(path, i, shards.size()));
    }
    // Key order as TF.js's getModelJSONForModelArtifacts writes it.
    ordered_json model_json{{"modelTopology", tfjs_model_topology(spec)},
                            {"format", "layers-model"},
                            {"generatedBy", std::string("gapscope ") + GAPSCOPE_VERSION},
                            {"convertedBy", nullptr},
                            {"weightsManifest", ordered_json::array({ordered_json{{"paths", paths},
                                                                                  {"weights", entries}}})},
                            {"trainingConfig", tfjs_training_config(spec)}};
    // TF.js keeps whatever a model sets with setUserDefinedMetadata here.
    if (!model.vocabulary.empty())
      model_json["userDefinedMetadata"] = ordered_json{{"gapscope", {{"vocabulary", model.vocabulary}}}};
    files.add(path, model_json.dump());
    files.commit();
  } catch (const SpecError& e) {
    throw ModelFileError(e.what());  // a spec TF.js cannot express; write errors stay FileWriteError
  }
}

ModelFile load_tfjs_model(const std::string& path, const ModelFileLimits& limits) {
  json root = read_model_json(path, limits);
  ModelFile model;
  std::vector<ManifestGroup> groups;
  try {
    check_layers_model(root);
    model.spec = spec_from_tfjs_model_json(root, path, spec_limits_for_loading(limits), &model.notes);
    groups = read_manifest(required_field(root, "", "weightsManifest"), path, limits);
    model.vocabulary = gapscope_vocabulary_of(root);
  } catch (const SpecError& e) {
    throw ModelFileError(path + ": " + e.what());
  }

  std::vector<WeightEntry> entries;
  for (const ManifestGroup& group : groups)
    for (const ManifestWeight& w : group.weights)
      if (!w.skip) entries.push_back(w.entry);
  check_weight_entries(model.spec, entries, path);

  for (const ManifestGroup& group : groups) {
    ShardStream stream(group.shards);
    for (const ManifestWeight& w : group.weights) {
      if (w.skip) {
        stream.read(nullptr, w.bytes);
        continue;
      }
      NamedArray array{w.entry.name, w.entry.shape, std::vector<float>(static_cast<size_t>(w.bytes / 4))};
      if constexpr (std::endian::native == std::endian::little) {
        stream.read(reinterpret_cast<char*>(array.values.data()), w.bytes);
      } else {
        std::string bytes(static_cast<size_t>(w.bytes), '\0');
        stream.read(bytes.data(), w.bytes);
        load_floats_le(array.values.data(), bytes.data(), array.values.size());
      }
      model.weights.push_back(std::move(array));
    }
  }
  model.weights = in_spec_order(model.spec, std::move(model.weights));
  return model;
}

int64_t tfjs_model_bytes(const std::string& path) {
  json root = read_model_json(path, ModelFileLimits{});
  int64_t total = 0;
  try {
    total = file_size_of(path, "model.json");
    const json& manifest = expect_array(required_field(root, "", "weightsManifest"), "weightsManifest");
    for (size_t g = 0; g < manifest.size(); ++g) {
      std::string group_path = element_path("weightsManifest", g);
      const json& paths = expect_array(required_field(expect_object(manifest[g], group_path), group_path, "paths"),
                                       field_path(group_path, "paths"));
      for (size_t p = 0; p < paths.size(); ++p) {
        std::string field = element_path(field_path(group_path, "paths"), p);
        total += file_size_of(resolve_tfjs_shard_path(path, read_string(paths[p], field), field), field);
      }
    }
  } catch (const SpecError& e) {
    throw ModelFileError(path + ": " + e.what());
  }
  return total;
}

}  // namespace gapscope
