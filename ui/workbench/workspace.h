// A workspace file: everything the window needs to pick up where it left off
// (the model spec, the data choice, the backends, the protocol and the results
// so far) in one JSON document:
//
//   {"format": "gapscope.workspace/1",
//    "saved": "2026-11-26T06:15:00Z",                      (UTC, informational)
//    "app": {"gapscope": "0.1.0", "git_revision": "9ca5b58"},   (informational)
//    "spec": {...},                  a ModelSpec ("gapscope.model/1"), an object
//    "data": {"source": "mnist"},    the data panel's choice, an object
//    "backends": ["native-cpu", "tfjs-wasm"],
//    "protocol": {"runs_scale": 1.0, "batch_size": 64},
//    "view": {...},                  how the window showed them (optional, an object):
//                                    compare_log, live_log, live (the live charts'
//                                    points), sweep_grid (the Sweep tab's grid)
//    "records": [{...}, ...]}        gapscope.measurement/1 records, one a line
//
// Reading checks the shape of every field and names the file and the field in
// its errors. The spec's content is not checked here: the model builder shows
// its errors inline, so a workspace with a half-built model still opens.
// Unknown top-level fields are ignored, so that a later version can add
// fields that this one reads past.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <QString>
#include <nlohmann/json.hpp>

namespace gapscope::ui {

inline constexpr const char* kWorkspaceFormat = "gapscope.workspace/1";
// A workspace holds results, not datasets or weights: bigger is a wrong file.
inline constexpr int64_t kWorkspaceMaxBytes = int64_t{256} << 20;

struct Workspace {
  nlohmann::json spec;                                // ModelSpec JSON
  nlohmann::json data = {{"source", "mnist"}};        // the data panel's choice, opaque here
  std::vector<std::string> backends;                  // backend ids, in run order
  double runs_scale = 1.0;                            // > 0
  int64_t batch_size = 64;                            // >= 1
  std::vector<nlohmann::json> records;                // measurement, failure and run records
  nlohmann::json view = nlohmann::json::object();     // the window's view of them, opaque here
};

// Writes atomically: on any failure (read-only directory, full disk, the path
// is a directory) throws std::runtime_error naming the file and the reason and
// leaves the previous file intact. A workspace that would not load back (e.g.
// a spec that is not an object) is refused the same way, before writing.
void save_workspace(const QString& path, const Workspace& workspace);

// Throws std::runtime_error naming the file and what is wrong: too big (over
// kWorkspaceMaxBytes, checked before reading), not JSON (line and column), not
// a workspace, or the field at fault ("backends[2] must be a string").
Workspace load_workspace(const QString& path);

}  // namespace gapscope::ui
