// What the Sweep and History tab tests share: a workbench window on a run
// history of its own, a tiny grid set through the real widgets, a sweep
// driven by its buttons to the end, and answering a message box.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <QMessageBox>
#include <QString>
#include <QTemporaryDir>

#include "ui/workbench/main_window.h"

namespace gapscope::ui {
class SweepPanel;
}

namespace gapscope::test {

// $GAPSCOPE_DB -> a fresh file in a temporary directory, for as long as it lives.
class ScopedDatabase {
 public:
  ScopedDatabase();
  ~ScopedDatabase();
  ScopedDatabase(const ScopedDatabase&) = delete;
  ScopedDatabase& operator=(const ScopedDatabase&) = delete;
  QString path() const { return path_; }

 private:
  QTemporaryDir dir_;
  QString path_;
};

// A shown window whose backends are probed (the sweep shares its page).
std::unique_ptr<ui::MainWindow> probed_window();

// A custom grid of paper-dnn, depths x widths, on these backends, for both
// tasks, 1 round, runs scale 0.05, batch 16, typed into the editor.
void set_tiny_grid(ui::SweepPanel& panel, const QString& depths, const QString& widths,
                   const std::vector<std::string>& backends, int rounds = 1);

// Clicks Start (or Resume) and waits until the sweep ends; false on timeout.
// *stopped tells whether it ended by Stop.
bool click_and_wait(ui::SweepPanel& panel, bool resume, int timeout_ms, bool* stopped = nullptr);

// Clicks `button` of the next message box that comes up (modal or not),
// from a timer: QMessageBox::question blocks its caller until answered.
void answer_next_message_box(QMessageBox::StandardButton button);

}  // namespace gapscope::test
