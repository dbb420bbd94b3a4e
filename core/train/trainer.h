// The training loop: seeded shuffling, mini-batches, loss/accuracy per step,
// evaluation on the test split, progress and cancellation callbacks.
#pragma once
#include <cstdint>
#include <functional>

#include "core/data/dataset.h"
#include "core/nn/model.h"

namespace gapscope {

struct StepReport {
  int64_t step = 0;     // 1-based, over the whole run
  int64_t epoch = 0;    // 1-based
  int64_t total_steps = 0;
  double loss = 0;
  double accuracy = 0;  // on this batch
  double ms = 0;        // wall time of the step, data staging included
};

struct TrainOptions {
  int64_t epochs = 1;
  int64_t steps = 0;    // > 0: stop after this many steps instead of epochs
  int64_t batch_size = 64;
  uint64_t seed = 1;
  std::function<void(const StepReport&)> on_step;
  std::function<bool()> cancelled;  // polled between steps
};

struct Evaluation {
  double loss = 0;
  double accuracy = 0;
  int64_t samples = 0;
};

struct TrainResult {
  int64_t steps = 0;
  double seconds = 0;
  double last_loss = 0;
  bool cancelled = false;
  Evaluation test;
};

TrainResult train(Model& model, const DataSplit& data, const TrainOptions& options);
Evaluation evaluate(Model& model, const Dataset& data, int64_t batch_size = 256);
// Steps one run takes: min(steps, epochs * ceil(train / batch)).
int64_t planned_steps(const TrainOptions& options, int64_t train_samples);

}  // namespace gapscope
