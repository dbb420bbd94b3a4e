// Learning is real for the other two families of the paper: the paper-cnn
// preset (small width) reaches >= 95% on the MNIST default's held-out digits
// in 2 epochs, and paper-rnn on the fortunes text gets the validation loss
// below 2.0 nats per character within a bounded number of steps.
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
  data_options.train_windows = 16384;
  data_options.test_windows = 1024;
  const DataSplit data = text_dataset(corpus, data_options);
  CpuBackend cpu;
  Model model(paper_rnn(1, 128, static_cast<int64_t>(corpus.vocabulary.size())), cpu, 1);
  TrainOptions options;
  options.steps = 400;  // TODO tune
  options.batch_size = 64;
  double first_loss = 0;
  options.on_step = [&](const StepReport& r) {
    if (r.step == 1) first_loss = r.loss;
  };
  TrainResult result = train(model, data, options);
  INFO("first loss " << first_loss << ", last batch loss " << result.last_loss << ", validation loss "
                     << result.test.loss << " after " << result.steps << " steps");
  CHECK(result.test.samples == 1024);
  CHECK(result.test.loss < 2.0);
}

}  // namespace gapscope
