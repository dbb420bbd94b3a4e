// Internal to core/io: the weight shard files of a TF.js model.json, named when
// writing and resolved when reading. A shard belongs to one model.json, and a
// manifest may only name files inside the model's folder.
#pragma once
#include <cstddef>
#include <string>

namespace gapscope {

// The file name of shard `index` (0-based) of `count` for the model.json at
// `model_json_path`, named after it so that two models saved in one folder
// never share a shard: "a.json" -> "a-group1-shard1of2.bin". A name that is not
// NAME.json of letters, digits, '.', '_' and '-' gets those characters kept and
// a hash of the whole name added: "my model.json" -> "my_model-1a2b3c4d-group1-...".
std::string tfjs_shard_name(const std::string& model_json_path, size_t index, size_t count);

// The path of the shard a manifest entry names (`field`, e.g.
// "weightsManifest[0].paths[1]"), relative to model.json's folder. Throws
// SpecError naming the entry when it is empty, holds a NUL, is absolute, has a
// "..", or is (through symbolic links) a file outside the model's folder.
// Files TF.js writes (group1-shard1of1.bin) resolve like ours.
std::string resolve_tfjs_shard_path(const std::string& model_json_path, const std::string& shard,
                                    const std::string& field);

}  // namespace gapscope
