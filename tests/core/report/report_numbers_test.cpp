#include <catch2/catch.hpp>

#include <cmath>

#include "core/report/report_numbers.h"

using namespace gapscope;

TEST_CASE("numbers are shown with three significant digits", "[report]") {
  CHECK(format_significant(12.345) == "12.3");
  CHECK(format_significant(0.012345) == "0.0123");
  CHECK(format_significant(1234.6) == "1235");
  CHECK(format_significant(9.996) == "10.0");
  CHECK(format_significant(2) == "2.00");
  CHECK(format_significant(1.234e7) == "1.23e7");
  CHECK(format_significant(0.0001234) == "1.23e-4");
  CHECK(format_significant(0) == "0");
  CHECK(format_significant(NAN) == "n/a");
  CHECK(format_plain(64) == "64");
  CHECK(format_plain(0.125) == "0.125");
}

TEST_CASE("times and sizes pick the unit that keeps them short", "[report]") {
  CHECK(format_milliseconds(0.85) == "850 µs");
  CHECK(format_milliseconds(12.34) == "12.3 ms");
  CHECK(format_milliseconds(1234) == "1.23 s");
  CHECK(format_bytes(512) == "512 bytes");
  CHECK(format_bytes(12345) == "12.3 KB");
  CHECK(format_bytes(4.56e6) == "4.56 MB");
  CHECK(format_bytes(2.5e9) == "2.50 GB");
  CHECK(format_measure(2, "ratio") == "2.00");
  CHECK(format_ratio(12.34) == "12.3×");
  CHECK(display_unit("ms", 0.5).label == "µs");
  CHECK(display_unit("bytes", 3e6).scale == 1e-6);
}

TEST_CASE("exact numbers read back as the same double", "[report]") {
  CHECK(format_exact(0.1) == "0.1");
  CHECK(std::stod(format_exact(1.0 / 3)) == 1.0 / 3);
  CHECK(format_exact(NAN).empty());
}
