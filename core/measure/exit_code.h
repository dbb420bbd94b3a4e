// Exit codes of both executables: a contract between gapscope-native and the
// parents that run it as a child (gapscope run, the workbench), so it lives
// below both. app/common/command_errors.h turns exceptions into them.
#pragma once

namespace gapscope {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2, kBadInput = 3, kUnavailable = 4, kInterrupted = 130 };

}  // namespace gapscope
