// Inputs the fuzzer (tests/fuzz/idx_fuzzer.cpp) found, kept as regression tests.
#include "core/data/idx_reader.h"

#include "tests/core/data/idx_test_files.h"

using namespace gapscope;
using namespace gapscope::test;
using Catch::Matchers::Contains;

TEST_CASE("IDX images: rows x columns over int64 is refused by the per-sample limit", "[data][idx][fuzz-regression]") {
  // 254 images of 0xF6F6F6F6 x 0xF6F6F6F6 pixels: the product overflowed int64 (UBSan) before the limit check.
  const Bytes header = {0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0xFE, 0xF6, 0xF6, 0xF6, 0xF6,
                        0xF6, 0xF6, 0xF6, 0xF6, 0xF6, 0xF6, 0x02, 0x00, 0x00, 0x00, 0x08, 0x6A};
  ScratchDirectory dir;
  for (bool gzipped : {false, true}) {
    const std::string path = dir.file(gzipped ? "images.idx.gz" : "images.idx");
    gzipped ? write_gzip(path, header) : write_raw(path, header);
    CHECK_THROWS_AS(IdxImageReader(path, DataLimits{}), DataError);
    CHECK_THROWS_WITH(IdxImageReader(path, DataLimits{}),
                      Contains("4143380214 x 4143380214 = 17167599597766685796 pixels") &&
                          Contains("more than the limit of 16777216 elements per sample"));
  }
}
