#include "ui/runs/runner_factory.h"

#include "core/measure/backend_catalog.h"
#include "ui/browser/browser_runner.h"
#include "ui/runs/native_process_runner.h"
#include "ui/runs/pytorch_process_runner.h"

namespace gapscope::ui {

RunnerFactory runner_factory(std::function<browser::BrowserSession&()> session, int native_threads,
                             std::chrono::milliseconds browser_timeout) {
  return [session = std::move(session), native_threads,
          browser_timeout](const std::string& backend) -> std::unique_ptr<Runner> {
    if (is_native_backend(backend)) return std::make_unique<NativeProcessRunner>(backend, native_threads);
    if (backend == "pytorch-cpu") return std::make_unique<PyTorchProcessRunner>(native_threads);
    return std::make_unique<browser::BrowserRunner>(session(), backend, browser_timeout);
  };
}

}  // namespace gapscope::ui
