// Issue 17 through the real gapscope-native: deeply nested JSON (a stack
// overflow before), lists far over their limits (parsed quadratically before
// the limit was looked at), numbers that lost their value in the message, a
// byte order mark, and models whose weights are NaN.
#include <chrono>
#include <cmath>
#include <fstream>

#include "core/io/crc32c.h"
#include "core/io/little_endian.h"
#include "tests/app/native/cli_support.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using namespace gapscope::cli_test;
using Catch::Contains;

namespace {

std::string nested(int depth) {
  return std::string(static_cast<size_t>(depth), '[') + std::string(static_cast<size_t>(depth), ']');
}

// `text` with the first `what` replaced by `with`.
std::string replaced(std::string text, const std::string& what, const std::string& with) {
  const size_t at = text.find(what);
  REQUIRE(at != std::string::npos);
  return text.replace(at, what.size(), with);
}

std::string write(const fs::path& path, const std::string& text) {
  test::write_bytes(path.string(), text);
  return path.string();
}

// Runs and returns the result and the seconds it took.
std::pair<Result, double> timed(const std::string& args) {
  const auto start = std::chrono::steady_clock::now();
  Result r = run(args, true);
  return {r, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

// The small model (5 inputs) saved as native, JSON and TF.js files in `dir`.
struct SavedModels {
  std::string native, json, tfjs;
};
SavedModels save_small_model(const fs::path& dir, const ModelFile& model = test::small_model()) {
  SavedModels saved{(dir / "m.gsm").string(), (dir / "m.json").string(), (dir / "tfjs" / "model.json").string()};
  fs::create_directories(dir / "tfjs");
  save_model(saved.native, model, ModelFormat::native_binary);
  save_model(saved.tfjs, model, ModelFormat::tfjs_layers);
  bool finite = true;
  for (const NamedArray& w : model.weights)
    for (float v : w.values) finite = finite && std::isfinite(v);
  if (finite) save_model(saved.json, model, ModelFormat::json);
  return saved;
}

const char* kTinySpec = R"({"format": "gapscope.model/1", "input": {"shape": [784]},
  "layers": [{"type": "dense", "units": 10, "activation": "softmax"}]})";

}  // namespace

