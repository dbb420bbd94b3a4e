// gapscope-native given arguments that used to be taken silently (issue 17):
// a word a command does not take, a sweep of 128 million items, a protocol
// that measures a phase with no timed run. Each is refused at once, naming
// what is wrong.
#include <string>

#include "tests/app/native/cli_support.h"

using namespace gapscope::cli_test;

TEST_CASE("every gapscope-native command names a word it does not take", "[cli]") {
  for (const char* command : {"train", "bench", "sweep", "predict", "generate", "devices", "fit"}) {
    const Result r = run(std::string(command) + " stray", true);
    INFO(command << ": " << r.out);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains("unexpected argument 'stray'"));
  }
  const Result two = run("inspect a.gsm stray", true);
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.out, Catch::Contains("unexpected argument 'stray'"));
  const Result none = run("inspect", true);
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.out, Catch::Contains("needs one model FILE"));
}

TEST_CASE("sweep refuses more than 100,000 items at once, naming the grid sizes", "[cli]") {
  std::string depths = "1", widths = "1";
  for (int d = 2; d <= 64; ++d) depths.append(",").append(std::to_string(d));
  for (int w = 2; w <= 2000; ++w) widths.append(",").append(std::to_string(w));
  const Result r = run("sweep --depths " + depths + " --widths " + widths + " --rounds 1000 --quiet", true);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("64 depths x 2,000 widths x 1 backend x 1,000 rounds = 128,000,000 items") &&
                        Catch::Contains("limit of 100,000") && Catch::Contains("--max-items N"));
  // --max-items raises it: the same grid gets past the size check, here to a bad option checked after it.
  const std::string grid = "sweep --depths " + depths + " --widths " + widths + " --rounds 1000 --quiet";
  const Result raised = run(grid + " --max-items 128000000 --runs-scale 1000", true);
  CHECK(raised.exit_code == 2);
  CHECK_THAT(raised.out, Catch::Contains("--runs-scale") && !Catch::Contains("items"));
  const Result lower = run(grid + " --max-items 127999999 --runs-scale 1000", true);
  CHECK(lower.exit_code == 3);
  CHECK_THAT(lower.out, Catch::Contains("limit of 127,999,999"));
}

TEST_CASE("bench --protocol refuses a measured phase with no timed run, naming the field", "[cli]") {
  const Result r = run(R"(bench --preset paper-dnn --depth 1 --width 8 --protocol '{"train_runs":0,"phases":["train"]}')",
                       true);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("protocol.train_runs must be at least 1"));
}
