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

#include "core/io/little_endian.h"
#include "core/io/model_file.h"
#include "core/io/tfjs_shard_paths.h"
#include "core/measure/measurement.h"
#include "core/nn/weights.h"
#include "core/spec/model_spec.h"
#include "core/spec/presets.h"
#include "core/store/results_store.h"
#include "core/store/sqlite_handle.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/seed_store.h"
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

std::string nested(int depth, const std::string& inner = "") {
  return std::string(static_cast<size_t>(depth), '[') + inner + std::string(static_cast<size_t>(depth), ']');
}

// `text` with the first `what` replaced by `with`.
std::string replaced(std::string text, const std::string& what, const std::string& with) {
  const size_t at = text.find(what);
  if (at == std::string::npos) throw std::runtime_error("seed text lacks " + what);
  return text.replace(at, what.size(), with);
}

std::string repeated(const std::string& text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += text;
  return out;
}

// "[{},{},...]": a list of n entries, the least text that is over a count limit.
std::string empty_objects(int n) { return "[" + repeated("{},", n - 1) + "{}]"; }

// A native file framed around `topology` (the fuzzer writes the checksum).
std::string native_with_topology(const std::string& topology) {
  std::string bytes = "GAPSCOPE";
  bytes.resize(20);
  store_u32_le(bytes.data() + 8, 1);
  store_u64_le(bytes.data() + 12, topology.size());
  bytes += topology;
  bytes.resize((bytes.size() + 63) / 64 * 64 + 4, '\0');
  return bytes;
}

