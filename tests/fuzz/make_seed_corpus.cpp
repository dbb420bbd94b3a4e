// Writes the seed corpora of the fuzz targets, one directory per target under
// OUT_DIR, with the project's own writers: valid inputs the fuzzer mutates.
//   make_seed_corpus OUT_DIR
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "core/io/tfjs_shard_paths.h"
#include "core/measure/measurement.h"
#include "core/nn/weights.h"
#include "core/spec/model_spec.h"
#include "core/spec/presets.h"
#include "core/store/results_store.h"
#include "tests/fuzz/fuzz_support.h"
#ifdef GAPSCOPE_FUZZ_WITH_QT
#include "ui/workbench/workspace.h"
#endif

using namespace gapscope;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string gzip(const std::string& bytes) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void append_u32_be(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// A spec with every layer type (tests/core/spec/model_spec_layers_test.cpp).
const char* kEveryLayerSpec = R"({"format": "gapscope.model/1", "name": "every-layer", "input": {"shape": [12]},
  "layers": [
    {"type": "embedding", "input_dim": 10, "output_dim": 4},
    {"type": "reshape", "target_shape": [6, 8, 1]},
    {"type": "conv2d", "filters": 3, "kernel_size": [3, 2], "strides": [1, 2], "activation": "relu"},
    {"type": "batch_normalization", "momentum": 0.9, "epsilon": 0.01},
    {"type": "max_pooling2d", "pool_size": 2},
    {"type": "average_pooling2d", "pool_size": [1, 2], "strides": 1, "padding": "same"},
    {"type": "flatten"},
    {"type": "dropout", "rate": 0.25},
    {"type": "reshape", "target_shape": [3, 4]},
    {"type": "simple_rnn", "units": 5, "return_sequences": true},
    {"type": "lstm", "units": 4, "return_sequences": true, "unit_forget_bias": false},
    {"type": "gru", "units": 3, "recurrent_activation": "sigmoid"},
    {"type": "activation", "activation": "tanh"},
    {"type": "dense", "units": 2, "activation": "softmax"}],
  "loss": "categorical_crossentropy", "optimizer": {"type": "adam", "learning_rate": 0.01}})";

const char* kTinySpec = R"({"format": "gapscope.model/1", "name": "tiny", "input": {"shape": [3]},
  "layers": [{"type": "dense", "units": 2, "activation": "softmax"}],
  "loss": "categorical_crossentropy", "optimizer": {"type": "sgd", "learning_rate": 0.1}})";

// Small deterministic values (not core/nn/initial_weights.h: the fuzz build
// leaves the CPU ops out, and the initializers' code links them in).
WeightSet seed_weights(const ModelSpec& spec) {
  WeightSet weights;
  int i = 0;
  for (const ParameterShape& p : parameter_shapes(spec)) {
    int64_t count = 1;
    for (int64_t d : p.shape) count *= d;
    std::vector<float> values(static_cast<size_t>(count));
    for (float& v : values) v = static_cast<float>((i++ * 37 % 201) - 100) / 256.0f;
    weights.push_back({p.name, p.shape, std::move(values)});
  }
  return weights;
}

std::vector<ModelSpec> seed_specs() {
  return {parse_model_spec_text(kTinySpec), paper_dnn(1, 8), paper_cnn(1, 2), paper_rnn(1, 2, 8, 4),
          parse_model_spec_text(kEveryLayerSpec)};
}

void model_seeds(const fs::path& out) {
  const fs::path scratch = out / "scratch";
  fs::create_directories(scratch);
  int n = 0;
  for (const ModelSpec& spec : seed_specs()) {
    const ModelFile model{spec, seed_weights(spec)};
    const std::string name = std::to_string(n++) + "-" + spec.name;
    write_file(out / "model_spec" / (name + ".json"), model_spec_to_json(spec).dump(2));

    save_model((scratch / "m.gsm").string(), model, ModelFormat::native_binary);
    write_file(out / "native_model" / (name + ".gsm"), read_file(scratch / "m.gsm"));
    save_model((scratch / "m.json").string(), model, ModelFormat::json);
    write_file(out / "json_model" / (name + ".json"), read_file(scratch / "m.json"));
    save_model((scratch / "model.json").string(), model, ModelFormat::tfjs_layers);
    write_file(out / "tfjs_model" / (name + ".tfjs"), read_file(scratch / "model.json") +
                                                          std::string(fuzz::kShardSeparator) +
                                                          read_file(scratch / tfjs_shard_name("model.json", 0, 1)));
  }
  fs::remove_all(scratch);
}

