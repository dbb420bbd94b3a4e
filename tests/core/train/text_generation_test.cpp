// Text generation through the real path: a model trained on a periodic text
// continues the period at temperature 0; sampling is seeded; a seed text
// outside the vocabulary, too short, or a model of the wrong shape is refused.
#include "core/train/text_generation.h"

#include "core/data/text_dataset.h"
#include "core/ops/cpu/cpu_backend.h"
#include "core/spec/model_spec.h"
#include "core/train/trainer.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

namespace {

TextCorpus periodic_corpus() {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "abcde ";
  ScratchDirectory dir;
  const std::string path = dir.file("periodic.txt");
  write_raw(path, Bytes(text.begin(), text.end()));
  return load_text_corpus(path, 0.1);
}

// One-hot window [4, V] -> dense softmax over V: enough to learn a period of 6.
ModelSpec window_model(int64_t vocabulary) {
  ModelSpec spec;
  spec.name = "next-char";
  spec.input_shape = {4, vocabulary};
  LayerSpec flatten;
  flatten.type = "reshape";
  flatten.target_shape = {4 * vocabulary};
  LayerSpec out;
  out.type = "dense";
  out.units = vocabulary;
  out.activation = Activation::softmax;
  spec.layers = {flatten, out};
  spec.optimizer = default_optimizer_config(OptimizerKind::adam);
  spec.optimizer.learning_rate = 0.05f;
  return spec;
}

}  // namespace

TEST_CASE("generate: a trained model continues its text, and sampling is seeded", "[train][text]") {
  const TextCorpus corpus = periodic_corpus();
  TextDatasetOptions data_options;
  data_options.window = 4;
  data_options.train_windows = 512;
  data_options.test_windows = 64;
  const DataSplit data = text_dataset(corpus, data_options);
  CpuBackend cpu(1);
  Model model(window_model(static_cast<int64_t>(corpus.vocabulary.size())), cpu, 3);
  TrainOptions train_options;
  train_options.epochs = 10;
  train_options.batch_size = 32;
  const TrainResult result = train(model, data, train_options);
  REQUIRE(result.test.accuracy > 0.99);

  GenerateOptions options;
  options.length = 12;
  options.temperature = 0;
  CHECK(generate_text(model, corpus, "abcd", options) == "e abcde abcd");
  CHECK(generate_text(model, corpus, "cde abcd", options) == "e abcde abcd");  // the last 4 are the window

  options.temperature = 1.0;
  options.length = 50;
  const std::string a = generate_text(model, corpus, "bcde", options);
  CHECK(a == generate_text(model, corpus, "bcde", options));
  for (char c : a) CHECK(corpus.index_of(static_cast<char32_t>(c)) >= 0);
}

TEST_CASE("generate: bad seed text and mismatched models are refused clearly", "[train][text]") {
  const TextCorpus corpus = periodic_corpus();
  CpuBackend cpu(1);
  Model model(window_model(static_cast<int64_t>(corpus.vocabulary.size())), cpu, 3);
  GenerateOptions options;
  CHECK_THROWS_WITH(generate_text(model, corpus, "abQd", options),
                    Contains("seed text: character 'Q' (U+0051) at position 2 is not in the"));
  CHECK_THROWS_WITH(generate_text(model, corpus, "ab", options),
                    Contains("has 2 characters, the model reads windows of 4"));
  Model wrong(window_model(static_cast<int64_t>(corpus.vocabulary.size()) + 1), cpu, 3);
  CHECK_THROWS_WITH(generate_text(wrong, corpus, "abcd", options),
                    Contains("the text's vocabulary has 6 characters"));
  options.temperature = -1;
  CHECK_THROWS_WITH(generate_text(model, corpus, "abcd", options), Contains("temperature"));
}
