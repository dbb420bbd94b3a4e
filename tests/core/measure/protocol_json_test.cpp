// A protocol from JSON (bench --protocol, the app's child processes): a phase
// it measures needs at least one timed run, or its record would be a median
// of 0 from no sample; warm-ups may be 0.
#include <catch2/catch.hpp>

#include <stdexcept>

#include "core/measure/protocol_json.h"

using namespace gapscope;

TEST_CASE("a protocol measuring a phase with 0 timed runs is refused naming the field", "[protocol]") {
  CHECK_THROWS_WITH(protocol_from_json({{"train_runs", 0}, {"phases", {"train"}}}),
                    "protocol.train_runs must be at least 1 while phases has \"train\", got 0");
  CHECK_THROWS_WITH(protocol_from_json({{"infer_runs", 0}}),  // the default phases measure infer
                    Catch::Contains("protocol.infer_runs"));
  for (const char* field : {"load_runs", "warmup_runs"})
    CHECK_THROWS_WITH(protocol_from_json({{field, 0}}), Catch::Contains(std::string("protocol.") + field));
  // Not measured, or only warm-ups at 0: fine.
  const Protocol p = protocol_from_json({{"train_runs", 0}, {"train_warmup", 0}, {"phases", {"infer"}}});
  CHECK(p.train_runs == 0);
  CHECK(protocol_from_json({{"infer_warmup", 0}, {"load_warmup", 0}}).infer_warmup == 0);
}
