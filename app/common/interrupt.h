// Ctrl-C (SIGINT/SIGTERM) sets a flag that long loops poll, so a run stops
// between steps and its finished records are kept.
#pragma once

namespace gapscope::cli {

void install_interrupt_handler();
bool interrupted();

}  // namespace gapscope::cli
