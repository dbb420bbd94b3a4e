// list() leaves missing files out without touching the settings (a file on an
// unmounted drive comes back with the drive); add() stores what list() shows
// plus the new file, so missing files are forgotten then and the stored list
// stays within the cap.
#include "ui/workbench/recent_files.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace gapscope::ui {
namespace {

const char* const kRecentFilesKey = "recent/files";

// One spelling per file, so "a/../w.json" and "w.json" are not listed twice.
QString normalized(const QString& path) {
  QFileInfo info(path);
  QString canonical = info.canonicalFilePath();  // empty when the file is missing
  return canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical;
}

}  // namespace

QStringList RecentFiles::list() {
  QStringList files;
  for (const QString& stored : QSettings().value(kRecentFilesKey).toStringList()) {
    if (stored.isEmpty() || !QFileInfo(stored).isFile()) continue;
    QString path = normalized(stored);
    if (!files.contains(path)) files.append(path);
    if (files.size() == kMaxRecentFiles) break;
  }
  return files;
}

void RecentFiles::add(const QString& path) {
  if (path.isEmpty()) return;
  const QString added = normalized(path);
  QStringList files = list();
  files.removeAll(added);
  files.prepend(added);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings().setValue(kRecentFilesKey, files);
}

void RecentFiles::clear() { QSettings().remove(kRecentFilesKey); }

}  // namespace gapscope::ui
