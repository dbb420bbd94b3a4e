// A results store with one run ("r1", started 2026-11-26T06:15:00Z) of `kind`
// ("run", "sweep"), one native-cpu configuration of paper-dnn-1x8 and one
// infer measurement, written by the store itself; the configuration is marked
// done when `done`. For tests that then damage or read the database.
#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/measure/measurement.h"
#include "core/store/results_store.h"

namespace gapscope::test {

inline std::filesystem::path write_one_run_store(const std::filesystem::path& path, const std::string& kind,
                                                 bool done) {
  ResultsStore store = ResultsStore::open(path);
  nlohmann::json record = run_metadata("r1");
  record["started"] = "2026-11-26T06:15:00Z";
  store.begin_run(record, kind);
  const int64_t c = store.add_configuration("r1", {0, "paper-dnn-1x8", "native-cpu", {"infer"}, {{"batch", 32}}});
  Measurement m = make_measurement("infer", "ms", {1.0, 2.0, 3.0});
  m.run_id = "r1";
  m.backend = "native-cpu";
  m.model = "paper-dnn-1x8";
  store.record_measurement(c, m);
  if (done) store.mark_done(c);
  return path;
}

}  // namespace gapscope::test
