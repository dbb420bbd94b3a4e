// A regression tree drawn top-down as SVG: internal nodes show their split
// ("backend in {tfjs-cpu, tfjs-wasm}", "width <= 192"), edges say yes/no,
// leaves show format_value(value) and n; under it, each factor's importance
// as a bar. The width grows with the number of leaves, so trees of depth 4-5
// stay legible (the HTML report gives wide figures a landscape page in print).
#pragma once
#include <functional>
#include <string>

#include "core/analysis/regression_tree.h"

namespace gapscope {

std::string render_tree_svg(const RegressionTree& tree, const std::string& title,
                            const std::function<std::string(double)>& format_value);

// The text of an internal node's test: what goes left ("yes").
std::string split_text(const RegressionTree& tree, const TreeNode& node);

}  // namespace gapscope
