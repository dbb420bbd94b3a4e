// Core's records as Qt metatypes, declared once for every signal that carries
// them (RunController, SweepController).
#pragma once
#include <QMetaType>

#include "core/measure/runner.h"
#include "core/sweep/sweep_plan.h"

Q_DECLARE_METATYPE(gapscope::ProgressEvent)
Q_DECLARE_METATYPE(gapscope::Measurement)
Q_DECLARE_METATYPE(gapscope::SweepItem)
