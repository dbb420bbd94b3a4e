#include "core/build_info.h"

namespace gapscope {

const char* git_revision() { return GAPSCOPE_GIT_REVISION; }

}  // namespace gapscope
