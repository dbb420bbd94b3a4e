// How the Sweep tab words a sweep's progress:
//   "3/12 items, ETA 3m05s, now: paper-dnn 2x128 on tfjs-wasm (round 1/2)".
#pragma once
#include <QString>

#include "ui/runs/sweep_controller.h"

namespace gapscope::ui {

// 45 -> "45s", 185 -> "3m05s", 7380 -> "2h03m"; negative (unknown) -> "…".
QString short_duration(double seconds);

// While it runs.
QString sweep_progress_text(const SweepProgress& progress);
// When it ends (stopped or not).
QString sweep_finished_text(const SweepProgress& progress, bool stopped);

}  // namespace gapscope::ui