TEST_CASE("JSON nested 100,000 deep is refused by name in every input, never a crash", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-nested");
  const SavedModels models = save_small_model(dir);
  const std::string deep = nested(100'000);
  const auto refused = [&](const std::string& args, const std::string& file) {
    INFO(args);
    const Result r = run(args, true);
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.out, Contains(file + ": ") && Contains("JSON nested deeper than 512 levels at line 1, column"));
  };

  const std::string spec =
      write(dir / "spec.json", replaced(kTinySpec, "\"input\"", "\"name\": " + deep + ", \"input\""));
  refused("train --steps 1 --model " + spec, spec);
  refused("bench --model " + spec, spec);
  // The issue's spec: `format` itself nested. Too deep to see a spec in its
  // first bytes, so it is read as a model file, and refused as one.
  const std::string format = write(dir / "format.json", replaced(kTinySpec, "\"gapscope.model/1\"", deep));
  const Result r = run("train --steps 1 --model " + format, true);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Contains(format + " is not a model file"));

  const std::string json_model = write(
      dir / "deep-m.json", replaced(test::read_bytes(models.json), "\"spec\":", "\"x\": " + deep + ", \"spec\":"));
  refused("inspect " + json_model, json_model);
  refused("predict --model " + json_model + " --input " + json_model, json_model);

  fs::create_directories(dir / "deep-tfjs");
  fs::copy_file(dir / "tfjs" / "model-group1-shard1of1.bin", dir / "deep-tfjs" / "model-group1-shard1of1.bin");
  const std::string tfjs =
      write(dir / "deep-tfjs" / "model.json", replaced(test::read_bytes(models.tfjs), "\"batch_input_shape\":[null,",
                                                       "\"batch_input_shape\":[null," + deep + ","));
  refused("inspect " + tfjs, tfjs);

  const std::string input = write(dir / "input.json", deep);
  refused("predict --model " + models.native + " --input " + input, input);
  // 30,000 levels took 1.7 GB before; and a sample just under the limit names its index path.
  const std::string input_30k = write(dir / "input30k.json", nested(30'000));
  refused("predict --model " + models.native + " --input " + input_30k, input_30k);
  const std::string bad_sample =
      write(dir / "bad-sample.json", "[" + std::string(500, '[') + "\"x\"" + std::string(501, ']'));
  const Result sample = run("predict --model " + models.native + " --input " + bad_sample, true);
  CHECK(sample.exit_code == 3);
  CHECK_THAT(sample.out, Contains(bad_sample + ": sample [0]" + [] {
               std::string at;
               for (int i = 0; i < 500; ++i) at += "[0]";
               return at;
             }() + " must be a number, got string"));

  const Result protocol = run("bench --protocol '" + nested(1000) + "'", true);
  CHECK(protocol.exit_code == 2);
  CHECK_THAT(protocol.out, Contains("--protocol: JSON nested deeper than 512 levels"));
}

TEST_CASE("lists far over their limits are refused at once, by name", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-huge");
  const SavedModels models = save_small_model(dir);

  // 1,000,000 layers, 31 MB: over 60 s before, parsed whole and quadratically.
  std::string layers;
  layers.reserve(32 << 20);
  for (int i = 0; i < 1'000'000; ++i)
    layers += i ? ", {\"type\": \"dense\", \"units\": 4}" : "{\"type\": \"dense\", \"units\": 4}";
  const std::string spec =
      write(dir / "spec.json",
            replaced(kTinySpec, "{\"type\": \"dense\", \"units\": 10, \"activation\": \"softmax\"}", layers));
  REQUIRE(fs::file_size(spec) > 30'000'000);
  auto [r, seconds] = timed("train --steps 1 --model " + spec);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Contains(spec + ": layers has more than the limit of 1,000 entries"));
  CHECK(seconds < 10.0);  // quadratic took > 60 s; linear takes 0.03 s (ASan: 0.2 s)

  // 200,000 weight entries in a native topology (5.7 s before).
  const std::string bytes = test::read_bytes(models.native);
  nlohmann::json topology = nlohmann::json::parse(bytes.substr(20, load_u64_le(bytes.data() + 12)));
  topology["weights"] = nlohmann::json::array();
  for (int i = 0; i < 200'000; ++i)
    topology["weights"].push_back({{"name", "w" + std::to_string(i)}, {"shape", {1}}, {"offset", 64 * i}});
  const std::string text = topology.dump();
  std::string native = "GAPSCOPE";
  native.resize(20);
  store_u32_le(native.data() + 8, 1);
  store_u64_le(native.data() + 12, text.size());
  native += text;
  native.resize((native.size() + 63) / 64 * 64 + 64 * 200'000 + 4, '\0');
  store_u32_le(native.data() + native.size() - 4, crc32c(std::string_view(native.data(), native.size() - 4)));
  const std::string many_native = write(dir / "many.gsm", native);
  std::tie(r, seconds) = timed("inspect " + many_native);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out,
             Contains(many_native + ": at byte 20: topology: weights has more than the limit of 100,000 entries"));
  CHECK(seconds < 10.0);  // quadratic took > 60 s; linear takes 0.03 s (ASan: 0.2 s)

  // The same in a TF.js manifest.
  nlohmann::json model_json = nlohmann::json::parse(test::read_bytes(models.tfjs));
  nlohmann::json& weights = model_json["weightsManifest"][0]["weights"];
  weights = nlohmann::json::array();
  for (int i = 0; i < 200'000; ++i)
    weights.push_back({{"name", "w" + std::to_string(i)}, {"shape", {1}}, {"dtype", "float32"}});
  const std::string many_tfjs = write(dir / "tfjs" / "model.json", model_json.dump());
  std::tie(r, seconds) = timed("inspect " + many_tfjs);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Contains(many_tfjs + ": weightsManifest[0].weights has more than the limit of 100,000 entries"));
  CHECK(seconds < 10.0);  // quadratic took > 60 s; linear takes 0.03 s (ASan: 0.2 s)
}

TEST_CASE("a number out of range says what was written and the limit", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-numbers");
  const std::string epsilon = write(
      dir / "epsilon.json", replaced(kTinySpec, "{\"type\": \"dense\"",
                                     "{\"type\": \"batch_normalization\", \"epsilon\": 1e-300}, {\"type\": \"dense\""));
  Result r = run("train --steps 1 --model " + epsilon, true);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out,
             Contains(epsilon + ": layers[0].epsilon is 1e-300, too small for a float32: it would compute as 0"));

  const std::string units = write(dir / "units.json", replaced(kTinySpec, "\"units\": 10", "\"units\": 1e12"));
  r = run("train --steps 1 --model " + units, true);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Contains(units + ": layers[0].units must be <= 1,048,576, got 1,000,000,000,000"));
  // Written as a float, an integer is still one (as the browser reads it).
  const std::string hundred = write(dir / "hundred.json", replaced(kTinySpec, "\"units\": 10", "\"units\": 1e1"));
  CHECK(run("train --steps 1 --quiet --model " + hundred).exit_code == 0);
}

