// ModelSpec JSON (core/spec/model_spec.h parse_model_spec_text). A spec that
// parses must also write and parse back to the same JSON: a file we accept is
// a file we can save and reopen.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/spec/model_spec.h"
#include "tests/fuzz/fuzz_support.h"

using namespace gapscope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ModelSpec spec;
  try {
    spec = parse_model_spec_text(std::string(fuzz::as_text(data, size)));
  } catch (const SpecError&) {
    return 0;
  }
  const nlohmann::json written = model_spec_to_json(spec);
  const ModelSpec reread = parse_model_spec(written);  // a SpecError here is a finding
  if (model_spec_to_json(reread) != written) std::abort();
  return 0;
}
