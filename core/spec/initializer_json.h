// Initializers in JSON: the spec's string form for the named ones
// ("glorot_uniform") and the TF.js/Keras object form
// ({"class_name": "VarianceScaling", "config": {...}}) for any other setting.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/initializer.h"

namespace gapscope {

// Accepts a name, or an object of any class TF.js 4.22 has (Zeros, Ones,
// Constant, RandomUniform, RandomNormal, TruncatedNormal, VarianceScaling, the
// Glorot/He/LeCun forms, Orthogonal, Identity) with any parameters, in TF.js or
// Keras spelling (fanIn / fan_in; Keras 3's "module" and "registered_name" are
// ignored). Values are taken as written, also where TF.js would replace a 0 by
// its default.
Initializer parse_initializer_json(const nlohmann::json& j, const std::string& path);

// The spec's form: the name of a named initializer, else the TF.js object.
nlohmann::json initializer_to_json(const Initializer& init);

// The object TF.js 4.22 writes: the Glorot/He/LeCun forms as class
// "VarianceScaling" (as tfjs-layers does, after Python Keras).
nlohmann::ordered_json initializer_to_tfjs_json(const Initializer& init);

}  // namespace gapscope
