#include "core/train/text_generation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "core/base/random.h"

namespace gapscope {
namespace {

enum class WindowEncoding { one_hot, ids };

WindowEncoding check_model_fits(const Model& model, int64_t vocabulary) {
  const Shape& in = model.spec().input_shape;
  std::string fits = "a model reading [T, " + std::to_string(vocabulary) + "] one-hot windows or [T] ids";
  if (model.output_size() != vocabulary)
    throw std::invalid_argument("generate: the model outputs " + std::to_string(model.output_size()) +
                                " values, the text's vocabulary has " + std::to_string(vocabulary) +
                                " characters (train and generate with the same text)");
  if (in.size() == 2 && in[1] == vocabulary) return WindowEncoding::one_hot;
  if (in.size() == 1) return WindowEncoding::ids;
  throw std::invalid_argument("generate: the model's input is " + shape_to_string(in) + "; need " + fits);
}

// Index drawn from softmax(log(p) / temperature); temperature 0 = argmax.
int32_t sample_index(std::span<const float> probabilities, double temperature, Rng& rng) {
  if (temperature <= 0)
    return static_cast<int32_t>(std::max_element(probabilities.begin(), probabilities.end()) -
                                probabilities.begin());
  std::vector<double> weights(probabilities.size());
  double top = -INFINITY;
  for (size_t i = 0; i < weights.size(); ++i) {
    weights[i] = std::log(std::max(static_cast<double>(probabilities[i]), 1e-30)) / temperature;
    top = std::max(top, weights[i]);
  }
  double total = 0;
  for (double& w : weights) total += (w = std::exp(w - top));
  double u = static_cast<double>(rng.uniform()) * total;
  for (size_t i = 0; i < weights.size(); ++i)
    if ((u -= weights[i]) < 0) return static_cast<int32_t>(i);
  return static_cast<int32_t>(weights.size() - 1);
}

}  // namespace

std::string generate_text(Model& model, const TextCorpus& corpus, const std::string& seed_text,
                          const GenerateOptions& options) {
  if (options.length < 0) throw std::invalid_argument("generate: length must be >= 0");
  if (!(options.temperature >= 0) || !std::isfinite(options.temperature))
    throw std::invalid_argument("generate: temperature must be a finite number >= 0");
  const auto vocabulary = static_cast<int64_t>(corpus.vocabulary.size());
  const WindowEncoding encoding = check_model_fits(model, vocabulary);
  const int64_t window = model.spec().input_shape[0];
  std::vector<int32_t> text = corpus.encode(seed_text, "seed text");
  if (static_cast<int64_t>(text.size()) < window)
    throw DataError("seed text: has " + std::to_string(text.size()) + " characters, the model reads windows of " +
                    std::to_string(window) + "; give at least that many");

  Rng rng(options.seed);
  std::vector<float> input(static_cast<size_t>(model.input_size())), output(static_cast<size_t>(vocabulary));
  std::vector<int32_t> generated;
  for (int64_t n = 0; n < options.length; ++n) {
    const int32_t* last = text.data() + text.size() - window;
    if (encoding == WindowEncoding::one_hot) {
      std::fill(input.begin(), input.end(), 0.0f);
      for (int64_t t = 0; t < window; ++t) input[static_cast<size_t>(t * vocabulary + last[t])] = 1.0f;
    } else {
      for (int64_t t = 0; t < window; ++t) input[static_cast<size_t>(t)] = static_cast<float>(last[t]);
    }
    model.predict(input, 1, output);
    const int32_t next = sample_index(output, options.temperature, rng);
    text.push_back(next);
    generated.push_back(next);
  }
  return corpus.decode(generated);
}

}  // namespace gapscope
