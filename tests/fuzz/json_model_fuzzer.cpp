// The JSON model file (core/io/json_model_format.cpp): spec plus weights as numbers.
#include <cstdint>
#include <string>

#include "core/io/model_formats.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::write_scratch_file("model.json", fuzz::as_text(data, size));
  try {
    ModelFile model = load_json_model(path, ModelFileLimits{});
    (void)model;
  } catch (const ModelFileError&) {
  }
  return 0;
}
