#include "core/measure/backend_catalog.h"

#include <algorithm>

namespace gapscope {
namespace {

constexpr auto kNative = BackendKind::native;
constexpr auto kBrowser = BackendKind::browser;
constexpr auto kMainstream = BackendKind::mainstream;
// Constants, not std::strings: other files' static lists read the catalog
// during static initialisation, maybe before this file's would be made.
constexpr const char* kEmbedded = "QtWebEngine";
// What the harness runners accept (the table in resources/web/harness/README.md).
constexpr const char* kEverySpec =
    "every model the spec describes (dense, conv2d, pooling, batch and layer normalization, dropout, embedding, "
    "simple_rnn/lstm/gru), training and inference";
constexpr const char* kTfjsLayers = "every layer of the spec but flatten on a vector";

template <typename Keep>
std::vector<std::string> ids_where(Keep keep) {
  std::vector<std::string> ids;
  for (const BackendRow& row : backend_catalog())
    if (keep(row)) ids.push_back(row.id);
  return ids;
}

}  // namespace

const std::vector<BackendRow>& backend_catalog() {
  static const std::vector<BackendRow> rows = {
      {"native-cpu", kNative, "gapscope", "cpu", "", "native CPU", "#1f77b4", kEverySpec},
      {"native-vulkan", kNative, "gapscope", "vulkan", "", "native Vulkan", "#9467bd", kEverySpec},
      {"pytorch-cpu", kMainstream, "PyTorch", "cpu", "", "PyTorch cpu", "#17becf",
       "sequential models of dense, conv2d (valid or same padding), max_pooling2d, flatten, dropout and lstm; "
       "categorical cross-entropy after softmax or mean squared error; sgd, adam, rmsprop"},
      {"tfjs-cpu", kBrowser, std::string(kTensorFlowJs), "cpu", kEmbedded, "TF.js cpu", "#ff7f0e", kTfjsLayers},
      {"tfjs-wasm", kBrowser, std::string(kTensorFlowJs), "wasm", kEmbedded, "TF.js wasm", "#2ca02c",
       std::string(kTfjsLayers) +
           "; conv2d and embedding models infer only (TF.js 4.22's wasm backend has no kernel for "
           "their weight gradients)"},
      {"tfjs-webgl", kBrowser, std::string(kTensorFlowJs), "webgl", kEmbedded, "TF.js webgl", "#d62728", kTfjsLayers},
      {"convnetjs", kBrowser, "ConvNetJS", "js", kEmbedded, "convnetjs", "#8c564b",
       "dense, conv2d and max_pooling2d with bias (one stride, symmetric padding), flatten, reshape; softmax "
       "cross-entropy or mean squared error; sgd, momentum, adagrad"},
      {"brainjs", kBrowser, "brain.js", "js", kEmbedded, "brain.js", "#e377c2",
       "fully connected layers with bias and one activation for all (sigmoid, relu, tanh); mean squared error; "
       "sgd, momentum; one update per row"},
      {"synaptic", kBrowser, "Synaptic", "js", kEmbedded, "synaptic", "#7f7f7f",
       "fully connected layers with bias (linear, sigmoid, tanh, relu); mean squared error after linear or binary "
       "cross-entropy after sigmoid; sgd; one update per row"},
  };
  return rows;
}

const BackendRow* find_backend(std::string_view id) {
  const auto& rows = backend_catalog();
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const BackendRow& row) { return row.id == id; });
  return it == rows.end() ? nullptr : &*it;
}

std::vector<std::string> backend_ids() {
  return ids_where([](const BackendRow&) { return true; });
}

std::vector<std::string> backend_ids(BackendKind kind) {
  return ids_where([&](const BackendRow& row) { return row.kind == kind; });
}

std::vector<std::string> framework_backend_ids(std::string_view framework) {
  return ids_where([&](const BackendRow& row) { return row.framework == framework; });
}

std::vector<std::string> browser_ids_besides(std::string_view framework) {
  return ids_where([&](const BackendRow& row) { return row.kind == kBrowser && row.framework != framework; });
}

bool is_native_backend(std::string_view id) {
  const BackendRow* row = find_backend(id);
  return row && row->kind == kNative;
}

bool is_browser_backend(std::string_view id) {
  const BackendRow* row = find_backend(id);
  return row && row->kind == kBrowser;
}

size_t backend_rank(std::string_view id) {
  const BackendRow* row = find_backend(id);
  return row ? static_cast<size_t>(row - backend_catalog().data()) : backend_catalog().size();
}

}  // namespace gapscope
