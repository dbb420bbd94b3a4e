// Weight initializers with TF.js names and formulas (VarianceScaling family
// draws 'normal' from a truncated normal, as TF.js does).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace gapscope {

class Rng;

enum class Initializer {
  glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_normal, zeros, ones, random_normal,
  random_uniform,  // TF.js RandomUniform defaults: [-0.05, 0.05) (embeddings)
  orthogonal       // TF.js Orthogonal, gain 1 (recurrent kernels): fan_in rows x fan_out columns
};

std::string_view initializer_name(Initializer i);
std::optional<Initializer> parse_initializer(std::string_view name);
const std::vector<Initializer>& all_initializers();

// Fills out (fan_in x fan_out values, or any count for zeros/ones/random_*).
// (Layers have an initialize() member: call this one as gapscope::initialize.)
void initialize(Initializer init, int64_t fan_in, int64_t fan_out, Rng& rng, std::span<float> out);

}  // namespace gapscope
