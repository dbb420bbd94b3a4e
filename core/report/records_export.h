// A stored run's raw records for other tools: CSV (one row per measurement
// and per failed configuration, RFC 4180) and JSON lines in the measurement
// schema (docs/measurement-schema.md), so an export reads like a runner's
// own output.
#pragma once
#include <string>

#include "core/store/results_store.h"

namespace gapscope {

// Header: run_id, configuration, model, preset, depth, width, batch, round,
// backend, status, phase, format, unit, n, warmup, median, p10, p90, mean,
// min, max, samples (space-separated), capabilities (k=v;k=v), reason,
// message. Numbers are exact (shortest text that reads back the same); an
// unknown one is empty. Lines end in CRLF.
std::string records_csv(const StoredRun& run);

// The run's metadata record, then every measurement (to_json, its config the
// configuration's), then every failure (failure_record), one JSON per line.
std::string records_json(const StoredRun& run);

// One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace gapscope
