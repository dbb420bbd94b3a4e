// Helpers for the model-file tests: a scratch directory, a small model with
// awkward float values, file byte access and bit-exact comparison.
#pragma once
#include <stdlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "core/io/model_file.h"
#include "core/spec/presets.h"

namespace gapscope::test {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "gapscope-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Values whose text or bits are easy to get wrong: -0, denormals, extremes,
// non-terminating binary fractions.
inline float awkward_value(size_t i) {
  static const float kSpecial[] = {-0.0f, 0.1f, std::numeric_limits<float>::denorm_min(),
                                   std::numeric_limits<float>::min(), std::numeric_limits<float>::max(),
                                   -std::numeric_limits<float>::max(), 1.0f / 3.0f, 16777217.0f, 1e-38f};
  if (i < std::size(kSpecial)) return kSpecial[i];
  return std::sin(static_cast<float>(i) * 0.7f) * std::pow(10.0f, static_cast<float>(i % 9) - 4.0f);
}

// Weights for every parameter of the spec, filled with awkward values.
inline WeightSet weights_for(ModelSpec& spec) {
  validate_model_spec(spec);
  WeightSet weights;
  size_t k = 0;
  for (const ParameterShape& p : parameter_shapes(spec)) {
    NamedArray a{p.name, p.shape, std::vector<float>(static_cast<size_t>(element_count(p.shape)))};
    for (float& v : a.values) v = awkward_value(k++);
    weights.push_back(std::move(a));
  }
  return weights;
}

// A small model with every layer type: dense, dropout, activation, dense without bias.
inline ModelFile small_model() {
  ModelSpec spec = paper_dnn(1, 6);
  spec.input_shape = {5};
  LayerSpec dropout;
  dropout.type = "dropout";
  dropout.rate = 0.3f;
  LayerSpec activation;
  activation.type = "activation";
  activation.activation = Activation::tanh;
  spec.layers.insert(spec.layers.begin() + 1, {dropout, activation});
  spec.layers.back().use_bias = false;
  spec.layers.back().kernel_initializer = Initializer::he_normal;
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  spec.optimizer.learning_rate = 0.003f;
  for (LayerSpec& l : spec.layers) l.name.clear();
  ModelFile model;
  model.weights = weights_for(spec);
  model.spec = spec;
  return model;
}

inline bool same_bits(const WeightSet& a, const WeightSet& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].shape != b[i].shape || a[i].values.size() != b[i].values.size()) return false;
    if (std::memcmp(a[i].values.data(), b[i].values.data(), a[i].values.size() * sizeof(float)) != 0) return false;
  }
  return true;
}

// The message load_model throws for path, or "(no error)".
inline std::string load_error(const std::string& path, const ModelFileLimits& limits = {}) {
  try {
    load_model(path, limits);
  } catch (const ModelFileError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace gapscope::test
