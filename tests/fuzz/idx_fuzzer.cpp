// IDX files, raw or gzip (core/data/idx_reader.h): every input is opened as
// an images file and as a labels file, and read to the end.
#include <cstdint>
#include <string>

#include "core/data/idx_reader.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::write_scratch_file("data.idx", fuzz::as_text(data, size));
  // The reader is told the memory it may plan with, as GAPSCOPE_MEMORY_BUDGET
  // tells it on a shared machine: the fuzzer runs under -rss_limit_mb=2048 and
  // counts one allocation above that as out-of-memory, while a header's
  // images reserved against this machine's MemAvailable may be more.
  DataLimits limits{};
  limits.memory_bytes = 512LL << 20;
  try {
    IdxImageReader images(path, limits);
    std::vector<float> pixels = images.read_normalized_pixels();
    (void)pixels;
  } catch (const DataError&) {
  }
  try {
    IdxLabelReader labels(path, limits);
    std::vector<int32_t> values = labels.read_labels(10);
    (void)values;
  } catch (const DataError&) {
  }
  return 0;
}
