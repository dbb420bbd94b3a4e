// The runners of everything that runs backends in turn (`gapscope run`, the
// workbench, sweeps): the catalog's native backends in a gapscope-native child
// process, pytorch-cpu in a Python child process (with native-cpu's threads), the
// browser backends in the page of a BrowserSession, which is asked for only
// when a browser backend runs.
#pragma once
#include <chrono>
#include <functional>

#include "core/run/run_session.h"

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

RunnerFactory runner_factory(std::function<browser::BrowserSession&()> session, int native_threads,
                             std::chrono::milliseconds browser_timeout);

}  // namespace gapscope::ui
