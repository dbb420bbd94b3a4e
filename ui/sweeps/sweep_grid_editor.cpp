#include "ui/sweeps/sweep_grid_editor.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include "core/measure/backend_catalog.h"
#include "core/sweep/sweep_presets.h"

namespace gapscope::ui {
namespace {

constexpr const char* kCustom = "custom";
constexpr const char* kInvalidProperty = "gapscopeInvalid";

QString join_ints(const std::vector<int64_t>& values) {
  QStringList parts;
  for (int64_t v : values) parts << QString::number(v);
  return parts.join(", ");
}

}  // namespace

std::vector<int64_t> parse_int_list(const QString& text) {
  std::vector<int64_t> values;
  std::set<int64_t> seen;
  for (const QString& raw : text.split(',', Qt::SkipEmptyParts)) {
    const QString part = raw.trimmed();
    if (part.isEmpty()) continue;
    bool ok = false;
    const qlonglong value = part.toLongLong(&ok);
    if (!ok) throw std::invalid_argument("'" + part.toStdString() + "' is not a whole number");
    if (!seen.insert(value).second) throw std::invalid_argument(std::to_string(value) + " is given twice");
    values.push_back(value);
  }
  return values;
}

SweepGridEditor::SweepGridEditor(QWidget* parent) : QWidget(parent) {
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);

  preset_ = new QComboBox;
  for (const std::string& name : sweep_preset_names()) preset_->addItem(QString::fromStdString(name));
  preset_->addItem(kCustom);
  trim_ = new QCheckBox(tr("Trim largest points"));
  trim_->setChecked(true);  // the full paper grids take hours in the slow frameworks on a small machine
  trim_->setToolTip(tr("Leave out the largest depths/widths of the paper's grid (the report says which)"));
  auto* preset_row = new QHBoxLayout;
  preset_row->addWidget(preset_, 1);
  preset_row->addWidget(trim_);
  form->addRow(tr("Preset"), preset_row);

  model_ = new QComboBox;
  model_->addItems({"paper-dnn", "paper-cnn", "paper-rnn"});
  form->addRow(tr("Model"), model_);
  depths_ = new QLineEdit;
  depths_->setPlaceholderText(tr("e.g. 1, 2, 4"));
  form->addRow(tr("Depths"), depths_);
  widths_ = new QLineEdit;
  widths_->setPlaceholderText(tr("e.g. 64, 128, 256"));
  form->addRow(tr("Widths"), widths_);

  auto* backend_grid = new QGridLayout;
  int i = 0;
  for (const std::string& id : backend_ids()) {
    auto* check = new QCheckBox(QString::fromStdString(id));
    backends_[id] = check;
    backend_grid->addWidget(check, i / 2, i % 2);
    ++i;
    connect(check, &QCheckBox::toggled, this, &SweepGridEditor::onGridFieldEdited);
  }
  form->addRow(tr("Backends"), backend_grid);

  auto* task_row = new QHBoxLayout;
  for (const char* task : {"train", "infer"}) {
    auto* check = new QCheckBox(task);
    check->setChecked(true);
    tasks_[task] = check;
    task_row->addWidget(check);
    connect(check, &QCheckBox::toggled, this, &SweepGridEditor::onGridFieldEdited);
  }
  tasks_["train"]->setToolTip(tr("ms per training batch"));
  tasks_["infer"]->setToolTip(tr("load, first inference, and ms per sample"));
  task_row->addStretch(1);
  form->addRow(tr("Tasks"), task_row);

  rounds_ = new QSpinBox;
  rounds_->setRange(1, 100);
  rounds_->setValue(2);
  rounds_->setToolTip(tr("Rounds repeat the whole grid (A B A B) so drift spreads over every backend; each round "
                         "gets 1/rounds of the runs"));
  form->addRow(tr("Rounds"), rounds_);
  runs_scale_ = new QDoubleSpinBox;
  runs_scale_->setRange(0.01, 100);
  runs_scale_->setDecimals(2);
  runs_scale_->setSingleStep(0.1);
  runs_scale_->setValue(1.0);
  runs_scale_->setToolTip(tr("Multiplies every phase's run count (1 = the paper's protocol)"));
  form->addRow(tr("Runs scale"), runs_scale_);
  batch_ = new QSpinBox;
  batch_->setRange(1, 65536);
  batch_->setValue(64);
  form->addRow(tr("Batch size"), batch_);

  plan_ = new QLabel;
  plan_->setWordWrap(true);
  plan_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(plan_);

  connect(preset_, &QComboBox::currentTextChanged, this, &SweepGridEditor::applyPreset);
  connect(trim_, &QCheckBox::toggled, this, [this] { applyPreset(preset_->currentText()); });
  connect(model_, &QComboBox::currentTextChanged, this, &SweepGridEditor::onGridFieldEdited);
  connect(depths_, &QLineEdit::textChanged, this, &SweepGridEditor::onGridFieldEdited);
  connect(widths_, &QLineEdit::textChanged, this, &SweepGridEditor::onGridFieldEdited);
  connect(batch_, &QSpinBox::valueChanged, this, &SweepGridEditor::onGridFieldEdited);
  // Rounds and runs scale are protocol, not grid: they never turn a preset into "custom".
  connect(rounds_, &QSpinBox::valueChanged, this, &SweepGridEditor::revalidate);
  connect(runs_scale_, &QDoubleSpinBox::valueChanged, this, &SweepGridEditor::revalidate);

