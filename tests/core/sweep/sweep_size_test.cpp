// The sweep size limit: every factor is named, and a product too large for
// 64 bits is still refused (not wrapped into a small number).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/sweep/sweep_size.h"

using namespace gapscope;
using Catch::Matchers::Contains;

TEST_CASE("a sweep of more than 100,000 items is refused naming its grid sizes", "[sweep]") {
  CHECK_NOTHROW(check_sweep_size(10, 100, 10, 10));  // exactly the limit
  CHECK_THROWS_WITH(check_sweep_size(64, 2000, 1, 1000),
                    "sweep: 64 depths x 2,000 widths x 1 backend x 1,000 rounds = 128,000,000 items, more than the "
                    "limit of 100,000 (use fewer depths, widths, backends or rounds)");
  CHECK_THROWS_WITH(check_sweep_size(size_t{1} << 40, size_t{1} << 40, 1, 1), Contains("= more than "));
  CHECK_THROWS_AS(check_sweep_size(1, 1, 1, 100001), std::invalid_argument);
  // A caller that lets people raise the limit says how.
  CHECK_NOTHROW(check_sweep_size(64, 2000, 1, 1000, 128000000));
  CHECK_THROWS_WITH(check_sweep_size(64, 2000, 1, 1000, 1000000, "raise the limit with --max-items N"),
                    Contains("more than the limit of 1,000,000 (use fewer depths, widths, backends or rounds, or raise "
                             "the limit with --max-items N)"));
}
