// The subcommands of gapscope-native. Each takes the arguments after its name
// and returns the process exit code (see exit codes in main.cpp's --help).
#pragma once
#include <string>
#include <vector>

namespace gapscope::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kBadInput = 3, kInterrupted = 130 };

using CommandArgs = std::vector<std::string>;

int command_train(const CommandArgs& args);
int command_bench(const CommandArgs& args);
int command_sweep(const CommandArgs& args);
int command_inspect(const CommandArgs& args);
int command_predict(const CommandArgs& args);

}  // namespace gapscope::cli
