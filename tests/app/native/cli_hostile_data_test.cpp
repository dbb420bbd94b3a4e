// Hostile data through the real executable (issue 17): a small .gz that
// declares more images than memory holds is refused before it is inflated;
// train and test IDX files of different image sizes name the test file;
// `text:` without a path, and a one-character text, say what is wrong; and a
// text model remembers its vocabulary, so generating with another text of
// the same size is refused instead of printing garbage.
#include <fstream>

#include "tests/app/native/cli_support.h"
#include "tests/core/data/idx_test_files.h"

using namespace gapscope::cli_test;
using namespace gapscope::test;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& pattern, int repeats) {
  std::string text;
  for (int i = 0; i < repeats; ++i) text += pattern;
  std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("a gzip IDX declaring more images than memory holds is refused before inflating", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-idx-memory");
  // 650,000 images of 28 x 28: 2 GB as floats. Only the header and 1,000 images are really there.
  Bytes images = idx_header(0x00000803, {650000, 28, 28});
  images.resize(images.size() + 1000 * 784, 0);
  write_gzip((dir / "train-images-idx3-ubyte.gz").string(), images);
  write_gzip((dir / "train-labels-idx1-ubyte.gz").string(), idx_labels(cycling_labels(650000, 10)));
  Result refused = run_with_env("GAPSCOPE_MEMORY_BUDGET=1G",
                                "train --data " + dir.string() + " --steps 1 --threads 1 --quiet");
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out, Catch::Contains("train-images-idx3-ubyte.gz: header says 650,000 images of 784 values"));
  CHECK_THAT(refused.out, Catch::Contains("more than the 1 GiB of memory available (GAPSCOPE_MEMORY_BUDGET)"));
  Result bad_budget = run_with_env("GAPSCOPE_MEMORY_BUDGET=lots", "train --data " + dir.string() + " --steps 1");
  CHECK(bad_budget.exit_code != 0);
  CHECK_THAT(bad_budget.out, Catch::Contains("GAPSCOPE_MEMORY_BUDGET='lots' is not a size"));
}

TEST_CASE("train and test IDX files of different image sizes name the test file", "[cli][hostile]") {
  const fs::path dir = scratch("hostile-idx-sizes");
  write_raw((dir / "train-images-idx3-ubyte").string(), idx_images(64, 28, 28));
  write_raw((dir / "train-labels-idx1-ubyte").string(), idx_labels(cycling_labels(64, 10)));
  write_raw((dir / "t10k-images-idx3-ubyte").string(), idx_images(16, 14, 14));
  write_raw((dir / "t10k-labels-idx1-ubyte").string(), idx_labels(cycling_labels(16, 10)));
  Result refused = run("train --data " + dir.string() + " --steps 1 --threads 1 --quiet", true);
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.out, Catch::Contains((dir / "t10k-images-idx3-ubyte").string() + ": images are 14 x 14 pixels"));
  CHECK_THAT(refused.out, Catch::Contains("train-images-idx3-ubyte are 28 x 28"));
}

TEST_CASE("text sources without a path or with one character say what is wrong", "[cli][hostile][text]") {
  const fs::path dir = scratch("hostile-text");
  Result no_path = run("train --preset paper-rnn --data text: --steps 1", true);
  CHECK(no_path.exit_code == 3);
  CHECK_THAT(no_path.out, Catch::Contains("text: names no file; give its path"));
  write_text(dir / "a.txt", "a", 5000);
  Result one_char = run("train --preset paper-rnn --data text:" + (dir / "a.txt").string() + " --steps 1", true);
  CHECK(one_char.exit_code == 3);
  CHECK_THAT(one_char.out, Catch::Contains("a.txt: the text has one distinct character ('a')"));
}

TEST_CASE("a text model keeps its vocabulary, and generate refuses another text of the same size", "[cli][hostile][text]") {
  const fs::path dir = scratch("hostile-vocabulary");
  write_text(dir / "cat.txt", "the cat sat on the mat. ", 200);   // 11 distinct characters
  write_text(dir / "dog.txt", "hid dog bay in his rug; ", 200);   // 11 others
  const std::string seed = " --seed-text \"the cat sat on the mat. the cat sat on the\" --length 5";
  for (const char* format : {"native", "json", "tfjs"}) {
    INFO(format);
    const std::string model = (dir / (std::string("m-") + format + (std::string(format) == "tfjs" ? ".json" : ".gsm"))).string();
    REQUIRE(run("train --preset paper-rnn --depth 1 --width 8 --data text:" + (dir / "cat.txt").string() +
                " --steps 2 --windows 64 --threads 1 --quiet --format " + format + " --save " + model)
                .exit_code == 0);
    CHECK(run("generate --model " + model + " --data text:" + (dir / "cat.txt").string() + seed).exit_code == 0);
    Result other = run("generate --model " + model + " --data text:" + (dir / "dog.txt").string() +
                       " --seed-text \"hid dog bay in his rug; hid dog bay in his\" --length 5", true);
    CHECK(other.exit_code == 3);
    CHECK_THAT(other.out, Catch::Contains(model + " was trained on another text"));
    CHECK_THAT(other.out, Catch::Contains("give the text it was trained on with --data"));
  }
}
