#include "core/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/nn/training_fit.h"
#include "core/train/targets.h"

namespace gapscope {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void check_fits(const Model& model, const Dataset& data) {
  int64_t per_sample = element_count(data.sample_shape);
  if (per_sample != model.input_size())
    throw std::invalid_argument("data '" + data.name + "' has " + std::to_string(per_sample) +
                                " values per sample, the model takes " +
                                std::to_string(model.input_size()));
  if (model.target_size() > 1 && data.classes > model.output_size())
    throw std::invalid_argument("data '" + data.name + "' has " + std::to_string(data.classes) +
                                " classes, the model has " + std::to_string(model.output_size()) +
                                " outputs");
}

// Copies the samples at order[begin, begin+count) into contiguous x / target buffers.
void gather(const Dataset& data, const std::vector<int64_t>& order, int64_t begin, int64_t count,
            Loss loss, int64_t target_size, std::vector<float>& x, std::vector<float>& target) {
  int64_t per_sample = element_count(data.sample_shape);
  x.resize(static_cast<size_t>(count * per_sample));
  target.resize(static_cast<size_t>(count * target_size));
  std::vector<int32_t> labels(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t s = order[static_cast<size_t>(begin + i)];
    data.copy_sample(s, x.data() + i * per_sample);
    labels[static_cast<size_t>(i)] = data.labels[static_cast<size_t>(s)];
  }
  encode_targets(loss, labels, target_size, target);
}

}  // namespace

int64_t planned_steps(const TrainOptions& options, int64_t train_samples) {
  int64_t per_epoch = (train_samples + options.batch_size - 1) / options.batch_size;
  int64_t by_epochs = options.epochs * per_epoch;
  return options.steps > 0 ? options.steps : by_epochs;
}

TrainResult train(Model& model, const DataSplit& data, const TrainOptions& options) {
  if (options.batch_size < 1) throw std::invalid_argument("batch size must be >= 1");
  if (data.train.count() == 0) throw std::invalid_argument("training set '" + data.train.name + "' is empty");
  check_fits(model, data.train);
  check_training_fits_machine(model, options.batch_size);
  model.reserve(options.batch_size);
  Rng rng(options.seed);
  std::vector<int64_t> order(static_cast<size_t>(data.train.count()));
  std::vector<float> x, target;
  TrainResult result;
  int64_t total = planned_steps(options, data.train.count());
  auto run_start = Clock::now();
  for (int64_t epoch = 1; result.steps < total; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    for (int64_t begin = 0; begin < data.train.count() && result.steps < total;
         begin += options.batch_size) {
      if (options.cancelled && options.cancelled()) {
        result.cancelled = true;
        result.seconds = ms_since(run_start) / 1000;
        return result;
      }
      auto step_start = Clock::now();
      int64_t count = std::min(options.batch_size, data.train.count() - begin);
      gather(data.train, order, begin, count, model.spec().loss, model.target_size(), x, target);
      model.stage_batch(x, target, count);
      model.train_step();
      StepReport report;
      report.loss = model.read_loss();
      report.accuracy = static_cast<double>(model.read_correct()) /
                        static_cast<double>(count * model.predictions_per_sample());
      report.ms = ms_since(step_start);
      report.step = ++result.steps;
      report.epoch = epoch;
      report.total_steps = total;
      result.last_loss = report.loss;
      if (options.on_step) options.on_step(report);
    }
  }
  result.seconds = ms_since(run_start) / 1000;
  if (data.test.count() > 0) result.test = evaluate(model, data.test);
  return result;
}

Evaluation evaluate(Model& model, const Dataset& data, int64_t batch_size) {
  check_fits(model, data);
  std::vector<int64_t> order(static_cast<size_t>(data.count()));
  std::iota(order.begin(), order.end(), 0);
  std::vector<float> x, target;
  Evaluation result;
  double loss_sum = 0;
  int64_t correct = 0;
  model.reserve(batch_size);
  for (int64_t begin = 0; begin < data.count(); begin += batch_size) {
    int64_t count = std::min(batch_size, data.count() - begin);
    gather(data, order, begin, count, model.spec().loss, model.target_size(), x, target);
    model.stage_batch(x, target, count);
    float loss = model.evaluate_staged();
    loss_sum += static_cast<double>(loss) * static_cast<double>(count);
    correct += model.read_correct();
  }
  result.samples = data.count();
  if (result.samples > 0) {
    result.loss = loss_sum / static_cast<double>(result.samples);
    result.accuracy = static_cast<double>(correct) /
                      static_cast<double>(result.samples * model.predictions_per_sample());
  }
  return result;
}

}  // namespace gapscope
