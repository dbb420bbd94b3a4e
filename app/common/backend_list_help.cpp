#include "app/common/backend_list_help.h"

#include "core/measure/backend_catalog.h"

namespace gapscope::cli {

std::string backend_list_help(size_t column, size_t width) {
  const auto ids = backend_ids();
  std::string text;
  size_t at = column;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string item = ids[i] + (i + 1 < ids.size() ? "," : "");
    if (i > 0 && at + item.size() > width) {
      text += '\n';
      text.append(column, ' ');
      at = column;
    }
    text += item;
    at += item.size();
  }
  return text;
}

}  // namespace gapscope::cli
