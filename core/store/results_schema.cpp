#include "core/store/results_schema.h"

namespace gapscope {

namespace {

// Version 1. Times are ISO-8601 UTC text ("2026-11-26T06:15:00Z"), so they sort
// and compare as text. Each row keeps its whole JSON record (nothing a runner
// wrote is lost) next to the columns that lists and filters search.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE runs (
  id                  TEXT PRIMARY KEY,
  created             TEXT NOT NULL,
  kind                TEXT NOT NULL DEFAULT 'run',   -- run | sweep | ...
  label               TEXT NOT NULL DEFAULT '',
  app_version         TEXT,
  git_revision        TEXT,
  cpu_model           TEXT,
  hardware_threads    INTEGER,
  vulkan_device       TEXT,
  qt_version          TEXT,
  qtwebengine_version TEXT,
  chromium_version    TEXT,
  chromium_flags      TEXT,
  tfjs_version        TEXT,
  compiler            TEXT,
  seed                INTEGER,
  flags               TEXT,
  record              TEXT NOT NULL                  -- the run metadata JSON
);
CREATE INDEX runs_by_created ON runs (created);

CREATE TABLE configurations (
  id              INTEGER PRIMARY KEY,
  run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,                  -- index in the run's plan; resuming skips done ones
  model           TEXT NOT NULL,
  preset          TEXT,
  depth           INTEGER,
  width           INTEGER,
  batch           INTEGER,
  backend         TEXT NOT NULL,
  phases          TEXT NOT NULL DEFAULT '[]',        -- JSON array of phase names
  config          TEXT NOT NULL DEFAULT '{}',        -- JSON
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  failure_reason  TEXT,
  failure_message TEXT,
  UNIQUE (run_id, position)
);
CREATE INDEX configurations_by_backend ON configurations (backend);
CREATE INDEX configurations_by_model ON configurations (model);

CREATE TABLE measurements (
  id               INTEGER PRIMARY KEY,
  configuration_id INTEGER NOT NULL REFERENCES configurations (id) ON DELETE CASCADE,
  backend          TEXT NOT NULL,
  phase            TEXT NOT NULL,
  format           TEXT NOT NULL DEFAULT '',         -- '' except for file_size
  unit             TEXT NOT NULL,
  median           REAL,
  p10              REAL,
  p90              REAL,
  mean             REAL,
  min              REAL,
  max              REAL,
  n                INTEGER NOT NULL,
  warmup           INTEGER NOT NULL,
  samples          TEXT NOT NULL,                    -- JSON array
  capabilities     TEXT NOT NULL,                    -- JSON object
  record           TEXT NOT NULL,                    -- the measurement JSON
  UNIQUE (configuration_id, phase, format)
);
)sql";

}  // namespace

const Migrations& results_migrations() {
  static const Migrations steps = {kVersion1};
  return steps;
}

}  // namespace gapscope
