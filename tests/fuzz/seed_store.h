// The run history the fuzz targets start from: one sweep run with a done and
// a failed configuration and a measurement, written by the store itself.
// make_seed_corpus writes it as the results_store seed; results_store_json
// builds it once per process and fuzzes one JSON column of it.
#pragma once
#include <filesystem>

#include <nlohmann/json.hpp>

#include "core/measure/measurement.h"
#include "core/store/results_store.h"

namespace gapscope::fuzz {

// The JSON columns of the history, each read back by parse_json_text.
struct StoreJsonColumn {
  const char* table;
  const char* column;
};
inline constexpr StoreJsonColumn kStoreJsonColumns[] = {
    {"runs", "record"}, {"configurations", "phases"}, {"configurations", "config"}, {"measurements", "record"}};

inline void write_seed_store(const std::filesystem::path& path) {
  {
    ResultsStore store = ResultsStore::open(path);
    nlohmann::json record = run_metadata("seed-run");
    record["started"] = "2026-11-26T06:15:00Z";
    store.begin_run(record, "sweep", "seed");
    ConfigurationPlan plan{0, "paper-dnn-1x8", "native-cpu", {"infer", "train"},
                           {{"preset", "paper-dnn"}, {"depth", 1}, {"width", 8}, {"batch", 32}}};
    const int64_t c0 = store.add_configuration("seed-run", plan);
    Measurement m = make_measurement("infer", "ms", {1.5, 1.2, 1.9});
    m.run_id = "seed-run";
    m.backend = "native-cpu";
    m.model = "paper-dnn-1x8";
    m.config = plan.config;
    m.capabilities = {{"threads", "1"}};
    store.record_measurement(c0, m);
    store.mark_done(c0);
    plan.index = 1;
    plan.backend = "tfjs-wasm";
    store.mark_failed(store.add_configuration("seed-run", plan), "crash", "the page crashed");
  }
  for (const char* side : {"-journal", "-wal", "-shm"}) std::filesystem::remove(path.string() + side);
}

}  // namespace gapscope::fuzz
