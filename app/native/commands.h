// The subcommands of gapscope-native. Each takes the arguments after its name
// and returns the process exit code (see exit codes in main.cpp's --help).
#pragma once
#include "app/common/command_errors.h"

namespace gapscope::cli {

int command_train(const CommandArgs& args);
int command_bench(const CommandArgs& args);
int command_sweep(const CommandArgs& args);
int command_inspect(const CommandArgs& args);
int command_predict(const CommandArgs& args);
int command_generate(const CommandArgs& args);
int command_devices(const CommandArgs& args);
int command_fit(const CommandArgs& args);

}  // namespace gapscope::cli
