// Drives the real gapscope-native executable: outputs, files and exit codes.
#include <fstream>
#include <set>

#include "tests/app/native/cli_support.h"

using namespace gapscope::cli_test;
namespace fs = std::filesystem;

TEST_CASE("train --json reports loss per step and test accuracy", "[cli]") {
  Result r = run("train --preset paper-dnn --depth 1 --width 32 --steps 40 --threads 1 --json --quiet");
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 41);
  CHECK(lines[0]["kind"] == "step");
  CHECK(lines[0]["loss"].get<double>() > lines[39]["loss"].get<double>() * 0.9);
  CHECK(lines.back()["kind"] == "result");
  CHECK(lines.back()["test_accuracy"].get<double>() > 0.5);
  CHECK(lines.back()["steps"] == 40);
}

TEST_CASE("a saved model inspects and predicts the same in every format", "[cli]") {
  fs::path dir = scratch("formats");
  std::string native = (dir / "m.gsm").string();
  REQUIRE(run("train --depth 1 --width 16 --steps 5 --quiet --save " + native).exit_code == 0);
  Result inspect = run("inspect --json " + native);
  REQUIRE(inspect.exit_code == 0);
  auto info = nlohmann::json::parse(inspect.out);
  CHECK(info["parameters"] == 784 * 16 + 16 + 16 * 10 + 10);
  CHECK(info["format"] == "native");

  std::ofstream(dir / "batch.json") << "[" << nlohmann::json(std::vector<float>(784, 0.25f)).dump()
                                    << "," << nlohmann::json(std::vector<float>(784, 0.75f)).dump() << "]";
  std::string batch = (dir / "batch.json").string();
  Result native_out = run("predict --json --model " + native + " --input " + batch);
  REQUIRE(native_out.exit_code == 0);
  auto outputs = nlohmann::json::parse(native_out.out)["outputs"];
  REQUIRE(outputs.size() == 2);
  REQUIRE(outputs[0].size() == 10);

  // The same seed trains the same weights: save them in the other formats.
  for (std::string format : {"json", "tfjs"}) {
    fs::path path = format == "tfjs" ? dir / "tfjs" / "model.json" : dir / "m.json";
    fs::create_directories(path.parent_path());
    REQUIRE(run("train --depth 1 --width 16 --steps 5 --quiet --format " + format + " --save " + path.string())
                .exit_code == 0);
    Result other = run("predict --json --model " + path.string() + " --input " + batch);
    REQUIRE(other.exit_code == 0);
    CHECK(nlohmann::json::parse(other.out)["outputs"] == outputs);
  }
}

TEST_CASE("bench --json prints a record per phase with its median", "[cli]") {
  Result r = run("bench --preset paper-dnn --depth 1 --width 16 --threads 1 --json --runs-scale 0.1");
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  REQUIRE(!lines.empty());
  CHECK(lines[0]["kind"] == "run");
  std::set<std::string> phases, loaded_formats;
  for (size_t i = 1; i < lines.size(); ++i) {
    CHECK(lines[i]["schema"] == "gapscope.measurement/1");
    CHECK(lines[i]["median"].get<double>() >= 0);
    CHECK(lines[i]["capabilities"]["threads"] == "1");
    phases.insert(lines[i]["phase"].get<std::string>());
    if (lines[i]["phase"] == "file_load") {
      loaded_formats.insert(lines[i]["format"].get<std::string>());
      CHECK(lines[i]["n"] == 3);
      CHECK(lines[i]["median"].get<double>() > 0);
    }
  }
  for (const char* phase : {"load", "warmup", "infer", "train", "file_size", "file_load", "memory", "cpu_utilisation"})
    CHECK(phases.count(phase) == 1);
  CHECK(loaded_formats == std::set<std::string>{"native", "json", "tfjs"});
}

