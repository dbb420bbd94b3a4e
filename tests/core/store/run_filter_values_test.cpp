// The values `gapscope history` filters by: a date has one of the two stored
// forms and exists; anything else is refused instead of matching no run.
#include <catch2/catch.hpp>

#include "core/store/run_filter_values.h"

using namespace gapscope;

TEST_CASE("run dates take YYYY-MM-DD and YYYY-MM-DDTHH:MM:SSZ of real days and times", "[store][filter]") {
  for (const char* good : {"2026-11-01", "2024-02-29", "2026-11-01T12:00:00Z", "1999-12-31T23:59:59Z"})
    CHECK(run_date(good) == std::optional<std::string>(good));
  for (const char* bad : {"", "garbage", "2026-11-1", "2026/11/01", "2026-02-30", "2025-02-29", "2026-13-01",
                          "2026-00-10", "2026-11-01T12:00:00", "2026-11-01 12:00:00Z", "2026-11-01T24:00:00Z",
                          "2026-11-01T12:60:00Z", "+026-11-01", "2026-11-01T12:00:00+01", "yesterday"})
    CHECK_FALSE(run_date(bad).has_value());
}
