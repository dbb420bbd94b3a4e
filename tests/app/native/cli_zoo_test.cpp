// The zoo through gapscope-native's flags: --preset NAME with --input-size and
// --classes, inspect's parameters and FLOPs per image, and the flags that do
// not belong to a preset refused by name.
#include <string>

#include <nlohmann/json.hpp>

#include "tests/app/native/cli_support.h"

using namespace gapscope::cli_test;

TEST_CASE("inspect --preset gives a zoo model's parameters and FLOPs per image", "[cli][zoo]") {
  const Result r = run("inspect --json --preset resnet50");
  REQUIRE(r.exit_code == 0);
  const nlohmann::json j = nlohmann::json::parse(r.out);
  CHECK(j["format"] == "preset");
  CHECK(j["parameters"] == 25'636'712);
  CHECK(j["flops"] == 7'715'946'496);  // 2 x 3.86 G multiply-adds, as usually quoted for ResNet50
  CHECK(j["bytes"] == 25'636'712LL * 4);
  CHECK(j["spec"]["input"]["shape"] == nlohmann::json({224, 224, 3}));

  const Result small = run("inspect --preset mobilenet-v2 --input-size 96 --classes 10");
  REQUIRE(small.exit_code == 0);
  CHECK_THAT(small.out, Catch::Contains("[96, 96, 3]") && Catch::Contains("predictions") && Catch::Contains("[10]"));
}

TEST_CASE("zoo and paper presets refuse each other's sizes", "[cli][zoo]") {
  const Result depth = run("bench --preset resnet50 --depth 3", true);
  CHECK(depth.exit_code == 2);
  CHECK_THAT(depth.out, Catch::Contains("resnet50 is sized by --input-size and --classes, not --depth and --width"));
  const Result size = run("bench --preset paper-cnn --input-size 64", true);
  CHECK(size.exit_code == 2);
  CHECK_THAT(size.out, Catch::Contains("--input-size and --classes size the zoo presets; paper-cnn takes --depth"));
  const Result small = run("inspect --preset xception --input-size 70", true);
  CHECK(small.exit_code == 2);
  CHECK_THAT(small.out, Catch::Contains("--input-size must be in [71, 4096], got 70"));
  const Result both = run("inspect a.gsm --preset resnet50", true);
  CHECK(both.exit_code == 2);
  CHECK_THAT(both.out, Catch::Contains("a model FILE or --preset, not both"));
}

TEST_CASE("a zoo model trains on native-cpu through bench", "[cli][zoo]") {
  const Result r = run("bench --preset mobilenet-v2 --input-size 32 --classes 4 --batch 2 --phases infer,train "
                       "--runs-scale 0.05 --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"phase\":\"train\"") && Catch::Contains("\"model\":\"mobilenet_v2\""));
}

TEST_CASE("a zoo preset times inference only unless --phases asks for training", "[cli][zoo]") {
  const Result r = run("bench --preset mobilenet-v2 --input-size 32 --classes 4 --runs-scale 0.05 --json");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"phase\":\"infer\"") && Catch::Contains("\"phase\":\"file_size\"") &&
                        !Catch::Contains("\"phase\":\"train\""));
}

TEST_CASE("training a model the machine's memory cannot hold is refused with both sizes", "[cli][zoo]") {
  const Result r = run_command("GAPSCOPE_MEMORY_BUDGET=1G " + std::string(GAPSCOPE_NATIVE_EXE) +
                               " bench --preset resnet50 --input-size 64 --phases train --batch 64 2>&1");
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("model needs 1.9 GiB to train at batch 64") &&
                        Catch::Contains("over the 1 GiB this machine has available (GAPSCOPE_MEMORY_BUDGET)"));
}
