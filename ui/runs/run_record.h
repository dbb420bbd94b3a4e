// The "run" record of work that runs in this (Qt) process: run_metadata()'s
// machine and software facts plus Qt, QtWebEngine/Chromium (and its flags),
// the TF.js version the harness ships, the seed and the command line, so the
// run history can say what produced every number.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace gapscope::ui {

nlohmann::json qt_run_record(const std::string& run_id, uint64_t seed, const std::string& flags);

// The version in node_modules/@tensorflow/tfjs/package.json under the web
// root ($GAPSCOPE_WEB_DIR, else beside the executable); "unknown" when it
// cannot be read.
std::string shipped_tfjs_version();

}  // namespace gapscope::ui
