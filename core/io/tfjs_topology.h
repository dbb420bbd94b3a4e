// model.json's "modelTopology" and "trainingConfig" <-> ModelSpec, as
// tfjs-layers 4.22 writes and reads them (checked against TF.js 4.22 itself).
// Internal to core/io.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"

namespace gapscope {

// The TF.js version whose files we write ("keras_version": "tfjs-layers 4.22.0").
inline constexpr const char* kTfjsLayersVersion = "4.22.0";

nlohmann::ordered_json tfjs_model_topology(const ModelSpec& spec);
nlohmann::ordered_json tfjs_training_config(const ModelSpec& spec);

// Reads a Sequential topology (config {"name", "layers"} or, from older Keras,
// a bare layer array) or a functional model that is a chain of layers (see
// tfjs_functional.h); input shape from "batch_input_shape" on the first layer
// or an InputLayer. A model.json without trainingConfig gets loss
// categorical_crossentropy and default_optimizer_config(sgd): what TF.js users
// most often compile an MLP with. Throws ModelFileError for an unsupported layer
// class ("unsupported layer class 'Conv3D' (layers[0]) in <path>") and
// SpecError (field path, no file path) for everything else. Settings read but
// not used (regularizers, constraints, frozen layers) go to `notes`.
ModelSpec spec_from_tfjs_model_json(const nlohmann::json& model_json, const std::string& path,
                                    const SpecLimits& limits, std::vector<std::string>* notes = nullptr);

}  // namespace gapscope
