// Creates an ops backend by id; a backend that is not available says why.
#pragma once
#include <memory>
#include <string>

#include "core/ops/ops_backend.h"

namespace gapscope::cli {

std::unique_ptr<OpsBackend> make_backend(const std::string& id, int threads);
const char* backends_help();

}  // namespace gapscope::cli
