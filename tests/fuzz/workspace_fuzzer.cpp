// The workspace file (ui/workbench/workspace.h load_workspace; Qt Core only):
// std::runtime_error naming the file is its documented error.
#include <cstdint>
#include <stdexcept>
#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "ui/workbench/workspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = gapscope::fuzz::write_scratch_file("workspace.json", gapscope::fuzz::as_text(data, size));
  try {
    gapscope::ui::Workspace workspace = gapscope::ui::load_workspace(QString::fromStdString(path));
    (void)workspace;
  } catch (const std::runtime_error&) {
  }
  return 0;
}
