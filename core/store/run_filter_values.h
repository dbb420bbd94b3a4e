// The values a run filter (RunFilter, results_store.h) accepts from people:
// the kinds of run the history holds and the dates it compares. A value
// outside these matches no run, so the CLI refuses it rather than print
// "0 runs".
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gapscope {

// Who started a run (runs.kind): `gapscope run`, a sweep (CLI or the Sweep
// tab), the workbench's Run button. ResultsStore::begin_run takes no other.
inline const std::vector<std::string> kRunKinds = {"run", "sweep", "workbench"};

// Dates as runs are stored (ISO-8601 UTC) and compared as text.
inline constexpr const char* kRunDateForms = "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)";

// `text` if it has one of kRunDateForms and is a real date and time
// (2026-02-30 is not); nullopt otherwise.
std::optional<std::string> run_date(std::string_view text);

}  // namespace gapscope