TEST_CASE("bench measures CPU utilisation over at least 0.3 s however short the protocol", "[cli]") {
  Result r = run("bench --preset paper-dnn --depth 1 --width 16 --threads 2 --json --runs-scale 0.05 --phases train");
  REQUIRE(r.exit_code == 0);
  int records = 0;
  for (const auto& line : json_lines(r.out)) {
    if (line["kind"] != "measurement" || line["phase"] != "cpu_utilisation") continue;
    ++records;
    const auto& details = line;  // a runner's own fields sit beside the common ones
    CHECK(details["cpu_measure"] == "training_steps");
    CHECK(details["wall_seconds"].get<double>() >= 0.3);
    CHECK(details["steps"].get<int64_t>() > 3);  // the 3 timed steps took far less than 0.3 s
    CHECK(details.contains("above_hardware_threads") ==
          (line["median"].get<double>() > details["hardware_threads"].get<double>() + 0.05));
  }
  CHECK(records == 1);
}

TEST_CASE("bench --protocol runs exactly that protocol, and --progress streams every training step", "[cli]") {
  Result r = run("bench --preset paper-dnn --depth 1 --width 16 --threads 1 --json --progress --protocol "
                 "'{\"batch_size\":8,\"train_warmup\":2,\"train_runs\":7,\"phases\":[\"train\"]}'");
  REQUIRE(r.exit_code == 0);
  int steps = 0;
  bool train_record = false;
  for (const auto& line : json_lines(r.out)) {
    if (line["kind"] == "progress" && line["phase"] == "train") {
      ++steps;
      CHECK(line["steps"] == 9);
      CHECK(line["loss"].get<double>() > 0);
      CHECK(line["accuracy"].get<double>() >= 0);
      CHECK(line["accuracy"].get<double>() <= 1);
    }
    if (line["kind"] == "measurement" && line["phase"] == "train") {
      train_record = true;
      CHECK(line["n"] == 7);
      CHECK(line["warmup"] == 2);
    }
  }
  CHECK(steps == 9);
  CHECK(train_record);
  CHECK(run("bench --protocol '{\"batch_size\":0}'").exit_code == 2);
  CHECK(run("bench --protocol '{\"phases\":[\"train\"]}' --batch 3").exit_code == 2);
  CHECK(run("bench --progress").exit_code == 2);
}

TEST_CASE("bench --data-x/--data-target runs on given rows, and wrong sizes name the file", "[cli]") {
  const fs::path dir = scratch("bench-data");
  std::vector<float> x(32 * 784, 0.5f), target(32 * 10, 0.0f);
  for (int r = 0; r < 32; ++r) target[r * 10 + r % 10] = 1.0f;
  std::ofstream(dir / "x.f32", std::ios::binary).write(reinterpret_cast<const char*>(x.data()), x.size() * 4);
  std::ofstream(dir / "t.f32", std::ios::binary).write(reinterpret_cast<const char*>(target.data()), target.size() * 4);
  const std::string base = "bench --preset paper-dnn --depth 1 --width 16 --json --protocol "
                           "'{\"batch_size\":16,\"train_runs\":3,\"phases\":[\"infer\",\"train\"]}' ";
  const std::string files = "--data-x " + (dir / "x.f32").string() + " --data-target " + (dir / "t.f32").string();
  CHECK(run(base + files + " --data-rows 32").exit_code == 0);
  Result wrong = run(base + files + " --data-rows 31", true);
  CHECK(wrong.exit_code == 3);
  CHECK_THAT(wrong.out, Catch::Contains("x.f32 has 100352 bytes, expected 24304 float32 values"));
  CHECK(run(base + "--data-x " + (dir / "x.f32").string()).exit_code == 2);
}

TEST_CASE("sweep interleaves a grid and aggregates per configuration", "[cli]") {
  fs::path out = scratch("sweep") / "records.jsonl";
  Result r = run("sweep --depths 1,2 --widths 8 --rounds 2 --runs-scale 0.1 --threads 1 --json --quiet --out " +
                 out.string());
  REQUIRE(r.exit_code == 0);
  auto lines = json_lines(r.out);
  std::ifstream saved_file(out);
  std::string saved((std::istreambuf_iterator<char>(saved_file)), std::istreambuf_iterator<char>());
  auto saved_lines = json_lines(saved);
  REQUIRE(saved_lines.size() == lines.size());  // the run record, then one per config and phase
  CHECK(saved_lines[0]["kind"] == "run");
  int train_records = 0;
  for (auto& line : lines)
    if (line.value("phase", "") == "train") {
      ++train_records;
      CHECK(line["n"].get<int>() >= 6);  // two rounds of at least 3 runs
    }
  CHECK(train_records == 2);
}

