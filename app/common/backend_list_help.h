// The backend ids as help texts list them (--backends): comma-separated, in the
// catalog's order, broken after a comma before a line would pass `width`
// columns; the first line continues at `column`, the others are indented to it.
#pragma once
#include <cstddef>
#include <string>

namespace gapscope::cli {

std::string backend_list_help(size_t column, size_t width);

}  // namespace gapscope::cli