// Nested 100,000 deep and lists over their limits (issue 17: a stack overflow,
// and minutes of parsing before a limit was looked at), from the tiny model's files.
void hostile_model_seeds(const fs::path& out, const std::string& spec, const std::string& json_model,
                         const std::string& model_json, const std::string& shard) {
  const std::string deep = nested(100'000);
  const std::string sep(fuzz::kShardSeparator);
  write_file(out / "model_spec" / "nested-format.json", replaced(spec, "\"gapscope.model/1\"", deep));
  write_file(out / "model_spec" / "nested-name.json", replaced(spec, "\"name\":", "\"x\": " + deep + ", \"name\":"));
  nlohmann::json many = nlohmann::json::parse(spec);
  many["layers"] = nlohmann::json::array();
  for (int i = 0; i < 1001; ++i) many["layers"].push_back({{"type", "flatten"}});
  write_file(out / "model_spec" / "1001-layers.json", many.dump());

  write_file(out / "json_model" / "nested.json", replaced(json_model, "\"spec\":", "\"x\":" + deep + ",\"spec\":"));
  // Model files allow as many layers as weight arrays (100,000).
  write_file(out / "json_model" / "100001-layers.json",
             replaced(json_model, "\"layers\":[", "\"layers\":[" + repeated("{},", 100'001)));

  write_file(
      out / "tfjs_model" / "nested-batch-input-shape.tfjs",
      replaced(model_json, "\"batch_input_shape\":[null,", "\"batch_input_shape\":[null," + deep + ",") + sep + shard);
  nlohmann::json manifest = nlohmann::json::parse(model_json);
  manifest["weightsManifest"][0]["weights"] = nlohmann::json::parse(empty_objects(100'001));
  write_file(out / "tfjs_model" / "100001-weights.tfjs", manifest.dump() + sep + shard);

  const std::string spec_json = nlohmann::json::parse(spec).dump();
  write_file(out / "native_model" / "nested.gsm", native_with_topology("{\"spec\":" + deep + ",\"weights\":[]}"));
  write_file(out / "native_model" / "100001-weights.gsm",
             native_with_topology("{\"spec\":" + spec_json + ",\"weights\":" + empty_objects(100'001) + "}"));
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
    {"type": "layer_normalization", "axis": 2, "epsilon": 0.01, "center": false},
    {"type": "simple_rnn", "units": 5, "return_sequences": true},
    {"type": "lstm", "units": 4, "return_sequences": true, "unit_forget_bias": false},
    {"type": "gru", "units": 3, "recurrent_activation": "sigmoid"},
    {"type": "activation", "activation": "tanh"},
    {"type": "dense", "units": 2, "activation": "softmax"}],
  "loss": "categorical_crossentropy", "optimizer": {"type": "adam", "learning_rate": 0.01}})";

// A graph of the merges and vision layers (dilation, up-sampling, a relu cap,
// batch and layer norm without center or scale: all of them TF.js can write):
// fan-out, layers listed out of order, an input with its own name.
const char* kGraphSpec = R"({"format": "gapscope.model/2", "name": "graph", "input": {"shape": [6, 6, 2], "name": "image"},
  "layers": [
    {"type": "zero_padding2d", "name": "pad", "padding": [[1, 0], [0, 1]]},
    {"type": "conv2d", "name": "conv", "filters": 2, "kernel_size": 2},
    {"type": "relu", "name": "relu6", "max_value": 6},
    {"type": "conv2d", "name": "dilated", "filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same",
     "inputs": ["image"]},
    {"type": "leaky_relu", "name": "leaky", "alpha": 0.2},
    {"type": "up_sampling2d", "name": "up", "size": [2, 1]},
    {"type": "max_pooling2d", "name": "down", "pool_size": [2, 1]},
    {"type": "relu", "name": "capped", "max_value": 3},
    {"type": "batch_normalization", "name": "bn", "center": false, "gamma_initializer": "random_normal"},
    {"type": "maximum", "name": "highest", "inputs": ["relu6", "bn"]},
    {"type": "add", "name": "sum", "inputs": ["highest", "image"]},
    {"type": "cropping2d", "name": "crop", "cropping": 1, "inputs": ["product"]},
    {"type": "multiply", "name": "product", "inputs": ["sum", "sum"]},
    {"type": "average", "name": "mean", "inputs": ["sum", "image", "product"]},
    {"type": "global_max_pooling2d", "name": "max", "inputs": ["crop"]},
    {"type": "global_average_pooling2d", "name": "avg", "inputs": ["mean"]},
    {"type": "concatenate", "name": "both", "axis": 1, "inputs": ["max", "avg"]},
    {"type": "layer_normalization", "name": "norm", "scale": false, "beta_initializer": "random_normal"},
    {"type": "dense", "name": "logits", "units": 3},
    {"type": "softmax", "name": "probabilities"}],
  "loss": "categorical_crossentropy", "optimizer": {"type": "sgd", "learning_rate": 0.1}})";

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
          parse_model_spec_text(kEveryLayerSpec), parse_model_spec_text(kGraphSpec)};
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
  const ModelFile tiny{seed_specs().front(), seed_weights(seed_specs().front())};
  save_model((scratch / "m.json").string(), tiny, ModelFormat::json);
  save_model((scratch / "model.json").string(), tiny, ModelFormat::tfjs_layers);
  hostile_model_seeds(out, model_spec_to_json(tiny.spec).dump(), read_file(scratch / "m.json"),
                      read_file(scratch / "model.json"), read_file(scratch / "group1-shard1of1.bin"));
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
  fuzz::write_seed_store(dir / "results.sqlite");
  // A run record nested 100,000 deep (a stack overflow in history and report before).
  fuzz::write_seed_store(dir / "deep-record.sqlite");
  {
    sqlite::Connection db = sqlite::open_connection(dir / "deep-record.sqlite");
    sqlite::Statement(db.get(), "UPDATE runs SET record = '{\"x\": ' || ?1 || ', ' || substr(record, 2)")
        .bind(1, nested(100'000))
        .run();
  }
  for (const char* side : {"-journal", "-wal", "-shm"}) fs::remove(dir.string() + "/deep-record.sqlite" + side);
}

// Inputs of results_store_json: the selector byte of a column, then its text.
void store_json_seeds(const fs::path& dir) {
  const fs::path scratch = dir / "scratch.sqlite";
  fuzz::write_seed_store(scratch);
  {
    sqlite::Connection db = sqlite::open_connection(scratch);
    for (size_t i = 0; i < std::size(fuzz::kStoreJsonColumns); ++i) {
      const fuzz::StoreJsonColumn& c = fuzz::kStoreJsonColumns[i];
      sqlite::Statement rows(db.get(), std::string("SELECT ") + c.column + " FROM " + c.table);
      for (int row = 0; rows.step(); ++row)
        write_file(dir / (std::string(c.table) + "-" + c.column + "-" + std::to_string(row) + ".json"),
                   std::string(1, static_cast<char>(i)) + rows.text(0));
      write_file(dir / (std::string(c.table) + "-" + c.column + "-nested.json"),
                 std::string(1, static_cast<char>(i)) + "{\"x\": " + nested(100'000) + "}");
    }
  }
  for (const char* side : {"", "-journal", "-wal", "-shm"}) fs::remove(scratch.string() + side);
}

// Batches for a model of kPredictionInputsPerSample inputs.
void prediction_input_seeds(const fs::path& dir) {
  write_file(dir / "two-samples.json", "[[0.1, 0.2, 0.3, 0.4], [1, -2, 3e-3, 4e2]]");
  write_file(dir / "one-flat-sample.json", "[0.5, 0.25, 0.125, 0]");
  write_file(dir / "nested-sample.json", "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]");
  write_file(dir / "bom.json", "\xEF\xBB\xBF[[1, 2, 3, 4]]");
  write_file(dir / "nested-100000.json", nested(100'000));  // a stack overflow before
  write_file(dir / "nested-30000.json", nested(30'000));    // 1.7 GB before
  write_file(dir / "sample-at-the-depth-limit.json", "[" + nested(510, "1, 2, 3, 4") + "]");
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
                               "results_store", "workspace", "prediction_input", "results_store_json"})
      fs::create_directories(out / target);
    model_seeds(out);
    idx_seeds(out / "idx");
    text_seeds(out / "text_corpus");
    store_seeds(out / "results_store");
    store_json_seeds(out / "results_store_json");
    prediction_input_seeds(out / "prediction_input");
#ifdef GAPSCOPE_FUZZ_WITH_QT
    workspace_seeds(out / "workspace");
#endif
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_seed_corpus: %s\n", e.what());
    return 1;
  }
  return 0;
}
