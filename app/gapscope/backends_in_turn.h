// A job on each backend planned in a RunSession, one after another (never two
// at once), as `gapscope run` and the reproduction's zoo part run them: native
// backends in a gapscope-native child, the browser ones in one embedded page
// session opened for the first of them. Ctrl-C (app/common/interrupt.h, whose
// handler the caller installs) cancels the backend in flight and skips the rest.
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/run/run_session.h"

namespace gapscope::cli {

struct BackendHooks {
  std::function<void(size_t index)> started;                                          // may be empty
  std::function<void(size_t index, ItemOutcome outcome, double seconds)> finished;  // may be empty
};

void run_backends_in_turn(RunSession& run, const Job& job, const std::vector<std::string>& backends,
                          int native_threads, std::chrono::milliseconds browser_timeout, const BackendHooks& hooks);

}  // namespace gapscope::cli
