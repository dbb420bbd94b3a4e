// The Runner of a backend id, for everything that runs backends in turn
// (`gapscope run`, the workbench): the catalog's native backends in a
// gapscope-native child process, the browser backends in the page of a
// BrowserSession, which is asked for only when a browser backend runs.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/measure/runner.h"

namespace gapscope::browser {
class BrowserSession;
}

namespace gapscope::ui {

std::unique_ptr<Runner> make_runner(const std::string& backend,
                                    const std::function<browser::BrowserSession&()>& session,
                                    int native_threads, std::chrono::milliseconds browser_timeout);

}  // namespace gapscope::ui
