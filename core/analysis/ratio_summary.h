// The browser/native ratios as plain text (CLI `history show`, the History
// tab): the geometric mean per backend and task, the notes, the tree with its
// leaves as ratios, and each factor's importance.
#pragma once
#include <string>

#include "core/analysis/ratio_analysis.h"

namespace gapscope {

std::string ratio_summary_text(const RatioAnalysis& analysis);

}  // namespace gapscope
