// `gapscope reproduce paper --parts zoo`: the paper's Section 5.1 (Table 4,
// Figure 5) through the real executable: each zoo model runs on native-cpu
// and the TF.js backends in the embedded page, one run per model in the
// history, and the report sets Table 4 beside the paper's values. At 75 px
// (--zoo-input-size) so it takes seconds; offscreen, tfjs-webgl has no WebGL
// and is a failure with its reason, not a crash.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include "core/store/results_store.h"
#include "tests/ui/app/gapscope_cli_support.h"

namespace gapscope::test {

TEST_CASE("reproduce paper --parts zoo measures Section 5.1 and reports Table 4 and Figure 5", "[cli]") {
  QTemporaryDir dir;
  const QString out = dir.filePath("report"), db = dir.filePath("history.db");
  const CliResult r = run_gapscope({"reproduce", "paper", "--quick", "--parts", "zoo", "--zoo-input-size", "75", "--out",
                                    out, "--db", db});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  QFile report(out + "/report.html");
  REQUIRE(report.open(QIODevice::ReadOnly));
  const std::string html = report.readAll().toStdString();
  CHECK_THAT(html, Catch::Contains("Table 4 (reproduced)") && Catch::Contains("Figure 5 (reproduced)"));
  // Table 4: Keras's parameter counts beside the paper's, and the files' sizes.
  CHECK_THAT(html, Catch::Contains("<td>mobilenet-v2</td>") && Catch::Contains("<td>resnet50</td>") &&
                       Catch::Contains("25.6 M") && Catch::Contains("99.0 MB"));
  // Figure 5: the browser's times with their ratio to native-cpu; webgl's failure named.
  CHECK_THAT(html, Catch::Contains("<td>tfjs-wasm</td>") && Catch::Contains("\u00d7"));
  CHECK_THAT(html, Catch::Contains("resnet50 on tfjs-webgl failed: unavailable"));
  CHECK_THAT(html, Catch::Contains("Not measurable here: native-vulkan did not run"));
  CHECK(QFile::exists(out + "/records-zoo-resnet50.jsonl"));

  // One finished run per model in the history, each backend done but webgl.
  ResultsStore store = ResultsStore::open(db.toStdString(), StoreAccess::read);
  int zoo_runs = 0;
  for (const RunSummary& run : store.list_runs({.kind = "run"})) {
    INFO(run.label);
    CHECK(run.metadata.at("reproduce").at("part").get<std::string>().rfind("zoo-", 0) == 0);
    CHECK(run.configurations == 4);
    CHECK(run.done == 3);
    ++zoo_runs;
  }
  CHECK(zoo_runs == 2);
}

}  // namespace gapscope::test
