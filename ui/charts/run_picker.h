// The runs the Compare tab overlays, picked from the history with check
// boxes (as TensorBoard toggles runs). Knows nothing of the store: the window
// gives it the runs to offer and reads back which are checked.
#pragma once
#include <QStringList>
#include <QWidget>

class QListWidget;

namespace gapscope::ui {

class RunPicker : public QWidget {
  Q_OBJECT
 public:
  explicit RunPicker(QWidget* parent = nullptr);

  struct Offer {
    QString id, text;  // text: what the list shows ("20261208T0344 paper-dnn-2x128, done")
  };
  // Replaces the list, most recent first; keeps the checks of runs still offered.
  void setRuns(const std::vector<Offer>& runs);
  void setChecked(const QString& id, bool checked);
  QStringList checkedRunIds() const;  // in list order
  QListWidget* list() const { return list_; }

 Q_SIGNALS:
  void checkedChanged();

 private:
  QListWidget* list_;
  bool filling_ = false;
};

}  // namespace gapscope::ui
