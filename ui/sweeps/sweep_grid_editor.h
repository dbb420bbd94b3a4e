// The form that defines a sweep (core/sweep/sweep_plan.h): a preset or a
// custom grid (model, depths x widths, backends, tasks) and its protocol
// (rounds, runs scale, batch). It always knows whether what it shows is a
// valid grid; an invalid field turns red and says why (validate_sweep_grid's
// message), and the plan line says how many items the grid would run.
#pragma once
#include <map>
#include <optional>
#include <string>

#include <QWidget>

#include "core/sweep/sweep_plan.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace gapscope::ui {

class SweepGridEditor : public QWidget {
  Q_OBJECT
 public:
  explicit SweepGridEditor(QWidget* parent = nullptr);

  // The grid shown, or nullopt with errorText() saying what is wrong.
  std::optional<SweepGrid> grid() const { return grid_; }
  QString errorText() const { return error_; }
  // Items in the plan (plan_sweep(grid).size()); 0 for an invalid grid.
  int64_t itemCount() const { return item_count_; }

  // Fills every field from a preset ("custom" keeps the fields as they are).
  void applyPreset(const QString& name);
  // Shows a grid as a custom one (a workspace's, as it was saved).
  void setGrid(const SweepGrid& grid);

  // For tests and tooling.
  QComboBox* presetCombo() const { return preset_; }
  QCheckBox* trimCheck() const { return trim_; }
  QComboBox* modelCombo() const { return model_; }
  QLineEdit* depthsEdit() const { return depths_; }
  QLineEdit* widthsEdit() const { return widths_; }
  QCheckBox* backendCheck(const std::string& backend) const;
  QCheckBox* taskCheck(const std::string& task) const;  // train | infer
  QSpinBox* roundsSpin() const { return rounds_; }
  QDoubleSpinBox* runsScaleSpin() const { return runs_scale_; }
  QSpinBox* batchSpin() const { return batch_; }
  QLabel* planLabel() const { return plan_; }
  // True when the field is marked invalid (red).
  static bool isMarkedInvalid(const QWidget* field);

 Q_SIGNALS:
  void changed();

 private:
  void onGridFieldEdited();
  void fill(const SweepGrid& grid);  // model, depths, widths, backends, tasks, batch, notes
  void revalidate();
  void markInvalid(QLineEdit* field, const QString& why);

  QComboBox* preset_;
  QCheckBox* trim_;
  QComboBox* model_;
  QLineEdit *depths_, *widths_;
  std::map<std::string, QCheckBox*> backends_, tasks_;
  QSpinBox* rounds_;
  QDoubleSpinBox* runs_scale_;
  QSpinBox* batch_;
  QLabel* plan_;
  bool applying_preset_ = false;
  std::vector<std::string> preset_notes_;  // what the preset trimmed (for the report)
  std::optional<SweepGrid> grid_;
  QString error_;
  int64_t item_count_ = 0;
};

// "1, 2,4" -> {1, 2, 4}. Throws std::invalid_argument naming the bad entry
// (not a whole number, or given twice); an empty text is an empty list.
std::vector<int64_t> parse_int_list(const QString& text);

}  // namespace gapscope::ui