void idx_seeds(const fs::path& dir) {
  std::string images;
  append_u32_be(images, 0x00000803);
  for (uint32_t d : {3u, 4u, 5u}) append_u32_be(images, d);
  for (int i = 0; i < 3 * 4 * 5; ++i) images.push_back(static_cast<char>(i * 37 + 11));
  std::string labels;
  append_u32_be(labels, 0x00000801);
  append_u32_be(labels, 6);
  for (int i = 0; i < 6; ++i) labels.push_back(static_cast<char>(i % 10));
  write_file(dir / "images.idx", images);
  write_file(dir / "labels.idx", labels);
  write_file(dir / "images.idx.gz", gzip(images));
  write_file(dir / "labels.idx.gz", gzip(labels));
  write_file(dir / "labels-two-members.idx.gz", gzip(labels.substr(0, 10)) + gzip(labels.substr(10)));
}

void text_seeds(const fs::path& dir) {
  write_file(dir / "ascii.txt", "The quick brown fox jumps over the lazy dog.\nPack my box with five dozen liquor jugs.\n");
  write_file(dir / "utf8-bom-crlf.txt", "\xEF\xBB\xBFgr\xC3\xBC\xC3\x9F dich, \xE2\x82\xAC 5\r\n\xF0\x9F\x98\x80 ok\t!\r\n");
}

void store_seeds(const fs::path& dir) {
  const fs::path path = dir / "results.sqlite";
  {
    ResultsStore store = ResultsStore::open(path);
    nlohmann::json record = run_metadata("seed-run");
    record["started"] = "2026-11-26T06:15:00Z";
    store.begin_run(record, "sweep", "seed");
    ConfigurationPlan plan{0, "paper-dnn-1x8", "native-cpu", {"infer", "train"},
                           {{"preset", "paper-dnn"}, {"depth", 1}, {"width", 8}, {"batch", 32}}};
    const int64_t c0 = store.add_configuration("seed-run", plan);
    Measurement m = make_measurement("infer", "ms", {1.5, 1.2, 1.9});
    m.run_id = "seed-run";
    m.backend = "native-cpu";
    m.model = "paper-dnn-1x8";
    m.config = plan.config;
    m.capabilities = {{"threads", "1"}};
    store.record_measurement(c0, m);
    store.mark_done(c0);
    plan.index = 1;
    plan.backend = "tfjs-wasm";
    store.mark_failed(store.add_configuration("seed-run", plan), "crash", "the page crashed");
  }
  for (const char* side : {"results.sqlite-journal", "results.sqlite-wal", "results.sqlite-shm"})
    fs::remove(dir / side);
}

#ifdef GAPSCOPE_FUZZ_WITH_QT
void workspace_seeds(const fs::path& dir) {
  ui::Workspace workspace;
  workspace.spec = model_spec_to_json(paper_dnn(1, 8));
  workspace.backends = {"native-cpu", "tfjs-wasm"};
  nlohmann::json run = run_metadata("seed-run");
  Measurement m = make_measurement("infer", "ms", {1.5, 1.2, 1.9});
  m.run_id = "seed-run";
  m.backend = "native-cpu";
  m.model = "paper-dnn-1x8";
  workspace.records = {run, to_json(m),
                       failure_record("seed-run", "tfjs-webgl", "paper-dnn-1x8", nlohmann::json::object(), "crash",
                                      "the page crashed")};
  ui::save_workspace(QString::fromStdString((dir / "workspace.json").string()), workspace);
}
#endif

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  try {
    const fs::path out = argv[1];
    for (const char* target : {"native_model", "json_model", "tfjs_model", "model_spec", "idx", "text_corpus",
                               "results_store", "workspace"})
      fs::create_directories(out / target);
    model_seeds(out);
    idx_seeds(out / "idx");
    text_seeds(out / "text_corpus");
    store_seeds(out / "results_store");
#ifdef GAPSCOPE_FUZZ_WITH_QT
    workspace_seeds(out / "workspace");
#endif
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_seed_corpus: %s\n", e.what());
    return 1;
  }
  return 0;
}
