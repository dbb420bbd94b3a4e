// TF's window arithmetic (core/base/window_size) and its JS twin in the web
// harness (model_spec.js windowAxis) agree on every case of a table: sizes
// 1..13, windows 1..6, strides 1..4, valid and same.
#include <catch2/catch.hpp>

#include "core/base/window_size.h"
#include "tests/core/node_support.h"

namespace gapscope {

TEST_CASE("window sizes follow TF's valid and same rules", "[base][window]") {
  CHECK(window_axis(28, 5, 1, Padding::valid).out == 24);
  CHECK(window_axis(28, 2, 2, Padding::valid).out == 14);
  CHECK(window_axis(4, 5, 1, Padding::valid).out == 0);  // does not fit
  const WindowAxis same = window_axis(28, 5, 2, Padding::same);
  CHECK(same.out == 14);
  CHECK(same.pad_total == 3);
  CHECK(same.pad_before == 1);  // the odd pixel goes bottom/right
  CHECK(window_axis(7, 3, 0, Padding::same).out == 7);  // an invalid stride counts as 1
}

TEST_CASE("the harness's windowAxis is the twin of window_axis", "[base][window][harness]") {
  nlohmann::json cases = nlohmann::json::array();
  for (int64_t in = 1; in <= 13; ++in)
    for (int64_t k = 1; k <= 6; ++k)
      for (int64_t s = 1; s <= 4; ++s)
        for (const char* padding : {"valid", "same"}) cases.push_back({in, k, s, padding});
  const nlohmann::json js = test::run_node_on_harness(R"(
    const spec = require(process.argv[2] + '/model_spec.js');
    const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    console.log(JSON.stringify(cases.map(([i, k, s, p]) => spec.windowAxis(i, k, s, p))));
  )", cases);
  REQUIRE(js.size() == cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const WindowAxis cpp = window_axis(c[0], c[1], c[2], c[3] == "same" ? Padding::same : Padding::valid);
    INFO(c.dump() << " -> C++ out " << cpp.out << " pad " << cpp.pad_before << "/" << cpp.pad_total << ", JS "
                  << js[i].dump());
    CHECK(js[i]["out"] == cpp.out);
    CHECK(js[i]["padBefore"] == cpp.pad_before);
    CHECK(js[i]["padTotal"] == cpp.pad_total);
  }
}

}  // namespace gapscope
