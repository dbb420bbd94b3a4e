// TF.js initializers (tfjs-layers initializers.ts). The Glorot/He/LeCun family
// is VarianceScaling: scale / fan (fan floored at 1), then either
// uniform(-sqrt(3 var), sqrt(3 var)) or truncatedNormal(0, sqrt(var)). Unlike
// Python Keras, TF.js does not widen the truncated normal's stddev by 1/0.8796.
#include "core/base/initializer.h"
#include "core/base/enum_names.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include <Eigen/Dense>

#include "core/base/random.h"

namespace gapscope {
namespace {

constexpr EnumName<Initializer> kNames[] = {
    {Initializer::glorot_uniform, "glorot_uniform"},
    {Initializer::glorot_normal, "glorot_normal"},
    {Initializer::he_uniform, "he_uniform"},
    {Initializer::he_normal, "he_normal"},
    {Initializer::lecun_normal, "lecun_normal"},
    {Initializer::zeros, "zeros"},
    {Initializer::ones, "ones"},
    {Initializer::random_normal, "random_normal"},
    {Initializer::random_uniform, "random_uniform"},
    {Initializer::orthogonal, "orthogonal"},
};

constexpr float kRandomNormalStddev = 0.05f;  // TF.js RandomNormal default
constexpr float kRandomUniformLimit = 0.05f;  // TF.js RandomUniform default

// A rows x cols matrix with orthonormal rows or columns (whichever are fewer),
// as TF.js's Orthogonal: QR of a standard normal matrix of the taller shape,
// columns of Q signed by diag(R) so the result is uniformly distributed.
void orthogonal_matrix(int64_t rows, int64_t cols, Rng& rng, std::span<float> out) {
  if (static_cast<int64_t>(out.size()) != rows * cols)
    throw std::invalid_argument("initialize(orthogonal): " + std::to_string(out.size()) +
                                " values do not fill " + std::to_string(rows) + " x " +
                                std::to_string(cols));
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
      out[static_cast<size_t>(i * cols + j)] = static_cast<float>(rows >= cols ? q(i, j) : q(j, i));
}

enum class Fan { in, average };
enum class Distribution { uniform, truncated_normal };

void variance_scaling(double scale, Fan mode, Distribution distribution, int64_t fan_in,
                      int64_t fan_out, Rng& rng, std::span<float> out) {
  double fan = mode == Fan::in ? static_cast<double>(fan_in)
                               : (static_cast<double>(fan_in) + static_cast<double>(fan_out)) / 2;
  double variance = scale / std::max(1.0, fan);
  if (distribution == Distribution::uniform) {
    float limit = static_cast<float>(std::sqrt(3.0 * variance));
    for (float& v : out) v = rng.uniform(-limit, limit);
  } else {
    float stddev = static_cast<float>(std::sqrt(variance));
    for (float& v : out) v = rng.truncated_normal(stddev);
  }
}

}  // namespace

std::string_view initializer_name(Initializer i) { return name_of<Initializer>(kNames, i, "initializer"); }

std::optional<Initializer> parse_initializer(std::string_view name) { return parse_name<Initializer>(kNames, name); }

const std::vector<Initializer>& all_initializers() {
  static const std::vector<Initializer> all = all_values<Initializer>(kNames);
  return all;
}

void initialize(Initializer init, int64_t fan_in, int64_t fan_out, Rng& rng, std::span<float> out) {
  if (fan_in < 0 || fan_out < 0)
    throw std::invalid_argument("initialize(" + std::string(initializer_name(init)) +
                                "): negative fan_in " + std::to_string(fan_in) + " or fan_out " +
                                std::to_string(fan_out));
  switch (init) {
    case Initializer::glorot_uniform:  // limit sqrt(6 / (fan_in + fan_out))
      return variance_scaling(1.0, Fan::average, Distribution::uniform, fan_in, fan_out, rng, out);
    case Initializer::glorot_normal:  // stddev sqrt(2 / (fan_in + fan_out))
      return variance_scaling(1.0, Fan::average, Distribution::truncated_normal, fan_in, fan_out,
                              rng, out);
    case Initializer::he_uniform:  // limit sqrt(6 / fan_in)
      return variance_scaling(2.0, Fan::in, Distribution::uniform, fan_in, fan_out, rng, out);
    case Initializer::he_normal:  // stddev sqrt(2 / fan_in)
      return variance_scaling(2.0, Fan::in, Distribution::truncated_normal, fan_in, fan_out, rng,
                              out);
    case Initializer::lecun_normal:  // stddev sqrt(1 / fan_in)
      return variance_scaling(1.0, Fan::in, Distribution::truncated_normal, fan_in, fan_out, rng,
                              out);
    case Initializer::zeros: std::fill(out.begin(), out.end(), 0.0f); return;
    case Initializer::ones: std::fill(out.begin(), out.end(), 1.0f); return;
    case Initializer::random_normal:  // not truncated
      for (float& v : out) v = static_cast<float>(rng.normal() * kRandomNormalStddev);
      return;
    case Initializer::random_uniform:
      for (float& v : out) v = rng.uniform(-kRandomUniformLimit, kRandomUniformLimit);
      return;
    case Initializer::orthogonal: return orthogonal_matrix(fan_in, fan_out, rng, out);
  }
  throw std::invalid_argument("initialize: unknown initializer " +
                              std::to_string(static_cast<int>(init)));
}

}  // namespace gapscope
