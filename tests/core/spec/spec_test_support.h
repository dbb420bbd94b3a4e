// Helpers for spec tests: a valid base spec to mutate, and the error text a
// spec produces.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope::test {

inline nlohmann::json base_spec_json() {
  return nlohmann::json::parse(R"({
    "format": "gapscope.model/1", "name": "mlp-2x128",
    "input": {"shape": [784]},
    "layers": [{"type": "dense", "units": 128, "activation": "relu"},
               {"type": "dropout", "rate": 0.2},
               {"type": "dense", "units": 128, "activation": "relu"},
               {"type": "dense", "units": 10,  "activation": "softmax"}],
    "loss": "categorical_crossentropy",
    "optimizer": {"type": "sgd", "learning_rate": 0.1}})");
}

// The SpecError message parsing `j` gives, or "(no error)".
inline std::string spec_error(const nlohmann::json& j, const SpecLimits& limits = {}) {
  try {
    parse_model_spec(j, limits);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

inline std::string spec_text_error(const std::string& text) {
  try {
    parse_model_spec_text(text);
  } catch (const SpecError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace gapscope::test
