// The git revision this binary was built from. Kept in one translation unit:
// a compile definition on the whole library would rebuild all of it after
// every commit.
#pragma once

namespace gapscope {

const char* git_revision();

}  // namespace gapscope
