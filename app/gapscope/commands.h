// The subcommands of `gapscope` (the Qt executable). Each takes the arguments
// after its name and returns the exit code (app/common/command_errors.h).
#pragma once
#include "app/common/command_errors.h"

namespace gapscope::cli {

int command_run(const CommandArgs& args);
int command_sweep(const CommandArgs& args);
int command_history(const CommandArgs& args);
int command_report(const CommandArgs& args);
int command_reproduce(const CommandArgs& args);

}  // namespace gapscope::cli