  applyPreset(preset_->currentText());
}

QCheckBox* SweepGridEditor::backendCheck(const std::string& backend) const {
  auto it = backends_.find(backend);
  return it == backends_.end() ? nullptr : it->second;
}

QCheckBox* SweepGridEditor::taskCheck(const std::string& task) const {
  auto it = tasks_.find(task);
  return it == tasks_.end() ? nullptr : it->second;
}

bool SweepGridEditor::isMarkedInvalid(const QWidget* field) { return field->property(kInvalidProperty).toBool(); }

void SweepGridEditor::applyPreset(const QString& name) {
  trim_->setEnabled(name != kCustom);
  if (name == kCustom) {
    revalidate();
    return;
  }
  fill(sweep_preset(name.toStdString(), trim_->isChecked()));
}

void SweepGridEditor::setGrid(const SweepGrid& grid) {
  {
    const QSignalBlocker block(preset_);
    preset_->setCurrentText(kCustom);
  }
  trim_->setEnabled(false);
  fill(grid);
  rounds_->setValue(grid.rounds);
  runs_scale_->setValue(grid.runs_scale);
}

void SweepGridEditor::fill(const SweepGrid& preset) {
  applying_preset_ = true;
  model_->setCurrentText(QString::fromStdString(preset.model));
  depths_->setText(join_ints(preset.depths));
  widths_->setText(join_ints(preset.widths));
  for (auto& [id, check] : backends_)
    check->setChecked(std::find(preset.backends.begin(), preset.backends.end(), id) != preset.backends.end());
  for (auto& [task, check] : tasks_)
    check->setChecked(std::find(preset.tasks.begin(), preset.tasks.end(), task) != preset.tasks.end());
  batch_->setValue(static_cast<int>(preset.batch));
  preset_notes_ = preset.notes;
  applying_preset_ = false;
  revalidate();
}

void SweepGridEditor::onGridFieldEdited() {
  if (applying_preset_) return;
  if (preset_->currentText() != kCustom) {
    // An edited preset is a custom grid; its trim notes no longer describe it.
    const QSignalBlocker block(preset_);
    preset_->setCurrentText(kCustom);
    trim_->setEnabled(false);
    preset_notes_.clear();
  }
  revalidate();
}

void SweepGridEditor::markInvalid(QLineEdit* field, const QString& why) {
  const bool invalid = !why.isEmpty();
  field->setProperty(kInvalidProperty, invalid);
  field->setStyleSheet(invalid ? "QLineEdit { background-color: #ffd5d5; }" : QString());
  field->setToolTip(why);
}

void SweepGridEditor::revalidate() {
  if (applying_preset_) return;
  SweepGrid grid;
  grid.name = preset_->currentText().toStdString();
  grid.model = model_->currentText().toStdString();
  grid.backends.clear();
  for (const std::string& id : backend_ids())
    if (backends_.at(id)->isChecked()) grid.backends.push_back(id);
  grid.tasks.clear();
  for (const char* task : {"train", "infer"})
    if (tasks_.at(task)->isChecked()) grid.tasks.push_back(task);
  grid.rounds = rounds_->value();
  grid.runs_scale = runs_scale_->value();
  grid.batch = batch_->value();
  grid.notes = preset_notes_;

  QString depth_error, width_error, error;
  try {
    grid.depths = parse_int_list(depths_->text());
  } catch (const std::invalid_argument& e) {
    depth_error = tr("depths: %1").arg(e.what());
  }
  try {
    grid.widths = parse_int_list(widths_->text());
  } catch (const std::invalid_argument& e) {
    width_error = tr("widths: %1").arg(e.what());
  }
  item_count_ = 0;
  if (depth_error.isEmpty() && width_error.isEmpty()) {
    try {
      item_count_ = static_cast<int64_t>(plan_sweep(grid).size());
    } catch (const std::exception& e) {
      // The message names the field: mark the one it is about.
      error = QString::fromStdString(e.what());
      if (error.contains("depth")) depth_error = error;
      if (error.contains("width")) width_error = error;
    }
  }
  markInvalid(depths_, depth_error);
  markInvalid(widths_, width_error);
  if (error.isEmpty()) error = !depth_error.isEmpty() ? depth_error : width_error;

  error_ = error;
  grid_ = error.isEmpty() ? std::optional(grid) : std::nullopt;
  if (grid_) {
    plan_->setStyleSheet(QString());
    plan_->setText(tr("%1 items (depths × widths × backends × rounds = %2 × %3 × %4 × %5)")
                       .arg(item_count_).arg(grid.depths.size()).arg(grid.widths.size())
                       .arg(grid.backends.size()).arg(grid.rounds));
  } else {
    plan_->setStyleSheet("QLabel { color: #b00020; }");
    plan_->setText(error_);
  }
  Q_EMIT changed();
}

}  // namespace gapscope::ui
