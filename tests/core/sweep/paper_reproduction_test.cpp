#include <catch2/catch.hpp>

#include "core/sweep/paper_reproduction.h"

using namespace gapscope;

namespace {

size_t items_of(const std::vector<ReproductionPart>& parts) {
  size_t n = 0;
  for (const auto& part : parts) n += plan_sweep(part.grid).size();
  return n;
}

}  // namespace

TEST_CASE("the reproduction covers Section 4 and the three gap grids, --quick far smaller", "[sweep]") {
  const auto full = paper_reproduction(false), quick = paper_reproduction(true);
  REQUIRE(full.size() == 6);
  REQUIRE(quick.size() == 6);
  CHECK(full[0].grid.name == "paper-fig1-4");
  CHECK(full[0].grid.depths == std::vector<int64_t>{1, 2, 4, 8});  // the paper's Figures 1-4 grid, whole
  CHECK(full[0].grid.rounds == 2);
  CHECK(full[1].grid.model == "paper-dnn");
  CHECK(full[2].grid.model == "paper-cnn");
  CHECK(full[3].grid.model == "paper-rnn");
  // The budget: item counts that fit 30 minutes and 5 minutes on 2 cores
  // (pytorch-cpu's items take a few seconds each, most of it Python starting).
  CHECK(items_of(full) <= 300);
  CHECK(items_of(quick) <= 80);
  for (const auto& part : quick) {
    if (part.key.rfind("frameworks-", 0) != 0) CHECK_FALSE(part.grid.notes.empty());
    CHECK(part.grid.rounds == 1);
  }
  // Section 3: the other frameworks on the smallest CNN and RNN.
  CHECK(full[4].grid.model == "paper-cnn");
  CHECK(full[5].grid.model == "paper-rnn");
  CHECK(full[4].grid.backends == std::vector<std::string>{"convnetjs", "brainjs", "synaptic"});
  CHECK(plan_sweep(full[5].grid).size() == 3);
  // Every gap part compares TF.js with native and with PyTorch; native-vulkan only when asked.
  for (size_t i = 1; i < 4; ++i) {
    CHECK(full[i].grid.backends.front() == "native-cpu");
    CHECK(std::count(full[i].grid.backends.begin(), full[i].grid.backends.end(), "pytorch-cpu") == 1);
    CHECK(std::count(full[i].grid.backends.begin(), full[i].grid.backends.end(), "native-vulkan") == 0);
  }
  const auto with_gpu = paper_reproduction(false, true);
  CHECK(std::count(with_gpu[1].grid.backends.begin(), with_gpu[1].grid.backends.end(), "native-vulkan") == 1);
}
