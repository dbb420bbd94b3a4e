#include "app/common/history_store.h"

namespace gapscope::cli {

ResultsStore open_history(const Arguments& args, StoreAccess access) {
  if (!args.has(kDbFlag)) return ResultsStore::open(default_results_path(), access);
  const std::string path = args.get(kDbFlag);
  if (path.empty()) throw UsageError(std::string(kDbFlag) + " needs a file name, got an empty one");
  return ResultsStore::open(path, access);
}

}  // namespace gapscope::cli
