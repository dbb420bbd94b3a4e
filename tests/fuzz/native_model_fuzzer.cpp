// The native binary model file (core/io/native_model_format.cpp): header,
// topology JSON, weight table and placements. The fuzzer's bytes get a
// correct CRC-32C written over their last 4 bytes, so mutations reach the
// topology and weight checks instead of stopping at the checksum.
#include <cstdint>
#include <string>

#include "core/io/crc32c.h"
#include "core/io/little_endian.h"
#include "core/io/model_formats.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(fuzz::as_text(data, size));
  if (bytes.size() >= 4) {
    const size_t body = bytes.size() - 4;
    store_u32_le(bytes.data() + body, crc32c(std::string_view(bytes).substr(0, body)));
  }
  const std::string path = fuzz::write_scratch_file("model.gsm", bytes);
  try {
    ModelFile model = load_native_model(path, ModelFileLimits{});
    (void)model;
  } catch (const ModelFileError&) {
  }
  return 0;
}
