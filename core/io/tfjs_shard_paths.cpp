#include "core/io/tfjs_shard_paths.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/spec_error.h"
#include "core/io/crc32c.h"

namespace gapscope {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kJsonSuffix = ".json";

// Characters a shard name keeps: safe in every file system and in the URL
// TF.js fetches a shard from (model.json's URL with its name replaced).
bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

std::string shard_prefix(const std::string& model_json_path) {
  const std::string name = fs::path(model_json_path).filename().string();
  const bool has_suffix = name.size() > kJsonSuffix.size() && name.ends_with(kJsonSuffix);
  std::string stem = has_suffix ? name.substr(0, name.size() - kJsonSuffix.size()) : name;
  bool plain = has_suffix && stem[0] != '.';
  for (char& c : stem) {
    if (is_plain(c)) continue;
    c = '_';
    plain = false;
  }
  if (plain) return stem;
  // Kept characters alone could make two names one ("a b.json", "a_b.json"; "a", "a.json").
  if (!stem.empty() && stem[0] == '.') stem[0] = '_';
  char hash[9];
  std::snprintf(hash, sizeof hash, "%08x", crc32c(name));
  return (stem.empty() ? "model" : stem) + "-" + hash;
}

bool is_inside(const fs::path& file, const fs::path& folder) {
  const fs::path relative = file.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != ".." && relative != ".";
}

}  // namespace

std::string tfjs_shard_name(const std::string& model_json_path, size_t index, size_t count) {
  return shard_prefix(model_json_path) + "-group1-shard" + std::to_string(index + 1) + "of" + std::to_string(count) +
         ".bin";
}

std::string resolve_tfjs_shard_path(const std::string& model_json_path, const std::string& shard,
                                    const std::string& field) {
  if (shard.empty()) throw SpecError(field + " is empty");
  // The OS would read the name only up to the NUL: another file.
  if (shard.find('\0') != std::string::npos)
    throw SpecError(field + " " + nlohmann::json(shard).dump() + " holds a NUL character");
  const fs::path relative(shard);
  if (relative.is_absolute() || shard.find('\\') != std::string::npos || shard.find(':') != std::string::npos)
    throw SpecError(field + " '" + shard + "' must be a plain relative path beside model.json");
  for (const auto& part : relative)
    if (part == "..") throw SpecError(field + " '" + shard + "' leaves the model's directory");
  const std::string folder = folder_of(model_json_path);
  const std::string path = folder + "/" + shard;

  // A shard that is (or passes through) a symbolic link must still end inside the folder.
  std::error_code missing;
  const fs::path resolved = fs::canonical(path, missing);
  if (missing) return path;  // whoever opens it says why it cannot
  const fs::path real_folder = fs::canonical(folder, missing);
  if (!missing && !is_inside(resolved, real_folder))
    throw SpecError(field + " '" + shard + "' leaves the model's directory: it leads (through a symbolic link) to " +
                    resolved.string() + ", outside " + real_folder.string());
  return path;
}

}  // namespace gapscope
