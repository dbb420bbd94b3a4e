#include "core/analysis/paper_reference.h"

#include <stdexcept>

namespace gapscope {
namespace {

// Values the paper draws in a chart without stating them in its text
// (../shared/paper/ holds the full text); these strings say it per value.
const std::string kNotReadable = "drawn only in the chart; the paper's text states no number for it";

std::vector<PaperValue> per_framework(const std::string& figure, const std::vector<std::string>& frameworks,
                                      const std::string& what, const std::string& unit) {
  std::vector<PaperValue> values;
  for (const std::string& framework : frameworks)
    values.push_back({figure, framework, what, std::nullopt, unit, figure + ": " + kNotReadable});
  return values;
}

std::vector<PaperValue> make_values() {
  const std::vector<std::string>& section4 = paper_frameworks();
  std::vector<PaperValue> values = {
      {"Abstract", "", "JavaScript deep learning frameworks surveyed", 7.0, "frameworks",
       "Abstract (docslib.org and arXiv v2 copies)"},
      {"Section 4 setup", "", "training batch size", 64.0, "samples",
       "the authors' measurement code (github.com/zhengshuyu1996/TF.js-Performance, "
       "jslib-training-mnist/scripts/params.js: BATCH_SIZE = 64); the paper's own sentence was not readable"},
  };
  auto append = [&values](std::vector<PaperValue> more) { values.insert(values.end(), more.begin(), more.end()); };
  append(per_framework("Figure 1", section4, "training time per batch", "ms"));
  append(per_framework("Figure 2", section4, "model load time", "ms"));
  append(per_framework("Figure 3", section4, "warm-up time (first inference)", "ms"));
  append(per_framework("Figure 4", section4, "inference time per sample", "ms"));
  // Table 2: average CPU utilisation while training, as busy cores (the
  // paper's per cent / 100). TF.js on the GPU backend: the standalone GPU's
  // figure (the integrated one's is 0.659).
  for (const auto& [framework, average] : {std::pair{"brainjs", 1.012}, std::pair{"convnetjs", 1.041},
                                           std::pair{"synaptic", 1.028}, std::pair{"tfjs-cpu", 0.821},
                                           std::pair{"tfjs-webgl", 0.600}})
    values.push_back({"Table 2", framework, "CPU utilisation while training, average", average, "busy cores",
                      "Section 4.2, Table 2 (average column)"});
  // Table 3 gives sizes per configuration; the text sums it up as a ratio.
  values.push_back({"Table 3", "", "JSON model file size over the binary (TF.js) one", 7.0, "x",
                    "Section 4.3: the binary file converted from Keras is about 1/7 of the JSON one; Table 6, finding 6"});
  // Section 5.2.3: the gap between TF.js and native TensorFlow, in the text.
  const std::string gap = "Section 5.2.3";
  values.push_back({gap, "tfjs-cpu", "DNN training, browser / native time ratio, average", 33.9, "x", gap});
  values.push_back({gap, "tfjs-cpu", "DNN inference, browser / native time ratio, average", 5.8, "x", gap});
  values.push_back({gap, "tfjs-cpu", "DNN training at depth > 3 and width > 192, browser / native time ratio", 44.7,
                    "x", gap});
  values.push_back({gap, "tfjs-webgl", "DNN training at depth > 3 and width > 192, browser / native time ratio", 4.4,
                    "x", gap});
  values.push_back({gap, "tfjs-cpu", "CNN, browser / native time ratio, lowest (\"below 5\")", 5.0, "x", gap});
  values.push_back({gap, "tfjs-cpu",
                    "CNN, browser / native time ratio, highest (\"over 2200\", depth < 7.5 and width > 600)", 2200.0,
                    "x", gap});
  values.push_back({"Figure 6", "", "importance of the decision tree's root factor", std::nullopt, "share",
                    "Figure 6: " + kNotReadable});
  // Table 4 (Section 5.1): Keras's pre-trained models as the paper ran them
  // (size of the Keras file, trainable parameters from summary(), and
  // "computation" as tf.profiler counted it: about 2 x parameters, a count
  // of the graph's operations without an input, not FLOPs per image).
  struct Row {
    const char* model;
    double megabytes, parameters, flops;
  };
  for (const Row& row : {Row{"mobilenet-v2", 14, 3.5e6, 7.2e6}, Row{"densenet121", 33, 8.0e6, 16.3e6},
                         Row{"xception", 88, 22.9e6, 46.0e6}, Row{"inception-v3", 92, 23.8e6, 47.8e6},
                         Row{"resnet50", 99, 25.6e6, 51.4e6}}) {
    const std::string source = "Section 5.1, Table 4";
    values.push_back({"Table 4", row.model, "pre-trained model size", row.megabytes, "MB", source});
    values.push_back({"Table 4", row.model, "trainable parameters", row.parameters, "parameters", source});
    values.push_back({"Table 4", row.model, "computation (tf.profiler FLOPs)", row.flops, "FLOPs", source});
  }
  return values;
}

}  // namespace

const std::vector<PaperFramework>& paper_table1() {
  static const std::vector<PaperFramework> rows = {
      {"TensorFlow.js", "active", "Oct 30, 2018", true, true, "DNN, CNN, RNN", "732 KB",
       {"tfjs-cpu", "tfjs-wasm", "tfjs-webgl"}, ""},
      {"ConvNetJS", "not active", "Nov 25, 2016", true, false, "DNN, CNN", "33 KB", {"convnetjs"}, ""},
      {"Keras.js", "not active", "Aug 17, 2018", false, true, "DNN, CNN, RNN", "650 KB", {},
       "inference only (no training, so none of the training phases), and only for models that its Python "
       "encoder turned into its own protobuf format from a Keras HDF5 file; that encoder needs the Keras of 2018, "
       "which no Debian package or npm module here provides, and the npm package (keras-js 1.0.3, the last "
       "release) cannot read TF.js or Keras files by itself"},
      {"WebDNN", "active", "Oct 25, 2018", false, true, "DNN, CNN, RNN", "130 KB", {},
       "inference only, and a model must first go through its graph transpiler, a Python package that is "
       "neither in Debian nor on npm; the npm package (webdnn 1.2.11) is only the runtime for transpiled "
       "descriptors, so there is nothing here to turn a gapscope model into one"},
      {"brain.js", "active", "Nov 5, 2018", true, false, "DNN, RNN", "819 KB", {"brainjs"}, ""},
      {"synaptic", "active", "Mar 25, 2018", true, false, "DNN, RNN", "106 KB", {"synaptic"}, ""},
      {"Mind", "not active", "Jul 7, 2017", true, false, "DNN", "NA", {},
       "no longer maintained since 2017, and not on npm under its name: the package called \"mind\" there is an "
       "unrelated persistence layer, so it cannot be installed the way every other framework here is"},
  };
  return rows;
}

const std::vector<std::string>& paper_frameworks() {
  static const std::vector<std::string> ids = {"tfjs-cpu", "tfjs-webgl", "convnetjs", "brainjs", "synaptic"};
  return ids;
}

// Paraphrased from the paper's findings (Table 6) as far as the readable
// sources carry them: the abstract, third-party summaries of the paper and
// the project's DESIGN.md (Finding 7 = call stacks). The order follows the
// paper's sections (3: features, 4: frameworks' performance, 5: browser vs
// native). docs/paper-reference.md marks which parts are reconstructed.
const std::vector<PaperFinding>& paper_findings() {
  static const std::vector<PaperFinding> findings = {
      {1, "functionality",
       "The in-browser frameworks differ widely in what they can build: TensorFlow.js covers the most "
       "(dense, convolutional and recurrent models, training and inference, GPU through WebGL), each of the "
       "others only part of it."},
      {2, "small models",
       "For small fully connected networks ConvNetJS is the fastest browser framework, in training and in "
       "inference alike: the larger, more general framework is not automatically the quicker choice."},
      {3, "CPU vs GPU backend",
       "TensorFlow.js gains from the GPU: on its WebGL backend it trains and predicts faster than on its "
       "plain-JavaScript CPU backend."},
      {4, "model files and loading",
       "How a model is stored matters: TensorFlow.js keeps weights in a binary file, much smaller than the "
       "JSON text the other frameworks save, and smaller files load faster."},
      {5, "warm-up",
       "The first prediction on a freshly loaded model (the warm-up) is far slower than later ones, most of "
       "all on the WebGL backend, which compiles its shaders then; applications should warm up before a "
       "user waits."},
      {6, "browser vs native",
       "Deep learning in the browser is clearly slower than native: TensorFlow.js takes longer than "
       "TensorFlow in Python on the same model, on CPU and on GPU, and how much longer varies with the backend "
       "and the model (the paper's decision trees look for the factors)."},
      {7, "call stacks",
       "Part of the browser's overhead is the depth of TensorFlow.js's call path: every operation passes "
       "through many layers of JavaScript before any arithmetic; framework vendors should keep that path "
       "short."},
      {8, "hardware use",
       "Browser frameworks leave the hardware underused: JavaScript runs the work on one thread, so a "
       "multi-core CPU stays mostly idle where native TensorFlow keeps several cores busy."},
  };
  return findings;
}

const PaperFinding& paper_finding(int number) {
  for (const PaperFinding& finding : paper_findings())
    if (finding.number == number) return finding;
  throw std::invalid_argument("no paper finding " + std::to_string(number) +
                              " (the paper's Table 6 has findings 1 to 8)");
}

// The ranges the authors ran in their browser-vs-native experiment, read from
// their measurement code (github.com/zhengshuyu1996/TF.js-Performance), where
// the browser side (tfjs-*/urlGenerator.py) and the native side
// (tfjs-*/benchmark/batch.py, TensorFlow in Python) agree; Table 5 itself was
// not readable. Both sides also vary the batch size (32, 64, 128), which a
// PaperGrid does not carry. paper-cnn depth 16 is beyond our preset's limit (8):
// the authors' CNN pools with 'same' padding, ours stops pooling at 1 pixel.
std::vector<PaperGrid> paper_gap_grids() {
  return {
      {"paper-dnn", {1, 2, 4, 8, 16}, {64, 128, 256, 512}},  // tfjs-dnn-mnist: hidden layers x units
      {"paper-cnn", {1, 2, 4, 8, 16}, {8, 16, 32, 64}},      // tfjs-cnn-mnist: conv+pool units x filters
      {"paper-rnn", {1, 2, 3}, {2, 4, 8, 16}},               // tfjs-lstm-training: LSTM layers x units
  };
}

const std::vector<PaperValue>& paper_values() {
  static const std::vector<PaperValue> values = make_values();
  return values;
}

}  // namespace gapscope
