// Model files: format detection and dispatch to one reader/writer per format.
#include "core/io/model_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>

#include "core/base/atomic_file.h"
#include "core/base/json_text.h"
#include "core/io/model_formats.h"

namespace gapscope {

namespace {

// Enough of the start of a file to find the format marker; our JSON files and
// TF.js's model.json both put it first.
constexpr size_t kSniffBytes = 1 << 20;

std::string read_prefix(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ModelFileError("cannot read " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    throw ModelFileError("cannot read " + path + ": it is a directory (for a TF.js model, give its model.json)");
  }
  std::string bytes(max_bytes, '\0');
  size_t got = 0;
  while (got < max_bytes) {
    ssize_t n = ::read(fd, bytes.data() + got, max_bytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(got);
  return bytes;
}

size_t position_of(const std::string& text, const char* marker) {
  size_t at = text.find(marker);
  return at == std::string::npos ? SIZE_MAX : at;
}

}  // namespace

std::string model_format_name(ModelFormat f) {
  switch (f) {
    case ModelFormat::native_binary: return "native";
    case ModelFormat::json: return "json";
    case ModelFormat::tfjs_layers: return "tfjs";
  }
  return "unknown";
}

ModelFormat detect_model_format(const std::string& path) {
  std::string start = read_prefix(path, kSniffBytes);
  if (start.empty()) throw ModelFileError(path + " is empty, not a model file");
  // A native file cut short inside its magic is still ours (and truncated).
  if (std::string_view("GAPSCOPE").starts_with(start.substr(0, 8)) || start.rfind("GAPSCOPE", 0) == 0)
    return ModelFormat::native_binary;
  size_t first = json_value_start(start);
  if (first == std::string::npos || start[first] != '{')
    throw ModelFileError(path + " is not a model file: neither a native file (\"GAPSCOPE\" magic) nor JSON");
  size_t tfjs = position_of(start, "\"modelTopology\"");
  size_t json = position_of(start, "\"gapscope.model-json/");
  if (tfjs != SIZE_MAX || json != SIZE_MAX) return tfjs < json ? ModelFormat::tfjs_layers : ModelFormat::json;
  for (const char* format : {kModelSpecFormat, kModelGraphSpecFormat})
    if (start.find(std::string("\"") + format + "\"") != std::string::npos)
      throw ModelFileError(path + " is a model spec (" + format + "), not a model file with weights");
  throw ModelFileError(path + " is not a model file: no GAPSCOPE magic (native), no \"modelTopology\" (TF.js "
                       "model.json) and no \"gapscope.model-json/1\" format (JSON)");
}

void save_model(const std::string& path, const ModelFile& model, ModelFormat format) {
  switch (format) {
    case ModelFormat::native_binary: return save_native_model(path, model);
    case ModelFormat::json: return save_json_model(path, model);
    case ModelFormat::tfjs_layers: return save_tfjs_model(path, model);
  }
  throw ModelFileError("cannot save " + path + ": unknown model format");
}

void check_model_save_target(const std::string& path, const ModelSpec& spec, ModelFormat format) {
  if (format == ModelFormat::tfjs_layers)
    for (const std::string& shard : tfjs_shard_paths(path, count_parameters(spec) * 4)) check_writable_target(shard);
  check_writable_target(path);
}

ModelFile load_model(const std::string& path, const ModelFileLimits& limits) {
  switch (detect_model_format(path)) {
    case ModelFormat::native_binary: return load_native_model(path, limits);
    case ModelFormat::json: return load_json_model(path, limits);
    case ModelFormat::tfjs_layers: return load_tfjs_model(path, limits);
  }
  throw ModelFileError(path + ": unknown model format");
}

ModelFile load_runnable_model(const std::string& path, const ModelFileLimits& limits) {
  ModelFile file = load_model(path, limits);
  if (const auto non_finite = first_non_finite_weight(file.weights))
    throw ModelFileError(path + ": " + *non_finite +
                         "; a model with NaN or infinite weights computes only NaN (was it saved from a training "
                         "run that diverged?)");
  return file;
}

std::optional<std::string> first_non_finite_weight(const WeightSet& weights) {
  for (const NamedArray& w : weights)
    for (size_t i = 0; i < w.values.size(); ++i)
      if (!std::isfinite(w.values[i]))
        return "weight '" + w.name + "' value " + std::to_string(i) + " is " +
               (std::isnan(w.values[i]) ? "NaN" : "infinite");
  return std::nullopt;
}

int64_t model_file_bytes(const std::string& path, ModelFormat format) {
  if (format == ModelFormat::tfjs_layers) return tfjs_model_bytes(path);
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw ModelFileError("cannot read " + path + ": " + std::strerror(errno));
  return info.st_size;
}

}  // namespace gapscope
