// Comparing two stored runs: B/A per configuration and phase, and a warning
// when the runs were measured differently (run scale, batch), which would
// otherwise read as a change of speed.
#include <catch2/catch.hpp>

#include <QLabel>
#include <QTableWidget>

#include "core/measure/measurement.h"
#include "ui/history/run_comparison_view.h"

namespace gapscope::test {
namespace {

StoredRun one_configuration_run(const std::string& id, int timed_runs, int64_t batch, double ms) {
  StoredRun run;
  run.summary.id = id;
  run.summary.kind = "run";
  StoredConfiguration c;
  c.plan.backend = "native-cpu";
  c.plan.model = "paper-dnn-1x64";
  c.plan.config = {{"preset", "paper-dnn"}, {"depth", 1}, {"width", 64}, {"batch", batch}};
  c.status = ConfigurationStatus::done;
  Measurement m = make_measurement("train", "ms", std::vector<double>(static_cast<size_t>(timed_runs), ms));
  m.backend = "native-cpu";
  c.measurements.push_back(m);
  run.configurations.push_back(c);
  return run;
}

}  // namespace

TEST_CASE("Comparing two runs says when they used different run counts or batch sizes", "[history-gui]") {
  ui::RunComparisonView view;
  view.setRuns(one_configuration_run("a", 30, 64, 2.0), one_configuration_run("b", 30, 64, 3.0));
  REQUIRE(view.table()->rowCount() == 1);
  CHECK(view.table()->item(0, ui::RunComparisonView::kRatioColumn)->text() == "1.50");
  CHECK_FALSE(view.summaryLabel()->text().contains("different"));

  view.setRuns(one_configuration_run("a", 30, 64, 2.0), one_configuration_run("b", 3, 32, 3.0));
  const QString summary = view.summaryLabel()->text();
  CHECK(summary.contains("different run counts (run scale): train 30 in A, 3 in B timed runs"));
  CHECK(summary.contains("different batch sizes: 64 in A, 32 in B"));
  CHECK(summary.contains("native-cpu train: 1.50"));
}

}  // namespace gapscope::test
