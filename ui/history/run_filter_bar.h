// The History tab's filters, as a RunFilter (core/store/results_store.h):
// kind, a backend some configuration ran on, text in a model name, and a
// creation date range (UTC days, both ends included). "any" leaves a field out.
#pragma once
#include <QWidget>

#include "core/store/results_store.h"

class QComboBox;
class QDateEdit;
class QLineEdit;

namespace gapscope::ui {

class RunFilterBar : public QWidget {
  Q_OBJECT
 public:
  explicit RunFilterBar(QWidget* parent = nullptr);

  RunFilter filter() const;
  // The kinds the combo offers besides "any" (the store's, plus the usual ones).
  void setKinds(const QStringList& kinds);

  // For tests and tooling.
  QComboBox* kindCombo() const { return kind_; }
  QComboBox* backendCombo() const { return backend_; }
  QLineEdit* modelEdit() const { return model_; }
  QDateEdit* fromDate() const { return from_; }
  QDateEdit* toDate() const { return to_; }
  // Leaves every field at "any".
  void reset();

 Q_SIGNALS:
  void changed();

 private:
  QComboBox *kind_, *backend_;
  QLineEdit* model_;
  QDateEdit *from_, *to_;
};

}  // namespace gapscope::ui
