// Inputs that are read more than once. Loading a model opens its file several
// times (the kind and format are sniffed from its start, then it is read), and
// a pipe cannot be read twice: `predict --model <(cat m.gsm)` saw an empty
// stream after the sniffing ("truncated: 0 bytes").
#pragma once
#include <cstdint>
#include <string>

namespace gapscope {

// `path` itself when it can be read again (a regular file, a folder, or
// nothing: the reader then says why it cannot). A pipe, socket or character
// device is read once, up to max_bytes (over it: std::runtime_error naming the
// path and the limit), into an in-memory file (memfd) that lives until the
// process exits; its path (/proc/self/fd/N) is returned, and readers' messages
// name that copy (app/common/model_source.h puts the given name back).
std::string replayable_path(const std::string& path, int64_t max_bytes);

}  // namespace gapscope
