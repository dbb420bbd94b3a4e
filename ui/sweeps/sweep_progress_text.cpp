#include "ui/sweeps/sweep_progress_text.h"

#include <cmath>

#include <QObject>

namespace gapscope::ui {

QString short_duration(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return QStringLiteral("…");
  const qint64 s = static_cast<qint64>(std::ceil(seconds));
  if (s < 60) return QStringLiteral("%1s").arg(s);
  if (s < 3600) return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
  return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

QString sweep_progress_text(const SweepProgress& p) {
  QString text = QObject::tr("%1/%2 items, ETA %3").arg(p.done).arg(p.total).arg(short_duration(p.eta_seconds));
  if (p.failed > 0) text += QObject::tr(", %1 failed").arg(p.failed);
  if (!p.current.empty()) text += QObject::tr(", now: %1").arg(QString::fromStdString(p.current));
  return text;
}

QString sweep_finished_text(const SweepProgress& p, bool stopped) {
  QString text = stopped ? QObject::tr("Stopped at %1/%2 items (Resume goes on from there)").arg(p.done).arg(p.total)
                         : QObject::tr("Done: %1/%2 items in %3").arg(p.done).arg(p.total)
                               .arg(short_duration(p.elapsed_seconds));
  if (p.failed > 0) text += QObject::tr(", %1 failed").arg(p.failed);
  return text;
}

}  // namespace gapscope::ui
