#include "core/measure/synthetic_data.h"

#include <stdexcept>
#include <string>

#include "core/base/random.h"
#include "core/spec/layer_type.h"
#include "core/train/targets.h"

namespace gapscope {

SyntheticData::SyntheticData(const Model& model, int64_t row_count, uint64_t seed) {
  rows = row_count;
  Rng rng(seed);
  x.resize(static_cast<size_t>(rows * model.input_size()));
  const LayerSpec& first = model.spec().layers.front();
  if (layer_type_of(first).reads_token_ids())  // ids in [0, input_dim), as text would give
    for (float& v : x) v = static_cast<float>(rng.below(static_cast<uint64_t>(first.input_dim)));
  else
    for (float& v : x) v = rng.uniform();
  // One label per prediction (per-step outputs [T, classes] have T per row).
  const int64_t predictions = model.predictions_per_sample();
  const int64_t classes = model.output_size() / predictions;
  std::vector<int32_t> labels(static_cast<size_t>(rows * predictions));
  for (int32_t& l : labels) l = static_cast<int32_t>(rng.below(static_cast<uint64_t>(classes == 1 ? 2 : classes)));
  target.resize(static_cast<size_t>(rows * model.target_size()));
  encode_targets(model.spec().loss, labels, model.target_size() / predictions, target);
}

void check_rows_fit(const DataRows& data, const Model& model) {
  const auto expect = [&](size_t have, int64_t per_row, const char* what) {
    if (data.rows < 1 || have != static_cast<size_t>(data.rows * per_row))
      throw std::invalid_argument(std::string("data rows do not fit the model: ") + what + " holds " +
                                  std::to_string(have) + " values, the model needs " + std::to_string(data.rows) +
                                  " rows x " + std::to_string(per_row));
  };
  expect(data.x.size(), model.input_size(), "x");
  expect(data.target.size(), model.target_size(), "target");
}

std::span<const float> DataRows::sample(const Model& model, int64_t i) const {
  return std::span<const float>(x).subspan(static_cast<size_t>((i % rows) * model.input_size()),
                                          static_cast<size_t>(model.input_size()));
}

}  // namespace gapscope
