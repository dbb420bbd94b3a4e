#include "core/analysis/paper_reference.h"

#include <cstdio>
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
                      "Section 4.2, Table 2 (average column)", "8"});
  values.push_back({"Section 5.1.1", "tfjs-webgl", "GPU memory the browser lets WebGL use", 1.0, "GB",
                    "Section 5.1.1: VGG16 asked for more and failed with GL OUT OF MEMORY on an 8 GB card", "8"});
  // Table 3: model file sizes per configuration (MB); the text sums them up as a ratio.
  values.push_back({"Table 3", "", "JSON model file size over the binary (TF.js) one", 7.0, "x",
                    "Section 4.3: the binary file converted from Keras is about 1/7 of the JSON one; Table 6, finding 6",
                    "6"});
  struct SizeRow {
    int depth, width;
    double brainjs, convnetjs, synaptic, tfjs;
  };
  for (const SizeRow& r : {SizeRow{1, 64, 1.4, 1.3, 3.4, 0.2}, SizeRow{1, 128, 2.7, 2.7, 6.7, 0.4},
                           SizeRow{1, 256, 5.5, 5.4, 13.3, 0.8}, SizeRow{2, 64, 1.5, 1.5, 3.7, 0.2},
                           SizeRow{2, 128, 3.2, 3.1, 7.8, 0.5}, SizeRow{2, 256, 7.2, 7.1, 17.7, 1.1},
                           SizeRow{4, 64, 1.7, 1.7, 4.2, 0.3}, SizeRow{4, 128, 4.0, 4.0, 10.1, 0.6},
                           SizeRow{4, 256, 10.7, 10.5, 26.5, 1.6}}) {
    const std::string config = std::to_string(r.depth) + "x" + std::to_string(r.width);
    for (const auto& [framework, megabytes] : {std::pair{"brainjs", r.brainjs}, std::pair{"convnetjs", r.convnetjs},
                                               std::pair{"synaptic", r.synaptic}, std::pair{"tfjs-cpu", r.tfjs}})
      values.push_back({"Table 3", framework, "model file size", megabytes, "MB", "Section 4.3, Table 3", "", config});
  }
  values.push_back({"Section 4.3", "", "CPU-backend inference time when the width doubles, about", 2.0, "x",
                    "Section 4.3 (Figure 4)", "2"});
  values.push_back({"Section 4.4", "tfjs-cpu", "call stack depth while training", 48.0, "frames", "Section 4.4", "7"});
  values.push_back({"Section 4.4", "convnetjs", "call stack depth while training", 3.0, "frames", "Section 4.4", "7"});
  values.push_back({"Section 5.1.2", "tfjs-webgl",
                    "inference on a standalone GPU, TF.js / native TensorFlow on it, at most", 2.0, "x",
                    "Section 5.1.2 (Figure 5): 1x to 2x", "4"});
  // Section 4.2: training time against ConvNetJS, the fastest.
  values.push_back({"Section 4.2", "brainjs", "training time over ConvNetJS's, about", 2.0, "x", "Section 4.2", "A1"});
  values.push_back(
      {"Section 4.2", "tfjs-cpu", "training time over ConvNetJS's, at most", 3.0, "x", "Section 4.2: 2x to 3x", "A1"});
  // Section 5.2.3: the gap between TF.js and native TensorFlow, in the text.
  const std::string gap = "Section 5.2.3";
  values.push_back({gap, "tfjs-cpu", "DNN training, browser / native time ratio, average", 33.9, "x", gap, "A3"});
  values.push_back({gap, "tfjs-cpu", "DNN inference, browser / native time ratio, average", 5.8, "x", gap, "A3"});
  values.push_back({gap, "tfjs-cpu", "DNN training at depth > 3 and width > 192, browser / native time ratio", 44.7,
                    "x", gap, "A3"});
  values.push_back({gap, "tfjs-webgl", "DNN training at depth > 3 and width > 192, browser / native time ratio", 4.4,
                    "x", gap, "A3"});
  values.push_back({gap, "tfjs-cpu", "CNN, browser / native time ratio, lowest (\"below 5\")", 5.0, "x", gap, "A3"});
  values.push_back({gap, "tfjs-cpu",
                    "CNN, browser / native time ratio, highest (\"over 2200\", depth < 7.5 and width > 600)", 2200.0,
                    "x", gap, "A3"});
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

