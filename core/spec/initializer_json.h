// Initializers in JSON: the spec's string form ("glorot_uniform") and the
// TF.js/Keras object form ({"class_name": "VarianceScaling", "config": {...}}).
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/initializer.h"

namespace gapscope {

// Accepts a name, or an object whose class is one of ours (GlorotUniform,
// GlorotNormal, HeUniform, HeNormal, LeCunNormal, Zeros, Ones, RandomNormal,
// RandomUniform [-0.05, 0.05), Orthogonal with gain 1) or a
// VarianceScaling whose (scale, mode, distribution) is one of ours. A config that
// asks for something else (RandomNormal with stddev 1) is an error, never
// silently replaced. "seed" is accepted and ignored: runs are seeded as a whole.
Initializer parse_initializer_json(const nlohmann::json& j, const std::string& path);

// The object TF.js 4.22 writes for it: the VarianceScaling family is written as
// class "VarianceScaling" (as tfjs-layers does, after Python Keras).
nlohmann::ordered_json initializer_to_tfjs_json(Initializer init);

}  // namespace gapscope
