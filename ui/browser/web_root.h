// Where the web harness is on disk: the directory holding harness/index.html
// and node_modules/ (laid out by resources/CMakeLists.txt, the same in the
// build tree and when installed).
#pragma once
#include <QString>

namespace gapscope::browser {

// $GAPSCOPE_WEB_DIR if set; else share/gapscope/web beside the executable
// (build tree) or ../share/gapscope/web (installed: /usr/bin -> /usr/share).
// Throws std::runtime_error naming every place it looked.
QString find_web_root();
QString harness_index_path(const QString& web_root);

}  // namespace gapscope::browser