TEST_CASE("JSON files starting with a UTF-8 byte order mark load like those without", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-bom");
  const SavedModels models = save_small_model(dir);
  const std::string bom = "\xEF\xBB\xBF";
  const std::string input = write(dir / "input.json", "[[0.1, 0.2, 0.3, 0.4, 0.5]]");
  const std::string bom_input = write(dir / "bom-input.json", bom + test::read_bytes(input));
  const Result expected = run("predict --json --model " + models.native + " --input " + input);
  REQUIRE(expected.exit_code == 0);

  fs::create_directories(dir / "bom-tfjs");
  fs::copy_file(dir / "tfjs" / "model-group1-shard1of1.bin", dir / "bom-tfjs" / "model-group1-shard1of1.bin");
  const std::string tfjs = write(dir / "bom-tfjs" / "model.json", bom + test::read_bytes(models.tfjs));
  const std::string json = write(dir / "bom-m.json", bom + test::read_bytes(models.json));
  for (const std::string& model : {tfjs, json}) {
    INFO(model);
    const Result inspect = run("inspect --json " + model, true);
    CHECK(inspect.exit_code == 0);
    CHECK_THAT(inspect.out, !Contains("neither"));
    const Result predicted = run("predict --json --model " + model + " --input " + bom_input);
    CHECK(predicted.exit_code == 0);
    CHECK(predicted.out == expected.out);
  }
  const std::string spec = write(dir / "bom-spec.json", bom + kTinySpec);
  const Result trained = run("train --steps 1 --model " + spec, true);
  CHECK(trained.exit_code == 0);
  CHECK_THAT(trained.out, Contains("test accuracy"));
}

TEST_CASE("a model with NaN weights is refused by every command that computes, naming the weight", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-nan");
  ModelFile model = test::small_model();
  model.weights[0].values[3] = std::numeric_limits<float>::quiet_NaN();
  model.weights[2].values[0] = std::numeric_limits<float>::infinity();
  const SavedModels models = save_small_model(dir, model);
  const std::string input = write(dir / "input.json", "[[0.1, 0.2, 0.3, 0.4, 0.5]]");
  const std::string weight = "weight '" + model.weights[0].name + "' value 3 is NaN";
  for (const std::string& file : {models.native, models.tfjs}) {
    INFO(file);
    for (const std::string& command : std::vector<std::string>{
             "predict --input " + input + " --model ", "train --steps 1 --model ", "bench --phases infer --model "}) {
      INFO(command);
      const Result r = run(command + file, true);
      CHECK(r.exit_code == 3);
      CHECK_THAT(r.out, Contains(file + ": " + weight + "; a model with NaN or infinite weights computes only NaN"));
    }
    const Result inspect = run("inspect " + file, true);
    CHECK(inspect.exit_code == 0);
    CHECK_THAT(inspect.out, Contains("warning: " + file + ": " + weight));
  }
  // JSON cannot hold NaN (JavaScript writes it as null): refused at the value, naming the weight.
  const SavedModels finite = save_small_model(dir / "finite");
  nlohmann::json with_null = nlohmann::json::parse(test::read_bytes(finite.json));
  with_null["weights"][0]["values"][3] = nullptr;
  const std::string json = write(dir / "nan.json", with_null.dump());
  const Result r = run("predict --input " + input + " --model " + json, true);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Contains(json + ": ") &&
                        Contains("values[3] of '" + model.weights[0].name + "' must be a number, got null"));
}