// Table 6 of the paper (../shared/paper/), each finding in our words, then the
// claims of its Sections 4 and 5 that gapscope also checks (additions).
const std::vector<PaperFinding>& paper_findings() {
  static const std::vector<PaperFinding> findings = {
      {"1", "Specific DL tasks support",
       "The in-browser frameworks are young and under active development, and most of them serve only some kinds "
       "of task; TensorFlow.js is the general-purpose one, the one to build an application on.",
       "Table 6"},
      {"2", "Model complexity",
       "Of a model's size, its width (neurons or kernels per layer) moves training and inference time more than its "
       "depth does: mind the width.",
       "Table 6"},
      {"3", "Model loading",
       "For inference, loading a model and warming it up take far longer than predicting with it, so load and warm "
       "up before a user waits; warm-up is shorter on an integrated GPU than on a standalone one.",
       "Table 6"},
      {"4", "Benefits from GPU",
       "On a standalone GPU, TensorFlow.js runs inference of well-known pre-trained models (MobileNet, Inception) "
       "about as fast as native TensorFlow: within 1-2x of its time.",
       "Table 6"},
      {"5", "Benefits from integrated graphics card",
       "TensorFlow.js on an integrated GPU predicts faster than native TensorFlow on the CPU, so on a machine "
       "without a standalone GPU the browser can be the quicker place.",
       "Table 6"},
      {"6", "Model file encoding and size",
       "A model saved as JSON is about seven times the size of the same model in a binary file, and loads markedly "
       "slower: frameworks should store weights in binary.",
       "Table 6"},
      {"7", "Framework call stack",
       "Every operation of TensorFlow.js passes through a much deeper call stack than ConvNetJS's (48 frames against "
       "3 in the paper's profile), and that costs it speed.",
       "Table 6"},
      {"8", "System resource utilization",
       "Browsers leave hardware unused: JavaScript runs on one thread, so a multi-core CPU cannot be put to work "
       "(TF.js's CPU backend kept about 80% of one core busy), and WebGL gets about 1 GB of GPU memory, so larger "
       "models fail.",
       "Table 6"},
      {"A1", "ConvNetJS fastest on small DNNs",
       "On the small fully connected networks of Section 4, ConvNetJS trains and predicts faster than every other "
       "browser framework (brain.js about 2x its training time, TF.js 2-3x).",
       "Sections 4.2-4.4"},
      {"A2", "TF.js's GPU backend against its CPU backend",
       "TensorFlow.js trains faster on its WebGL backend than on its CPU backend, though the GPU does not help "
       "inference of small models.",
       "Sections 4.2-4.4"},
      {"A3", "Browser slower than native",
       "TensorFlow.js takes longer than native TensorFlow on almost every configuration, far longer on its CPU "
       "backend than on its GPU backend.",
       "Section 5.2.3"},
  };
  return findings;
}

const PaperFinding& paper_finding(const std::string& id) {
  std::string ids;
  for (const PaperFinding& finding : paper_findings()) {
    if (finding.id == id) return finding;
    ids += (ids.empty() ? "" : ", ") + finding.id;
  }
  throw std::invalid_argument("no paper finding '" + id + "' (there are " + ids + ")");
}

// The ranges of the browser-vs-native experiment. Table 5 of the paper and the
// authors' measurement code (github.com/zhengshuyu1996/TF.js-Performance) are
// read side by side in docs/paper-reference.md.
std::vector<PaperGrid> paper_gap_grids() {
  return {
      {"paper-dnn", {1, 2, 4, 8, 16}, {64, 128, 256, 512},
       "Table 5 and the authors' code agree: hidden layers 1-16 x units 64-512"},
      {"paper-cnn", {1, 2, 4, 8}, {8, 16, 32},
       "Table 5, read in the authors' code's terms: its CNN depths 6, 9, 15, 27 and widths 200, 400, 800 are exactly "
       "3 x units + 3 layers and 5 x 5 x filters kernel weights for the code's conv+pool units 1, 2, 4, 8 and filters "
       "8, 16, 32 (one version of the code; another adds units 16 and filters 64, which Table 5 does not list)"},
      {"paper-rnn", {1, 2, 3}, {4, 8, 16, 32, 64, 256},
       "Table 5: LSTM layers 1-3 x units 4-256 (the paper defines an RNN's width as its neurons per layer); the "
       "authors' code varied only units 2-16, which would leave out the widths Section 5.2's trees split on"},
  };
}

std::string paper_numbers(const std::string& finding_id) {
  std::string text;
  for (const PaperValue& v : paper_values()) {
    if (v.finding != finding_id || !v.value) continue;
    char number[32];
    std::snprintf(number, sizeof number, "%g", *v.value);
    text += (text.empty() ? "" : "; ") + (v.framework.empty() ? std::string() : v.framework + ": ") + v.what + " " +
            number + " " + v.unit + " (" + v.figure + ")";
  }
  return text;
}

const std::vector<PaperValue>& paper_values() {
  static const std::vector<PaperValue> values = make_values();
  return values;
}

}  // namespace gapscope
