// The backend catalog: well-formed rows, lookups that follow them, and the
// same browser backends as the web harness's runner map (read by node, the way
// the page itself reads it), so the two cannot drift apart.
#include "core/measure/backend_catalog.h"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "core/ops/cpu/cpu_backend.h"
#include "tests/core/node_support.h"

namespace gapscope {
namespace {

// {"tfjs-cpu": {"runner": "tfjsRunner", "engine": "cpu", "adapts": true}, ...}: the
// runner map of resources/web/harness/runner_map.js, with the harness's runner
// files loaded; "adapts" says the runner it names makes adapters (createAdapter).
nlohmann::json harness_runner_map() {
  const nlohmann::json map = test::run_node_on_harness(R"(
    const fs = require("fs"), path = require("path"), dir = process.argv[2];
    for (const file of fs.readdirSync(dir))
      if (file === "runner_map.js" || file.endsWith("_runner.js")) require(path.join(dir, file));
    const map = globalThis.gapscopeParts.runnerMap;
    const adapts = (id) => typeof (map.runnerOf(id) || {}).createAdapter === "function";
    console.log(JSON.stringify(Object.fromEntries(
        map.backends.map((id) => [id, Object.assign({adapts: adapts(id)}, map.entry(id))]))));)", nullptr);
  REQUIRE(map.is_object());
  return map;
}

}  // namespace

TEST_CASE("the backend catalog holds one well-formed row per backend", "[catalog]") {
  std::set<std::string> ids, colours;
  for (const BackendRow& row : backend_catalog()) {
    INFO(row.id);
    CHECK(ids.insert(row.id).second);
    CHECK(std::regex_match(row.colour, std::regex("#[0-9a-f]{6}")));
    CHECK(colours.insert(row.colour).second);
    CHECK_FALSE(row.framework.empty());
    CHECK_FALSE(row.engine.empty());
    CHECK_FALSE(row.display_name.empty());
    CHECK_FALSE(row.expresses.empty());
    CHECK(row.browser.empty() == (row.kind != BackendKind::browser));
  }
  // Stored runs and scripts name backends by these ids: rows may be added, never renamed.
  for (const char* id :
       {"native-cpu", "native-vulkan", "pytorch-cpu", "tfjs-cpu", "tfjs-wasm", "tfjs-webgl", "convnetjs", "brainjs",
        "synaptic"})
    CHECK(ids.count(id) == 1);
  CHECK(is_native_backend(CpuBackend(1).id()));
}

TEST_CASE("the backend catalog's lookups follow its rows", "[catalog]") {
  const auto& rows = backend_catalog();
  for (size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].id);
    CHECK(find_backend(rows[i].id) == &rows[i]);
    CHECK(backend_rank(rows[i].id) == i);
    CHECK(backend_ids()[i] == rows[i].id);
    CHECK(is_native_backend(rows[i].id) == (rows[i].kind == BackendKind::native));
    CHECK(is_browser_backend(rows[i].id) == (rows[i].kind == BackendKind::browser));
  }
  CHECK(find_backend("tfjs-quantum") == nullptr);
  CHECK(backend_rank("tfjs-quantum") == rows.size());
  CHECK_FALSE(is_native_backend("native-quantum"));  // the prefix alone makes no backend
  CHECK_FALSE(is_browser_backend("tfjs-quantum"));

  // Each kind in the catalog's order; every list shows the native backends
  // first, then the mainstream framework beside them, then the browser's.
  const auto native = backend_ids(BackendKind::native), browser = backend_ids(BackendKind::browser);
  const auto mainstream = backend_ids(BackendKind::mainstream);
  CHECK(mainstream == std::vector<std::string>{"pytorch-cpu"});
  std::vector<std::string> kinds = native;
  kinds.insert(kinds.end(), mainstream.begin(), mainstream.end());
  kinds.insert(kinds.end(), browser.begin(), browser.end());
  CHECK(kinds == backend_ids());
  // TF.js's backends and the other frameworks' split the browser rows.
  const auto tfjs = framework_backend_ids(kTensorFlowJs), others = browser_ids_besides(kTensorFlowJs);
  CHECK_FALSE(tfjs.empty());
  CHECK_FALSE(others.empty());
  std::set<std::string> split(tfjs.begin(), tfjs.end());
  split.insert(others.begin(), others.end());
  CHECK(split == std::set<std::string>(browser.begin(), browser.end()));
  CHECK(split.size() == browser.size());
  for (const std::string& id : tfjs) CHECK(is_browser_backend(id));
  for (const std::string& id : others) CHECK(find_backend(id)->framework != kTensorFlowJs);
}

TEST_CASE("every browser row of the backend catalog has a harness runner, and every runner a row", "[catalog]") {
  const nlohmann::json runners = harness_runner_map();
  std::set<std::string> harness_ids;
  for (const auto& [id, entry] : runners.items()) {
    INFO("harness runner map: " << id);
    harness_ids.insert(id);
    const BackendRow* row = find_backend(id);
    REQUIRE(row != nullptr);
    CHECK(row->kind == BackendKind::browser);
    CHECK(entry.value("engine", "") == row->engine);
    CHECK(entry.value("adapts", false));
  }
  const auto browser_ids = backend_ids(BackendKind::browser);
  CHECK(harness_ids == std::set<std::string>(browser_ids.begin(), browser_ids.end()));
}

}  // namespace gapscope
