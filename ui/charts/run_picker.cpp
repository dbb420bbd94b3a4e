#include "ui/charts/run_picker.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace gapscope::ui {

RunPicker::RunPicker(QWidget* parent) : QWidget(parent), list_(new QListWidget) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* title = new QLabel(tr("Runs to compare"));
  title->setToolTip(tr("Tick runs from the history to overlay them; the newest run is ticked when it starts"));
  layout->addWidget(title);
  layout->addWidget(list_, 1);
  connect(list_, &QListWidget::itemChanged, this, [this] {
    if (!filling_) Q_EMIT checkedChanged();
  });
}

void RunPicker::setRuns(const std::vector<Offer>& runs) {
  const QStringList checked = checkedRunIds();
  filling_ = true;
  list_->clear();
  for (const Offer& offer : runs) {
    auto* item = new QListWidgetItem(offer.text, list_);
    item->setData(Qt::UserRole, offer.id);
    item->setToolTip(offer.id);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked.contains(offer.id) ? Qt::Checked : Qt::Unchecked);
  }
  filling_ = false;
}

void RunPicker::setChecked(const QString& id, bool checked) {
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->data(Qt::UserRole).toString() == id)
      list_->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

QStringList RunPicker::checkedRunIds() const {
  QStringList ids;
  for (int i = 0; i < list_->count(); ++i)
    if (list_->item(i)->checkState() == Qt::Checked) ids << list_->item(i)->data(Qt::UserRole).toString();
  return ids;
}

}  // namespace gapscope::ui
