#include "core/base/enum_names.h"

#include <cctype>

namespace gapscope {

std::string fold_name(std::string_view name) {
  std::string out;
  for (char c : name)
    if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace gapscope
