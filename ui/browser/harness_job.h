// The harness's job (resources/web/harness/README.md) for a core Job: the
// spec, the weights in TF.js layers format (written by core/io and read back
// as bytes, the same path a user's export takes), synthetic data (the rows the
// native runner trains on: same seed) and the protocol.
#pragma once
#include <cstdint>
#include <string>

#include <functional>

#include <QByteArray>
#include <QString>

#include "core/measure/runner.h"

namespace gapscope::browser {

struct HarnessJobOptions {
  int predict_rows = 0;       // > 0: also return the outputs for the first rows (fresh model)
  int train_steps_check = 0;  // > 0: also return the losses of that many steps on the first batch
  // Set: the weight shards and the rows are published as files (name, bytes
  // -> the path the page fetches) and the job names them (weights_url,
  // data.x_url, data.y_url); unset: they go inline as base64.
  std::function<QString(const QString& name, QByteArray bytes)> publish;
};

struct HarnessJob {
  QString json;
  int64_t tfjs_model_bytes = 0;  // model.json + shards, as saved
  std::vector<float> x, target;  // the data rows sent (tests compare predictions on them)
  int64_t rows = 0;
};

// `job.weights` empty: the seeded initial weights (as NativeRunner builds them).
HarnessJob make_harness_job(const Job& job, const std::string& backend, const HarnessJobOptions& options = {});

}  // namespace gapscope::browser
