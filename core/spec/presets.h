// Ready-made model specs: the models of the WWW'19 paper's experiments.
#pragma once
#include <string>
#include <vector>

#include "core/spec/model_spec.h"

namespace gapscope {

// The paper's DNN: input [784], `depth` dense ReLU layers of `width` units, then
// dense 10 softmax; categorical cross-entropy, SGD with learning rate 0.1.
// Named "paper-dnn-<depth>x<width>". depth in [1, 64], width in [1, 65536],
// else SpecError. Memory limits are the caller's to check (validate_model_spec
// with its own SpecLimits): a big machine may take what a small one refuses.
ModelSpec paper_dnn(int depth, int width);

// By preset name ("paper-dnn"); unknown names throw SpecError listing the known ones.
ModelSpec make_preset(const std::string& name, int depth, int width);
std::vector<std::string> preset_names();

}  // namespace gapscope
