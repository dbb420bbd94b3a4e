#include "core/data/prediction_batch.h"

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/json_fields.h"
#include "core/base/json_text.h"
#include "core/data/dataset.h"

namespace gapscope {

using nlohmann::json;

namespace {

// "sample [2][0][5]": built only for an error, so a deep sample costs no text
// per level.
std::string value_path(size_t sample, const std::vector<size_t>& at) {
  std::string path = "sample [" + std::to_string(sample) + "]";
  for (size_t i : at) path += "[" + std::to_string(i) + "]";
  return path;
}

// Appends the numbers of `value` to `out`; `at` holds the indexes from the
// sample down to `value`. parse_json_text's depth limit bounds the recursion.
void flatten(const json& value, size_t sample, std::vector<size_t>& at, std::vector<float>& out) {
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      at.push_back(i);
      flatten(value[i], sample, at, out);
      at.pop_back();
    }
    return;
  }
  if (!value.is_number()) throw DataError(value_path(sample, at) + " must be a number, got " + json_kind(value));
  const double v = value.get<double>();
  if (!std::isfinite(v) || std::fabs(v) > 3.4e38)
    throw DataError(value_path(sample, at) + " is not a finite float32: " + json_excerpt(value));
  out.push_back(static_cast<float>(v));
}

}  // namespace

PredictionBatch parse_prediction_batch(std::string_view text, int64_t per_sample) {
  json batch;
  try {
    batch = parse_json_text(text);
  } catch (const SpecError& e) {
    throw DataError(e.what());
  }
  if (!batch.is_array() || batch.empty())
    throw DataError("expected a non-empty array of samples, got " +
                    (batch.is_array() ? std::string("an empty array") : json_kind(batch)));
  if (batch[0].is_number()) batch = json::array({std::move(batch)});  // one flat sample
  PredictionBatch out;
  out.rows = static_cast<int64_t>(batch.size());
  std::vector<size_t> at;
  for (size_t i = 0; i < batch.size(); ++i) {
    const size_t before = out.values.size();
    flatten(batch[i], i, at, out.values);
    const size_t count = out.values.size() - before;
    if (static_cast<int64_t>(count) != per_sample)
      throw DataError("sample " + std::to_string(i) + " has " + std::to_string(count) + " values, the model takes " +
                      std::to_string(per_sample));
  }
  return out;
}

}  // namespace gapscope
