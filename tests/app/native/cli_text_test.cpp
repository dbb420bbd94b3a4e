// Character-level text through the real executable: train paper-rnn on a
// UTF-8 file, save it, generate from it; bad text and seed text are refused
// with the file or character named.
#include <fstream>

#include "tests/app/native/cli_support.h"

using namespace gapscope::cli_test;
namespace fs = std::filesystem;

namespace {

// A small corpus with a strong pattern, so a few dozen steps learn something.
std::string write_corpus(const fs::path& dir) {
  std::string text;
  for (int i = 0; i < 400; ++i) text += "the cat sat on the mat. ";
  const fs::path path = dir / "corpus.txt";
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("train paper-rnn on a text file, then generate from the saved model", "[cli][text]") {
  const fs::path dir = scratch("text");
  const std::string corpus = write_corpus(dir);
  const std::string model = (dir / "rnn.gsm").string();
  Result trained = run("train --preset paper-rnn --depth 1 --width 16 --data text:" + corpus +
                       " --steps 60 --windows 2048 --threads 1 --json --quiet --save " + model);
  REQUIRE(trained.exit_code == 0);
  auto lines = json_lines(trained.out);
  REQUIRE(lines.size() == 61);
  CHECK(lines.back()["test_loss"].get<double>() < lines[0]["loss"].get<double>());

  Result inspected = run("inspect --json " + model);
  REQUIRE(inspected.exit_code == 0);
  auto info = json_lines(inspected.out).at(0);
  CHECK(info["spec"]["input"]["shape"] == nlohmann::json({40, 11}));  // "the cat sat on mat." has 11 distinct
  CHECK(info["layers"][0]["type"] == "lstm");

  Result generated = run("generate --model " + model + " --data text:" + corpus +
                         " --seed-text \"the cat sat on the mat. the cat sat on the\" --length 30 --seed 4");
  REQUIRE(generated.exit_code == 0);
  CHECK(generated.out.rfind("the cat sat on the mat. the cat sat on the", 0) == 0);
  CHECK(generated.out.size() == 42 + 30 + 1);
  for (char c : generated.out.substr(42, 30)) CHECK(std::string("the cat sat on mat.").find(c) != std::string::npos);
  // Same seed, same text.
  CHECK(run("generate --model " + model + " --data text:" + corpus +
            " --seed-text \"the cat sat on the mat. the cat sat on the\" --length 30 --seed 4")
            .out == generated.out);
}

TEST_CASE("generate and text training refuse bad input by name", "[cli][text]") {
  const fs::path dir = scratch("text-errors");
  const std::string corpus = write_corpus(dir);
  const std::string model = (dir / "rnn.gsm").string();
  REQUIRE(run("train --preset paper-rnn --depth 1 --width 8 --data text:" + corpus +
              " --steps 2 --windows 64 --threads 1 --quiet --save " + model).exit_code == 0);
  Result bad_char = run("generate --model " + model + " --data text:" + corpus +
                            " --seed-text \"the dog sat on the mat. the cat sat on the\"", true);
  CHECK(bad_char.exit_code != 0);
  CHECK_THAT(bad_char.out, Catch::Contains("character 'd' (U+0064) at position 4"));
  Result short_seed = run("generate --model " + model + " --data text:" + corpus + " --seed-text \"the cat\"", true);
  CHECK(short_seed.exit_code != 0);
  CHECK_THAT(short_seed.out, Catch::Contains("windows of 40"));

  const fs::path binary = dir / "binary.txt";
  std::ofstream(binary) << std::string("abc\0def", 7);
  Result bad_text = run("train --preset paper-rnn --depth 1 --width 8 --data text:" + binary.string() + " --steps 1", true);
  CHECK(bad_text.exit_code != 0);
  CHECK_THAT(bad_text.out, Catch::Contains(binary.string()));
  CHECK_THAT(bad_text.out, Catch::Contains("NUL byte at byte offset 3"));
}
