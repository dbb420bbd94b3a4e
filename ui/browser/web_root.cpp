#include "ui/browser/web_root.h"

#include <stdexcept>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

namespace gapscope::browser {

QString harness_index_path(const QString& web_root) { return web_root + "/harness/index.html"; }

QString find_web_root() {
  QStringList candidates;
  const QString from_env = qEnvironmentVariable("GAPSCOPE_WEB_DIR");
  if (!from_env.isEmpty()) {
    candidates << from_env;
  } else {
    const QString exe_dir = QCoreApplication::applicationDirPath();
    candidates << exe_dir + "/share/gapscope/web" << exe_dir + "/../share/gapscope/web";
  }
  for (const QString& candidate : candidates)
    if (QFileInfo::exists(harness_index_path(candidate))) return QDir(candidate).canonicalPath();
  throw std::runtime_error(
      "cannot find the web harness (harness/index.html) in " + candidates.join(", ").toStdString() +
      (from_env.isEmpty() ? "; build the project (it copies resources/web there) or set GAPSCOPE_WEB_DIR"
                          : " (from GAPSCOPE_WEB_DIR)"));
}

}  // namespace gapscope::browser
