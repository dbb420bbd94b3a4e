#include "ui/history/run_filter_bar.h"

#include <algorithm>

#include <QComboBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

#include "core/measure/backend_catalog.h"
#include "core/store/run_filter_values.h"

namespace gapscope::ui {
namespace {

// A date edit at its minimum shows "any": QDateEdit cannot be empty.
const QDate kAnyDate(2000, 1, 1);

QDateEdit* any_date_edit() {
  auto* edit = new QDateEdit;
  edit->setDisplayFormat("yyyy-MM-dd");
  edit->setCalendarPopup(true);
  edit->setMinimumDate(kAnyDate);
  edit->setSpecialValueText(QObject::tr("any"));
  edit->setDate(kAnyDate);
  edit->setToolTip(QObject::tr("UTC day; the lowest date means any"));
  return edit;
}

std::optional<std::string> chosen(const QComboBox* combo) {
  const QString value = combo->currentData().toString();
  return value.isEmpty() ? std::nullopt : std::optional(value.toStdString());
}

}  // namespace

RunFilterBar::RunFilterBar(QWidget* parent)
    : QWidget(parent),
      kind_(new QComboBox),
      backend_(new QComboBox),
      model_(new QLineEdit),
      from_(any_date_edit()),
      to_(any_date_edit()) {
  setKinds({});
  backend_->addItem(tr("any"), QString());
  for (const std::string& id : backend_ids()) backend_->addItem(QString::fromStdString(id), QString::fromStdString(id));
  model_->setPlaceholderText(tr("model name contains…"));
  model_->setClearButtonEnabled(true);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(new QLabel(tr("Kind")));
  layout->addWidget(kind_);
  layout->addWidget(new QLabel(tr("Backend")));
  layout->addWidget(backend_);
  layout->addWidget(new QLabel(tr("Model")));
  layout->addWidget(model_, 1);
  layout->addWidget(new QLabel(tr("From")));
  layout->addWidget(from_);
  layout->addWidget(new QLabel(tr("To")));
  layout->addWidget(to_);

  connect(kind_, &QComboBox::currentIndexChanged, this, &RunFilterBar::changed);
  connect(backend_, &QComboBox::currentIndexChanged, this, &RunFilterBar::changed);
  connect(model_, &QLineEdit::textChanged, this, &RunFilterBar::changed);
  connect(from_, &QDateEdit::dateChanged, this, &RunFilterBar::changed);
  connect(to_, &QDateEdit::dateChanged, this, &RunFilterBar::changed);
}

void RunFilterBar::setKinds(const QStringList& kinds) {
  QStringList all;
  for (const std::string& kind : kRunKinds) all << QString::fromStdString(kind);
  for (const QString& kind : kinds)
    if (!all.contains(kind)) all << kind;
  const QSignalBlocker block(kind_);
  const QString current = kind_->currentData().toString();
  kind_->clear();
  kind_->addItem(tr("any"), QString());
  for (const QString& kind : all) kind_->addItem(kind, kind);
  kind_->setCurrentIndex(std::max(0, kind_->findData(current)));
}

RunFilter RunFilterBar::filter() const {
  RunFilter filter;
  filter.kind = chosen(kind_);
  filter.backend = chosen(backend_);
  const QString model = model_->text().trimmed();
  if (!model.isEmpty()) filter.model_contains = model.toStdString();
  // Stored times are ISO-8601 UTC ("2024-05-01T12:00:00Z"), so day strings compare as prefixes.
  if (from_->date() != kAnyDate) filter.created_from = from_->date().toString(Qt::ISODate).toStdString();
  if (to_->date() != kAnyDate) filter.created_before = to_->date().addDays(1).toString(Qt::ISODate).toStdString();
  return filter;
}

void RunFilterBar::reset() {
  {
    const QSignalBlocker block_kind(kind_), block_backend(backend_), block_model(model_), block_from(from_),
        block_to(to_);
    kind_->setCurrentIndex(0);
    backend_->setCurrentIndex(0);
    model_->clear();
    from_->setDate(kAnyDate);
    to_->setDate(kAnyDate);
  }
  Q_EMIT changed();
}

}  // namespace gapscope::ui
