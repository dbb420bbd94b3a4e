// The reproduction's report before anything ran: Table 1 lists the paper's
// seven frameworks, the ones run here by their backends (all in the catalog)
// and the others with the reason; the paper's stated gap numbers are there
// beside the trees, and the empty sections say what is missing.
#include <catch2/catch.hpp>

#include "core/analysis/paper_reference.h"
#include "core/measure/backend_catalog.h"
#include "core/report/paper_report.h"

namespace gapscope::test {

TEST_CASE("Table 1 names the seven frameworks: the backends that run them or why they do not run", "[report]") {
  const auto& rows = paper_table1();
  REQUIRE(rows.size() == 7);
  int run = 0;
  for (const PaperFramework& f : rows) {
    for (const std::string& backend : f.backends) CHECK(find_backend(backend) != nullptr);
    CHECK(f.backends.empty() != f.not_run_reason.empty());  // one or the other
    if (!f.backends.empty()) ++run;
  }
  CHECK(run == 4);  // TF.js, ConvNetJS, brain.js, synaptic

  const std::string html = paper_report_html({});
  using Catch::Matchers::Contains;
  CHECK_THAT(html, Contains("Table 1: the frameworks the paper surveyed"));
  CHECK_THAT(html, Contains("runs as tfjs-cpu, tfjs-wasm, tfjs-webgl"));
  CHECK_THAT(html, Contains("Keras.js") && Contains("WebDNN") && Contains("Mind"));
  CHECK_THAT(html, Contains("not run: inference only"));
  CHECK_THAT(html, Contains("DNN training, browser / native time ratio, average 33.9 x"));
  CHECK_THAT(html, Contains("Not measured: the reproduction has no Section 4 sweep"));
}

}  // namespace gapscope::test
