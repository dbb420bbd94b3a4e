// The JSON model format: bit-exact round trips through decimal text, and
// errors that name the array and index of a bad value.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/io/model_file.h"
#include "tests/core/io/model_file_test_support.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::StartsWith;


TEST_CASE("JSON model files round-trip bit-exactly", "[io][json]") {
  ScratchDir dir;
  ModelFile model = small_model();
  std::string path = dir.file("m.json");
  save_model(path, model, ModelFormat::json);
  CHECK(detect_model_format(path) == ModelFormat::json);
  ModelFile loaded = load_model(path);
  CHECK(same_bits(loaded.weights, model.weights));
  CHECK(model_spec_to_json(loaded.spec) == model_spec_to_json(model.spec));
}

TEST_CASE("JSON values are the shortest text that reads back exactly", "[io][json]") {
  ScratchDir dir;
  ModelFile model = small_model();
  std::string path = dir.file("m.json");
  save_model(path, model, ModelFormat::json);
  std::string text = read_bytes(path);
  CHECK(text.rfind("{\"format\":\"gapscope.model-json/1\",\"spec\":", 0) == 0);
  CHECK_THAT(text, Contains("\"values\":[-0.0,0.1,1e-45,1.1754944e-38,3.4028235e+38,-3.4028235e+38,0.33333334,16777216,"));

  // Many random bit patterns, all finite.
  uint32_t state = 12345;
  for (float& v : model.weights[0].values) {
    do {
      state = state * 1664525u + 1013904223u;
      std::memcpy(&v, &state, 4);
    } while (!std::isfinite(v));
  }
  save_model(path, model, ModelFormat::json);
  CHECK(same_bits(load_model(path).weights, model.weights));
}

TEST_CASE("JSON refuses to save NaN or infinity and keeps the old file", "[io][json]") {
  ScratchDir dir;
  std::string path = dir.file("m.json");
  save_model(path, small_model(), ModelFormat::json);
  std::string before = read_bytes(path);
  ModelFile model = small_model();
  model.weights[2].values[7] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(save_model(path, model, ModelFormat::json),
                    Equals("cannot save " + path + " as JSON: weight 'dense_2/kernel' value 7 is NaN; JSON cannot "
                           "hold it (the native and TF.js formats can)"));
  model.weights[2].values[7] = std::numeric_limits<float>::infinity();
  CHECK_THROWS_WITH(save_model(path, model, ModelFormat::json), Contains("value 7 is infinite"));
  CHECK(read_bytes(path) == before);
}

TEST_CASE("JSON load errors name the array and index", "[io][json][damage]") {
  ScratchDir dir;
  std::string path = dir.file("m.json");
  save_model(path, small_model(), ModelFormat::json);
  nlohmann::json good = nlohmann::json::parse(read_bytes(path));

  nlohmann::json j = good;
  j["weights"][1]["values"][3] = 1e39;  // beyond float32
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path),
             Equals(path + ": weights[1].values[3] of 'dense_1/bias' is 1e+39, not a finite float32"));

  // Beyond a double (the json_model fuzzer's finding, once an uncaught exception).
  std::string text = good.dump();
  const size_t values = text.find("\"values\":[") + 10;
  text.insert(values, "-0.25390e625,");
  write_bytes(path, text);
  CHECK_THAT(load_error(path), StartsWith(path + ": JSON number out of range at line 1") &&
                                   Contains("'-0.25390e625' does not fit a 64-bit float"));

  j = good;
  j["weights"][1]["values"][2] = "0.5";
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path), Equals(path + ": weights[1].values[2] of 'dense_1/bias' must be a number, got string"));

  j = good;
  j["weights"][1]["values"].erase(0);
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path),
             Equals(path + ": weights[1].values of 'dense_1/bias' has 5 values, its shape [6] needs 6"));

  j = good;
  j["weights"].erase(0);
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path), Equals(path + ": weight 'dense_1/kernel' (shape [5, 6]) is missing"));

  j = good;
  j["weights"][2]["shape"] = {10, 6};
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path), Equals(path + ": weight 'dense_2/kernel' has shape [10, 6], the model needs [6, 10]"));

  j = good;
  j["format"] = "gapscope.model-json/2";
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path), Equals(path + ": written by a newer gapscope: format gapscope.model-json/2, this "
                                             "build reads gapscope.model-json/1"));

  j = good;
  j["weights"][0]["dtype"] = "float32";
  write_bytes(path, j.dump());
  CHECK_THAT(load_error(path), StartsWith(path + ": weights[0].dtype: unknown key in a weight entry"));
}

TEST_CASE("JSON: a file cut anywhere is an error", "[io][json][damage]") {
  ScratchDir dir;
  std::string path = dir.file("m.json");
  save_model(path, small_model(), ModelFormat::json);
  std::string text = read_bytes(path);
  for (size_t cut = 0; cut + 1 < text.size(); cut += 53) {
    write_bytes(path, text.substr(0, cut));
    INFO("cut at " << cut);
    CHECK_THROWS_AS(load_model(path), ModelFileError);
  }
  write_bytes(path, text.substr(0, 200));
  CHECK_THAT(load_error(path), StartsWith(path + ": JSON syntax error at line 1, column 201 (byte 200)"));
}

TEST_CASE("a spec file is not a model file", "[io][json]") {
  ScratchDir dir;
  std::string path = dir.file("spec.json");
  write_bytes(path, model_spec_to_json(paper_dnn(1, 4)).dump());
  CHECK_THAT(load_error(path),
             Equals(path + " is a model spec (gapscope.model/1), not a model file with weights"));
}
