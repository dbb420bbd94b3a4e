#include "app/gapscope/backends_in_turn.h"

#include <memory>

#include <QTimer>

#include "app/common/interrupt.h"
#include "ui/browser/browser_session.h"
#include "ui/runs/runner_factory.h"

namespace gapscope::cli {

void run_backends_in_turn(RunSession& run, const Job& job, const std::vector<std::string>& backends,
                          int native_threads, std::chrono::milliseconds browser_timeout, const BackendHooks& hooks) {
  std::unique_ptr<browser::BrowserSession> session;
  auto browser_session = [&]() -> browser::BrowserSession& {
    if (!session) session = std::make_unique<browser::BrowserSession>();
    return *session;
  };
  const RunnerFactory runners = ui::runner_factory(browser_session, native_threads, browser_timeout);
  QTimer interrupt_poll;
  QObject::connect(&interrupt_poll, &QTimer::timeout, [&] {
    if (interrupted()) run.cancel();
  });
  interrupt_poll.start(100);
  for (size_t i = 0; i < backends.size() && !interrupted(); ++i) {
    if (hooks.started) hooks.started(i);
    const auto started = std::chrono::steady_clock::now();
    ItemOutcome outcome = run.run(i, job, runners);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (hooks.finished) hooks.finished(i, std::move(outcome), seconds);
  }
}

}  // namespace gapscope::cli
