// TF.js initializers (tfjs-layers initializers.ts). VarianceScaling divides
// scale by the fan (floored at 1), then draws uniform(-sqrt(3 var), sqrt(3 var))
// or a normal of stddev sqrt(var) truncated at 2 stddev. Unlike Python Keras,
// TF.js does not widen that truncated normal by 1/0.8796; Keras's own
// 'truncated_normal' (which TF.js 4.22 would draw as uniform) is drawn as Keras
// means it.
#include "core/base/initializer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "core/base/enum_names.h"
#include "core/base/random.h"
#include "core/base/spec_error.h"

namespace gapscope {

using Kind = Initializer::Kind;
using Mode = Initializer::Mode;
using Distribution = Initializer::Distribution;

namespace {

constexpr Initializer variance_scaling(double scale, Mode mode, Distribution distribution) {
  Initializer i;
  i.kind = Kind::variance_scaling;
  i.scale = scale;
  i.mode = mode;
  i.distribution = distribution;
  return i;
}

constexpr Initializer of_kind(Kind kind) {
  Initializer i;
  i.kind = kind;
  return i;
}

struct NamedInitializer {
  Initializer init;
  const char* name;
};

const std::vector<NamedInitializer>& named_forms() {
  static const std::vector<NamedInitializer> forms = {
      {Initializer::glorot_uniform, "glorot_uniform"}, {Initializer::glorot_normal, "glorot_normal"},
      {Initializer::he_uniform, "he_uniform"},         {Initializer::he_normal, "he_normal"},
      {Initializer::lecun_uniform, "lecun_uniform"},   {Initializer::lecun_normal, "lecun_normal"},
      {Initializer::zeros, "zeros"},                   {Initializer::ones, "ones"},
      {Initializer::random_normal, "random_normal"},   {Initializer::random_uniform, "random_uniform"},
      {Initializer::truncated_normal, "truncated_normal"}, {Initializer::orthogonal, "orthogonal"},
      {Initializer::identity, "identity"},
  };
  return forms;
}

constexpr EnumName<Mode> kModeNames[] = {{Mode::fan_in, "fan_in"}, {Mode::fan_out, "fan_out"}, {Mode::fan_avg, "fan_avg"}};
constexpr EnumName<Distribution> kDistributionNames[] = {{Distribution::normal, "normal"},
                                                         {Distribution::uniform, "uniform"},
                                                         {Distribution::truncated_normal, "truncated_normal"},
                                                         {Distribution::untruncated_normal, "untruncated_normal"}};

// A normal truncated at +-2 stddev keeps this share of the stddev (Keras widens by its inverse).
constexpr double kTruncatedStddevRatio = 0.87962566103423978;

std::string shape_text(std::span<const int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

// TF.js's computeFans (channels-last).
std::pair<double, double> fans_of(std::span<const int64_t> shape) {
  if (shape.size() == 2) return {static_cast<double>(shape[0]), static_cast<double>(shape[1])};
  if (shape.size() >= 3 && shape.size() <= 5) {
    double field = 1;
    for (size_t i = 0; i + 2 < shape.size(); ++i) field *= static_cast<double>(shape[i]);
    return {static_cast<double>(shape[shape.size() - 2]) * field, static_cast<double>(shape.back()) * field};
  }
  double size = 1;
  for (int64_t d : shape) size *= static_cast<double>(d);
  return {std::sqrt(size), std::sqrt(size)};
}

// A rows x cols matrix with orthonormal rows or columns (whichever are fewer),
// as TF.js's Orthogonal: QR of a standard normal matrix of the taller shape,
// columns of Q signed by diag(R) so the result is uniformly distributed.
void orthogonal_matrix(int64_t rows, int64_t cols, double gain, Rng& rng, std::span<float> out) {
  int64_t tall = std::max(rows, cols), wide = std::min(rows, cols);
  Eigen::MatrixXd a(tall, wide);
  for (int64_t i = 0; i < tall; ++i)
    for (int64_t j = 0; j < wide; ++j) a(i, j) = rng.normal();
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(tall, wide);
  Eigen::MatrixXd r = qr.matrixQR();
  for (int64_t j = 0; j < wide; ++j)
    if (r(j, j) < 0) q.col(j) = -q.col(j);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      out[static_cast<size_t>(i * cols + j)] = static_cast<float>(gain * (rows >= cols ? q(i, j) : q(j, i)));
}

void fill_variance_scaling(const Initializer& init, std::span<const int64_t> shape, Rng& rng, std::span<float> out) {
  auto [fan_in, fan_out] = fans_of(shape);
  double fan = init.mode == Mode::fan_in ? fan_in : init.mode == Mode::fan_out ? fan_out : (fan_in + fan_out) / 2;
  double variance = init.scale / std::max(1.0, fan);
  switch (init.distribution) {
    case Distribution::uniform: {
      float limit = static_cast<float>(std::sqrt(3.0 * variance));
      for (float& v : out) v = rng.uniform(-limit, limit);
      return;
    }
    case Distribution::normal:
    case Distribution::truncated_normal: {
      double widen = init.distribution == Distribution::truncated_normal ? 1 / kTruncatedStddevRatio : 1;
      float stddev = static_cast<float>(std::sqrt(variance) * widen);
      for (float& v : out) v = rng.truncated_normal(stddev);
      return;
    }
    case Distribution::untruncated_normal: {
      double stddev = std::sqrt(variance);
      for (float& v : out) v = static_cast<float>(rng.normal() * stddev);
      return;
    }
  }
}

}  // namespace

constexpr Initializer Initializer::glorot_uniform = variance_scaling(1, Mode::fan_avg, Distribution::uniform);
constexpr Initializer Initializer::glorot_normal = variance_scaling(1, Mode::fan_avg, Distribution::normal);
constexpr Initializer Initializer::he_uniform = variance_scaling(2, Mode::fan_in, Distribution::uniform);
constexpr Initializer Initializer::he_normal = variance_scaling(2, Mode::fan_in, Distribution::normal);
constexpr Initializer Initializer::lecun_uniform = variance_scaling(1, Mode::fan_in, Distribution::uniform);
constexpr Initializer Initializer::lecun_normal = variance_scaling(1, Mode::fan_in, Distribution::normal);
constexpr Initializer Initializer::zeros = of_kind(Kind::zeros);
constexpr Initializer Initializer::ones = of_kind(Kind::ones);
constexpr Initializer Initializer::random_normal = of_kind(Kind::random_normal);
constexpr Initializer Initializer::random_uniform = of_kind(Kind::random_uniform);
constexpr Initializer Initializer::truncated_normal = of_kind(Kind::truncated_normal);
constexpr Initializer Initializer::orthogonal = of_kind(Kind::orthogonal);
constexpr Initializer Initializer::identity = of_kind(Kind::identity);

std::optional<std::string> named_initializer(const Initializer& init) {
  for (const NamedInitializer& form : named_forms())
    if (form.init == init) return form.name;
  return std::nullopt;
}

std::string_view initializer_mode_name(Mode mode) { return name_of<Mode>(kModeNames, mode, "mode"); }
std::optional<Mode> parse_initializer_mode(std::string_view name) { return parse_name<Mode>(kModeNames, name); }
std::string_view initializer_distribution_name(Distribution d) {
  return name_of<Distribution>(kDistributionNames, d, "distribution");
}
std::optional<Distribution> parse_initializer_distribution(std::string_view name) {
  return parse_name<Distribution>(kDistributionNames, name);
}

std::string initializer_name(const Initializer& init) {
  if (auto name = named_initializer(init)) return *name;
  auto n = [](double v) {  // shortest text that reads back as v
    char text[32];
    return std::string(text, std::to_chars(text, text + sizeof text, v).ptr);
  };
  std::string settings;
  switch (init.kind) {
    case Kind::zeros: settings = "Zeros("; break;
    case Kind::ones: settings = "Ones("; break;
    case Kind::constant: settings = "Constant(value " + n(init.value); break;
    case Kind::random_uniform: settings = "RandomUniform(minval " + n(init.minval) + ", maxval " + n(init.maxval); break;
    case Kind::random_normal: settings = "RandomNormal(mean " + n(init.mean) + ", stddev " + n(init.stddev); break;
    case Kind::truncated_normal:
      settings = "TruncatedNormal(mean " + n(init.mean) + ", stddev " + n(init.stddev);
      break;
    case Kind::variance_scaling:
      settings = "VarianceScaling(scale " + n(init.scale) + ", " + std::string(initializer_mode_name(init.mode)) + ", " +
                 std::string(initializer_distribution_name(init.distribution));
      break;
    case Kind::orthogonal: settings = "Orthogonal(gain " + n(init.gain); break;
    case Kind::identity: settings = "Identity(gain " + n(init.gain); break;
  }
  if (init.seed) settings += std::string(settings.back() == '(' ? "" : ", ") + "seed " + std::to_string(*init.seed);
  return settings + ")";
}

std::optional<Initializer> parse_initializer(std::string_view name) {
  std::string key = fold_name(name);
  for (const NamedInitializer& form : named_forms())
    if (!key.empty() && key == fold_name(form.name)) return form.init;
  return std::nullopt;
}

const std::vector<Initializer>& all_initializers() {
  static const std::vector<Initializer> all = [] {
    std::vector<Initializer> v;
    for (const NamedInitializer& form : named_forms()) v.push_back(form.init);
    return v;
  }();
  return all;
}

void initialize(const Initializer& init, std::span<const int64_t> shape, Rng& rng, std::span<float> out) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) throw std::invalid_argument("initialize(" + initializer_name(init) + "): negative shape " + shape_text(shape));
    count *= d;
  }
  if (count != static_cast<int64_t>(out.size()))
    throw std::invalid_argument("initialize(" + initializer_name(init) + "): " + std::to_string(out.size()) +
                                " values do not fill " + shape_text(shape));
  switch (init.kind) {
    case Kind::zeros: std::fill(out.begin(), out.end(), 0.0f); return;
    case Kind::ones: std::fill(out.begin(), out.end(), 1.0f); return;
    case Kind::constant: std::fill(out.begin(), out.end(), static_cast<float>(init.value)); return;
    case Kind::random_uniform:
      for (float& v : out) v = rng.uniform(static_cast<float>(init.minval), static_cast<float>(init.maxval));
      return;
    case Kind::random_normal:
      for (float& v : out) v = static_cast<float>(init.mean + rng.normal() * init.stddev);
      return;
    case Kind::truncated_normal:
      for (float& v : out) v = static_cast<float>(init.mean) + rng.truncated_normal(static_cast<float>(init.stddev));
      return;
    case Kind::variance_scaling: return fill_variance_scaling(init, shape, rng, out);
    case Kind::orthogonal:
      if (shape.size() < 2)
        throw SpecError("Orthogonal needs a weight of at least 2 dimensions, got " + shape_text(shape));
      return orthogonal_matrix(count / std::max<int64_t>(1, shape.back()), shape.back(), init.gain, rng, out);
    case Kind::identity:
      if (shape.size() != 2 || shape[0] != shape[1])
        throw SpecError("Identity initializes square 2-D weights only, got " + shape_text(shape));
      std::fill(out.begin(), out.end(), 0.0f);
      for (int64_t i = 0; i < shape[0]; ++i) out[static_cast<size_t>(i * shape[0] + i)] = static_cast<float>(init.gain);
      return;
  }
}

}  // namespace gapscope
