// Every backend gapscope can time, one row each: the only list of them.
// Flags, sweeps, reports, charts and the workbench take their lists, subsets,
// order, colours and names from here. The browser rows are the ids the web
// harness's runner map (resources/web/harness/runner_map.js) runs; a test
// checks the two hold the same ids and engines.
// Whether a framework can express a model is decided where the model is built
// (the harness answers "unsupported by <framework>: ..."); `expresses` only
// says it in words.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

// native: gapscope's own engine; browser: a framework in the harness page;
// mainstream: a mainstream framework run natively in a child process
// (PyTorch), the kind of native side the paper measured against.
enum class BackendKind { native, browser, mainstream };

struct BackendRow {
  std::string id;            // as records, flags and stores spell it: "tfjs-wasm"
  BackendKind kind = BackendKind::native;
  std::string framework;     // "TensorFlow.js", "ConvNetJS", ...; "gapscope" for the project's own engine
  std::string engine;        // what computes inside the framework: "cpu", "wasm", "webgl", "vulkan", "js"
  std::string browser;       // the browser that opens the harness page ("QtWebEngine"); "" for native
  std::string display_name;  // how prose names it: "TF.js wasm", "brain.js"
  std::string colour;        // "#2ca02c": its line and bars in every chart
  std::string expresses;     // the models it can run, in words
};

inline constexpr std::string_view kTensorFlowJs = "TensorFlow.js";

// Every row, in the order lists, tables and charts show backends.
const std::vector<BackendRow>& backend_catalog();
// nullptr for an id no row has.
const BackendRow* find_backend(std::string_view id);

std::vector<std::string> backend_ids();
std::vector<std::string> backend_ids(BackendKind kind);
std::vector<std::string> framework_backend_ids(std::string_view framework);
// The browser backends of every framework but `framework` ("the other frameworks").
std::vector<std::string> browser_ids_besides(std::string_view framework);

bool is_native_backend(std::string_view id);  // gapscope's own engine
bool is_browser_backend(std::string_view id);
// The row's place in backend_catalog(); ids no row has come after every row.
size_t backend_rank(std::string_view id);

}  // namespace gapscope
