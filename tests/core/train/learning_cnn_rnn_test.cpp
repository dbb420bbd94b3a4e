// Learning is real for the other two families of the paper: the paper-cnn
// preset (small width) reaches >= 95% on the MNIST default's held-out digits
// in 2 epochs, and paper-rnn on the fortunes text gets the validation loss
// below 2.0 nats per character within a bounded number of steps.
//
// paper-rnn learns slowly by design: like TF.js's example it predicts one
// character per 40-character window, so a step carries 64 targets. Measured
// here (1x128, RMSProp 0.01): validation loss 2.14 after 3,000 steps, 2.02
// after 6,000, 2.00 to 2.06 after 8,000 to 10,000 (a plateau of the noisy
// rate); Adam or sigmoid gates did no better, width 256 no better per second.
// The usual remedy, a learning-rate drop, works: 5,000 steps at 0.01 then
// 2,500 at 0.002 reach about 1.94 (about 65 s on 2 cores).
#include <catch2/catch.hpp>

#include "core/data/mnist.h"
#include "core/data/text_dataset.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/presets.h"
#include "core/train/trainer.h"

namespace gapscope {

TEST_CASE("paper-cnn reaches 95% test accuracy on MNIST in 2 epochs", "[train][mnist][cnn]") {
  DataSplit data = load_named_dataset("mnist");
  CpuBackend cpu;
  Model model(paper_cnn(2, 8), cpu, 1);
  TrainOptions options;
  options.epochs = 2;
  options.batch_size = 64;
  TrainResult result = train(model, data, options);
  INFO("last loss " << result.last_loss << ", test accuracy " << result.test.accuracy);
  CHECK(result.steps == 2 * ((data.train.count() + 63) / 64));
  CHECK(result.test.accuracy >= 0.95);
}

TEST_CASE("paper-rnn gets below 2.0 nats per character on fortunes", "[train][text][rnn]") {
  const TextCorpus corpus = load_default_text_corpus();
  TextDatasetOptions data_options;
  data_options.train_windows = 320'000;  // about once each: no memorising a small set
  data_options.test_windows = 2048;
  const DataSplit data = text_dataset(corpus, data_options);
  CpuBackend cpu;
  Model model(paper_rnn(1, 128, static_cast<int64_t>(corpus.vocabulary.size())), cpu, 1);
  TrainOptions options;
  options.steps = 5'000;
  options.batch_size = 64;
  double first_loss = 0;
  options.on_step = [&](const StepReport& r) {
    if (r.step == 1) first_loss = r.loss;
  };
  const TrainResult fast = train(model, data, options);

  // The same weights, the learning rate dropped to a fifth (fresh RMSProp state).
  ModelSpec slower = model.spec();
  slower.optimizer.learning_rate = 0.002f;
  const WeightSet weights = model.weights();
  Model tuned(slower, cpu, 1, &weights);
  options.steps = 2'500;
  options.seed = 2;
  options.on_step = nullptr;
  const TrainResult result = train(tuned, data, options);
  INFO("first loss " << first_loss << "; validation loss " << fast.test.loss << " after 5,000 steps at 0.01, "
                     << result.test.loss << " after 2,500 more at 0.002");
  CHECK(result.test.samples == 2048);
  CHECK(fast.test.loss < first_loss - 2.0);
  CHECK(result.test.loss < 2.0);
}

}  // namespace gapscope
