#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "core/sweep/sweep_plan.h"
#include "core/sweep/sweep_presets.h"

using namespace gapscope;

namespace {

SweepGrid small_grid() {
  SweepGrid grid;
  grid.model = "paper-dnn";
  grid.depths = {1, 2};
  grid.widths = {8, 16};
  grid.backends = {"native-cpu", "tfjs-wasm"};
  grid.rounds = 2;
  return grid;
}

}  // namespace

TEST_CASE("a plan visits every point on every backend once per round, indexes in order", "[sweep]") {
  const auto items = plan_sweep(small_grid());
  REQUIRE(items.size() == 2 * 2 * 2 * 2);
  std::map<std::tuple<int64_t, int64_t, std::string, int>, int> visits;
  for (size_t i = 0; i < items.size(); ++i) {
    CHECK(items[i].index == static_cast<int64_t>(i));
    ++visits[{items[i].depth, items[i].width, items[i].backend, items[i].round}];
  }
  CHECK(visits.size() == items.size());
  // Rounds are whole passes over the grid (A B A B): round 0 ends before round 1 starts.
  for (size_t i = 0; i < items.size(); ++i) CHECK(items[i].round == (i < 8 ? 0 : 1));
}

TEST_CASE("backends rotate so that none always runs first at a point", "[sweep]") {
  const auto items = plan_sweep(small_grid());
  std::map<std::string, int> first;
  for (size_t i = 0; i < items.size(); i += 2) ++first[items[i].backend];
  CHECK(first["native-cpu"] == 4);
  CHECK(first["tfjs-wasm"] == 4);
}

TEST_CASE("the plan is deterministic and its grid survives JSON", "[sweep]") {
  SweepGrid grid = small_grid();
  grid.notes = {"trimmed: widths 1024"};
  const SweepGrid back = sweep_grid_from_json(to_json(grid));
  CHECK(to_json(back) == to_json(grid));
  const auto a = plan_sweep(grid), b = plan_sweep(back);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].backend == b[i].backend);
    CHECK(a[i].depth == b[i].depth);
  }
}

TEST_CASE("skipped points are left out of the plan", "[sweep]") {
  SweepGrid grid = small_grid();
  grid.skip_points = {{2, 16}};
  const auto items = plan_sweep(grid);
  CHECK(items.size() == 3 * 2 * 2);
  for (const auto& item : items) CHECK_FALSE((item.depth == 2 && item.width == 16));
  CHECK(sweep_grid_from_json(to_json(grid)).skip_points == grid.skip_points);
  grid.skip_points = {{1, 8}, {1, 16}, {2, 8}, {2, 16}};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("every grid point is skipped"));
}

TEST_CASE("tasks choose the phases; file sizes are measured in round 0 only", "[sweep]") {
  SweepGrid grid = small_grid();
  grid.tasks = {"infer"};
  CHECK(sweep_phases(grid, 0) == std::vector<std::string>{"load", "warmup", "infer", "file_size"});
  CHECK(sweep_phases(grid, 1) == std::vector<std::string>{"load", "warmup", "infer"});
  grid.tasks = {"train"};
  grid.file_size = false;
  CHECK(sweep_phases(grid, 0) == std::vector<std::string>{"train"});
  // Each round gets its share of the runs.
  grid.runs_scale = 1.0;
  grid.rounds = 2;
  CHECK(sweep_protocol(grid, 0).train_runs == Protocol{}.train_runs / 2);
  CHECK(sweep_protocol(grid, 0).batch_size == 64);
}

TEST_CASE("bad grids are refused naming the field", "[sweep]") {
  SweepGrid grid = small_grid();
  grid.backends = {"native-cpu", "tfjs-gpu"};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("unknown backend 'tfjs-gpu'"));
  grid = small_grid();
  grid.widths = {};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("no widths"));
  grid = small_grid();
  grid.rounds = 0;
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("rounds 0"));
  grid = small_grid();
  grid.tasks = {"predict"};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("unknown task 'predict'"));
  grid = small_grid();
  grid.depths = {1, 100};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("depth 100"));
  grid = small_grid();
  grid.widths.resize(20000, 8);
  grid.depths = {1, 2, 3};
  CHECK_THROWS_WITH(plan_sweep(grid), Catch::Contains("3 depths x 20,000 widths x 2 backends x 2 rounds = 240,000 "
                                                      "items, more than the limit of 100,000"));
  CHECK_THROWS_WITH(sweep_grid_from_json(nlohmann::json{{"model", "paper-dnn"}}), Catch::Contains("bad grid JSON"));
}

TEST_CASE("presets: the paper's grids; trimming says what it left out", "[sweep]") {
  const SweepGrid fig = sweep_preset("paper-fig1-4");
  CHECK(fig.depths == std::vector<int64_t>{1, 2, 4, 8});
  CHECK(fig.widths == std::vector<int64_t>{64, 128, 256});
  CHECK(fig.batch == 64);
  CHECK(fig.backends.size() == 7);
  CHECK(fig.notes.empty());
  for (const auto& name : sweep_preset_names()) {
    const SweepGrid full = sweep_preset(name), trimmed = sweep_preset(name, true);
    CHECK_NOTHROW(plan_sweep(full));
    CHECK(plan_sweep(trimmed).size() < plan_sweep(full).size());
    CHECK(trimmed.notes.size() > full.notes.size());
    // A gap grid's first note says which source it follows; the rest what trimming left out.
    const size_t source_notes = name == "paper-fig1-4" ? 0 : 1;
    REQUIRE(full.notes.size() == source_notes);
    if (source_notes) CHECK_THAT(full.notes[0], Catch::StartsWith("grid: Table 5"));
    for (size_t i = source_notes; i < trimmed.notes.size(); ++i)
      CHECK_THAT(trimmed.notes[i], Catch::Contains("trimmed"));
  }
  // Table 5's grids: the CNN in the authors' code's units and filters, the RNN's widths as printed.
  CHECK(sweep_preset("paper-gap-cnn").depths == std::vector<int64_t>{1, 2, 4, 8});
  CHECK(sweep_preset("paper-gap-cnn").widths == std::vector<int64_t>{8, 16, 32});
  CHECK(sweep_preset("paper-gap-rnn").widths == std::vector<int64_t>{4, 8, 16, 32, 64, 256});
  CHECK(sweep_preset("paper-gap-rnn", true).widths == std::vector<int64_t>{4, 8, 16, 32, 64});
  CHECK_THROWS_WITH(sweep_preset("paper-fig5"), Catch::Contains("known: paper-fig1-4"));
}
