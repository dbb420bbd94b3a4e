// Exit codes of both executables, and the one place that turns an exception
// into a message naming the input and the matching exit code.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/measure/exit_code.h"

namespace gapscope::cli {

using CommandArgs = std::vector<std::string>;

// Runs body(); on an exception prints "<program> <command>: <what>" to stderr
// and returns its exit code (usage 2; bad spec, data or model file 3; else 1,
// among them an output that cannot be written: FileWriteError names the path,
// what failed and the OS reason).
int run_reporting_errors(const std::string& program, const std::string& command, const std::function<int()>& body);

// The exit codes paragraph of --help.
inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok, 1 run failed or an output cannot be written (the message\n"
    "names the path and why), 2 usage error, 3 bad input (spec, data, model file\n"
    "or run history database; the message names the file and the rule),\n"
    "4 backend unavailable (e.g. native-vulkan without a Vulkan device),\n"
    "130 interrupted.\n";

}  // namespace gapscope::cli
