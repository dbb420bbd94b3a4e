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
// and returns its exit code (usage 2; bad spec, data or model file 3; else 1).
int run_reporting_errors(const std::string& program, const std::string& command, const std::function<int()>& body);

// The exit codes paragraph of --help.
inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 ok, 1 run failed, 2 usage error, 3 bad input (spec, data,\n"
    "model file or run history database; the message names the file and the\n"
    "rule), 4 backend unavailable (e.g. native-vulkan without a Vulkan device),\n"
    "130 interrupted.\n";

}  // namespace gapscope::cli
