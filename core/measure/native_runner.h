// Runs the measurement protocol on the project's own engine (any OpsBackend).
#pragma once
#include <functional>
#include <memory>

#include "core/measure/runner.h"
#include "core/ops/ops_backend.h"

namespace gapscope {

// file_size times each format's load kFileLoadRuns times (file_load), before
// every other phase, and reports them as progress of phase "file_size".
inline constexpr int kFileLoadRuns = 3;
inline constexpr int kFileSizeProgressSteps = 3 * kFileLoadRuns;  // native, JSON, TF.js

class NativeRunner final : public Runner {
 public:
  explicit NativeRunner(OpsBackend& ops) : ops_(ops) {}
  std::string backend_id() const override { return ops_.id(); }
  std::vector<Measurement> run(const Job& job, const MeasurementSink& sink) override;

 private:
  OpsBackend& ops_;
};

}  // namespace gapscope
