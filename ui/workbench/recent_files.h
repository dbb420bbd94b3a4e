// The workspaces and specs opened or saved lately, for File > Open Recent:
// kept in QSettings under "recent/files", most recent first, at most
// kMaxRecentFiles, each file once. No widgets: the window builds the menu
// from list() when it is shown.
#pragma once
#include <QString>
#include <QStringList>

namespace gapscope::ui {

inline constexpr int kMaxRecentFiles = 8;

class RecentFiles {
 public:
  // Absolute paths, most recent first; files that no longer exist are left out.
  static QStringList list();
  // Puts `path` (made absolute) first, removing an earlier entry for the same file.
  static void add(const QString& path);
  static void clear();
};

}  // namespace gapscope::ui
