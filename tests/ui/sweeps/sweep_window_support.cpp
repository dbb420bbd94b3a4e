#include "tests/ui/sweeps/sweep_window_support.h"

#include <catch2/catch.hpp>

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTimer>

#include "core/measure/backend_catalog.h"
#include "tests/ui/browser/browser_test_support.h"
#include "ui/sweeps/sweep_grid_editor.h"
#include "ui/sweeps/sweep_panel.h"
#include "ui/workbench/backends_panel.h"

namespace gapscope::test {

ScopedDatabase::ScopedDatabase() : path_(dir_.filePath("history.sqlite")) {
  qputenv("GAPSCOPE_DB", path_.toUtf8());
}

ScopedDatabase::~ScopedDatabase() { qunsetenv("GAPSCOPE_DB"); }

std::unique_ptr<ui::MainWindow> probed_window() {
  QStandardPaths::setTestModeEnabled(true);  // results files and settings go to a test location
  auto window = std::make_unique<ui::MainWindow>();
  window->resize(1280, 800);
  window->show();
  REQUIRE(wait_until([&] { return !window->backends()->probing(); }, 120000));
  return window;
}

void set_tiny_grid(ui::SweepPanel& panel, const QString& depths, const QString& widths,
                   const std::vector<std::string>& backends, int rounds) {
  ui::SweepGridEditor* editor = panel.editor();
  editor->presetCombo()->setCurrentText("custom");
  editor->modelCombo()->setCurrentText("paper-dnn");
  editor->depthsEdit()->setText(depths);
  editor->widthsEdit()->setText(widths);
  for (const std::string& id : backend_ids())
    editor->backendCheck(id)->setChecked(std::find(backends.begin(), backends.end(), id) != backends.end());
  editor->taskCheck("train")->setChecked(true);
  editor->taskCheck("infer")->setChecked(true);
  editor->roundsSpin()->setValue(rounds);
  editor->runsScaleSpin()->setValue(0.05);
  editor->batchSpin()->setValue(16);
  REQUIRE(editor->grid().has_value());
}

bool click_and_wait(ui::SweepPanel& panel, bool resume, int timeout_ms, bool* stopped) {
  bool finished = false;
  const auto connection = QObject::connect(&panel, &ui::SweepPanel::sweepFinished, [&](const QString&, bool s) {
    finished = true;
    if (stopped) *stopped = s;
  });
  QPushButton* button = resume ? panel.resumeButton() : panel.startButton();
  REQUIRE(button->isEnabled());
  button->click();
  const bool ended = wait_until([&] { return finished; }, timeout_ms);
  QObject::disconnect(connection);
  return ended;
}

void answer_next_message_box(QMessageBox::StandardButton button) {
  auto* poll = new QTimer;
  QObject::connect(poll, &QTimer::timeout, [poll, button] {
    for (QWidget* widget : QApplication::topLevelWidgets()) {
      auto* box = qobject_cast<QMessageBox*>(widget);
      if (!box || !box->isVisible()) continue;
      poll->stop();
      poll->deleteLater();
      box->button(button)->click();
      return;
    }
  });
  poll->start(50);
}

}  // namespace gapscope::test
