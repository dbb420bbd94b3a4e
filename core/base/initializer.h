// Weight initializers as TF.js 4.22 has them, with every parameter, so a model
// someone else wrote re-initialises as its author set it. The named forms
// (glorot_uniform, he_normal, ...) are fixed settings of the same value type.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

class Rng;

struct Initializer {
  enum class Kind : uint8_t {
    zeros, ones, constant, random_uniform, random_normal, truncated_normal, variance_scaling, orthogonal, identity
  };
  enum class Mode : uint8_t { fan_in, fan_out, fan_avg };
  // normal: TF.js's, a normal truncated at 2 stddev (what Keras calls truncated_normal without its
  // 1/0.8796 widening); truncated_normal: Keras's, widened; untruncated_normal: a plain normal.
  enum class Distribution : uint8_t { normal, uniform, truncated_normal, untruncated_normal };

  Kind kind = Kind::zeros;
  double value = 0;                      // constant
  double minval = -0.05, maxval = 0.05;  // random_uniform (TF.js defaults)
  double mean = 0, stddev = 0.05;        // random_normal, truncated_normal (TF.js defaults)
  double scale = 1;                      // variance_scaling: variance scale / fan
  Mode mode = Mode::fan_in;
  Distribution distribution = Distribution::normal;
  double gain = 1;                       // orthogonal, identity
  // As written; kept so a file round-trips. Draws follow the run's seed, as a
  // run is seeded as a whole.
  std::optional<int64_t> seed;

  bool operator==(const Initializer&) const = default;

  static const Initializer glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal,
      zeros, ones, random_normal, random_uniform, truncated_normal, orthogonal, identity;
};

// The name of a named form ("glorot_uniform"), else nothing.
std::optional<std::string> named_initializer(const Initializer& init);
// The name, or a description with every setting ("VarianceScaling(scale 1, fan_out, uniform)").
std::string initializer_name(const Initializer& init);
std::optional<Initializer> parse_initializer(std::string_view name);
std::string_view initializer_mode_name(Initializer::Mode mode);  // fan_in, fan_out, fan_avg
std::optional<Initializer::Mode> parse_initializer_mode(std::string_view name);  // also fanIn, ...
std::string_view initializer_distribution_name(Initializer::Distribution d);
std::optional<Initializer::Distribution> parse_initializer_distribution(std::string_view name);
// The named forms, in documentation order.
const std::vector<Initializer>& all_initializers();

// Fills `out`, a tensor of `shape`, as TF.js does for that shape: fans as
// computeFans (2-D [in, out]; 3- to 5-D channels-last kernels: receptive field
// x the last two; otherwise sqrt of the size for both), Orthogonal on
// [prod(shape[:-1]), shape[-1]], Identity on square 2-D shapes only.
// (Layers have an initialize() member: call this one as gapscope::initialize.)
void initialize(const Initializer& init, std::span<const int64_t> shape, Rng& rng, std::span<float> out);

}  // namespace gapscope
