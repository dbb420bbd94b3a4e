// The results store's schema, as the migration steps that build it.
#pragma once
#include "core/store/schema_migration.h"

namespace gapscope {

// Step i turns version i into i + 1; the current version is the list's size.
// Append a step for every schema change; never edit a released one.
const Migrations& results_migrations();
inline constexpr int64_t kResultsSchemaVersion = 1;

}  // namespace gapscope