TEST_CASE("bench and sweep measure the CNN and RNN presets like the DNN", "[cli]") {
  for (const char* preset : {"paper-cnn", "paper-rnn"}) {
    INFO(preset);
    Result r = run(std::string("sweep --preset ") + preset +
                   " --depths 1 --widths 4,8 --rounds 1 --runs-scale 0.1 --batch 8 --threads 1 --json --quiet");
    REQUIRE(r.exit_code == 0);
    std::set<std::string> configs;
    for (auto& line : json_lines(r.out))
      if (line.value("kind", "") == "measurement" && line["phase"] == "train") {
        CHECK(line["median"].get<double>() > 0);
        configs.insert(line["config"]["preset"].get<std::string>() + " " + line["config"]["width"].dump());
      }
    CHECK(configs == std::set<std::string>{std::string(preset) + " 4", std::string(preset) + " 8"});
  }
  Result bench = run("bench --preset paper-rnn --depth 2 --width 8 --threads 1 --json --protocol "
                     "'{\"batch_size\":4,\"train_runs\":3,\"infer_runs\":3,\"load_runs\":3}'");
  REQUIRE(bench.exit_code == 0);
  std::set<std::string> phases;
  for (auto& line : json_lines(bench.out))
    if (line.value("kind", "") == "measurement") phases.insert(line["phase"].get<std::string>());
  for (const char* phase : {"load", "warmup", "infer", "train", "memory", "file_size"}) CHECK(phases.count(phase) == 1);
}

TEST_CASE("bad input gives a clear message and the documented exit code", "[cli]") {
  fs::path dir = scratch("bad");
  CHECK(run("frobnicate").exit_code == 2);
  CHECK(run("train --depth 0").exit_code == 2);
  CHECK(run("train --no-such-flag").exit_code == 2);
  CHECK(run("bench --phases infer,trian").exit_code == 2);  // a typo never silently drops a phase

  std::ofstream(dir / "spec.json") << R"({"format": "gapscope.model/1", "input": {"shape": [4]},
    "layers": [{"type": "dense", "units": 0}], "loss": "mean_squared_error",
    "optimizer": {"type": "sgd", "learning_rate": 0.1}})";
  Result spec = run("bench --model " + (dir / "spec.json").string(), true);
  CHECK(spec.exit_code == 3);
  CHECK_THAT(spec.out, Catch::Contains("layers[0].units"));

  std::ofstream(dir / "corrupt.gsm") << "GAPSCOPE but not really a model";
  Result corrupt = run("inspect " + (dir / "corrupt.gsm").string(), true);
  CHECK(corrupt.exit_code == 3);
  CHECK_THAT(corrupt.out, Catch::Contains("corrupt.gsm"));

  std::string model = (dir / "m.gsm").string();
  REQUIRE(run("train --depth 1 --width 4 --steps 1 --quiet --save " + model).exit_code == 0);
  std::ofstream(dir / "short.json") << "[[1, 2, 3]]";
  Result short_input = run("predict --model " + model + " --input " + (dir / "short.json").string(), true);
  CHECK(short_input.exit_code == 3);
  CHECK_THAT(short_input.out, Catch::Contains("784"));
  std::ofstream(dir / "text.json") << "[[\"a\"]]";
  CHECK(run("predict --model " + model + " --input " + (dir / "text.json").string()).exit_code == 3);
}

TEST_CASE("every command has --help", "[cli]") {
  for (const char* command : {"train", "bench", "sweep", "inspect", "predict", "generate", "devices"}) {
    Result r = run(std::string(command) + " --help");
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("usage: gapscope-native"));
  }
}

TEST_CASE("gapscope-native --version names the version, git revision and the libraries this build uses", "[cli]") {
  const Result r = run("--version");
  REQUIRE(r.exit_code == 0);
  for (const char* part : {"gapscope-native 0.", "(git ", "Eigen 3.", "Vulkan loader 1.", "TF.js 4.22.0"})
    CHECK_THAT(r.out, Catch::Contains(part));
}
