// Runs a node script over the web harness's JS (tests that check a JS twin
// against core): the script gets the harness folder as process.argv[2] and
// `input` on stdin, and its stdout is parsed as JSON.
#pragma once
#include <catch2/catch.hpp>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace gapscope::test {

// The start of a script that builds models with TF.js under node (with
// run_node_on_harness): `tf` (TF.js 4.22 from resources/web), `fs`, `path`,
// `input` (the JSON given), and saveModel(model, dir, name), which writes
// name.json and name.bin there as TF.js's own save handler hands them over.
inline constexpr const char* kTfjsNodePrelude = R"JS(
const {createRequire} = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const tf = createRequire(path.join(process.argv[2], '..', 'package.json'))('@tensorflow/tfjs');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const saveModel = (model, dir, name) => model.save(tf.io.withSaveHandler(async (a) => {
  fs.writeFileSync(path.join(dir, name + '.json'), JSON.stringify({modelTopology: a.modelTopology,
    format: 'layers-model', generatedBy: 'TensorFlow.js',
    weightsManifest: [{paths: [name + '.bin'], weights: a.weightSpecs}]}));
  fs.writeFileSync(path.join(dir, name + '.bin'), Buffer.from(a.weightData));
  return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
}));
)JS";

inline nlohmann::json run_node_on_harness(const std::string& script, const nlohmann::json& input) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gapscope-node-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "script.js") << script;
  std::ofstream(dir / "input.json") << input.dump();
  const std::string harness = std::string(GAPSCOPE_SOURCE_DIR) + "/resources/web/harness";
  const std::string command = std::string(GAPSCOPE_NODE) + " " + (dir / "script.js").string() + " " + harness +
                              " < " + (dir / "input.json").string();
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  fs::remove_all(dir);
  INFO(out);
  REQUIRE(status == 0);
  return nlohmann::json::parse(out);
}

}  // namespace gapscope::test
